"""The server-rendered pages: home, search, article, pasted article, activities, trends, entities."""

from __future__ import annotations

from collections import Counter
from datetime import date
from importlib import resources
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from ..analytics import elite
from ..analytics.activities import calendar
from ..analytics.activity_views import gaps
from ..model import Document
from . import charts
from .highlight import LAYERS, highlighted, layer_counts, snippet_html
from .params import Page as Paging
from .params import capped_body, page, search_params, workbench
from .service import SearchParams, Workbench
from .views import entity_detail

__all__ = ["router", "templates"]


def qs(params: dict[str, Any], **changes: Any) -> str:
    """``?a=1&b=2`` from ``params`` with ``changes`` applied (``None`` drops a key)."""
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")}, doseq=True)


def compact_diff(words: list[tuple[str, str]], context: int = 120) -> list[tuple[str, str]]:
    """Word diff with long unchanged runs cut to ``context`` characters either side of a change."""
    out: list[tuple[str, str]] = []
    for i, (op, text) in enumerate(words):
        if op == "=" and len(text) > 2 * context + 20:
            head = text[:context] if i > 0 else ""
            tail = text[-context:] if i < len(words) - 1 else ""
            text = f"{head} … {tail}"
        out.append((op, text))
    return out


def _environment() -> Environment:
    folder = str(resources.files("statemedia.web").joinpath("templates"))
    env = Environment(loader=FileSystemLoader(folder), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(qs=qs, snippet_html=snippet_html, compact_diff=compact_diff, LAYERS=LAYERS)
    # Ids may be URLs: quote every character that could end a path segment.
    env.filters["pathq"] = lambda v: quote(str(v), safe="")
    return env


templates = Jinja2Templates(env=_environment())
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
WB = Annotated[Workbench, Depends(workbench)]


def render(request: Request, name: str, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context)


@router.get("/")
def home(request: Request, wb: WB) -> HTMLResponse:
    corpus = wb.corpus
    outlets = corpus.values("outlet")
    years = corpus.by_period("year")
    articles = corpus.articles()
    if sum(years.values()) < articles:  # stories without a date
        years["—"] = articles - sum(years.values())
    monthly = corpus.by_period("month")
    chart = charts.bars(monthly, sorted(monthly), label="articles by month", height=160)
    leaders = wb.leaders()
    return render(
        request, "home.html", chart=chart, articles=articles, outlets=outlets.most_common(),
        years=sorted(years.items()), people=corpus.entity_table("PERSON")[:15],
        recent=corpus.newest(limit=15)[0], leaders=leaders[:5], activities=sum(n for _, n in leaders),
    )


@router.get("/search")
def search_page(request: Request, wb: WB, p: Annotated[SearchParams, Depends(search_params)]) -> HTMLResponse:
    result = wb.search(p) if p.q else None
    params = {"q": p.q, **p.filters()}
    return render(request, "search.html", p=p, result=result, params=params, api=qs(params))


@router.get("/articles/{doc_id:path}")
def article_page(
    request: Request, wb: WB, doc_id: str, version: Annotated[int | None, Query(ge=1)] = None
) -> HTMLResponse:
    view = wb.article(doc_id, version)
    if view is None:
        raise HTTPException(404, f"no article with id {doc_id!r}")
    doc = view.doc
    safe_url = doc.url if doc.url and doc.url.lower().startswith(("http://", "https://")) else None
    return render(request, "article.html", view=view, doc=doc, safe_url=safe_url, **_findings(doc))


def _findings(doc: Document) -> dict[str, Any]:
    """What _layers.html and _findings.html show of an analysed document."""
    entities: dict[str, dict[str, Any]] = {}
    for ann in doc.spans("entity"):
        e = entities.setdefault(
            str(ann.attrs.get("id")), {"name": ann.attrs.get("name"), "type": ann.attrs.get("type"), "n": 0}
        )
        e["n"] += 1
    return {
        "text": highlighted(doc), "counts": layer_counts(doc),
        "entities": sorted(entities.items(), key=lambda kv: -kv[1]["n"]),
        "events": list(doc.spans("event")), "quantities": list(doc.spans("quantity")),
        "quotations": [q for q in doc.spans("quote") if q.attrs.get("kind") in _SHOWN_QUOTES],
        "techniques": list(doc.spans("technique")),
    }


# The side panel lists speech; titles and scare quotes stay visible as highlights in the text.
_SHOWN_QUOTES = ("direct", "indirect", "quoted")


@router.get("/analyze")
def analyze_form(request: Request) -> HTMLResponse:
    return render(request, "analyze.html", doc=None, form={})


@router.post("/analyze")
async def analyze_pasted(request: Request, wb: WB) -> HTMLResponse:
    """Analyse a pasted article (a form post) and show it; nothing is stored."""
    limit = wb.options.max_paste_chars
    # A form encodes a character in at most 9 bytes (%E3%81%82): the body is read no further.
    body = await capped_body(request, 9 * limit + 4096, f"[web] max_paste_chars = {limit:,} characters of text")
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", errors="replace")).items()}
    text = form.get("text", "")
    if len(text) > limit:
        raise HTTPException(
            413, f"the pasted text of {len(text):,} characters is over the limit of {limit:,} ([web] max_paste_chars)"
        )
    if not text.strip():
        raise HTTPException(422, "paste the text of an article")
    try:
        published = date.fromisoformat(form["date"]) if form.get("date") else None
    except ValueError:
        raise HTTPException(422, f"date {form['date']!r} is not YYYY-MM-DD") from None
    doc = await run_in_threadpool(wb.analyze, text, title=form.get("title") or None, published=published)
    return render(request, "analyze.html", doc=doc, form=form, **_findings(doc))


@router.get("/activities")
def activities_page(
    request: Request, wb: WB,
    leader: str | None = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    kind: str | None = None,
    period: Annotated[str, Query(pattern="^(month|quarter|year)$")] = "quarter",
) -> HTMLResponse:
    leaders = wb.leaders()
    chosen = leader or (leaders[0][0] if leaders else None)
    kinds = [kind] if kind else None
    # The log shows the newest of the activities, read as a page; the timeline, the calendar and
    # the gaps draw every dated one, read without their protocol lists.
    total, newest = wb.corpus.activity_log(leader=chosen, start=date_from, end=date_to, kinds=kinds,
                                           limit=wb.options.activity_log_rows, newest_first=True)  # fmt: skip

    def draw() -> tuple[Markup, list[Markup], int, list[dict[str, Any]]]:
        dated = wb.corpus.seen(leader=chosen, start=date_from, end=date_to, kinds=kinds)
        timeline = charts.timeline(
            [(a.day, a.kind, f"{a.day}: {a.kind} — {a.target or a.title or ''}") for a in dated],
            sorted({a.kind for a in dated}), label=f"activities of {chosen}",
        )
        seen = calendar(dated)
        spells = gaps(seen, wb.options.gap_days)
        starts = {date.fromisoformat(g["seen_again"]): int(g["gap_days"]) for g in spells}
        counts = Counter(a.day for a in seen)
        years = sorted({d.year for d in counts})
        drawn = years[-wb.options.calendar_years :]
        calendars = [charts.calendar_year(y, counts, starts, label=f"{chosen} appearances {y}") for y in drawn]
        return timeline, calendars, len(years) - len(drawn), spells

    # Drawn once per change of the corpus: a leader's decades of activities are tens of thousands of dots.
    timeline, calendars, years_left, spells = wb.kept(("activity-charts", chosen, date_from, date_to, kind), draw)
    standings = wb.corpus.ranking(leader=chosen, start=date_from, end=date_to, kinds=kinds, period=period)
    latest = max((s.period for s in standings), default=None)
    moves = [m for m in elite.movers(standings) if m.after == latest and m.change]
    return render(
        request, "activities.html", leaders=leaders, leader=chosen, kind=kind, period=period,
        date_from=date_from, date_to=date_to, kinds=wb.corpus.activity_kinds(),
        total=total, newest=newest, timeline=timeline, years_left=years_left, calendars=calendars,
        gaps=spells, gap_days=wb.options.gap_days,
        ranking=[s for s in standings if s.period == latest][:30], latest=latest,
        risers=sorted(moves, key=lambda m: -(m.change or 0))[:10],
        fallers=sorted(moves, key=lambda m: m.change or 0)[:10],
    )


@router.get("/trends")
def trends_page(
    request: Request, wb: WB,
    terms: Annotated[str, Query(max_length=500, description="comma-separated words or phrases")] = "",
    persons: Annotated[str, Query(max_length=500, description="comma-separated names or ids")] = "",
    unit: Annotated[str, Query(pattern="^(month|year)$")] = "month",
    share: bool = False,
) -> HTMLResponse:
    term_list = [t.strip() for t in terms.split(",") if t.strip()]
    person_list = [t.strip() for t in persons.split(",") if t.strip()]
    chart = None
    series: dict[str, dict[str, float]] = {}
    periods = wb.periods(unit)
    if term_list or person_list:
        series = wb.trend(term_list, person_list, unit, share)
        label = "per 1,000 articles" if share else "articles"
        chart = charts.lines(series, periods, label=f"{', '.join(series)}: {label} by {unit}")
    api = qs({"term": term_list, "person": person_list, "unit": unit, "share": "true" if share else None})
    # The table's rows here: a thousand months' cells looked up in the template cost more than the rest.
    rows = [(p, [values.get(p, 0) for values in series.values()]) for p in periods] if chart else []
    return render(request, "trends.html", terms=terms, persons=persons, unit=unit, share=share, chart=chart,
                  series=series, rows=rows, api=api)


@router.get("/entities")
def entities_page(
    request: Request, wb: WB, paging: Annotated[Paging, Depends(page)],
    type: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    table = wb.corpus.entity_table(type or None)
    types = wb.corpus.entity_types()
    return render(request, "entities.html", rows=paging.slice(table), total=len(table), paging=paging,
                  type=type, types=types)


@router.get("/entities/{entity_id:path}")
def entity_page(request: Request, wb: WB, entity_id: str) -> HTMLResponse:
    if wb.corpus.entity(entity_id) is None:
        raise HTTPException(404, f"no entity with id {entity_id!r}")
    detail = entity_detail(wb.corpus, entity_id, unit="month", top=wb.options.co_appearances,
                           recent=wb.options.entity_articles, sample=wb.options.co_mention_sample)
    chart = charts.bars(detail["series"], wb.periods("month"), label=f"articles mentioning {detail['name']} by month")
    return render(request, "entity.html", e=detail, chart=chart)
