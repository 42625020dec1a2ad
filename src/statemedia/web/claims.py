"""Numeric claims across articles: the /claims page and /api/claims, both over the one read
model in :mod:`statemedia.analytics.claims`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..analytics import claims as model
from .pages import render
from .params import Format, Page, listing, page, workbench
from .service import Workbench

__all__ = ["router"]

router = APIRouter()
WB = Annotated[Workbench, Depends(workbench)]
Paging = Annotated[Page, Depends(page)]
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


def _read(wb: Workbench, f: Filters, paging: Page) -> model.Claims:
    with wb.reading() as store:
        return model.claims(
            store, counted=f.counted, subject=f.subject, unit=f.unit, outlet=f.outlet, date_from=f.date_from,
            date_to=f.date_to, min_stories=f.min_stories, status=f.status, sort=f.sort, limit=paging.limit,
            offset=paging.offset,
        )


@router.get("/claims", include_in_schema=False, response_class=HTMLResponse)
def claims_page(request: Request, wb: WB, f: Params, paging: Paging) -> HTMLResponse:
    found = _read(wb, f, paging)
    params = f.params()
    api = "?" + urlencode(params) if params else ""
    return render(request, "claims.html", found=found, f=f, params=params, api=api, paging=paging,
                  statuses=model.STATUSES, sorts=model.SORTS)  # fmt: skip


@router.get("/api/claims", tags=["api"], summary="Numeric claims across articles: repeated, revised or dropped")
def api_claims(wb: WB, f: Params, paging: Paging, format: Annotated[Format, Query()] = Format.json) -> Response:
    found = _read(wb, f, paging)
    return listing([c.to_dict() for c in found.items], paging, format, name="claims", total=found.total,
                   extra={"as_of": found.as_of})  # fmt: skip
