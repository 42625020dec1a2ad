"""Who was removed from the record: the read model (on each store), `statemedia changes`, and
the /changes page, its Atom feed and /api/changes, over a small store modelled on December 2013."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import statemedia.cli.changes  # noqa: F401  (registers the command; not the other commands' modules)
from statemedia.analytics.changes import Changes, changes, removals
from statemedia.cli import app
from statemedia.model import Document
from statemedia.store import Store, open_store
from statemedia.web.app import create_app
from store_fixtures import STORES, make_store, named_doc

JANG = ("person:jang-song-thaek", "Jang Song Thaek", "PERSON")
KIM = ("person:kim-jong-un", "Kim Jong Un", "PERSON")
CHOE = ("person:choe-ryong-hae", "Choe Ryong Hae", "PERSON")
PAK = ("person:pak-pong-ju", "Pak Pong Ju", "PERSON")
WPK = ("org:wpk", "Workers' Party of Korea", "ORG")
PYONGYANG = ("gpe:pyongyang", "Pyongyang", "GPE")
EVIL = ("person:evil", "<script>alert(1)</script>", "PERSON")
ALL = (JANG, KIM, CHOE, PAK, WPK, PYONGYANG, EVIL)


def _doc(doc_id: str, names: list[tuple[str, str, str]]) -> Document:
    """An article naming ``names`` in order, each annotated as an entity."""
    return named_doc(doc_id, names)


def _version(store: Store, doc: Document, seen: str, *, analysed: bool = True) -> None:
    with store.transaction() as w:
        put = w.put(doc, pipeline_version="test" if analysed else None)
        w.sql("UPDATE documents SET first_seen = ? WHERE doc_id = ? AND version = ?", (seen, doc.id, put.version))


def _withdraw(store: Store, doc_id: str, on: str, noticed: str, restored: str | None = None) -> None:
    with store.transaction() as w:
        w.sql("INSERT INTO withdrawals (url, doc_id, withdrawn_on, noticed_at, restored_on) VALUES (?, ?, ?, ?, ?)",
              (f"http://kcna.kp/{doc_id}", doc_id, on, noticed, restored))


def build(store: Store) -> Store:
    t = "T06:00:00.000000+00:00"
    for doc_id, names in [
        ("k1", [KIM, JANG, WPK, PYONGYANG]), ("k2", [JANG, CHOE]), ("k3", [KIM]), ("k4", [JANG, KIM]),
        ("k5", [JANG]), ("k6", [EVIL, KIM]), ("k7", [JANG, KIM]),
    ]:
        _version(store, _doc(doc_id, names), "2013-12-01" + t)
    _version(store, _doc("k1", [KIM, WPK]), "2013-12-09" + t)  # Jang edited out (and Pyongyang: not a person)
    _version(store, _doc("k2", [PAK]), "2013-12-10" + t)  # Jang and Choe out, Pak in
    _version(store, _doc("k3", [KIM, JANG]), "2013-12-11" + t)  # Jang added: not a removal
    _version(store, _doc("k6", [KIM]), "2013-12-11T07:00:00.000000+00:00")
    _version(store, _doc("k7", [KIM]), "2013-12-13" + t, analysed=False)  # unknown: must not "remove" Jang
    _withdraw(store, "k4", "2013-12-12", "2013-12-12T06:00:00.000000+00:00")
    _withdraw(store, "k5", "2013-12-10", "2013-12-10T06:00:00.000000+00:00", "2013-12-14")
    return store


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = build(make_store(request.param, tmp_path))
    yield s
    s.close()


def _ids(entities: list[object]) -> list[str]:
    return [e.id for e in entities]  # type: ignore[attr-defined]


def test_edits_carry_exactly_who_was_removed_and_added(store: Store) -> None:
    found = changes(store)
    edits = {e.doc_id: e for e in found.edits}
    assert [e.doc_id for e in found.edits] == ["k7", "k6", "k3", "k2", "k1"]  # newest first
    assert _ids(edits["k1"].removed) == [JANG[0]] and edits["k1"].added == []
    assert _ids(edits["k2"].removed) == [CHOE[0], JANG[0]] and _ids(edits["k2"].added) == [PAK[0]]
    assert edits["k3"].removed == [] and _ids(edits["k3"].added) == [JANG[0]]
    assert (edits["k1"].old_version, edits["k1"].new_version, edits["k1"].day) == (1, 2, date(2013, 12, 9))
    assert edits["k1"].published == date(2013, 12, 1) and edits["k1"].title == "Story k1"
    assert not edits["k7"].analysed and edits["k7"].removed == []


def test_withdrawals_restorations_and_the_summary(store: Store) -> None:
    found = changes(store)
    assert [(w.doc_id, w.withdrawn_on, w.restored_on) for w in found.withdrawals] == [
        ("k4", date(2013, 12, 12), None), ("k5", date(2013, 12, 10), date(2013, 12, 14))]
    assert _ids(found.withdrawals[0].entities) == [JANG[0], KIM[0]]
    assert [w.doc_id for w in found.restorations] == ["k5"]
    people = {p.entity.id: p for p in found.people}
    jang = found.people[0]
    assert jang.entity.id == JANG[0] and jang.articles == 4
    assert sorted(jang.edited_out_of) == ["k1", "k2"] and sorted(jang.withdrawn) == ["k4", "k5"]
    assert (jang.first_day, jang.last_day) == (date(2013, 12, 9), date(2013, 12, 12))
    assert jang.line() == "Jang Song Thaek: removed from 2 articles, 2 articles withdrawn, 2013-12-09 to 2013-12-12"
    assert PAK[0] not in people and PYONGYANG[0] not in people  # added; a place
    assert people[CHOE[0]].edited_out_of == ["k2"] and people[KIM[0]].withdrawn == ["k4"]
    assert found.days == [
        (date(2013, 12, 9), 1, 0, 0), (date(2013, 12, 10), 1, 1, 0), (date(2013, 12, 11), 2, 0, 0),
        (date(2013, 12, 12), 0, 1, 0), (date(2013, 12, 13), 1, 0, 0), (date(2013, 12, 14), 0, 0, 1)]
    assert found.totals == (5, 2, 1)
    json.dumps(found.to_dict(), default=str)


@pytest.mark.parametrize("who", ["person:jang-song-thaek", "jang song thaek", "JANG SONG THAEK"])
def test_removed_filter_by_id_or_name(store: Store, who: str) -> None:
    found = changes(store, removed=who)
    assert [e.doc_id for e in found.edits] == ["k2", "k1"]
    assert [w.doc_id for w in found.withdrawals] == ["k4", "k5"] and [w.doc_id for w in found.restorations] == ["k5"]
    assert [p.entity.id for p in found.people] == [JANG[0]] and _ids(found.matched) == [JANG[0]]
    choe = changes(store, removed="Choe Ryong Hae")
    assert [e.doc_id for e in choe.edits] == ["k2"] and choe.withdrawals == []
    assert changes(store, removed="Nobody Such") == Changes([], [], [], [], [], [])


def test_date_filters_and_limit(store: Store) -> None:
    found = changes(store, date_from=date(2013, 12, 10), date_to=date(2013, 12, 11))
    assert [e.doc_id for e in found.edits] == ["k6", "k3", "k2"]
    assert [w.doc_id for w in found.withdrawals] == ["k5"] and found.restorations == []
    jang = next(p for p in found.people if p.entity.id == JANG[0])
    assert (jang.edited_out_of, jang.withdrawn, jang.first_day, jang.last_day) == (
        ["k2"], ["k5"], date(2013, 12, 10), date(2013, 12, 10))
    limited = changes(store, limit=2)
    assert [e.doc_id for e in limited.edits] == ["k7", "k6"] and limited.totals == (5, 2, 1)
    assert changes(store, date_from=date(2014, 1, 1)).days == []


def test_removals_since(store: Store) -> None:
    every = removals(store)
    assert [r.at for r in every] == sorted(r.at for r in every)
    assert {(r.entity.id, r.doc_id, r.how) for r in every} == {
        (JANG[0], "k1", "edited"), (JANG[0], "k2", "edited"), (CHOE[0], "k2", "edited"), (EVIL[0], "k6", "edited"),
        (JANG[0], "k4", "withdrawn"), (KIM[0], "k4", "withdrawn"), (JANG[0], "k5", "withdrawn")}
    later = removals(store, since="2013-12-11T06:30:00+00:00")
    assert [(r.entity.id, r.doc_id, r.how, r.day) for r in later] == [
        (EVIL[0], "k6", "edited", date(2013, 12, 11)),
        (JANG[0], "k4", "withdrawn", date(2013, 12, 12)), (KIM[0], "k4", "withdrawn", date(2013, 12, 12))]
    assert later[1].at == "2013-12-12T06:00:00.000000+00:00"
    assert removals(store, since="2014-01-01") == []


# --- the command and the web, over a SQLite file ---------------------------------------------
@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("changes") / "s.db"
    build(open_store(path)).close()
    return path


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["changes", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_text_json_and_exit_codes(db: Path) -> None:
    code, out, _ = _cli("--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Jang Song Thaek: removed from 2 articles, 2 articles withdrawn, 2013-12-09 to 2013-12-12"
    assert "2013-12-10" in lines
    k2 = next(line for line in lines if "k2 v1->v2" in line)
    assert "removed Choe Ryong Hae, Jang Song Thaek; added Pak Pong Ju" in k2
    assert any(line.startswith("  withdrawn k4") and "Jang Song Thaek" in line for line in lines)
    assert any(line.startswith("  restored  k5") for line in lines)
    code, out, _ = _cli("--db", str(db), "--removed", "Choe Ryong Hae", "--format", "json")
    body = json.loads(out)
    assert code == 0 and [e["doc_id"] for e in body["edits"]] == ["k2"]
    assert body["people"][0]["entity"]["id"] == CHOE[0] and body["people"][0]["articles"] == 1
    code, _, err = _cli("--db", str(db), "--removed", "Nobody Such")
    assert code == 1 and "Nobody Such" in err
    assert _cli("--db", str(db), "--from", "2014-01-01")[0] == 1
    code, _, err = _cli("--db", str(db), "--from", "2013-12-31", "--to", "2013-12-01")
    assert code == 2 and "after" in err
    assert _cli("--db", str(db), "--from", "yesterday")[0] == 2
    assert _cli("--db", str(db.parent / "missing.db"))[0] == 2


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, token="")) as c:
        yield c


def test_page_shows_people_edits_diffs_and_escapes(client: TestClient) -> None:
    r = client.get("/changes")
    assert r.status_code == 200
    html = r.text
    assert '<a href="/changes">Changes</a>' in html
    assert "Jang Song Thaek" in html and 'id="withdrawals"' in html and 'id="restorations"' in html
    assert '<div class="diff">' in html and "<del>Jang Song Thaek</del>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    narrowed = client.get("/changes", params={"removed": "Choe Ryong Hae", "from": "2013-12-10"}).text
    assert "Story k2" in narrowed and "Story k1" not in narrowed
    assert client.get("/changes", params={"from": "2013-12-31", "to": "2013-12-01"}).status_code == 422
    assert client.get("/changes", params={"from": "someday"}).status_code == 422


def test_feed_has_one_entry_per_change_and_escapes(client: TestClient) -> None:
    r = client.get("/changes.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    assert b"<script>" not in r.content
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(r.content).findall("a:entry", ns)
    assert len(entries) == 5 + 2 + 1
    titles = [e.findtext("a:title", namespaces=ns) or "" for e in entries]
    assert titles[0] == "Restored: Story k5"
    assert "Edited: Story k6 (removed <script>alert(1)</script>)" in titles
    assert len({e.findtext("a:id", namespaces=ns) for e in entries}) == len(entries)
    jang = ET.fromstring(client.get("/changes.atom", params={"removed": JANG[0]}).content).findall("a:entry", ns)
    assert len(jang) == 2 + 2 + 1


def test_api_is_the_read_model(client: TestClient) -> None:
    body = client.get("/api/changes", params={"removed": "jang song thaek"}).json()
    assert [e["doc_id"] for e in body["edits"]] == ["k2", "k1"]
    assert body["people"][0]["articles"] == 4 and body["people"][0]["first_day"] == "2013-12-09"
    assert body["days"][0] == {"day": "2013-12-09", "edits": 1, "withdrawals": 0, "restorations": 0}
    assert client.get("/api/changes", params={"limit": 100_000}).status_code == 422
    assert client.get("/api/changes", params={"limit": 1}).json()["edits"][0]["doc_id"] == "k7"
