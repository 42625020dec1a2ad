"""One activity per event across a story and its translation (issue 14; store/translations.py,
migrations/013_activity_translations.sql): KCNA's English report and its Spanish translation give
one activity in the log, the ranking and co-appearances, whichever came in first, on SQLite and
PostgreSQL; two activities of one language are never merged; a new version or a new analysis of
either story keeps the pair right; a store analysed before the table gets its pairs on opening.
The real pairs are train-split KCNA 2012 stories (tests/data/README.md), read from ../shared."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import iter_kcna
from statemedia.analysis import analyze_path
from statemedia.analytics import elite
from statemedia.analytics.corpus import Corpus
from statemedia.ingest import pipeline_version
from statemedia.model import Annotation, Document
from statemedia.store import Store
from statemedia.store.sqlite import SQLiteStore
from statemedia.store.translations import Act, pair, text_language
from store_fixtures import STORES, make_store, write_jsonl_gz

LEADER = "Kim Jong Un"
KJU = "person:kim-jong-un"
EN = (
    "Kim Jong Un inspected the Ryongsong Machine Complex on May 2. He was accompanied by Choe Ryong Hae and "
    "Jang Song Thaek. The workers of the complex were pleased with the visit and with the guidance he gave them."
)
ES = (
    "Kim Jong Un dirigio sobre el terreno el Complejo de Maquinas de Ryongsong el dia 2 de mayo. Le acompanaron "
    "Choe Ryong Hae y Jang Song Thaek. Los obreros del complejo expresaron la alegria por la visita y por las "
    "orientaciones del Dirigente."
)
# Real pairs (English original, Spanish translation), train split of KCNA 2012: a photo session with
# its list of officials, and a congratulatory message received on a day of many.
REAL = [("kcna-2012-03967", "kcna-2012-03999"), ("kcna-2012-04357", "kcna-2012-04390")]


def _person(name: str) -> dict[str, Any]:
    return {"name": name, "id": "person:" + name.lower().replace(" ", "-"), "titles": [], "linked": True}


def _doc(
    doc_id: str,
    text: str,
    published: str,
    *,
    kind: str = "field_guidance",
    day: str = "2012-05-02",
    members: tuple[str, ...] = ("Choe Ryong Hae", "Jang Song Thaek"),
    activity: bool = True,
) -> Document:
    doc = Document(doc_id, text, title=doc_id, outlet="KCNA", published=date.fromisoformat(published))
    if activity:
        attrs = {
            "actor": LEADER,
            "actor_id": KJU,
            "kind": kind,
            "date": day,
            "date_precision": "day",
            "target": None,
            "entourage": [_person(m) for m in members],
            "present": [],
            "hosts": [],
        }
        doc.annotations.append(Annotation(0, len(text), "event", attrs, "activities"))
    return doc  # fmt: skip


def _put(store: Store, *docs: Document, version: str = "v1") -> None:
    with store.transaction() as writer:
        for doc in docs:
            writer.put(doc, pipeline_version=version)


def _links(store: Store) -> list[tuple[Any, ...]]:
    return sorted(tuple(r) for r in store.query("SELECT text_pk, ord, of_text_pk, of_ord FROM activity_translations"))


def _log(corpus: Corpus) -> list[tuple[str, tuple[str, ...]]]:
    return [(a.doc_id, a.translations) for a in corpus.activities()]


@pytest.mark.parametrize("spanish_first", [False, True])
@pytest.mark.parametrize("kind", STORES)
def test_a_story_and_its_translation_are_one_activity(kind: str, spanish_first: bool, tmp_path: Path) -> None:
    store = make_store(kind, tmp_path)
    en, es = _doc("kcna-en-1", EN, "2012-05-02"), _doc("kcna-es-1", ES, "2012-05-03")
    _put(store, *((es, en) if spanish_first else (en, es)))
    corpus = Corpus(store)
    assert _log(corpus) == [("kcna-en-1", ("kcna-es-1",))]
    assert corpus.leaders() == [(LEADER, 1)]
    standings = corpus.ranking(period="month")
    assert {(s.id, s.appearances) for s in standings} == {("person:choe-ryong-hae", 1), ("person:jang-song-thaek", 1)}
    assert standings == elite.ranking(corpus.activities(), period="month")
    assert corpus.co_appearances("person:choe-ryong-hae", 5) == [("person:jang-song-thaek", "Jang Song Thaek", 1),
                                                                 (KJU, LEADER, 1)]  # fmt: skip
    store.close()


@pytest.mark.parametrize("kind", STORES)
def test_two_activities_of_one_language_are_never_merged(kind: str, tmp_path: Path) -> None:
    """Same leader, kind, day and people: two English reports stay two, two Spanish ones too; a
    translation pairs with one of them only."""
    store = make_store(kind, tmp_path)
    _put(store, _doc("kcna-en-1", EN, "2012-05-02"), _doc("kcna-en-2", EN + " It was a good day.", "2012-05-02"))
    assert [a.translations for a in Corpus(store).activities()] == [(), ()]
    _put(store, _doc("kcna-es-1", ES, "2012-05-03"), _doc("kcna-es-2", ES + " Fue un buen dia.", "2012-05-03"))
    acts = Corpus(store).activities()
    assert len(acts) == 2 and len(_links(store)) == 2
    assert sorted((a.doc_id, a.translations) for a in acts) == [("kcna-en-1", ("kcna-es-1",)),
                                                               ("kcna-en-2", ("kcna-es-2",))]  # fmt: skip
    store.close()


@pytest.mark.parametrize("kind", STORES)
def test_what_differs_is_not_paired(kind: str, tmp_path: Path) -> None:
    store = make_store(kind, tmp_path)
    _put(store, _doc("kcna-en-1", EN, "2012-05-02"))
    # Another day stated; another kind; publication too late; other people; no names in common.
    others = [
        _doc("kcna-es-1", ES, "2012-05-03", day="2012-05-01"),
        _doc("kcna-es-2", ES + " .", "2012-05-03", kind="visit"),
        _doc("kcna-es-3", ES + " ..", "2012-05-08"),
        _doc("kcna-es-4", ES + " ...", "2012-05-03", members=("Pak Pong Ju",)),
        _doc(
            "kcna-es-5",
            "El Dirigente dirigio sobre el terreno una fabrica de la capital y de la provincia el dia 2.",
            "2012-05-03",
        ),
    ]
    _put(store, *others)
    assert _links(store) == []
    assert len(Corpus(store).activities()) == 6
    store.close()


@pytest.mark.parametrize("kind", STORES)
def test_new_versions_and_new_analyses_keep_the_pair_right(kind: str, tmp_path: Path) -> None:
    store = make_store(kind, tmp_path)
    _put(store, _doc("kcna-en-1", EN, "2012-05-02"), _doc("kcna-es-1", ES, "2012-05-03"))
    # A corrected English story (a new text): its activity is the original now.
    _put(store, _doc("kcna-en-1", EN + " Corrected.", "2012-05-02"))
    assert _log(Corpus(store)) == [("kcna-en-1", ("kcna-es-1",))]
    (link,) = _links(store)
    current = store.query("SELECT d.text_pk FROM articles a JOIN documents d ON d.doc_pk = a.current_pk "
                          "WHERE d.doc_id = 'kcna-en-1'")[0][0]  # fmt: skip
    assert link[2] == current
    # The Spanish story analysed again (another pipeline version): still one pair.
    _put(store, _doc("kcna-es-1", ES, "2012-05-03"), version="v2")
    assert _log(Corpus(store)) == [("kcna-en-1", ("kcna-es-1",))]
    # A version of the English story without the activity: the Spanish one is shown again.
    _put(store, _doc("kcna-en-1", EN + " Withdrawn.", "2012-05-02", activity=False))
    assert _log(Corpus(store)) == [("kcna-es-1", ())] and _links(store) == []
    # And a version with it back pairs them again.
    _put(store, _doc("kcna-en-1", EN, "2012-05-02"))
    assert _log(Corpus(store)) == [("kcna-en-1", ("kcna-es-1",))]
    store.close()


@pytest.mark.parametrize("kind", STORES)
def test_a_store_analysed_before_the_table_is_paired_on_opening(kind: str, tmp_path: Path) -> None:
    store = make_store(kind, tmp_path)
    _put(store, _doc("kcna-en-1", EN, "2012-05-02"), _doc("kcna-es-1", ES, "2012-05-03"))
    expected = _links(store)
    if isinstance(store, SQLiteStore):
        store.conn.execute("DROP TABLE activity_translations")
        store.conn.execute("DELETE FROM schema_version WHERE name = 'activity_translations'")
        store.close()
        store = SQLiteStore(tmp_path / "corpus.db")
    else:
        from statemedia.store.postgres import PostgresStore

        assert isinstance(store, PostgresStore)
        with store.conn.transaction():
            store.conn.execute("DROP TABLE activity_translations")
            store.conn.execute("DELETE FROM schema_version WHERE name = 'activity_translations'")
        url = store.path
        store.close()
        store = PostgresStore(url)
    assert _links(store) == expected and len(expected) == 1
    store.close()


def _act(key: int, language: str, published: str, names: str, people: tuple[str, ...] = ()) -> Act:
    day, words = date(2012, 4, 12), frozenset(names.split())
    return Act((key, 0), KJU, "correspondence", "received", day, date.fromisoformat(published), f"kcna-{key}",
               language, frozenset(people), frozenset(), frozenset(), words)  # fmt: skip


def test_the_rule_is_one_to_one_and_takes_the_best_partner() -> None:
    en_benin = _act(1, "en", "2012-04-28", "benin thomas boni yayi 15")
    en_guinea = _act(2, "en", "2012-04-28", "guinea teodoro obiang nguema 12")
    es_guinea = _act(3, "es", "2012-04-28", "guinea obiang nguema mbasogo 12")
    es_benin = _act(4, "es", "2012-04-29", "benin boni yayi thomas")
    es_other = _act(5, "es", "2012-04-29", "cuba havana 12")
    assert sorted(pair([es_other, en_benin, es_guinea, en_guinea, es_benin])) == [((3, 0), (2, 0)), ((4, 0), (1, 0))]
    # Same language: never, whatever they share.
    assert pair([en_benin, _act(6, "en", "2012-04-28", "benin thomas boni yayi 15")]) == []
    # An unknown language: never.
    assert pair([en_benin, _act(7, None, "2012-04-28", "benin thomas boni yayi 15")]) == []  # type: ignore[arg-type]


def test_the_text_decides_the_language() -> None:
    assert text_language(ES, "en") == "es"  # KCNA labelled ~725 Spanish stories of 2011 "en"
    assert text_language(EN, "es") == "en"
    assert text_language("Kim Jong Un.", "es") == "es"  # too short to tell: the stored guess


# --- real KCNA pairs, analysed once ------------------------------------------------------------


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    wanted = {i for p in REAL for i in p}
    records = [r for r in iter_kcna(2012) if r["id"] in wanted]
    path = write_jsonl_gz(tmp_path_factory.mktemp("pairs") / "pairs.jsonl.gz", records)
    docs = [d for d in analyze_path(path, n_process=1) if isinstance(d, Document)]
    assert {d.id for d in docs} == wanted
    return {d.id: d for d in docs}


@pytest.fixture(params=STORES)
def kind(request: pytest.FixtureRequest) -> Iterator[str]:
    yield str(request.param)


def _store_of(kind: str, tmp: Path, docs: list[Document]) -> Store:
    tmp.mkdir()
    store = make_store(kind, tmp)
    with store.transaction() as writer:
        writer.put_many([(d, pipeline_version()) for d in docs])
    return store


@pytest.mark.parametrize("spanish_first", [False, True])
def test_real_pairs_count_once(analysed: dict[str, Document], kind: str, spanish_first: bool,
                               tmp_path: Path) -> None:  # fmt: skip
    english = [analysed[en] for en, _ in REAL]
    spanish = [analysed[es] for _, es in REAL]
    alone = _store_of(kind, tmp_path / "en", english)
    both = _store_of(kind, tmp_path / "both", [*spanish, *english] if spanish_first else [*english, *spanish])
    expected, found = Corpus(alone), Corpus(both)
    assert [a.doc_id for a in found.activities()] == [a.doc_id for a in expected.activities()]
    assert {(a.doc_id, a.translations) for a in found.activities() if a.translations} == set(
        (en, (es,)) for en, es in REAL
    )
    assert found.leaders() == expected.leaders()
    for period in ("month", "year"):
        ranked = found.ranking(period=period, roles=("entourage", "present", "hosts"))
        assert ranked == expected.ranking(period=period, roles=("entourage", "present", "hosts"))
        assert ranked == elite.ranking(found.activities(), period=period, roles=("entourage", "present", "hosts"))
    assert found.co_appearances(KJU, 10) == expected.co_appearances(KJU, 10)
    alone.close()
    both.close()


def test_the_cli_the_api_and_the_page_show_one_activity(tmp_path: Path) -> None:
    import json

    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    import statemedia.cli.commands  # noqa: F401  (registers every command)
    from statemedia.cli import app
    from statemedia.web.app import create_app

    path = tmp_path / "pair.db"
    store = SQLiteStore(path)
    _put(store, _doc("kcna-es-1", ES, "2012-05-03"), _doc("kcna-en-1", EN, "2012-05-02"))
    store.close()
    result = CliRunner().invoke(app, ["activities", "--db", str(path), "--leader", LEADER, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["doc_id"], r["translations"]) for r in rows] == [("kcna-en-1", ["kcna-es-1"])]
    client = TestClient(create_app(str(path)))
    api = client.get("/api/activities", params={"leader": LEADER}).json()
    assert api["total"] == 1 and api["items"][0]["translations"] == ["kcna-es-1"]
    page = client.get("/activities", params={"leader": LEADER}).text
    assert "1 activities" in page and "/articles/kcna-es-1" in page
    elite_rows = client.get("/api/activities", params={"leader": LEADER, "view": "elite"}).json()["items"]
    assert {(r["id"], r["appearances"]) for r in elite_rows} == {("person:choe-ryong-hae", 1),
                                                                ("person:jang-song-thaek", 1)}  # fmt: skip
