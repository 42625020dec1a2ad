"""The REST API under /api: JSON (or CSV with ``format=csv``), paged with offset/limit."""

from __future__ import annotations

import io
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import StringConstraints

from ..analytics import elite
from ..analytics import quotations as quotes
from ..analytics.activity_views import VIEWS, stored_rows
from ..analytics.corpus import ArticleRow
from ..ingest import ingest
from ..report import to_json
from ..store import open_store
from .feeds import atom
from .params import Format, Page, capped_body, listing, page, paged, search_params, workbench
from .security import require_token
from .service import SearchParams, Workbench
from .views import entity_detail

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])
WB = Annotated[Workbench, Depends(workbench)]
Paging = Annotated[Page, Depends(page)]
Fmt = Annotated[Format, Query(description="json or csv")]
Unit = Annotated[str, Query(pattern="^(month|year)$", description="month or year")]
# A repeatable parameter's max_length on the list bounds how many values it takes; the length of
# each value is bounded by the item type (Query(max_length=200) on a list[str] let 100 KB through).
Term = Annotated[str, StringConstraints(max_length=200)]
Kind = Annotated[str, StringConstraints(max_length=100)]
MAX_REPEATS = 20  # values of one repeatable parameter: each trend term is a full-text search


@router.get("/search", summary="Full-text search with filters, and facets when asked")
def api_search(
    wb: WB, p: Annotated[SearchParams, Depends(search_params)], format: Fmt = Format.json,
    facets: Annotated[bool, Query(description="count the newest matches (`faceted` of them, at most the "
                                  "server's facet_sample) by outlet, year, language, person, activity kind "
                                  "and technique (`facets` in the answer)")] = False,
) -> Response:
    facets = facets and format is Format.json  # a CSV holds the hits alone
    result = wb.search(p, with_facets=facets)
    extra: dict[str, Any] = {"capped": result.capped}
    if facets:
        extra["faceted"] = result.faceted  # the newest of ``total`` that the facets count
        extra["facets"] = {f.name: [{"value": v, "label": lbl, "hits": n} for v, lbl, n in f.values]
                           for f in result.facets}  # fmt: skip
    return listing(
        [h.to_dict() for h in result.hits], Page(p.offset, p.limit), format, name="search", total=result.total,
        extra=extra,
    )


@router.get("/search.atom", summary="An Atom feed of a saved search (same parameters as /api/search)")
def api_search_atom(request: Request, wb: WB, p: Annotated[SearchParams, Depends(search_params)]) -> Response:
    hits = wb.feed(p)  # the hits alone: a feed shows no total and no facets
    body = atom(hits, title=f"statemedia: {p.q}", self_url=str(request.url), base_url=str(request.base_url))
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/articles", summary="Articles, newest first")
def api_articles(
    wb: WB, paging: Paging, outlet: str | None = None, language: str | None = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None, format: Fmt = Format.json,
) -> Response:
    corpus = wb.corpus
    docs, total = corpus.newest(limit=paging.limit, offset=paging.offset, outlet=outlet, language=language, year=year)
    pks = [d.text_pk for d in docs]
    persons, kinds, techniques = corpus.persons(pks), corpus.labels(pks, "kind"), corpus.labels(pks, "technique")
    rows = [
        {"id": d.id, "title": d.title, "outlet": d.outlet, "published": d.published, "language": d.language,
         "persons": sorted(persons.get(d.text_pk, ())), "kinds": sorted(kinds.get(d.text_pk, ())),
         "techniques": sorted(techniques.get(d.text_pk, ()))}
        for d in docs
    ]
    return listing(rows, paging, format, name="articles", total=total)


