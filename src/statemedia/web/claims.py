"""Numeric claims across articles: the /claims page and /api/claims, both over the one read
model in :mod:`statemedia.analytics.claims`; each claim of a page with its first and latest
``[web] claim_statements`` statements, and all of one claim's statements, paged, on
/claims/{key} and /api/claims/{key}."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, MutableMapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..analytics import claims as model
from ..analytics._results import Results
from .pages import render
from .params import Format, Page, listing, page, workbench
from .service import Workbench

__all__ = ["router"]

router = APIRouter()
WB = Annotated[Workbench, Depends(workbench)]
Paging = Annotated[Page, Depends(page)]
T = TypeVar("T")
StatusName = Literal["repeated", "revised", "dropped", "single"]
SortName = Literal["stories", "latest", "counted", "subject"]


@dataclass(frozen=True)
class Filters:
    counted: str | None
    subject: str | None
    unit: str | None
    outlet: str | None
    date_from: date | None
    date_to: date | None
    min_stories: int
    status: str | None
    sort: str

    def params(self) -> dict[str, str]:
        """The filters set, as query parameters (for links between the page, its pages and the API)."""
        out = {
            "counted": self.counted, "subject": self.subject, "unit": self.unit, "outlet": self.outlet,
            "from": self.date_from and self.date_from.isoformat(), "to": self.date_to and self.date_to.isoformat(),
            "min_stories": str(self.min_stories) if self.min_stories > 1 else None, "status": self.status,
            "sort": self.sort if self.sort != "stories" else None,
        }  # fmt: skip
        return {k: v for k, v in out.items() if v}


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def filters(
    counted: Annotated[str | None, Query(max_length=200, description="words of what is counted")] = None,
    subject: Annotated[str | None, Query(max_length=200, description="entity id, or words of the subject")] = None,
    unit: Annotated[str | None, Query(max_length=50, description="unit as stored: %, t, km, a count noun")] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[date | None, Query(alias="from", description="published on/after YYYY-MM-DD")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="published on/before YYYY-MM-DD")] = None,
    min_stories: Annotated[int, Query(ge=1, le=100_000, description="stated in at least N stories")] = 1,
    status: Annotated[StatusName | None, Query(description="repeated, revised, dropped or single")] = None,
    sort: Annotated[SortName, Query(description="stories (most first), latest, counted or subject")] = "stories",
) -> Filters:
    if date_from and date_to and date_from > date_to:
        raise HTTPException(422, f"from {date_from} is after to {date_to}")
    return Filters(_clean(counted), _clean(subject), _clean(unit), _clean(outlet), date_from, date_to, min_stories,
                   status, sort)  # fmt: skip


Params = Annotated[Filters, Depends(filters)]
# A claim's key (Claim.key: counted|unit|subject id), URL-quoted; as long as the words it is made of.
Key = Annotated[str, Path(max_length=1000, description="counted|unit|subject id, as in the claims' key")]


def _suffix(params: dict[str, str]) -> str:
    return "?" + urlencode(params) if params else ""


def _window(f: Filters) -> dict[str, str]:
    """The parameters that choose the stories read (not the claims): what a claim's own page keeps."""
    return {k: v for k, v in f.params().items() if k in ("outlet", "from", "to")}


# What each app keeps until its corpus changes (Workbench.corpus.state): pages as asked (every
# analyst opening /claims asks the same one), and each claim read for a page, so that pages that
# overlap (offset 40 and 45) read only the claims not read before: a page's claims cost a read of
# all of their statements for their summaries, the first pages' the most (docs/workbench.md).
class _Known(MutableMapping[str, model.Claim]):
    """The ``size`` claims used last, for one state of the corpus, window and bound; safe for threads."""

    def __init__(self, size: int) -> None:
        self._size, self._lock, self._kept = size, threading.Lock(), OrderedDict[str, model.Claim]()

    def __getitem__(self, key: str) -> model.Claim:
        with self._lock:
            self._kept.move_to_end(key)
            return self._kept[key]

    def __setitem__(self, key: str, claim: model.Claim) -> None:
        with self._lock:
            self._kept[key] = claim
            self._kept.move_to_end(key)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)

    def __delitem__(self, key: str) -> None:
        with self._lock:
            del self._kept[key]

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(list(self._kept))

    def __len__(self) -> int:
        return len(self._kept)


