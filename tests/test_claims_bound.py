"""A page of claims gives each claim its summary and a bounded number of its statements (the
first and the latest N), read per claim by the database; one claim's statements are read
alone, a page at a time (`claim`, /claims/{key}, /api/claims/{key}, `statemedia claims --claim`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import statemedia.cli.claims  # noqa: F401  (registers the command)
from statemedia.analytics.claims import Claim, claim, claims
from statemedia.cli import app
from statemedia.store import Store, open_store
from statemedia.store.sqlite import SQLiteStore
from statemedia.web.app import create_app
from store_fixtures import STORES, make_store
from test_claims import HAND, SUNCHON, _cement, _story

# The Sunchon cement figure weekly for 30 weeks of 2013: 500,000 t, from week 20 650,000 t,
# but 700,000 t in week 25: the latest change is week 26's return to 650,000 after week 25.
WEEKS = 30
START = date(2013, 1, 1)


def _value(i: int) -> int:
    return 700_000 if i == 25 else 500_000 if i < 20 else 650_000


WEEKLY = [_story(f"w{i:02d}", START + timedelta(weeks=i), _cement(_value(i))) for i in range(WEEKS)]
KEY = f"cement|t|{SUNCHON[0]}"


def _build(store: Store) -> Store:
    with store.transaction() as w:
        for doc in [*HAND, *WEEKLY]:
            w.put(doc, pipeline_version="test")
    return store


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = _build(make_store(request.param, tmp_path))
    yield s
    s.close()


class Counting:
    """A store whose reads are recorded with the rows they returned."""

    def __init__(self, store: Store) -> None:
        self.store, self.reads = store, list[tuple[str, list[Any], list[Any]]]()

    def query(self, sql: str, params: Any = ()) -> list[Any]:
        rows = self.store.query(sql, params)
        self.reads.append((sql, list(params), rows))
        return rows

    def statement_reads(self) -> list[tuple[str, list[Any], list[Any]]]:
        return [r for r in self.reads if "substr(t.text" in r[0]]


def _cement_claim(found: list[Claim]) -> Claim:
    return next(c for c in found if c.key == KEY)


def test_page_gives_the_first_and_latest_statements_and_the_summary(store: Store) -> None:
    every = _cement_claim(claims(store, statements=None, limit=100).items)
    assert every.count == 4 + WEEKS and len(every.statements) == every.count
    bounded = _cement_claim(claims(store, statements=3, limit=100).items)
    assert [s.doc_id for s in bounded.statements] == ["c1", "w27", "w28", "w29"]  # the first, then the latest 3
    assert bounded.count == every.count and bounded.stories == every.stories == 4 + WEEKS
    assert (bounded.first, bounded.last) == (date(2012, 1, 5), START + timedelta(weeks=WEEKS - 1))
    assert (bounded.first_value, bounded.last_value, bounded.low, bounded.high) == (500_000, 650_000, 500_000, 700_000)
    assert bounded.values == [500_000, 650_000, 700_000] and bounded.status == "revised"
    assert bounded.change is not None and bounded.change.day == START + timedelta(weeks=26)
    assert (bounded.change.before, bounded.change.previous, bounded.change.values) == (
        START + timedelta(weeks=25), [700_000], [650_000])  # fmt: skip
    # Everything but the statements is the same however many are shown.
    assert bounded.to_dict(statements=False) == every.to_dict(statements=False)
    assert claims(store, statements=3).statements == 3
    with pytest.raises(ValueError):
        claims(store, statements=0)


def test_statements_are_read_per_claim_by_the_database(store: Store) -> None:
    counting = Counting(store)
    found = claims(counting, statements=2, limit=3, date_from=date(2000, 1, 1))  # type: ignore[arg-type]
    (sql, params, rows), = counting.statement_reads()
    assert len(found.items) == 3 and len(rows) <= 3 * (1 + 2)  # never every statement, then cut
    assert sum(len(c.statements) for c in found.items) == len(rows)
    if isinstance(store, SQLiteStore):  # the claim key index finds the statements
        plan = " ".join(str(r) for r in store.query(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "text_claims_key" in plan


def test_whole_corpus_pages_read_the_kept_statements(store: Store) -> None:
    """Without a window a page reads the statements the write path keeps per claim (the first and
    the latest SHOWN_STATEMENTS) by their keys, numbering none: the same as a window that holds
    every story numbers, before and after a write that changes which are the latest."""
    everything = date(2000, 1, 1)

    def cement() -> dict[str, Any]:
        counting = Counting(store)
        kept = [c.to_dict() for c in claims(counting, statements=3, limit=100).items]  # type: ignore[arg-type]
        assert counting.statement_reads() and all("ROW_NUMBER" not in sql for sql, _, _ in counting.statement_reads())
        assert kept == [c.to_dict() for c in claims(store, statements=3, limit=100, date_from=everything).items]
        return next(c for c in kept if c["key"] == KEY)

    assert [s["doc_id"] for s in cement()["statements"]] == ["c1", "w27", "w28", "w29"]
    with store.transaction() as w:  # a later story: the latest three move on
        w.put(_story("x01", START + timedelta(weeks=WEEKS + 1), _cement(640_000)), pipeline_version="test")
    after = cement()
    assert [s["doc_id"] for s in after["statements"]] == ["c1", "w28", "w29", "x01"]
    assert after["last_value"] == 640_000 and after["statement_count"] == 4 + WEEKS + 1
    # A page showing more than is kept numbers its claims' statements as a window does.
    assert [c.to_dict() for c in claims(store, statements=None, limit=100).items] == [
        c.to_dict() for c in claims(store, statements=None, limit=100, date_from=everything).items]  # fmt: skip


def test_one_claim_paged(store: Store) -> None:
    counting = Counting(store)
    first = claim(counting, KEY, limit=10)  # type: ignore[arg-type]
    assert first is not None and first.claim.count == 4 + WEEKS and first.claim.subject is not None
    assert [s.doc_id for s in first.claim.statements] == ["c1", "c2", "c3", "c5", *(f"w{i:02d}" for i in range(6))]
    (_, params, rows), = counting.statement_reads()
    # That claim's statements only: a page of them, and the latest (its value is the claim's last).
    assert len(rows) == 10 + 1 and SUNCHON[0] in params
    last = claim(store, KEY, limit=10, offset=30)
    assert last is not None and [s.doc_id for s in last.claim.statements] == ["w26", "w27", "w28", "w29"]
    assert last.claim.subject == first.claim.subject  # as first stated, whatever the page
    summary = _cement_claim(claims(store, limit=100).items).to_dict(statements=False)
    assert first.claim.to_dict(statements=False) == summary == last.to_dict()["claim"]
    beyond = claim(store, KEY, offset=100)
    assert beyond is not None and beyond.claim.statements == [] and beyond.claim.count == 4 + WEEKS
    window = claim(store, KEY, date_from=START)  # a window: judged from its statements
    assert window is not None and window.claim.count == WEEKS and window.claim.first == START
    assert claim(store, KEY, date_to=date(2011, 12, 31)) is None
    assert claim(store, "warheads|unit|") is None
    pigs = claim(store, "pig|pig|org:kangdong-hog-farm")
    assert pigs is not None and pigs.claim.status == "dropped" and pigs.claim.count == 3


def test_sqlite_and_postgresql_agree_on_the_bound(tmp_path: Path) -> None:
    found = {}
    for kind in STORES:
        s = _build(make_store(kind, tmp_path / kind if kind == "sqlite" else tmp_path))
        try:
            one = claim(s, KEY, limit=7, offset=5)
            found[kind] = json.dumps([claims(s, statements=2, limit=100).to_dict(), one and one.to_dict()],
                                     default=str, sort_keys=True)  # fmt: skip
        finally:
            s.close()
    assert found["sqlite"] == found["postgresql"]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("bound") / "s.db"
    _build(open_store(path)).close()
    with TestClient(create_app(path, token="")) as c:
        yield c


def test_pages_bound_the_statements(client: TestClient) -> None:
    bound = client.app.state.workbench.options.claim_statements  # type: ignore[attr-defined]
    body = client.get("/api/claims", params={"counted": "cement"}).json()
    (cement,) = body["items"]
    assert body["statements"] == bound and len(cement["statements"]) == 1 + bound
    assert cement["statement_count"] == 4 + WEEKS and cement["change"]["values"] == [650_000]
    page = client.get("/claims", params={"counted": "cement"}).text
    assert f"{4 + WEEKS - 1 - bound:,} more between" in page and f'href="/claims/{quote(KEY, safe="")}"' in page
    assert "latest change" in page and "700,000" in page
    # What the app keeps of a claim is kept per window of days: a window reads its own.
    window = client.get("/api/claims", params={"counted": "cement", "from": "2013-01-01"}).json()["items"]
    assert window[0]["statement_count"] == WEEKS and window[0]["first"] == "2013-01-01"
    assert client.get("/api/claims", params={"counted": "cement"}).json()["items"][0]["statement_count"] == 4 + WEEKS


def test_one_claim_routes(client: TestClient) -> None:
    url = f"/api/claims/{quote(KEY, safe='')}"
    body = client.get(url, params={"limit": 5, "offset": 30}).json()
    assert body["total"] == 4 + WEEKS and body["offset"] == 30 and body["claim"]["key"] == KEY
    assert [s["doc_id"] for s in body["items"]] == ["w26", "w27", "w28", "w29"] and "statements" not in body["claim"]
    table = client.get(url, params={"format": "csv", "limit": 3})
    assert table.status_code == 200 and len(table.text.splitlines()) == 4
    assert client.get(url, params={"from": "2013-01-01"}).json()["total"] == WEEKS
    page = client.get(f"/claims/{quote(KEY, safe='')}", params={"limit": 10})
    assert page.status_code == 200 and "Statements 1–10 of 34" in page.text and "later →" in page.text
    assert client.get("/claims/warheads%7Cunit%7C").status_code == 404
    assert client.get("/api/claims/nothing").status_code == 404
    assert client.get(url, params={"limit": 10_000}).status_code == 422


def test_one_claim_page_escapes(client: TestClient) -> None:
    (evil,) = client.get("/api/claims", params={"counted": "script"}).json()["items"]
    assert "/" in evil["key"]  # a key may hold a slash: the route takes the rest of the path
    api = client.get(f"/api/claims/{quote(evil['key'], safe='')}").json()
    assert api["claim"]["counted"] == evil["counted"] and "<script>" in api["items"][0]["stated"]
    page = client.get(f"/claims/{quote(evil['key'], safe='')}")
    assert page.status_code == 200 and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script>alert" not in page.text


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["claims", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_bounds_and_prints_all(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    _build(open_store(db)).close()
    code, out, _ = _cli("--db", str(db), "--counted", "cement", "--format", "json", "--statements", "2")
    (cement,) = json.loads(out)["items"]
    assert code == 0 and len(cement["statements"]) == 3 and cement["statement_count"] == 4 + WEEKS
    code, out, _ = _cli("--db", str(db), "--counted", "cement", "--format", "csv", "--statements", "1")
    assert code == 0 and "2012-01-05 500,000; …; 2013-07-23 650,000" in out
    code, out, _ = _cli("--db", str(db), "--counted", "cement", "--format", "json", "--all-statements")
    assert code == 0 and len(json.loads(out)["items"][0]["statements"]) == 4 + WEEKS
    code, out, err = _cli("--db", str(db), "--claim", KEY, "--format", "csv", "--limit", "5", "--offset", "2")
    assert code == 0 and len(out.splitlines()) == 6 and "statements 3-7 of 34" in err
    assert _cli("--db", str(db), "--claim", "warheads|unit|")[0] == 1


def test_claims_known_before_are_not_read_again(store: Store) -> None:
    known: dict[str, Claim] = {}
    first = claims(store, limit=3, known=known)
    assert set(known) == {c.key for c in first.items}
    counting = Counting(store)
    overlapping = claims(counting, limit=3, offset=1, known=known)  # type: ignore[arg-type]
    assert len(counting.statement_reads()) == 1
    fresh = claims(store, limit=3, offset=1)
    assert overlapping.to_dict() == fresh.to_dict()  # the same page, only its last claim read
    # (its kept statements: the whole corpus's page)
    assert [p for sql, p, _ in counting.reads if "shown" in sql] == [[fresh.items[-1].key]] and len(known) == 4
