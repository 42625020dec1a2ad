"""The protocol-list members the store keeps (activity_members, migrations/007_activity_members.sql):
the elite ranking and an entity's co-appearances counted by the database give what the Python
views give over every activity, on SQLite and PostgreSQL; the migration fills the table as the
write path does; a text analysed again has its members replaced."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from statemedia.analytics import elite
from statemedia.analytics.activities import monthly_counts
from statemedia.analytics.corpus import Corpus
from statemedia.model import Annotation, Document
from statemedia.store import Store
from statemedia.store.migrate import migrate
from statemedia.store.postgres import PostgresStore
from statemedia.store.sqlite import SQLiteStore
from store_fixtures import STORES, make_store
from web_fixtures import kcna_store_fixture, web_db_fixture  # noqa: F401

LEADER = "Kim Jong Un"
ROLES = [("entourage",), ("present", "entourage", "hosts"), ("hosts", "present")]
# The filters a store's counts are compared under: none, a leader by name, by id with a kind, a span.
FILTERS: list[dict[str, Any]] = [
    {},
    {"leader": LEADER},
    {"leader": "person:kim-jong-un", "kinds": ["field_guidance"]},
    {"start": date(2012, 3, 1), "end": date(2012, 8, 31)},
]


@pytest.fixture(scope="module", params=STORES)
def store(request: pytest.FixtureRequest, web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    if request.param == "sqlite":
        s: Store = SQLiteStore(web_db)
    else:
        s = make_store("postgresql", tmp_path_factory.mktemp("pg"))
        source = SQLiteStore(web_db)
        migrate(source, s)
        source.close()
    yield s
    s.close()


def _members(store: Store) -> list[tuple[Any, ...]]:
    rows = store.query("SELECT text_pk, ord, role, position, member_id, name, actor_id, actor, kind, day "
                       "FROM activity_members")  # fmt: skip
    return sorted(tuple(r) for r in rows)


def _old_co_appearances(corpus: Corpus, entity_id: str, top: int) -> list[tuple[str, str, int]]:
    """web.views.entity_detail's co-appearances as it read them from every activity (before issue 16)."""
    together: Counter[str] = Counter()
    people_names: dict[str, str] = {}
    for act in corpus.activities():
        people = {str(m["id"]): str(m["name"]) for m in act.entourage}
        people[act.actor_id] = act.actor
        if entity_id in people:
            people_names.update(people)
            together.update(p for p in people if p != entity_id)
    return [(p, people_names[p], n) for p, n in together.most_common(top)]


def test_the_sample_has_protocol_lists(store: Store) -> None:
    roles = Counter(r[2] for r in _members(store))
    assert roles["entourage"] > 50 and roles["present"] > 0, roles


@pytest.mark.parametrize("roles", ROLES)
@pytest.mark.parametrize("period", ["year", "quarter", "month"])
def test_ranking_by_the_store_is_the_python_ranking(store: Store, roles: Sequence[str], period: str) -> None:
    corpus = Corpus(store)
    for f in FILTERS:
        acts = corpus.activities(**f)
        for top in (None, 5):
            expected = elite.ranking(acts, period=period, top=top, roles=roles)
            assert corpus.ranking(**f, period=period, top=top, roles=roles) == expected, f
        assert expected or f or "entourage" not in roles
        movers = elite.movers(corpus.ranking(**f, period=period, roles=roles))
        assert movers == elite.movers(elite.ranking(acts, period=period, roles=roles))


@pytest.mark.parametrize("roles", ROLES)
def test_the_network_by_the_store_is_the_python_network(store: Store, roles: Sequence[str]) -> None:
    corpus = Corpus(store)
    for f in FILTERS:
        expected = elite.network(corpus.activities(**f), roles=roles)
        assert corpus.network(**f, roles=roles) == expected, f
        assert expected or f or "entourage" not in roles


def test_monthly_counts_by_the_store_are_the_python_ones(store: Store) -> None:
    """The monthly view counted by the database (kind and domain columns, migrations/014) is
    ``activities.monthly_counts`` of every activity read whole."""
    corpus = Corpus(store)
    for f in FILTERS:
        expected = monthly_counts(corpus.activities(**f))
        assert corpus.monthly(**f) == expected, f
        assert expected or f.get("kinds")
    domains = {d for months in corpus.monthly().values() for d in months["domain"]}
    assert len(domains) > 1  # the domains are read, not one default


def test_the_domain_migration_fills_the_column_as_the_write_path_does(web_db: Path, tmp_path: Path) -> None:
    query = "SELECT text_pk, ord, domain FROM text_activities ORDER BY text_pk, ord"
    written = SQLiteStore(web_db)
    expected = written.query(query)
    written.close()
    assert any(r[2] for r in expected)
    path = tmp_path / "old.db"
    shutil.copy(web_db, path)
    old = SQLiteStore(path)
    old.conn.execute("UPDATE text_activities SET domain = NULL")
    old.conn.execute("ALTER TABLE text_activities DROP COLUMN domain")
    old.conn.execute("DELETE FROM schema_version WHERE name = 'activity_domain'")
    old.close()
    upgraded = SQLiteStore(path)
    assert upgraded.query(query) == expected
    upgraded.close()


def test_co_appearances_by_the_store_are_the_python_ones(store: Store) -> None:
    corpus = Corpus(store)
    people = {r[4] for r in _members(store) if r[2] == "entourage"} | {"person:kim-jong-un", "person:nobody"}
    assert len(people) > 20
    for entity_id in sorted(people):
        for top in (3, 15):
            assert corpus.co_appearances(entity_id, top) == _old_co_appearances(corpus, entity_id, top), entity_id


