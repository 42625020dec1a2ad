"""One read model: the CLI, the REST API and the pages give the same counts for the same query,
on SQLite and on PostgreSQL (the same analysed KCNA store, copied with migrate-store)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import statemedia.cli.commands  # noqa: F401  (registers every command)
from statemedia.analytics.activity_views import activity_rows, stored_rows
from statemedia.analytics.corpus import Corpus
from statemedia.cli import app
from statemedia.store import open_store
from statemedia.web.app import create_app
from web_fixtures import both_stores_db_fixture, kcna_store_fixture, web_db_fixture  # noqa: F401

LEADER = "Kim Jong Un"


@pytest.fixture(scope="module")
def client(db: str) -> TestClient:
    return TestClient(create_app(db))


def cli(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def shown(page: str, what: str) -> int:
    found = re.search(rf"([\d,]+) {what}", page)
    assert found is not None, f"the page shows no count of {what}"
    return int(found.group(1).replace(",", ""))


@pytest.mark.parametrize("kind", [None, "field_guidance"])
def test_activities_agree(db: str, client: TestClient, kind: str | None) -> None:
    extra = ["--kind", kind] if kind else []
    rows = cli("activities", "--db", db, "--leader", LEADER, "--format", "json", *extra)
    params: dict[str, Any] = {"leader": LEADER, "limit": 200, **({"kind": kind} if kind else {})}
    api = client.get("/api/activities", params=params).json()
    page = client.get("/activities", params={"leader": LEADER, **({"kind": kind} if kind else {})}).text
    assert len(rows) == api["total"] == shown(page, "activities") > 0
    assert [(r["doc_id"], r["kind"], r["date"]) for r in rows[:200]] == [
        (r["doc_id"], r["kind"], r["date"]) for r in api["items"]
    ]
    ranking = cli("activities", "--db", db, "--leader", LEADER, "--view", "elite", "--format", "json")
    api_ranking = client.get("/api/activities", params={"leader": LEADER, "view": "elite", "limit": 200}).json()
    assert [(r["period"], r["id"], r["appearances"]) for r in ranking[:200]] == [
        (r["period"], r["id"], r["appearances"]) for r in api_ranking["items"]
    ]


def test_the_log_is_read_a_page_at_a_time(db: str, client: TestClient) -> None:
    """The database orders and cuts the log: the API's pages put together are the CLI's whole log,
    and the activity page's log is its newest rows, newest first."""
    log = cli("activities", "--db", db, "--leader", LEADER, "--format", "json")
    # In date order: the activity's day, else its story's (undated first), then the story's id.
    order = [(r["date"] or r["published"] or "", r["doc_id"]) for r in log]
    assert order == sorted(order)
    rows = [(r["doc_id"], r["kind"], r["date"]) for r in log]
    pages: list[tuple[str, str, str]] = []
    for offset in range(0, len(rows) + 7, 7):
        api = client.get("/api/activities", params={"leader": LEADER, "offset": offset, "limit": 7}).json()
        assert api["total"] == len(rows)
        pages += [(r["doc_id"], r["kind"], r["date"]) for r in api["items"]]
    assert pages == rows and len(rows) > 7
    page = client.get("/activities", params={"leader": LEADER}).text
    linked = [unquote(i) for i in re.findall(r'<td><a href="/articles/([^"]+)"', page[page.index('id="log"') :])]
    assert linked == [doc_id for doc_id, _, _ in reversed(rows)][:200]


@pytest.mark.parametrize("leader", [LEADER, None])
def test_the_calendar_of_the_dated_activities_is_the_calendar_of_all(db: str, leader: str | None) -> None:
    """A store's calendar and gaps read only the dated activities, without their lists
    (``Corpus.seen``): the same rows as from every activity read whole."""
    corpus = Corpus(open_store(db))
    acts = corpus.activities(leader=leader)
    for view in ("calendar", "gaps"):
        light = stored_rows(corpus, view, leader=leader, start=None, end=None, kinds=None, period="year", gap_days=3)
        assert light == activity_rows(view, acts, period="year", gap_days=3)
        assert light or view == "gaps"


@pytest.mark.parametrize("view", ["log", "calendar", "gaps", "monthly", "elite", "movers", "network"])
def test_every_activity_view_is_the_same_rows_in_the_cli_and_the_api(db: str, client: TestClient, view: str) -> None:
    """One read model (analytics.activity_views): the CLI's JSON is the API's items, row for row."""
    rows = cli("activities", "--db", db, "--leader", LEADER, "--view", view, "--format", "json")
    api = client.get("/api/activities", params={"leader": LEADER, "view": view, "limit": 200}).json()
    assert api["total"] == len(rows) and (rows or view in ("gaps", "movers"))
    assert json.loads(json.dumps(rows[:200], default=str)) == json.loads(json.dumps(api["items"], default=str))


def test_entities_agree(client: TestClient) -> None:
    api = client.get("/api/entities", params={"type": "PERSON", "limit": 5}).json()
    page = client.get("/entities", params={"type": "PERSON"}).text
    assert api["total"] == shown(page, "entities") > 0
    top = api["items"][0]
    detail = client.get(f"/api/entities/{top['id']}").json()
    assert detail["articles"] == top["articles"] == sum(detail["by_year"].values())


