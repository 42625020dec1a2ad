"""Query parameters shared by pages and API (validated by FastAPI: a bad value is a 422
with a message naming the parameter), and the JSON/CSV responses of listings."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

from ..csv_cells import safe_cell
from .service import SearchParams, Workbench

__all__ = ["Format", "Page", "capped_body", "listing", "page", "paged", "search_params", "workbench"]


class Format(StrEnum):
    json = "json"
    csv = "csv"


def workbench(request: Request) -> Workbench:
    wb: Workbench = request.app.state.workbench
    return wb


async def capped_body(request: Request, limit: int, option: str) -> bytes:
    """The request body, read no further than ``limit`` bytes: a larger one (by its
    Content-Length, or as it streams in without one) is a 413 naming the limit and its option."""
    try:
        declared = int(request.headers.get("content-length") or 0)
    except ValueError:
        raise HTTPException(400, "Content-Length is not a number") from None
    if declared > limit:
        raise HTTPException(413, f"body of {declared:,} bytes is over the limit of {limit:,} bytes ({option})")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"body is over the limit of {limit:,} bytes ({option})")
        chunks.append(chunk)
    return b"".join(chunks)


class Page:
    """``offset`` and ``limit`` of a listing, ``limit`` capped by [web] max_page_size."""

    def __init__(self, offset: int, limit: int) -> None:
        self.offset, self.limit = offset, limit

    def slice(self, rows: Sequence[Any]) -> list[Any]:
        return list(rows[self.offset : self.offset + self.limit])


def page(
    request: Request,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")] = 0,
    limit: Annotated[int | None, Query(ge=1, description="rows per page (at most [web] max_page_size)")] = None,
) -> Page:
    options = workbench(request).options
    if limit is not None and limit > options.max_page_size:
        raise HTTPException(422, f"limit {limit} is over the maximum of {options.max_page_size}")
    return Page(offset, limit or options.page_size)


def search_params(
    request: Request,
    q: Annotated[str, Query(max_length=500, description='FTS5: words, "a phrase", AND/OR/NOT, prefix*')] = "",
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(max_length=20)] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    person: Annotated[str | None, Query(max_length=200, description="entity id or name")] = None,
    kind: Annotated[str | None, Query(max_length=100, description="leader activity kind")] = None,
    technique: Annotated[str | None, Query(max_length=100)] = None,
    date_from: Annotated[date | None, Query(alias="from", description="published on/after YYYY-MM-DD")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="published on/before YYYY-MM-DD")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    limit: Annotated[int | None, Query(ge=1)] = None,
) -> SearchParams:
    if date_from and date_to and date_from > date_to:
        raise HTTPException(422, f"from {date_from} is after to {date_to}")
    paging = page(request, offset, limit)
    return SearchParams(
        q.strip(), outlet or None, language or None, year, person or None, kind or None, technique or None,
        date_from, date_to, paging.offset, paging.limit,
    )


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(_cell(v)) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def listing(
    items: Sequence[Mapping[str, Any]], paging: Page, fmt: Format, *, name: str, total: int,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """One page of rows: JSON ``{items, offset, limit, total, ...}`` or CSV (a header, one line a row)."""
    if fmt is Format.csv:
        buffer = io.StringIO()
        fields = list(dict.fromkeys(k for row in items for k in row)) or ["id"]
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: safe_cell(_cell(v)) for k, v in row.items()} for row in items)
        return Response(
            buffer.getvalue(), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    body = {
        "items": items,
        "offset": paging.offset,
        "limit": paging.limit,
        "total": total,
        **(extra or {}),
    }
    return json_response(body)


def json_response(body: Any) -> Response:
    """``body`` as JSONResponse would send it after ``jsonable_encoder``, written by ``json.dumps``
    with days and datetimes as ISO text and anything else JSON lacks left to ``jsonable_encoder``:
    walking a page of claims (their values and statements) object by object in Python took most of
    /api/claims' time at 1M stories, all of it holding the interpreter (docs/workbench.md)."""
    text = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_json_value)
    return Response(text.encode("utf-8"), media_type="application/json")


def _json_value(value: Any) -> Any:
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return jsonable_encoder(value)


def paged(
    rows: Sequence[Mapping[str, Any]], paging: Page, fmt: Format, *, name: str,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """:func:`listing` of the page ``paging`` picks out of all ``rows``."""
    return listing(paging.slice(rows), paging, fmt, name=name, total=len(rows), extra=extra)
