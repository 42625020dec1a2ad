"""What the pages and the API both ask of a corpus: one layer, so HTML and JSON never disagree.

A :class:`Workbench` owns the store, read connections to it for the request threads (each read
takes one of its own: :class:`~statemedia.store.readers.Readers`) and the read model over them
(:class:`~statemedia.analytics.corpus.Corpus`): every count, facet and list is a query, so the
process keeps no copy of the corpus and a story stored a moment ago shows on the next request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TypeVar

from ..analysis import analyze_text
from ..analytics import facets
from ..analytics._results import Results
from ..analytics.corpus import ArticleRow, Corpus
from ..config import Config, load_config, options_for
from ..errors import QueryError
from ..model import Document
from ..pipeline import Pipeline
from ..registry import build_pipeline
from ..store import Hit, Query, Store, VersionInfo, open_store
from ..store.diff import VersionDiff, diff_versions
from ..store.readers import Readers
from .options import WebOptions

T = TypeVar("T")
# Page parts drawn from the corpus and kept (``Workbench.kept``): a few leaders' activity pages.
_DRAWN = 16

__all__ = ["ArticleView", "Facet", "SearchParams", "SearchResult", "Workbench"]


@dataclass(frozen=True)
class SearchParams:
    q: str
    outlet: str | None = None
    language: str | None = None
    year: int | None = None
    person: str | None = None
    kind: str | None = None
    technique: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    offset: int = 0
    limit: int = 20

    def filters(self) -> dict[str, str]:
        """The filters set, as query parameters (for facet links and feeds)."""
        out = {
            "outlet": self.outlet,
            "language": self.language,
            "year": str(self.year) if self.year else None,
            "person": self.person,
            "kind": self.kind,
            "technique": self.technique,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class Facet:
    name: str  # the query parameter it sets
    title: str
    values: list[tuple[str, str, int]]  # (value, label, hits)


@dataclass
class SearchResult:
    params: SearchParams
    hits: list[Hit]  # this page
    total: int  # matching articles (copies included) after the kind/technique filters
    capped: bool  # [web] facet_matches were counted: more matches exist beyond them
    facets: list[Facet] = field(default_factory=list)  # none when not asked for
    faceted: int = 0  # the newest of ``total`` that the facets count (at most [web] facet_sample)


@dataclass
class ArticleView:
    doc: Document
    versions: list[VersionInfo]
    diff: VersionDiff | None
    duplicates: list[ArticleRow | str]  # other members of its duplicate group (id when not current)


def _intersect(a: date | None, b: date | None, later: bool) -> date | None:
    if a is None or b is None:
        return a or b
    return max(a, b) if later else min(a, b)


class Workbench:
    """The corpus behind one web app."""

    def __init__(self, db_path: str | Path, config: Config | None = None) -> None:
        self.db_path = str(db_path)
        self.config = config if config is not None else load_config()
        self.options = options_for(WebOptions, self.config, "web")
        # Opened (and migrated) once; requests run in a thread pool and read through connections
        # of their own, opened without a schema check. Writes (ingest, watchlists) open a store.
        self.store: Store = open_store(self.db_path, self.config)
        self._readers = Readers(self.store, self.options.read_connections)
        self.corpus = Corpus(self.store, self._readers)
        self._searches = Results(self.options.search_results)
        self._drawn = Results(_DRAWN)
        # The pipeline for pasted articles (/analyze), built on first use: spaCy and the
        # technique model take seconds to load and most sessions never paste anything.
        self._pipeline: Pipeline | None = None
        self._analysing = threading.Lock()

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """A connection to the store for this thread's reads until the block ends."""
        with self._readers.reading() as store:
            yield store

    def close(self) -> None:
        self._readers.close()
        self.store.close()

    def kept(self, name: Hashable, make: Callable[[], T]) -> T:
        """A page's part drawn from the corpus (charts of a leader's activities), kept until the
        corpus changes among the last few drawn: drawing is most of such a page's time."""
        return self._drawn.get(self.corpus.state(), name, make)

    # --- a pasted article -------------------------------------------------------------------
    def analyze(self, text: str, *, title: str | None = None, published: date | None = None) -> Document:
        """One article analysed by this app's pipeline and not stored. One at a time: the
        pipeline's components are not made for concurrent calls."""
        with self._analysing:
            if self._pipeline is None:
                self._pipeline = build_pipeline(self.config)
            return analyze_text(text, title=title, published=published, config=self.config, pipeline=self._pipeline)

    # --- search ---------------------------------------------------------------------------
    def search(self, p: SearchParams, *, with_facets: bool = True) -> SearchResult:
        """One page of hits, the total and (``with_facets``) the facets. Identical searches share one
        result until the corpus changes: eight clients asking the same broad query at once
        would otherwise each count its 20,000 matches (docs/workbench.md, "Search at 1M stories")."""
        self._check(p)
        key = self.corpus.state()
        full: SearchResult | None = None if with_facets else self._searches.kept(key, (p, True))
        if full is not None:
            return replace(full, facets=[])  # the page's result holds the same hits and total
        made: SearchResult = self._searches.get(key, (p, with_facets), lambda: self._search(p, with_facets))
        return made

    def feed(self, p: SearchParams) -> list[Hit]:
        """The hits of one page, as a search's (a feed shows no total and no facets)."""
        self._check(p)

        def make() -> list[Hit]:
            with self.reading() as store:
                return self._hits(store, p, self._query(p))

        key = self.corpus.state()
        for name in ((p, True), (p, False)):  # a search's result holds the same hits
            if (result := self._searches.kept(key, name)) is not None:
                kept: list[Hit] = result.hits
                return kept
        hits: list[Hit] = self._searches.get(key, (p, "feed"), make)
        return hits

    @staticmethod
    def _check(p: SearchParams) -> None:
        if not p.q.strip():
            raise QueryError("empty query: give words, a \"phrase\", AND/OR/NOT or prefix*", where="search")

    def _query(self, p: SearchParams) -> Query:
        start = date(p.year, 1, 1) if p.year else None
        end = date(p.year, 12, 31) if p.year else None
        return Query(
            p.q,
            outlet=p.outlet,
            date_from=_intersect(p.date_from, start, later=True),
            date_to=_intersect(p.date_to, end, later=False),
            person=p.person,
            language=p.language,
            limit=max(self.options.facet_hits, p.offset + p.limit),
        )

    def _hits(self, store: Store, p: SearchParams, query: Query) -> list[Hit]:
        """The page of hits: the ranked window of ``facet_hits`` after the kind and technique filters."""
        if not (p.kind or p.technique):
            # Unfiltered, the page is the first hits of the window: ranking orders the same
            # candidates whatever the limit, so these are the window's first hits when the store
            # finds as many (one snippet each: five times fewer at the default 20 of 100). It
            # may find fewer where copies of a few stories fill its rows: then the window decides.
            # First: it names a malformed query (QueryError).
            first = store.search(replace(query, limit=p.offset + p.limit))
            if len(first) == p.offset + p.limit:
                return first[p.offset :]
        found = store.search(query)
        kept = facets.labelled(store, [h.id for h in found], kind=p.kind, technique=p.technique)
        return [h for h in found if h.id in kept][p.offset : p.offset + p.limit]

    def _search(self, p: SearchParams, with_facets: bool) -> SearchResult:
        query, cap = self._query(p), self.options.facet_matches
        with self.reading() as store:
            hits = self._hits(store, p, query)
            if not with_facets:
                matched, total = facets.total(store, query, cap, kind=p.kind, technique=p.technique)
                return SearchResult(params=p, hits=hits, total=total, capped=matched == cap)
            counted = facets.count(
                store, query, cap, kind=p.kind, technique=p.technique, sample=self.options.facet_sample
            )
        return SearchResult(
            params=p, hits=hits, total=counted.total, capped=counted.matched == cap, facets=self._facets(counted),
            faceted=counted.counted,
        )

    def _facets(self, counted: facets.FacetCounts) -> list[Facet]:
        """The most frequent values of each facet, most hits first (ties by value)."""
        top = self.options.facet_values
        best = {
            name: sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:top]
            for name, counter in counted.counts.items()
        }
        names = self.corpus.names(e for e, _ in best["person"])

        def values(name: str, label: Callable[[str], str] = str) -> list[tuple[str, str, int]]:
            return [(v, label(v), n) for v, n in best[name]]

        return [
            Facet("outlet", "Outlet", values("outlet")),
            Facet("year", "Year", values("year")),
            Facet("language", "Language", values("language")),
            Facet("person", "Person", values("person", lambda e: names.get(e, (e, ""))[0])),
            Facet("kind", "Activity", values("kind")),
            Facet("technique", "Technique", values("technique")),
        ]

    # --- articles --------------------------------------------------------------------------
    def article(self, doc_id: str, version: int | None = None) -> ArticleView | None:
        with self.reading() as store:
            doc = store.get(doc_id, version)
            if doc is None:
                return None
            versions = store.versions(doc_id)
            diff = None
            if len(versions) > 1:
                shown = version if version is not None else versions[-1].version
                if shown > versions[0].version:
                    diff = diff_versions(store, doc_id, None, shown)
            copies = store.duplicates(doc_id)
        info = self.corpus.info(copies)
        duplicates: list[ArticleRow | str] = [info.get(d) or d for d in copies]
        return ArticleView(doc, versions, diff, duplicates[: self.options.near_duplicates])

    def diff(self, doc_id: str, old: int | None, new: int | None) -> VersionDiff | None:
        """The diff of two versions (None: no such article); QueryError names versions it lacks."""
        with self.reading() as store:
            if not store.versions(doc_id):
                return None
            return diff_versions(store, doc_id, old, new)

    # --- activities -------------------------------------------------------------------------
    def leaders(self) -> list[tuple[str, int]]:
        return self.corpus.leaders()

    # --- trends -------------------------------------------------------------------------------
    def trend(
        self, terms: Iterable[str], persons: Iterable[str], unit: str, share: bool
    ) -> dict[str, dict[str, float]]:
        """Articles per period mentioning each term or person (``share``: per 1,000 articles)."""
        corpus = self.corpus
        series: dict[str, dict[str, float]] = {}
        for term in terms:
            series[term] = dict(corpus.term_series(term, unit))
        for person in persons:
            ids = corpus.entity_ids(person)
            if not ids:
                raise QueryError(f"no entity named {person!r} in the corpus", where="trends")
            name = corpus.entity(min(ids))
            series[name[0] if name else person] = dict(corpus.entity_series(ids, unit))
        if share:
            totals = corpus.by_period(unit)
            series = {
                name: {p: round(1000 * n / totals[p], 2) for p, n in values.items() if totals[p]}
                for name, values in series.items()
            }
        return series

    def periods(self, unit: str) -> list[str]:
        return sorted(self.corpus.by_period(unit))
