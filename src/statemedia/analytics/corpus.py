"""Corpus views answered by the store: counts, facets, entities, trends, activities and the
lists of quantities, techniques and quotations, each one query per request (the activities'
queries: analytics/stored_activities.py).

This is the read model the web pages and the API share (the CLI reads the same tables). It
keeps no per-story state: the store's per-text tables (``text_entities`` with mentions,
``text_labels``, ``text_activities``; migrations/004_corpus_views.sql) are kept by the write
path, so a story stored a moment ago shows on the next request. Corpus-wide totals that every
page shows (articles per period, the entity table) are cached until the store's article or
version count changes: a few kB, not a copy of the corpus; so are each term's days and each
entity's page parts, apart (``_part``). SQL is the shared dialect both
stores run (``Store.query``); current versions are found through ``articles.current_pk``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..store import Query, Store
from ..store.readers import Readers
from . import entity_reads as entities
from . import quotations as quotes
from . import stored_activities as stored
from ._columns import marks, stored_day, stored_json
from ._results import Results
from .activities import Activity, Seen
from .elite import DEFAULT_ROLES, Standing

__all__ = ["ArticleRow", "Corpus", "fold_periods", "period_key"]

# Results kept between changes of the corpus: the corpus-wide totals and the activity lists of
# the last few filters (a leader's activities are what the activity pages and the entity pages ask).
_CACHED = 32
# Results of one term or entity (its days, co-mentions, newest articles): apart from the totals,
# which the pages of many terms and entities would otherwise push out. A few kB each.
_PARTS = 256

# The current version of every article.
CURRENT = "articles a JOIN documents d ON d.doc_pk = a.current_pk"


def period_key(day: date, unit: str) -> str:
    """``2012-05`` (month) or ``2012`` (year)."""
    return f"{day:%Y-%m}" if unit == "month" else str(day.year)


def _phrase(term: str) -> str | None:
    """The FTS phrase of a trend's term: its words in order, quoted; None when it has none."""
    words = term.replace('"', " ").split()
    return '"' + " ".join(words) + '"' if words else None


def _year_of(months: Counter[str]) -> Counter[str]:
    """Counts by ``YYYY-MM`` summed by year (``period_key``'s ``YYYY``)."""
    years: Counter[str] = Counter()
    for month, n in months.items():
        years[month[:4]] += n
    return years


def fold_periods(days: Iterable[tuple[date | None, int]], unit: str) -> Counter[str]:
    """Counts by day (None: undated, left out) summed by ``period_key``. Days are summed by year
    and month first and each period named once: naming one (strftime) costs more than a day's row."""
    months: Counter[tuple[int, int]] = Counter()
    for day, n in days:
        if day is not None:
            months[day.year, day.month] += n
    out: Counter[str] = Counter()
    for (year, month), n in months.items():
        out[period_key(date(year, month, 1), unit)] += n
    return out


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """What listings show of one article (its current version)."""

    id: str
    title: str | None
    outlet: str | None
    published: date | None
    language: str | None
    text_pk: int = 0

    @property
    def year(self) -> str | None:
        return str(self.published.year) if self.published else None


# One annotation across the corpus: its article, attributes, covered text, start and end.
Span = tuple[ArticleRow, dict[str, Any], str, int, int]


