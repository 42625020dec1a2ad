"""Who was removed from the record: the /changes page, its Atom feed and /api/changes, all
over the one read model in :mod:`statemedia.analytics.changes`."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..analytics import changes as model
from ..errors import QueryError
from .pages import compact_diff, render
from .params import json_response, workbench
from .service import Workbench

__all__ = ["router"]

router = APIRouter()
WB = Annotated[Workbench, Depends(workbench)]
_NS = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Filters:
    date_from: date | None
    date_to: date | None
    removed: str | None
    limit: int

    def params(self) -> dict[str, str]:
        out = {"from": self.date_from and self.date_from.isoformat(), "to": self.date_to and self.date_to.isoformat(),
               "removed": self.removed}
        return {k: v for k, v in out.items() if v}


def filters(
    request: Request,
    date_from: Annotated[date | None, Query(alias="from", description="changes on/after YYYY-MM-DD")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="changes on/before YYYY-MM-DD")] = None,
    removed: Annotated[str | None, Query(max_length=200, description="entity id or name removed")] = None,
    limit: Annotated[int | None, Query(ge=1, description="edits, withdrawals, restorations listed (each)")] = None,
) -> Filters:
    if date_from and date_to and date_from > date_to:
        raise HTTPException(422, f"from {date_from} is after to {date_to}")
    cap = workbench(request).options.max_page_size
    if limit is not None and limit > cap:
        raise HTTPException(422, f"limit {limit} is over the maximum of {cap}")
    return Filters(date_from, date_to, (removed or "").strip() or None, limit or cap)


Params = Annotated[Filters, Depends(filters)]


def _read(wb: Workbench, f: Filters) -> model.Changes:
    with wb.reading() as store:
        return model.changes(store, date_from=f.date_from, date_to=f.date_to, removed=f.removed, limit=f.limit)


@router.get("/changes", include_in_schema=False, response_class=HTMLResponse)
def changes_page(request: Request, wb: WB, f: Params) -> HTMLResponse:
    found = _read(wb, f)
    # A word diff reads and compares both texts: only the first screenful of edits get one.
    diffs: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for edit in found.edits[: wb.options.page_size]:
        try:
            diff = wb.diff(edit.doc_id, edit.old_version, edit.new_version)
        except QueryError:
            diff = None
        if diff is not None:
            diffs[edit.doc_id, edit.new_version] = compact_diff(diff.words)
    params = f.params()
    api = "?" + urlencode(params) if params else ""
    return render(request, "changes.html", found=found, f=f, diffs=diffs, params=params, api=api)


@router.get("/api/changes", tags=["api"], summary="Edits that removed people or organisations; withdrawals")
def api_changes(wb: WB, f: Params) -> Response:
    return json_response(_read(wb, f).to_dict())


def _stamp(value: str | None, day: date) -> str:
    """An RFC 3339 time for Atom: the recorded timestamp, else midnight UTC of the day."""
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        moment = None
    if moment is None:
        moment = datetime.combine(day, time(0), UTC)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat().replace("+00:00", "Z")


def _entries(found: model.Changes, base: str) -> list[tuple[str, str, str, str, str]]:
    """(updated, id, link, title, summary) of each change."""
    rows = []
    for e in found.edits:
        link = f"{base}/articles/{quote(e.doc_id, safe='')}?version={e.new_version}"
        removed = ", ".join(x.name for x in e.removed) or "nobody"
        rows.append((_stamp(e.at, e.day), link, link, f"Edited: {e.title or e.doc_id} (removed {removed})",
                     f"{e.doc_id} version {e.old_version} to {e.new_version}: removed {removed}"
                     + (f"; added {', '.join(x.name for x in e.added)}" if e.added else "")))
    for w, how in [(w, "withdrawn") for w in found.withdrawals] + [(w, "restored") for w in found.restorations]:
        day = w.withdrawn_on if how == "withdrawn" else w.restored_on or w.withdrawn_on
        link = f"{base}/articles/{quote(w.doc_id, safe='')}"
        names = ", ".join(x.name for x in w.entities) or "nobody named"
        rows.append((_stamp(w.noticed_at if how == "withdrawn" else None, day), f"{link}#{how}-{day}", link,
                     f"{how.capitalize()}: {w.title or w.doc_id}", f"{w.doc_id} {how} on {day} ({names}); {w.url}"))
    return sorted(rows, reverse=True)


@router.get("/changes.atom", include_in_schema=False)
def changes_atom(request: Request, wb: WB, f: Params) -> Response:
    """An Atom 1.0 feed, one entry per edit, withdrawal and restoration, newest first.
    ElementTree escapes every text and attribute value."""
    found = _read(wb, f)
    base = str(request.base_url).rstrip("/")
    entries = _entries(found, base)
    ET.register_namespace("", _NS)
    feed = ET.Element(f"{{{_NS}}}feed")
    who = f" ({f.removed})" if f.removed else ""
    ET.SubElement(feed, f"{{{_NS}}}title").text = f"statemedia: removed from the record{who}"
    ET.SubElement(feed, f"{{{_NS}}}id").text = str(request.url)
    ET.SubElement(feed, f"{{{_NS}}}updated").text = entries[0][0] if entries else _stamp(None, date(1970, 1, 1))
    ET.SubElement(feed, f"{{{_NS}}}link", {"rel": "self", "href": str(request.url)})
    ET.SubElement(ET.SubElement(feed, f"{{{_NS}}}author"), f"{{{_NS}}}name").text = "statemedia"
    for updated, entry_id, link, title, summary in entries:
        entry = ET.SubElement(feed, f"{{{_NS}}}entry")
        ET.SubElement(entry, f"{{{_NS}}}title").text = title
        ET.SubElement(entry, f"{{{_NS}}}id").text = entry_id
        ET.SubElement(entry, f"{{{_NS}}}link", {"rel": "alternate", "href": link})
        ET.SubElement(entry, f"{{{_NS}}}updated").text = updated
        ET.SubElement(entry, f"{{{_NS}}}summary").text = summary
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/atom+xml; charset=utf-8")
