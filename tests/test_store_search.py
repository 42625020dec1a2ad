"""Search on real KCNA stories: phrases, boolean operators, prefixes, filters, bad queries."""

from __future__ import annotations

import dataclasses
import datetime
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import kcna_sample
from statemedia.errors import QueryError
from statemedia.ingest import ingest
from statemedia.store import Query, Store, postgres_search, postgres_stats
from statemedia.store.postgres import PostgresStore
from store_fixtures import STORES, make_store, write_jsonl_gz

RECORDS = kcna_sample(2500, step=8)
# The same stories under another outlet name, for the --outlet filter.
OTHER = [dict(r, id="rs-" + r["id"], outlet="Rodong Sinmun") for r in RECORDS[:300]]


@pytest.fixture(scope="module", params=STORES)
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    tmp = tmp_path_factory.mktemp("search")
    store = make_store(request.param, tmp)
    ingest(store, [write_jsonl_gz(tmp / "kcna.jsonl.gz", RECORDS + OTHER)], analyze=False)
    yield store
    store.close()


def _full(store: Store, doc_id: str) -> str:
    doc = store.get(doc_id)
    assert doc is not None
    return f"{doc.title or ''}\n{doc.text}".lower()


@pytest.mark.parametrize("phrase", ["field guidance", "Kim Jong Il", "Supreme People's Assembly"])
def test_phrase_hits_contain_the_phrase(corpus: Store, phrase: str) -> None:
    hits = corpus.search(Query(f'"{phrase}"', limit=20))
    assert len(hits) == 20
    pattern = re.compile(r"\W+".join(map(re.escape, re.findall(r"\w+", phrase.lower()))))
    for hit in hits:
        assert pattern.search(_full(corpus, hit.id)), hit.id
        assert "**" in hit.snippet


def test_boolean_and_not(corpus: Store) -> None:
    hits = corpus.search(Query("guidance NOT Kim", limit=50))
    assert hits
    for hit in hits:
        text = _full(corpus, hit.id)
        assert "guidance" in text and not re.search(r"\bkim\b", text)


def test_prefix(corpus: Store) -> None:
    hits = corpus.search(Query("anniversar*", limit=30))
    assert len(hits) == 30
    assert all(re.search(r"\banniversar", _full(corpus, h.id)) for h in hits)


def test_date_and_language_filters(corpus: Store) -> None:
    start, end = datetime.date(2012, 3, 1), datetime.date(2012, 4, 30)
    hits = corpus.search(Query("Kim", date_from=start, date_to=end, limit=50))
    assert hits and all(h.published is not None and start <= h.published <= end for h in hits)
    spanish = corpus.search(Query("Kim", language="es", limit=30))
    assert spanish and all(h.language == "es" for h in spanish)
    assert not corpus.search(Query('"field guidance"', date_from=datetime.date(2030, 1, 1)))


def test_outlet_filter(corpus: Store) -> None:
    everywhere = corpus.search(Query("guidance", limit=100))
    rodong = corpus.search(Query("guidance", outlet="Rodong Sinmun", limit=100))
    assert rodong and all(h.outlet == "Rodong Sinmun" and h.id.startswith("rs-") for h in rodong)
    # Without the filter each Rodong Sinmun copy folds into its KCNA original's group.
    assert all(h.outlet == "KCNA" for h in everywhere if h.copies)
    assert any(c.startswith("rs-") for h in everywhere for c in h.copies)


def _within(text: str, first: list[str], second: list[str], gap: int) -> bool:
    """Whether ``first`` and ``second`` (word lists) occur, either order, at most ``gap`` words apart."""
    words = re.findall(r"\w+", text.lower())

    def starts(phrase: list[str]) -> list[int]:
        return [i for i in range(len(words)) if words[i : i + len(phrase)] == phrase]

    a, b = starts(first), starts(second)
    return any(0 <= j - (i + len(first)) <= gap for i in a for j in b) or any(
        0 <= i - (j + len(second)) <= gap for i in a for j in b
    )


@pytest.mark.parametrize(("first", "second", "gap"), [("field guidance", "factory", 5), ("Kim Jong Il", "visited", 2)])
def test_near_groups(corpus: Store, first: str, second: str, gap: int) -> None:
    query = f'NEAR("{first}" "{second}", {gap})'
    words_a, words_b = first.lower().split(), second.lower().split()
    found = set(corpus.matches(Query(query), 5000))
    # What FTS5 means by NEAR, checked word by word over every stored story (title and text apart).
    want = set()
    for record in RECORDS + OTHER:
        parts = [part for part in (record.get("title"), record["body"]) if isinstance(part, str)]  # a title may be NaN
        if any(_within(part, words_a, words_b, gap) for part in parts):
            want.add(record["id"])
    assert want, "the query should match some stories"
    assert found == want
    assert all(_within(_full(corpus, hit.id), words_a, words_b, gap) for hit in corpus.search(Query(query, limit=10)))