class _Kept:
    def __init__(self, pages: int, claims: int) -> None:
        self.pages, self.size, self.lock = Results(pages), claims, threading.Lock()
        self.windows = max(1, pages // 4)  # windows of days (and outlets) whose claims are kept
        self.known: dict[tuple[Any, ...], _Known] = {}  # by (state, window, bound): the latest state's only


_kept: weakref.WeakKeyDictionary[Workbench, _Kept] = weakref.WeakKeyDictionary()
_kept_lock = threading.Lock()


def _of(wb: Workbench) -> _Kept:
    with _kept_lock:
        kept = _kept.get(wb)
        if kept is None:
            kept = _kept[wb] = _Kept(wb.options.claim_results, wb.options.claim_results * 50)
        return kept


def _cached(wb: Workbench, name: Hashable, make: Callable[[], T]) -> T:
    made: T = _of(wb).pages.get(wb.corpus.state(), name, make)
    return made


def _read(wb: Workbench, f: Filters, paging: Page) -> model.Claims:
    state = wb.corpus.state()
    kept = _of(wb)
    which = (state, f.outlet, f.date_from, f.date_to, wb.options.claim_statements)
    with kept.lock:
        known = kept.known.get(which)
        if known is None:  # a new state of the corpus: what was kept for the one before goes
            kept.known = {k: v for k, v in kept.known.items() if k[0] == state}
            while len(kept.known) >= kept.windows:  # windows asked first go first: each holds up to size
                del kept.known[next(iter(kept.known))]
            known = kept.known[which] = _Known(kept.size)

    def make() -> model.Claims:
        with wb.reading() as store:
            return model.claims(
                store, counted=f.counted, subject=f.subject, unit=f.unit, outlet=f.outlet, date_from=f.date_from,
                date_to=f.date_to, min_stories=f.min_stories, status=f.status, sort=f.sort, limit=paging.limit,
                offset=paging.offset, statements=wb.options.claim_statements, known=known,
            )

    made: model.Claims = kept.pages.get(state, ("claims", f, paging.offset, paging.limit), make)
    return made


def _one(wb: Workbench, key: str, f: Filters, paging: Page) -> model.ClaimStatements:
    """One claim in the window of ``f`` (its other filters select claims, not statements)."""
    def make() -> model.ClaimStatements | None:
        with wb.reading() as store:
            return model.claim(store, key, outlet=f.outlet, date_from=f.date_from, date_to=f.date_to,
                               limit=paging.limit, offset=paging.offset)  # fmt: skip

    window = (f.outlet, f.date_from, f.date_to)
    found = _cached(wb, ("claim", key, window, paging.offset, paging.limit), make)
    if found is None:
        raise HTTPException(404, f"no claim {key!r} in the stories read")
    return found


@router.get("/claims", include_in_schema=False, response_class=HTMLResponse)
def claims_page(request: Request, wb: WB, f: Params, paging: Paging) -> HTMLResponse:
    found = _read(wb, f, paging)
    params = f.params()
    api = _suffix(params)
    return render(request, "claims.html", found=found, f=f, params=params, api=api, paging=paging,
                  statuses=model.STATUSES, sorts=model.SORTS, wq=_suffix(_window(f)))  # fmt: skip


@router.get("/api/claims", tags=["api"], summary="Numeric claims across articles: repeated, revised or dropped")
def api_claims(wb: WB, f: Params, paging: Paging, format: Annotated[Format, Query()] = Format.json) -> Response:
    found = _read(wb, f, paging)
    return listing([c.to_dict() for c in found.items], paging, format, name="claims", total=found.total,
                   extra={"as_of": found.as_of, "statements": found.statements})  # fmt: skip


# Declared after /claims: a key may hold any character, "/" too, hence the path convertor.
@router.get("/claims/{key:path}", include_in_schema=False, response_class=HTMLResponse)
def claim_page(request: Request, key: Key, wb: WB, f: Params, paging: Paging) -> HTMLResponse:
    found = _one(wb, key, f, paging)
    window = _window(f)
    return render(request, "claim.html", found=found, c=found.claim, window=window, wq=_suffix(window), paging=paging)


@router.get("/api/claims/{key:path}", tags=["api"], summary="One numeric claim and all its statements, paged")
def api_claim(
    key: Key, wb: WB, f: Params, paging: Paging, format: Annotated[Format, Query()] = Format.json
) -> Response:
    found = _one(wb, key, f, paging)
    return listing([asdict(s) for s in found.claim.statements], paging, format, name="claim", total=found.claim.count,
                   extra={"claim": found.claim.to_dict(statements=False), "as_of": found.as_of})  # fmt: skip