class Corpus:
    """The read model over one store."""

    def __init__(self, store: Store, readers: Readers | None = None) -> None:
        # Each query takes a connection of ``readers`` (the web's request threads read side by
        # side); without, the store's one connection serves one query at a time.
        self._readers = readers or Readers(store, 1)
        self._results = Results(_CACHED)
        self._parts = Results(_PARTS)
        # Entities' co-appearances (a few people each): apart, so entity pages don't push totals out.
        self._shared = Results(_CACHED)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._readers.reading() as store:
            return store.query(sql, params)

    def _cached(self, name: str, make: Any) -> Any:
        """A corpus-wide result, computed by the database once per change of the corpus: a new
        version (the newest document key) or a finished ingest or re-analysis run (its key and end).
        Three index look-ups, where counting a million articles takes a scan. Results of a few
        filters each (activities) are kept for the last few filters asked."""
        return self._results.get(self.state(), name, make)

    def state(self) -> tuple[Any, ...]:
        """The state of the corpus that cached results are kept for (see ``_cached``)."""
        return tuple(
            self._rows(
                "SELECT (SELECT max(doc_pk) FROM documents), (SELECT max(run_pk) FROM runs), "
                "(SELECT finished_at FROM runs WHERE run_pk = (SELECT max(run_pk) FROM runs))"
            )[0]
        )

    # --- articles -------------------------------------------------------------------------
    def articles(self) -> int:
        count: int = self._cached("articles", lambda: int(self._rows("SELECT count(*) FROM articles")[0][0]))
        return count

    def _days(self) -> list[tuple[date, int]]:
        rows = self._rows(
            f"SELECT d.published, count(*) FROM {CURRENT} WHERE d.published IS NOT NULL GROUP BY d.published"
        )
        return [(day, int(n)) for value, n in rows if (day := stored_day(value)) is not None]

    def by_period(self, unit: str) -> Counter[str]:
        """Articles per month or year of publication."""
        counts: Counter[str] = self._cached(f"period:{unit}", lambda: fold_periods(self._days(), unit))
        return counts

    def values(self, column: str) -> Counter[str]:
        """Articles per outlet or language."""
        if column not in ("outlet", "language"):
            raise ValueError(column)
        rows = self._cached(
            column, lambda: self._rows(f"SELECT d.{column}, count(*) FROM {CURRENT} GROUP BY d.{column}")
        )
        return Counter({str(v or "—"): int(n) for v, n in rows})

    def newest(
        self,
        *,
        limit: int,
        offset: int = 0,
        outlet: str | None = None,
        language: str | None = None,
        year: int | None = None,
    ) -> tuple[list[ArticleRow], int]:
        """Articles newest first (one page) and how many there are."""
        where, params = ["1 = 1"], []
        for column, value in (("outlet", outlet), ("language", language)):
            if value is not None:
                where.append(f"d.{column} = ?")
                params.append(value)
        if year is not None:
            where.append("d.published >= ? AND d.published <= ?")
            params += [f"{year:04d}-01-01", f"{year:04d}-12-31"]
        cond = " AND ".join(where)
        if params:
            total = int(self._rows(f"SELECT count(*) FROM {CURRENT} WHERE {cond}", params)[0][0])
        else:
            total = self.articles()
        rows = self._rows(
            f"SELECT d.doc_id, d.title, d.outlet, d.published, d.language, d.text_pk FROM {CURRENT} WHERE {cond} "
            "ORDER BY d.published DESC, d.doc_id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [self._article(r) for r in rows], total

    @staticmethod
    def _article(row: Sequence[Any]) -> ArticleRow:
        return ArticleRow(str(row[0]), row[1], row[2], stored_day(row[3]), row[4], int(row[5]))

    def info(self, doc_ids: Sequence[str]) -> dict[str, ArticleRow]:
        """The current version of each of these articles, by id."""
        out: dict[str, ArticleRow] = {}
        for i in range(0, len(doc_ids), 500):
            chunk = list(doc_ids[i : i + 500])
            for row in self._rows(
                f"SELECT d.doc_id, d.title, d.outlet, d.published, d.language, d.text_pk FROM {CURRENT} "
                f"WHERE d.doc_id IN ({marks(len(chunk))})",
                chunk,
            ):
                out.setdefault(str(row[0]), self._article(row))
        return out

    def labels(self, text_pks: Sequence[int], facet: str) -> dict[int, set[str]]:
        """Activity kinds (``facet="kind"``) or techniques of each of these texts."""
        out: dict[int, set[str]] = {}
        for i in range(0, len(text_pks), 500):
            chunk = list(text_pks[i : i + 500])
            for pk, value in self._rows(
                f"SELECT text_pk, value FROM text_labels WHERE facet = ? AND text_pk IN ({marks(len(chunk))})",
                [facet, *chunk],
            ):
                out.setdefault(int(pk), set()).add(str(value))
        return out

    def persons(self, text_pks: Sequence[int]) -> dict[int, set[str]]:
        out: dict[int, set[str]] = {}
        for i in range(0, len(text_pks), 500):
            chunk = list(text_pks[i : i + 500])
            for pk, eid in self._rows(
                "SELECT text_pk, entity_id FROM text_entities "
                f"WHERE type = 'PERSON' AND text_pk IN ({marks(len(chunk))})",
                chunk,
            ):
                out.setdefault(int(pk), set()).add(str(eid))
        return out

    # --- entities -------------------------------------------------------------------------
    def entity(self, entity_id: str) -> tuple[str, str] | None:
        rows = self._rows("SELECT name, type FROM text_entities WHERE entity_id = ? LIMIT 1", [entity_id])
        return (str(rows[0][0]), str(rows[0][1])) if rows else None

    def names(self, entity_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        return {eid: found for eid in dict.fromkeys(entity_ids) if (found := self.entity(eid)) is not None}

    def entity_ids(self, name_or_id: str) -> set[str]:
        """Ids of the entity with this id, or named so (any case)."""
        if self.entity(name_or_id) is not None:
            return {name_or_id}
        rows = self._rows("SELECT DISTINCT entity_id FROM text_entities WHERE lower(name) = lower(?)", [name_or_id])
        return {str(r[0]) for r in rows}

    def entity_table(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Entities by the number of articles that mention them."""
        table: list[dict[str, Any]] = self._cached("entities", lambda: entities.table(self._rows))
        return [row for row in table if kind is None or row["type"] == kind]

    def entity_types(self) -> list[str]:
        return sorted({r["type"] for r in self.entity_table() if r["type"]})

    def _part(self, name: Hashable, make: Callable[[], Any]) -> Any:
        """One term's or entity's result, kept until the corpus changes among the last ``_PARTS``
        asked: the page, its API twin and the trend of the same name, by month or year, as counts
        or shares, ask the same, and at 1M a broad term's days or a leader's page parts each cost a
        query that counts (docs/workbench.md, "Measured")."""
        return self._parts.get(self.state(), name, make)

    def entity_days(self, entity_ids: Iterable[str]) -> Counter[date | None]:
        """Articles mentioning any of these entities by day of publication (None: undated): one
        pass over their mentions, which an entity page folds into its total, series and newest."""
        ids = sorted(set(entity_ids))
        days: Counter[date | None] = self._part(("days", *ids), lambda: entities.entity_days(self._rows, ids))
        return Counter(days)  # a copy: the kept one is shared by every thread

    def entity_series(self, entity_ids: Iterable[str], unit: str) -> Counter[str]:
        """Articles mentioning any of these entities, by period of publication (kept, as a term's)."""
        ids = sorted(set(entity_ids))
        make = lambda: fold_periods(self.entity_days(ids).items(), unit)  # noqa: E731
        return Counter(self._part(("entity-series", unit, *ids), make))

    def co_mentions(
        self, entity_id: str, top: int, sample: int, days: Counter[date | None]
    ) -> list[tuple[str, int]]:
        """Other entities by the number of articles they share with this one among its newest
        ``sample`` articles; ``days``: its ``entity_days``, which bound the articles read."""
        since = entities.newest_since(sample, days)
        make = lambda: entities.co_mentions(self._rows, entity_id, top, sample, since)  # noqa: E731
        return list(self._part(("co-mentions", entity_id, top, sample, since), make))

    def entity_articles(self, entity_id: str, limit: int, days: Counter[date | None]) -> list[tuple[ArticleRow, int]]:
        """The newest ``limit`` articles mentioning the entity, with its mentions in each; ``days``:
        its ``entity_days``, which bound the articles read (entity_reads.newest_since)."""
        since = entities.newest_since(limit, days)

        def make() -> list[tuple[ArticleRow, int]]:
            return [(self._article(r), int(r[6])) for r in entities.newest_rows(self._rows, entity_id, limit, since)]

        return list(self._part(("newest", entity_id, limit, since), make))

    # --- trends ---------------------------------------------------------------------------
    def term_series(self, term: str, unit: str) -> Counter[str]:
        """Articles whose title or text holds the words of ``term`` in order (any case), by month or
        year of publication. A term's matches are counted by month by the store once and kept (by
        day, a broad term had a row for most days of the corpus, tens of thousands at 1M stories,
        which took longer to sum in Python than to count); a year is the sum of its months."""
        phrase = _phrase(term)
        if phrase is None:
            return Counter()

        def make() -> Counter[str]:
            with self._readers.reading() as store:
                return Counter(dict(store.match_months(Query(phrase))))

        months: Counter[str] = self._part(("term-months", phrase), make)
        if unit == "month":
            return Counter(months)
        return Counter(_year_of(months))

    # --- activities -----------------------------------------------------------------------
    def _filtered(
        self, view: str, leader: str | None, start: date | None, end: date | None, kinds: Iterable[str] | None,
        read: Callable[[list[str]], Any],
    ) -> Any:
        """One activity view of these filters (``read`` takes the kinds, sorted), kept as ``_cached``."""
        wanted = sorted(kinds or ())
        return self._cached(f"{view}:{leader}:{start}:{end}:{','.join(wanted)}", lambda: read(wanted))

    def activities(
        self,
        *,
        leader: str | None = None,
        start: date | None = None,
        end: date | None = None,
        kinds: Iterable[str] | None = None,
    ) -> list[Activity]:
        """Leader activities of the current versions, in date order; filters as ``select``."""
        acts: list[Activity] = self._filtered(
            "activities", leader, start, end, kinds, lambda w: stored.activities(self._rows, leader, start, end, w)
        )
        return acts

    def seen(
        self, *, leader: str | None = None, start: date | None = None, end: date | None = None,
        kinds: Iterable[str] | None = None,
    ) -> list[Seen]:
        """The dated ones of ``activities(...)`` as calendars and timelines read them (kept as they are)."""
        found: list[Seen] = self._filtered(
            "seen", leader, start, end, kinds, lambda w: stored.seen(self._rows, leader, start, end, w)
        )
        return found

    def monthly(
        self, *, leader: str | None = None, start: date | None = None, end: date | None = None,
        kinds: Iterable[str] | None = None,
    ) -> dict[str, dict[str, Counter[str]]]:
        """``activities.monthly_counts`` of ``activities(...)``, counted by the store."""
        found: dict[str, dict[str, Counter[str]]] = self._filtered(
            "monthly", leader, start, end, kinds, lambda w: stored.monthly(self._rows, leader, start, end, w)
        )
        return found

    def activity_log(
        self, *, leader: str | None = None, start: date | None = None, end: date | None = None,
        kinds: Iterable[str] | None = None, offset: int = 0, limit: int, newest_first: bool = False,
    ) -> tuple[int, list[Activity]]:
        """How many activities ``activities`` gives, and one page of them (``newest_first``: from
        the newest): only the page's activities are read, however many the leader has."""
        wanted = sorted(kinds or ())

        def make() -> list[Activity]:
            return stored.activities(self._rows, leader, start, end, wanted, offset=offset, limit=limit,
                                     newest_first=newest_first)  # fmt: skip

        # The count once for every page of the same filters.
        total: int = self._part(("activity-count", leader, start, end, *wanted),
                                lambda: stored.count(self._rows, leader, start, end, wanted))  # fmt: skip
        page: list[Activity] = self._part(("activity-log", leader, start, end, *wanted, offset, limit, newest_first),
                                          make)  # fmt: skip
        return total, page

    def ranking(
        self, *, leader: str | None = None, start: date | None = None, end: date | None = None,
        kinds: Iterable[str] | None = None, period: str = "year", top: int | None = None,
        roles: Sequence[str] = DEFAULT_ROLES,
    ) -> list[Standing]:  # fmt: skip
        """``elite.ranking`` of ``activities(...)`` (same filters), counted by the store; kept as they are."""
        wanted = sorted(kinds or ())
        key = f"ranking:{leader}:{start}:{end}:{','.join(wanted)}:{period}:{top}:{','.join(roles)}"
        standings: list[Standing] = self._cached(key, lambda: stored.ranking(
            self._rows, leader=leader, start=start, end=end, wanted=wanted, period=period, top=top, roles=roles
        ))  # fmt: skip
        return standings

    def network(
        self, *, leader: str | None = None, start: date | None = None, end: date | None = None,
        kinds: Iterable[str] | None = None, roles: Sequence[str] = DEFAULT_ROLES,
    ) -> list[dict[str, Any]]:
        """``elite.network`` of ``activities(...)`` (same filters), counted by the store; kept as it is."""
        edges: list[dict[str, Any]] = self._filtered(
            f"network:{','.join(roles)}", leader, start, end, kinds,
            lambda w: stored.network(self._rows, leader, start, end, w, roles),
        )
        return edges

    def co_appearances(self, entity_id: str, top: int) -> list[tuple[str, str, int]]:
        """The people most often in the same leader activities as this entity (stored_activities)."""
        make = lambda: stored.co_appearances(self._rows, entity_id, top)  # noqa: E731
        shared: list[tuple[str, str, int]] = self._shared.get(self.state(), f"{entity_id}\n{top}", make)
        return shared

    def leaders(self) -> list[tuple[str, int]]:
        """Leaders by number of activities (the name as stories give it); every activity page asks."""
        found: list[tuple[str, int]] = self._cached("leaders", lambda: stored.leaders(self._rows))
        return found

    def activity_kinds(self) -> list[str]:
        found: list[str] = self._cached("activity-kinds", lambda: stored.kinds(self._rows))
        return found

    # --- layers across the corpus -----------------------------------------------------------
    def spans(
        self,
        label: str,
        *,
        limit: int | None = None,
        offset: int = 0,
        date_from: date | None = None,
        date_to: date | None = None,
    ) -> tuple[list[Span], int]:
        """Annotations of ``label`` in the current versions (one page of them with ``limit``), with
        their articles and covered texts, newest article first; and how many there are."""
        where, params = ["n.label = ?"], [label]
        for bound, op in ((date_from, ">="), (date_to, "<=")):
            if bound is not None:
                where.append(f"d.published {op} ?")
                params.append(bound.isoformat())
        cond = " AND ".join(where)
        joined = f"{CURRENT} JOIN annotations n ON n.text_pk = d.text_pk"

        def count() -> int:
            return int(self._rows(f"SELECT count(*) FROM {joined} WHERE {cond}", params)[0][0])

        total: int = count() if len(params) > 1 else self._cached(f"span-count:{label}", count)
        page = " LIMIT ? OFFSET ?" if limit is not None else ""
        # Documents newest first, each joined to its article and annotations: written as CROSS JOINs
        # so that SQLite walks the publication-date index and stops after the page, where a plan
        # that starts from the annotations sorts every one of them first (PostgreSQL plans as it likes).
        rows = self._rows(
            "SELECT d.doc_id, d.title, d.outlet, d.published, d.language, d.text_pk, n.attrs, "
            'substr(x.text, n.start + 1, n."end" - n.start), n.start, n."end" '
            "FROM documents d CROSS JOIN articles a CROSS JOIN annotations n CROSS JOIN texts x "
            f"WHERE a.current_pk = d.doc_pk AND n.text_pk = d.text_pk AND x.text_pk = d.text_pk AND {cond} "
            "ORDER BY d.published DESC, d.doc_pk DESC, n.start" + page,
            [*params, *([limit, offset] if limit is not None else [])],
        )
        return [(self._article(r), stored_json(r[6]), str(r[7]), int(r[8]), int(r[9])) for r in rows], total

    def label_counts(self, label: str, attr: str) -> Counter[str]:
        """Annotations of ``label`` in the current versions by the value of one attribute (techniques
        by technique): read once per change of the corpus."""

        def make() -> Counter[str]:
            rows = self._rows(
                f"SELECT n.attrs FROM {CURRENT} JOIN annotations n ON n.text_pk = d.text_pk WHERE n.label = ?", [label]
            )
            return Counter(str(v) for (raw,) in rows if (v := stored_json(raw).get(attr)) is not None)

        counts: Counter[str] = self._cached(f"counts:{label}:{attr}", make)
        return counts

    def quotations(self, f: quotes.Filter, *, limit: int, offset: int = 0) -> quotes.Found:
        """One page of the quotations of the current versions that ``f`` selects, their number and top
        speakers (analytics.quotations): the number and speakers are kept until the corpus changes."""
        total, top = self._cached(f"quotations:{f!r}", lambda: quotes.counts(self._rows, f))
        return quotes.Found(quotes.page(self._rows, f, limit=limit, offset=offset), total, top)