def test_near_group_of_three_is_refused_on_postgresql_only(corpus: Store) -> None:
    query = Query("NEAR(Kim Jong visited, 3)")
    if isinstance(corpus, PostgresStore):
        with pytest.raises(QueryError, match="two phrases"):
            corpus.matches(query, 10)
    else:
        assert corpus.matches(query, 10)


@pytest.mark.parametrize("bad", ['"field guidance', "guidance AND", "(Kim", "author: Kim", "   "])
def test_malformed_query_is_a_query_error(corpus: Store, bad: str) -> None:
    with pytest.raises(QueryError) as info:
        corpus.search(Query(bad))
    assert "\n" not in str(info.value) and str(info.value).startswith("E400")


def test_cli_search_formats(corpus: Store, tmp_path: Path) -> None:
    import csv
    import io
    import json

    from typer.testing import CliRunner

    from statemedia.cli import (
        app,
        commands,  # noqa: F401
    )

    runner = CliRunner()
    result = runner.invoke(app, ["search", '"field guidance"', "--db", corpus.path, "-f", "json", "--limit", "5"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 5 and all("guidance" in r["snippet"].lower() for r in rows)
    result = runner.invoke(app, ["search", "guidance", "--db", corpus.path, "-f", "csv", "--outlet", "KCNA"])
    assert result.exit_code == 0
    assert {r["outlet"] for r in csv.DictReader(io.StringIO(result.stdout))} == {"KCNA"}
    bad = runner.invoke(app, ["search", '"field', "--db", corpus.path])
    assert bad.exit_code == 2 and "Traceback" not in bad.output and "E400" in bad.stderr


def test_matches_count_every_matching_article(corpus: Store) -> None:
    """Store.matches: what totals and facets count — every current article the query and its
    filters match (checked against the texts themselves), newest first, at most ``cap``."""
    pattern = re.compile(r"field\W+guidance")
    expected = {r["id"] for r in RECORDS if pattern.search(f"{r['title']}\n{r['body']}".lower())}
    expected |= {r["id"] for r in OTHER if pattern.search(f"{r['title']}\n{r['body']}".lower())}
    found = corpus.matches(Query('"field guidance"'), cap=10_000)
    assert len(found) == len(set(found)) and set(found) == expected
    assert {h.id for h in corpus.search(Query('"field guidance"', limit=20))} <= set(found)
    only_rs = corpus.matches(Query('"field guidance"', outlet="Rodong Sinmun"), cap=10_000)
    assert set(only_rs) == {i for i in expected if i.startswith("rs-")}
    assert corpus.matches(Query('"field guidance"'), cap=5) == found[:5]
    with pytest.raises(QueryError):
        corpus.matches(Query('"field'), cap=10)


@pytest.mark.parametrize(
    "query",
    [Query('"field guidance"'), Query('"field guidance"', outlet="Rodong Sinmun"), Query("Kim", language="en"),
     Query("anniversar*"), Query("Kim NOT guidance", date_from=datetime.date(2012, 1, 1))],
)
def test_count_sql_counts_what_matches_finds(corpus: Store, query: Query) -> None:
    """Store.count_sql (a search's total; from the text index alone without filters) counts the
    articles Store.matches finds, up to the same cap."""
    for cap in (10_000, 3):
        sql, params = corpus.count_sql(query, cap)
        assert corpus.query(sql, params)[0][0] == len(corpus.matches(query, cap))


def _plain_ranking(store: PostgresStore, tsquery: str, language: str | None, candidates: int) -> list[str]:
    """The best document of each duplicate group, best first, by a plain ``ts_rank`` over the
    newest ``candidates`` matches: what PostgreSQL's search must rank."""
    weights = [0.0, 0.0, 1.0 / max(store.options.title_weight, 1.0), 1.0]
    rows = store.conn.execute(
        "SELECT d.doc_id, t.group_pk FROM (SELECT d.doc_pk, "
        "ts_rank(%s::real[], d.fts, to_tsquery('statemedia', %s), 1) AS score FROM documents d "
        "WHERE d.fts @@ to_tsquery('statemedia', %s) AND (%s::text IS NULL OR d.language = %s) "
        "ORDER BY d.doc_pk DESC LIMIT %s) r JOIN documents d ON d.doc_pk = r.doc_pk "
        "JOIN texts t ON t.text_pk = d.text_pk ORDER BY r.score DESC, r.doc_pk",
        [weights, tsquery, tsquery, language, language, candidates],
    ).fetchall()
    first: dict[int, str] = {}  # duplicate group -> its best document
    for doc_id, group_pk in rows:
        first.setdefault(group_pk, doc_id)
    return list(first.values())


@pytest.mark.parametrize(
    ("text", "tsquery", "language"),
    [("Kim", "kim", None), ('"field guidance"', "field <-> guidance", "en"), ("anniversar*", "anniversar:*", "en")],
)
@pytest.mark.parametrize("analysed", [True, False])
def test_postgresql_ranks_as_a_plain_ts_rank_of_the_newest_candidates(
    corpus: Store, text: str, tsquery: str, language: str | None, analysed: bool
) -> None:
    """The ranking statement (issue 16: each match ranked as it is read; without statistics,
    the newest chosen by key and only those read again to be ranked) ranks what a plain
    ``ts_rank`` over the newest matches ranks, one hit per duplicate group."""
    if not isinstance(corpus, PostgresStore):
        pytest.skip("PostgreSQL's ranking statement")
    if analysed:
        corpus.conn.execute("ANALYZE documents")
        postgres_stats._stats_cache.pop(corpus.conn, None)
    else:
        unknown = dataclasses.replace(postgres_stats.NO_STATS, read_at=time.monotonic())
        postgres_stats._stats_cache[corpus.conn] = unknown
    try:
        assert bool(postgres_stats.read_stats(corpus.conn).lexemes) == analysed
        expected = _plain_ranking(corpus, tsquery, language, corpus.options.search_candidates)
        hits = corpus.search(Query(text, language=language, limit=15))
        assert [h.id for h in hits] == expected[:15]
    finally:
        postgres_stats._stats_cache.pop(corpus.conn, None)


@pytest.mark.parametrize("margin", [0.2, 1.1, 5.0])
@pytest.mark.parametrize(("text", "tsquery", "language"), [("Kim", "kim", None), ("Kim", "kim", "en")])
def test_postgresql_window_of_newest_documents_keeps_the_ranking(
    corpus: Store, monkeypatch: pytest.MonkeyPatch, margin: float, text: str, tsquery: str, language: str | None
) -> None:
    """A broad query is read from a window of the newest documents, and the older ones only when
    the window held too few matches (issue 16): whatever the window's size (a margin of 0.2 is
    always too small, 5 more than enough), the candidates and the ranking are the same."""
    if not isinstance(corpus, PostgresStore):
        pytest.skip("PostgreSQL's ranking statement")
    corpus.conn.execute("ANALYZE documents")  # the lexeme frequencies the window is sized from
    postgres_stats._stats_cache.pop(corpus.conn, None)
    candidates = 150
    options = dataclasses.replace(corpus.options, search_candidates=candidates)
    stats = postgres_stats.read_stats(corpus.conn)
    share = postgres_search._parse(text, stats)[2]
    assert share > 0.3  # "Kim": in about half the stories
    query = Query(text, language=language, limit=15)
    window = postgres_stats.newest_window(stats, share, query, candidates)
    assert window is not None and window > 1
    monkeypatch.setattr(postgres_stats, "_WINDOW_MARGIN", margin)
    hits = postgres_search.search(corpus.conn, query, options)
    assert [h.id for h in hits] == _plain_ranking(corpus, tsquery, language, candidates)[:15]
    if margin == 0.2:  # the window held too few: the older matches filled the candidates
        window = postgres_stats.newest_window(stats, share, query, candidates)
        assert window is not None
        newer = corpus.conn.execute(
            "SELECT count(*) FROM documents WHERE fts @@ 'kim'::tsquery AND doc_pk >= %s", [window]
        ).fetchone()
        assert newer is not None and newer[0] < candidates


def test_postgresql_query_shares_err_high() -> None:
    """The guessed share of documents a query matches, from the common lexemes' frequencies: the
    least of an AND's (and a phrase's words), the sum of an OR's and a prefix's, 0 for a word
    the statistics do not list."""
    stats = postgres_stats.Stats({"kim": 0.5, "jong": 0.4, "juche": 0.2, "visit": 0.1, "visits": 0.05},
                                   {}, 1000.0, 1000, 0.0)  # fmt: skip

    def share(text: str) -> float:
        return postgres_search._parse(text, stats)[2]

    assert share("Kim") == 0.5 and share("KIM") == 0.5 and share('"Kim Jong"') == 0.4
    assert share("Kim Juche") == 0.2 and share("Kim AND Juche") == 0.2 and share("Juche NOT Kim") == 0.2
    assert share("Kim OR Juche") == pytest.approx(0.7) and share("Kim OR Jong OR Juche") == 1.0
    assert share("visit*") == pytest.approx(0.15) and share("hydroelectric") == 0.0
    assert share("NEAR(Kim Jong, 2)") == 0.0