@router.get("/articles/{doc_id:path}/diff", summary="What changed between two versions")
def api_diff(
    wb: WB, doc_id: str, old: Annotated[int | None, Query(ge=1)] = None,
    new: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    diff = wb.diff(doc_id, old, new)
    if diff is None:
        raise HTTPException(404, f"no article with id {doc_id!r}")
    return {"id": diff.id, "old": diff.old, "new": diff.new, "unified": diff.unified,
            "words": [{"op": op, "text": text} for op, text in diff.words]}


@router.get("/articles/{doc_id:path}", summary="One article's analysis (the documented JSON result)")
def api_article(wb: WB, doc_id: str, version: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
    view = wb.article(doc_id, version)
    if view is None:
        raise HTTPException(404, f"no article with id {doc_id!r}" + (f" and version {version}" if version else ""))
    out = to_json(view.doc)
    out["versions"] = [vars(v) for v in view.versions]
    out["duplicates"] = [d if isinstance(d, str) else d.id for d in view.duplicates]
    return out


@router.get("/activities", summary="Leader activities: log, calendar, gaps, monthly counts, elite ranking, movers")
def api_activities(
    wb: WB, paging: Paging,
    view: Annotated[str, Query(pattern="^(" + "|".join(VIEWS) + ")$")] = "log",
    leader: str | None = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    kind: Annotated[list[Kind] | None, Query(max_length=MAX_REPEATS)] = None,
    period: Annotated[str, Query(pattern="^(month|quarter|year)$")] = "year",
    roles: Annotated[
        str, Query(max_length=40, description="lists the elite and movers views count: entourage,present,hosts")
    ] = "entourage",
    format: Fmt = Format.json,
) -> Response:
    try:
        counted = elite.parse_roles(roles)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    if view == "log":  # a page of the log: the store orders and cuts it
        total, shown = wb.corpus.activity_log(leader=leader, start=date_from, end=date_to, kinds=kind,
                                             offset=paging.offset, limit=paging.limit)  # fmt: skip
        return listing([a.to_dict() for a in shown], paging, format, name="activities-log", total=total)
    rows = stored_rows(wb.corpus, view, leader=leader, start=date_from, end=date_to, kinds=kind, period=period,
                       gap_days=wb.options.gap_days, roles=counted)  # fmt: skip
    return paged(rows, paging, format, name=f"activities-{view}")


@router.get("/entities", summary="Entities by the number of articles that mention them")
def api_entities(
    wb: WB, paging: Paging, type: Annotated[str | None, Query(max_length=40)] = None, format: Fmt = Format.json
) -> Response:
    return paged(wb.corpus.entity_table(type), paging, format, name="entities")


@router.get("/entities/{entity_id:path}", summary="An entity: mentions over time, co-mentions, co-appearances")
def api_entity(wb: WB, entity_id: str, unit: Unit = "month") -> dict[str, Any]:
    if wb.corpus.entity(entity_id) is None:
        raise HTTPException(404, f"no entity with id {entity_id!r}")
    return entity_detail(wb.corpus, entity_id, unit=unit, top=wb.options.co_appearances,
                         recent=wb.options.entity_articles, sample=wb.options.co_mention_sample)


@router.get("/quantities", summary="Quantities claimed in the articles")
def api_quantities(
    wb: WB, paging: Paging, unit: str | None = None, counted: str | None = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None, format: Fmt = Format.json,
) -> Response:
    def row(art: ArticleRow, a: dict[str, Any], text: str) -> dict[str, Any]:
        return {"doc_id": art.id, "published": art.published.isoformat() if art.published else None,
                "value": a.get("value"), "unit": a.get("unit"), "counted": a.get("counted"),
                "qualifier": a.get("qualifier"), "text": text}

    if unit is None and counted is None:  # one page, counted and cut by the database
        found, total = wb.corpus.spans("quantity", limit=paging.limit, offset=paging.offset, date_from=date_from,
                                       date_to=date_to)
        return listing([row(art, a, text) for art, a, text, _s, _e in found], paging, format, name="quantities",
                       total=total)
    every, _ = wb.corpus.spans("quantity", date_from=date_from, date_to=date_to)
    rows = [row(art, a, text) for art, a, text, _s, _e in every
            if (unit is None or a.get("unit") == unit) and (counted is None or a.get("counted") == counted)]
    return paged(rows, paging, format, name="quantities")


@router.get("/techniques", summary="Persuasion technique spans, with counts by technique")
def api_techniques(
    wb: WB, paging: Paging, technique: str | None = None, format: Fmt = Format.json
) -> Response:
    counts = dict(wb.corpus.label_counts("technique", "technique"))
    if technique is None:
        found, total = wb.corpus.spans("technique", limit=paging.limit, offset=paging.offset)
    else:
        every, _ = wb.corpus.spans("technique")
        found = [s for s in every if s[1].get("technique") == technique]
        total = len(found)
        found = found[paging.offset : paging.offset + paging.limit]
    rows = [
        {"doc_id": art.id, "published": art.published.isoformat() if art.published else None,
         "technique": str(a.get("technique")), "score": float(a["score"]) if a.get("score") is not None else None,
         "text": text}
        for art, a, text, _s, _e in found
    ]
    return listing(rows, paging, format, name="techniques", total=total, extra={"counts": counts})


@router.get("/quotations", summary="Who is quoted saying what, with counts by speaker")
def api_quotations(
    wb: WB, paging: Paging,
    speaker: Annotated[str | None, Query(max_length=200, description="entity id, or words of the name")] = None,
    kind: Annotated[
        list[Kind] | None, Query(max_length=MAX_REPEATS, description="direct, indirect, quoted, title, slogan, scare")
    ] = None,
    contains: Annotated[str | None, Query(max_length=200, description="words the quotation contains")] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None, format: Fmt = Format.json,
) -> Response:
    f = quotes.Filter(speaker, tuple(sorted(set(kind or quotes.SPEECH))), date_from, date_to, contains)
    found = wb.corpus.quotations(f, limit=paging.limit, offset=paging.offset)
    return listing([q.to_dict() for q in found.items], paging, format, name="quotations", total=found.total,
                   extra={"speakers": found.speakers})


@router.get("/trends", summary="Articles per period mentioning terms or people")
def api_trends(
    wb: WB, paging: Paging,
    term: Annotated[
        list[Term] | None, Query(max_length=MAX_REPEATS, description="a word or phrase (repeatable, 200 characters)")
    ] = None,
    person: Annotated[
        list[Term] | None, Query(max_length=MAX_REPEATS, description="entity name or id (repeatable, 200 characters)")
    ] = None,
    unit: Unit = "month",
    share: Annotated[bool, Query(description="per 1,000 articles of the period")] = False,
    format: Fmt = Format.json,
) -> Response:
    if not term and not person:
        raise HTTPException(400, "give at least one term= or person=")
    series = wb.trend(term or [], person or [], unit, share)
    rows = [
        {"period": p, "series": name, "value": values.get(p, 0)}
        for name, values in series.items()
        for p in wb.periods(unit)
    ]
    return paged(rows, paging, format, name="trends")


@router.post(
    "/ingest", summary="Ingest JSON Lines records (needs the operator's token)", dependencies=[Depends(require_token)]
)
async def api_ingest(
    request: Request, wb: WB, analyze: Annotated[bool, Query(description="run the analysis pipeline")] = True,
) -> dict[str, Any]:
    body = await capped_body(request, wb.options.max_upload_bytes, "[web] max_upload_bytes")
    if not body.strip():
        raise HTTPException(400, "empty body: send JSON Lines records (id, title, body, date, outlet, ...)")
    return await run_in_threadpool(_ingest, wb, body, analyze)


def _ingest(wb: Workbench, body: bytes, analyze: bool) -> dict[str, Any]:
    rejects = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="statemedia-upload-") as tmp:
        path = Path(tmp) / "upload.jsonl"
        path.write_bytes(body)
        # A connection of its own: the request connection keeps serving reads meanwhile.
        store = open_store(wb.db_path, wb.config)
        try:
            summary = ingest(store, [path], analyze=analyze, config=wb.config, rejects=rejects)
        finally:
            store.close()
        # The client sent a body, not a file: a reject names its line of the upload, never the
        # server's temporary path.
        located = rejects.getvalue().replace(str(path), "upload")
    return {"summary": summary.as_dict(), "rejects": [json.loads(line) for line in located.splitlines()]}