def test_the_migration_fills_the_table_as_the_write_path_does(web_db: Path, tmp_path: Path) -> None:
    written = SQLiteStore(web_db)
    expected = _members(written)
    written.close()
    path = tmp_path / "old.db"
    shutil.copy(web_db, path)
    old = SQLiteStore(path)
    old.conn.execute("DROP TABLE activity_members")
    old.conn.execute("DELETE FROM schema_version WHERE name = 'activity_members'")
    old.close()
    upgraded = SQLiteStore(path)
    assert _members(upgraded) == expected
    upgraded.close()


def test_the_postgresql_migration_fills_the_table(web_db: Path, tmp_path: Path) -> None:
    source = SQLiteStore(web_db)
    expected = _members(source)
    target = make_store("postgresql", tmp_path)
    migrate(source, target)
    source.close()
    assert isinstance(target, PostgresStore)
    url = target.path
    with target.conn.transaction():
        target.conn.execute("DROP TABLE activity_members")
        target.conn.execute("DELETE FROM schema_version WHERE name = 'activity_members'")
    target.close()
    upgraded = PostgresStore(url)
    # PostgreSQL's ord is the annotation's key (migrations_pg/004): the same activities, renumbered.
    assert [r[:1] + r[2:] for r in _members(upgraded)] == [r[:1] + r[2:] for r in expected]
    upgraded.close()


def _activity(text: str, members: list[str], day: str = "2012-05-02") -> Annotation:
    # One romanisation links both spellings of a name to one id (docs/protocol-lists.md, "Names").
    people = [{"name": m, "id": f"person:{m.lower().replace(' ', '-').replace('phyong', 'pyong')}", "titles": [],
               "linked": True} for m in members]  # fmt: skip
    attrs = {"actor": LEADER, "actor_id": "person:kim-jong-un", "kind": "field_guidance", "date": day,
             "date_precision": "day", "entourage": people, "present": people[:1], "hosts": []}  # fmt: skip
    return Annotation(0, len(text), "event", attrs, "activities")


@pytest.mark.parametrize("kind", STORES)
def test_analysing_again_replaces_the_members(kind: str, tmp_path: Path) -> None:
    store = make_store(kind, tmp_path)
    text = "Kim Jong Un visited a farm. He was accompanied by Choe Ryong Hae and Jang Song Thaek."
    doc = Document("kcna-test-1", text, published=date(2012, 5, 3))
    doc.annotations.append(_activity(text, ["Choe Ryong Hae", "Jang Song Thaek"]))
    with store.transaction() as writer:
        writer.put(doc, pipeline_version="v1")
    assert [(r[2], r[3], r[4]) for r in _members(store)] == [
        ("entourage", 1, "person:choe-ryong-hae"), ("entourage", 2, "person:jang-song-thaek"),
        ("present", 1, "person:choe-ryong-hae"),
    ]  # fmt: skip
    again = Document("kcna-test-1", text, published=date(2012, 5, 3))
    again.annotations.append(_activity(text, ["Pak Pong Ju"]))
    with store.transaction() as writer:
        writer.put(again, pipeline_version="v2")
    assert [(r[2], r[3], r[4], r[9]) for r in _members(store)] == [
        ("entourage", 1, "person:pak-pong-ju", "2012-05-02"), ("present", 1, "person:pak-pong-ju", "2012-05-02"),
    ]  # fmt: skip
    corpus = Corpus(store)
    assert corpus.co_appearances("person:pak-pong-ju", 5) == [("person:kim-jong-un", LEADER, 1)]
    assert corpus.co_appearances("person:choe-ryong-hae", 5) == []
    store.close()


@pytest.mark.parametrize("kind", STORES)
def test_an_official_spelt_two_ways(kind: str, tmp_path: Path) -> None:
    """Named as where first listed in the ranking, as where last met on an entity page: stored
    newest first, so that the order of the rows is not the order of the days."""
    store = make_store(kind, tmp_path)
    spelt = [("2012-06-01", ["Hwang Pyong So", "Ri Yong Ho"]), ("2012-05-01", ["Ri Yong Ho", "Hwang Phyong So"]),
             ("2012-04-01", ["Hwang Phyong So"])]  # fmt: skip
    with store.transaction() as writer:
        for i, (day, names) in enumerate(spelt):
            text = f"Kim Jong Un visited unit {i}. He was accompanied by {' and '.join(names)}."
            doc = Document(f"kcna-test-{i}", text, published=date.fromisoformat(day))
            doc.annotations.append(_activity(text, names, day))
            writer.put(doc, pipeline_version="v1")
    corpus = Corpus(store)
    for period in ("year", "month"):
        expected = elite.ranking(corpus.activities(), period=period, roles=("present", "entourage"))
        assert corpus.ranking(period=period, roles=("present", "entourage")) == expected
    assert {s.name for s in expected if s.id == "person:hwang-pyong-so"} == {"Hwang Phyong So"}
    for entity_id in ("person:kim-jong-un", "person:ri-yong-ho", "person:hwang-pyong-so"):
        assert corpus.co_appearances(entity_id, 5) == _old_co_appearances(corpus, entity_id, 5)
    assert ("person:hwang-pyong-so", "Hwang Pyong So", 3) in corpus.co_appearances("person:kim-jong-un", 5)
    store.close()