def test_claims_agree(db: str, client: TestClient) -> None:
    rows = cli("claims", "--db", db, "--format", "json", "--limit", "1000")
    items = rows["items"] if isinstance(rows, dict) else rows
    api = client.get("/api/claims", params={"limit": 200}).json()
    page = client.get("/claims").text
    assert len(items) == api["total"] == shown(page, "claims") > 0


def test_search_totals_agree(client: TestClient) -> None:
    api = client.get("/api/search", params={"q": '"Kim Jong Un"', "limit": 5}).json()
    page = client.get("/search", params={"q": '"Kim Jong Un"'}).text
    assert api["total"] > 0 and f"{api['total']:,}" in page


def test_a_story_stored_now_shows_on_the_next_request(web_db: Path, tmp_path: Path) -> None:
    """No copy of the corpus in the web process: what another process stores is there at once."""
    import shutil

    from statemedia.model import Annotation, Document
    from statemedia.store import open_store

    db = tmp_path / "live.db"
    shutil.copy(web_db, db)
    client = TestClient(create_app(db))
    before = client.get("/api/articles", params={"limit": 1}).json()["total"]
    people = {e["id"]: e["articles"] for e in client.get("/api/entities", params={"limit": 200}).json()["items"]}
    writer = open_store(db)
    text = "Kim Jong Un inspected a new fertilizer factory in Hungnam on Tuesday."
    doc = Document("live-00001", text, title="A Story Stored Now", outlet="KCNA",
                   annotations=[Annotation(0, 11, "entity", {"id": "person:kim-jong-un", "name": "Kim Jong Un",
                                                              "type": "PERSON"}, producer="entities")])  # fmt: skip
    with writer.transaction() as w:
        w.put(doc, pipeline_version="live")
    writer.close()
    after = client.get("/api/articles", params={"limit": 1}).json()
    assert after["total"] == before + 1
    kim = next(e for e in client.get("/api/entities", params={"limit": 200}).json()["items"]
               if e["id"] == "person:kim-jong-un")  # fmt: skip
    assert kim["articles"] == people["person:kim-jong-un"] + 1


@pytest.mark.parametrize(("q", "kind", "technique"), [
    ('"Kim Jong Un"', None, None), ("Kim", "field_guidance", None), ("the", None, "most"), ("the", "most", "most"),
])  # fmt: skip
def test_search_facets_are_a_count_of_the_matches(db: str, q: str, kind: str | None, technique: str | None) -> None:
    """The facets the database counts (analytics/facets.py) are what counting each match in
    Python gives: its article's current version, its people and its labels, after the filters."""
    from collections import Counter

    from statemedia.analytics import facets
    from statemedia.analytics.corpus import Corpus
    from statemedia.store import Query, open_store

    store = open_store(db)
    corpus = Corpus(store)
    matched = store.matches(Query(q), 20_000)
    info = corpus.info(matched)
    docs = [info[i] for i in dict.fromkeys(matched)]
    pks = [d.text_pk for d in docs]
    labels = {facet: corpus.labels(pks, facet) for facet in ("kind", "technique")}
    if technique == "most":  # the technique most matches carry, and the kind most of those carry
        technique = Counter(t for d in docs for t in labels["technique"].get(d.text_pk, ())).most_common(1)[0][0]
    if kind == "most":
        kind = Counter(k for d in docs if technique in labels["technique"].get(d.text_pk, ())
                       for k in labels["kind"].get(d.text_pk, ())).most_common(1)[0][0]  # fmt: skip
    kept = [d for d in docs if all(not want or want in labels[f].get(d.text_pk, ())
                                   for f, want in (("kind", kind), ("technique", technique)))]  # fmt: skip
    people = corpus.persons(pks)
    expected = {
        "outlet": Counter(d.outlet for d in kept if d.outlet),
        "year": Counter(d.year for d in kept if d.year),
        "language": Counter(d.language for d in kept if d.language),
        "person": Counter(e for d in kept for e in people.get(d.text_pk, ())),
        "kind": Counter(k for d in kept for k in labels["kind"].get(d.text_pk, ())),
        "technique": Counter(t for d in kept for t in labels["technique"].get(d.text_pk, ())),
    }
    counted = facets.count(store, Query(q), 20_000, kind=kind, technique=technique)
    some = matched[:50]
    assert facets.labelled(store, some, kind=kind, technique=technique) == {d.id for d in kept} & set(some)
    store.close()
    assert counted.matched == len(matched) and counted.total == len(kept) > 0
    assert counted.counts == expected
    assert all(expected[f] for f in ("outlet", "year", "language", "person", "kind", "technique"))


def test_concurrent_requests_read_side_by_side_and_agree(db: str) -> None:
    """Request threads read through connections of their own (store/readers.py): eight at once
    give what one at a time gives."""
    from concurrent.futures import ThreadPoolExecutor

    from statemedia.web.service import SearchParams, Workbench

    wb = Workbench(db)
    asks = ['"Kim Jong Un"', "Kim", "delegation", "anniversar*", "field guidance"] * 4

    def ask(q: str) -> tuple[int, list[str], int]:
        found = wb.search(SearchParams(q))
        return found.total, [h.id for h in found.hits], wb.corpus.articles()

    one_by_one = [ask(q) for q in asks]
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(ask, asks)) == one_by_one
    wb.close()
