"""Search as the workbench answers it (issue 16): facets only where asked (the API's ``facets``
parameter, never in a feed), the same totals and hits either way, and identical searches
shared until the corpus changes; on SQLite and on PostgreSQL (the same analysed KCNA store)."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from statemedia.analytics import facets
from statemedia.model import Document
from statemedia.store import Query, open_store
from statemedia.web.app import create_app
from statemedia.web.service import SearchParams, Workbench
from web_fixtures import both_stores_db_fixture, kcna_store_fixture, web_db_fixture  # noqa: F401

ATOM = {"a": "http://www.w3.org/2005/Atom"}
SEARCHES = [{"q": '"Kim Jong Un"'}, {"q": "Kim", "kind": "correspondence"}, {"q": "Korea", "language": "en"}]


@pytest.fixture(scope="module")
def client(db: str) -> TestClient:
    return TestClient(create_app(db))


@pytest.mark.parametrize("params", SEARCHES)
def test_api_counts_facets_only_when_asked(client: TestClient, params: dict[str, str]) -> None:
    plain = client.get("/api/search", params=params).json()
    full = client.get("/api/search", params={**params, "facets": "true"}).json()
    assert "facets" not in plain and full["facets"]["year"]
    assert plain["items"] and plain["items"] == full["items"]
    assert (plain["total"], plain["capped"]) == (full["total"], full["capped"])
    assert sum(v["hits"] for v in full["facets"]["year"]) == full["total"]


def test_openapi_documents_the_facets_parameter(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()["paths"]["/api/search"]["get"]["parameters"]
    (facet,) = [p for p in spec if p["name"] == "facets"]
    assert facet["schema"]["type"] == "boolean" and facet["schema"]["default"] is False
    assert "outlet" in facet["description"]


@pytest.mark.parametrize("params", SEARCHES)
def test_feed_lists_the_hits_of_the_search(client: TestClient, params: dict[str, str]) -> None:
    hits = client.get("/api/search", params={**params, "limit": 10}).json()["items"]
    feed = ET.fromstring(client.get("/api/search.atom", params={**params, "limit": 10}).content)
    linked = {e.find("a:link", ATOM).get("href", "").rsplit("/", 1)[-1] for e in feed.findall("a:entry", ATOM)}  # type: ignore[union-attr]
    assert len(linked) == len(hits) > 0
    assert {h["id"].replace("/", "%2F") for h in hits} == linked


@pytest.mark.parametrize(("q", "kind", "technique"), [("Kim", None, None), ("Kim", "correspondence", None),
                                                      ("the", None, "Loaded_Language")])  # fmt: skip
def test_total_alone_is_the_total_of_the_facet_count(db: str, q: str, kind: str | None, technique: str | None) -> None:
    store = open_store(db)
    try:
        counted = facets.count(store, Query(q), 20_000, kind=kind, technique=technique)
        assert facets.total(store, Query(q), 20_000, kind=kind, technique=technique) == (counted.matched, counted.total)
        small = facets.count(store, Query(q), 50, kind=kind, technique=technique)
        assert facets.total(store, Query(q), 50, kind=kind, technique=technique) == (small.matched, small.total)
    finally:
        store.close()
    assert counted.total > 0 and small.matched == 50


@pytest.mark.parametrize("q", ['"Kim Jong Un"', "Korea"])
def test_facets_of_a_sample_count_the_newest_matches(db: str, q: str) -> None:
    """``sample``: the total as before, the facets over the newest matches only."""
    store = open_store(db)
    try:
        every = facets.count(store, Query(q), 20_000)
        sampled = facets.count(store, Query(q), 20_000, sample=40)
        newest = facets.count(store, Query(q), 40)
    finally:
        store.close()
    assert (sampled.matched, sampled.total) == (every.matched, every.total) and every.total > 40
    assert sampled.counted == 40 == sum(sampled.counts["year"].values()) and every.counted == every.total
    assert sampled.counts == newest.counts


def test_page_states_what_the_facets_count(db: str) -> None:
    app = create_app(db)
    wb: Workbench = app.state.workbench
    wb.options = replace(wb.options, facet_sample=40)
    with TestClient(app) as client:
        page = client.get("/search", params={"q": "Korea"}).text
        result = wb.search(SearchParams("Korea"))
    assert result.faceted == 40 < result.total and not result.capped
    assert sum(n for _v, _l, n in result.facets[1].values) <= 40
    assert "facets count the newest 40" in page
    assert f"{result.total} matching articles" in page


@pytest.mark.parametrize(
    ("q", "offset"), [('"Kim Jong Un"', 0), ("Korea", 40), ("Kim", 95), ("hydroelectric OR zxqvbn", 0)]
)
def test_a_page_is_the_window_of_ranked_hits(db: str, q: str, offset: int) -> None:
    """An unfiltered page asks the store for its own hits only (service.py, _hits): they are the
    hits of the window of ``facet_hits`` that a page read before, at that offset."""
    wb = Workbench(db)
    try:
        page = wb.search(SearchParams(q, offset=offset, limit=20), with_facets=False).hits
        with wb.reading() as store:
            window = store.search(Query(q, limit=max(wb.options.facet_hits, offset + 20)))
    finally:
        wb.close()
    assert page == window[offset : offset + 20]
    assert page or q.startswith("hydro")


def test_identical_searches_share_a_result_until_the_corpus_changes(db: str) -> None:
    """Last in the module: it stores a story."""
    wb, name = Workbench(db), uuid.uuid4().hex
    try:
        p = SearchParams("fertilizer")
        first = wb.search(p)
        assert wb.search(p) is first and wb.search(SearchParams("fertilizer", limit=5)) is not first
        # The page's result serves the API's answer without facets and the feed (the same hits).
        assert wb.search(p, with_facets=False).hits is first.hits and wb.feed(p) is first.hits
        assert wb.search(p, with_facets=False).facets == [] and wb.search(p).facets
        writer = open_store(db)
        try:
            with writer.transaction() as w:
                # Its own id and text: the SQLite store this module copies to PostgreSQL has the first.
                w.put(Document(f"shared-{name}", f"A new fertilizer factory, {name}, opened in Hungnam.",
                               outlet="KCNA"), pipeline_version="live")  # fmt: skip
        finally:
            writer.close()
        after = wb.search(p)
        assert after is not first and after.total == first.total + 1
        assert f"shared-{name}" in {h.id for h in wb.feed(SearchParams("fertilizer", limit=200))}
    finally:
        wb.close()
