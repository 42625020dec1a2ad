"""Full-text search over the PostgreSQL store: the FTS5 query language on ``tsquery``.

Queries are written in FTS5 syntax on both stores ("a phrase", AND/OR/NOT, prefix*,
parentheses, NEAR groups of two phrases). A query is parsed here and rebuilt from PostgreSQL's own functions
(``phraseto_tsquery`` per phrase, ``to_tsquery`` for prefixes, ``&&``/``||``/``!!``),
so the server tokenizes queries exactly as it tokenized the documents. Ranking mirrors
the SQLite store: only the newest ``search_candidates`` matches are ranked (``ts_rank``
with the title weighted), one hit per duplicate group, snippets from ``ts_headline``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import psycopg

from ..errors import QueryError
from .base import Hit, Query
from .options import StoreOptions
from .postgres_stats import NO_STATS, Stats, newest_window, read_stats
from .sql_reader import MATCHED_COLUMNS, POSTGRES, filters, hits_in_rank_order

__all__ = ["match_sql", "matches", "search", "to_tsquery_sql"]

# How many ranked rows to read per wanted hit: copies of one group are folded after ranking.
_OVERFETCH = 4
_CONFIG = "statemedia"  # the text search configuration made by migrations_pg/001_initial.sql
_NEAR_DEFAULT = 10  # FTS5's distance when NEAR(...) gives none

# FTS5 barewords: ASCII letters, digits, underscore and every non-ASCII character.
_TOKEN = re.compile(r'\s+|"(?:[^"]|"")*"|[()*]|[A-Za-z0-9_\x80-\U0010ffff]+|.')
_BAREWORD = re.compile(r"[A-Za-z0-9_\x80-\U0010ffff]+")


@dataclass(frozen=True)
class _Term:
    text: str
    prefix: bool


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text) if not t.isspace()]


class _Parser:
    """FTS5 precedence: NOT binds tighter than AND (explicit or implied), AND than OR."""

    def __init__(self, text: str, stats: Stats | None = None) -> None:
        self.text = text
        self.stats = stats or NO_STATS
        self.tokens = _tokens(text)
        self.pos = 0
        self.params: list[Any] = []

    def fail(self, reason: str) -> QueryError:
        return QueryError(f"bad query {self.text!r}: {reason}", where="search")

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> tuple[str, float]:
        sql = self.or_expr()
        if self.peek() is not None:
            raise self.fail(f"unexpected {self.peek()!r}")
        return sql

    # Each rule returns its SQL and a guess at the share of documents it matches, from the
    # statistics' lexeme frequencies (postgres_stats.Stats), erring high (the sum for OR, the least for AND):
    # too broad a guess costs a query little, too narrow one ranks every match (search()).
    def or_expr(self) -> tuple[str, float]:
        parts = [self.and_expr()]
        while self.peek() == "OR":
            self.pos += 1
            parts.append(self.and_expr())
        if len(parts) == 1:
            return parts[0]
        return "(" + " || ".join(sql for sql, _ in parts) + ")", min(1.0, sum(share for _, share in parts))

    def and_expr(self) -> tuple[str, float]:
        parts = [self.not_expr()]
        while (token := self.peek()) is not None and token not in ("OR", ")"):
            if token == "AND":
                self.pos += 1
            parts.append(self.not_expr())
        if len(parts) == 1:
            return parts[0]
        return "(" + " && ".join(sql for sql, _ in parts) + ")", min(share for _, share in parts)

    def not_expr(self) -> tuple[str, float]:
        sql, share = self.primary()
        while self.peek() == "NOT":
            self.pos += 1
            sql = f"({sql} && !!{self.primary()[0]})"
        return sql, share

    def primary(self) -> tuple[str, float]:
        token = self.peek()
        if token is None:
            raise self.fail("ends where a term was expected")
        self.pos += 1
        if token == "(":
            sql = self.or_expr()
            if self.peek() != ")":
                raise self.fail("unbalanced parenthesis")
            self.pos += 1
            return sql
        if token in ("AND", "OR", "NOT", ")", "*"):
            raise self.fail(f"{token!r} where a term was expected")
        if token.startswith('"'):
            if len(token) < 2 or not token.endswith('"'):
                raise self.fail("unterminated string")
            word = token[1:-1].replace('""', '"')
        elif _BAREWORD.fullmatch(token):
            if token == "NEAR" and self.peek() == "(":
                return self.near()
            word = token
        else:
            raise self.fail("column filters are not supported" if token == ":" else f"syntax error near {token!r}")
        if self.peek() == ":":
            raise self.fail("column filters are not supported")
        prefix = self.peek() == "*"
        self.pos += prefix
        return self.term(_Term(word, prefix))

    def near(self) -> tuple[str, float]:
        """``NEAR(a b, N)``: the two phrases in either order with at most N tokens between them.

        tsquery has no "within N" operator, only "exactly d apart" (``tsquery_phrase(a, b, d)``,
        d counted from the first phrase's last word), so the group becomes every such distance
        from 1 (adjacent) to N + 1, both ways round. FTS5 allows more phrases in a group; a
        clump of three or more has no such expansion of reasonable size, so it is refused.
        """
        self.pos += 1  # "("
        phrases: list[str] = []
        distance = _NEAR_DEFAULT
        while (token := self.peek()) not in (")", ",", None):
            self.pos += 1
            if token.startswith('"') and token.endswith('"') and len(token) >= 2:
                phrases.append(token[1:-1].replace('""', '"'))
            elif _BAREWORD.fullmatch(token) and self.peek() != "*":
                phrases.append(token)
            else:
                raise self.fail(f"{token!r} in a NEAR group (phrases and words only on PostgreSQL)")
        if self.peek() == ",":
            self.pos += 1
            number = self.peek()
            if number is None or not number.isdigit():
                raise self.fail("NEAR distance must be a number")
            distance = int(number)
            self.pos += 1
        if self.peek() != ")":
            raise self.fail("unbalanced parenthesis in a NEAR group")
        self.pos += 1
        if len(phrases) != 2:
            raise self.fail("NEAR groups of other than two phrases are not supported on PostgreSQL")
        phrase = f"phraseto_tsquery('{_CONFIG}', %s)"
        ways = []
        for gap in range(1, distance + 2):
            for first, second in (phrases, phrases[::-1]):
                self.params += [first, second]
                ways.append(f"tsquery_phrase({phrase}, {phrase}, {gap})")
        return "(" + " || ".join(ways) + ")", 0.0  # rare enough: no guess

    def term(self, term: _Term) -> tuple[str, float]:
        words = re.findall(r"[^\W_]+", term.text)
        if not term.prefix:
            self.params.append(term.text)
            share = min((self.stats.share(w) for w in words), default=0.0)
            return f"phraseto_tsquery('{_CONFIG}', %s)", share
        if not words:
            raise self.fail(f"nothing to match in {term.text!r}*")
        # The last word is the prefix: quoted as a tsquery lexeme (it has no quote characters).
        self.params.append(f"'{words[-1]}':*")
        last = f"to_tsquery('{_CONFIG}', %s)"
        share = min([self.stats.prefix_share(words[-1]), *(self.stats.share(w) for w in words[:-1])])
        if len(words) == 1:
            return last, share
        self.params.append(" ".join(words[:-1]))
        return f"tsquery_phrase(phraseto_tsquery('{_CONFIG}', %s), {last})", share


def to_tsquery_sql(text: str) -> tuple[str, list[Any]]:
    """An SQL expression (with its parameters) for the ``tsquery`` of an FTS5 query."""
    sql, params, _ = _parse(text)
    return sql, params


def _parse(text: str, stats: Stats | None = None) -> tuple[str, list[Any], float]:
    """The tsquery's SQL, its parameters and the share of documents it is guessed to match."""
    if not text.strip():
        raise QueryError("empty query", where="search")
    parser = _Parser(text, stats)
    sql, share = parser.parse()
    return sql, parser.params, share


def search(conn: psycopg.Connection[Any], query: Query, options: StoreOptions) -> list[Hit]:
    stats = read_stats(conn)
    tsquery, q_params, share = _parse(query.text, stats)
    if query.limit < 1:
        raise QueryError(f"limit must be at least 1, not {query.limit}", where="search")
    where, params = filters(query, POSTGRES)
    # ts_rank weights are {D, C, B, A} in [0, 1]: the title (A) counts title_weight times the body (B).
    weights = [0.0, 0.0, 1.0 / max(options.title_weight, 1.0), 1.0]
    cands = int(options.search_candidates)
    # Numbers are written into the statement, only the user's text and filters are parameters:
    # psycopg prepares a statement run five times, and PostgreSQL's generic plan for it, not
    # knowing the LIMIT, computed ts_rank after the sort by key, sorting every match with its
    # vector (~2 KB each, on disk: "Juche" 46 ms against 12). OFFSET 0 keeps the ranking below
    # the sort whatever the plan.
    literal = ",".join(repr(float(w)) for w in weights)
    scored = (
        f"SELECT d.doc_pk, d.text_pk, ts_rank('{{{literal}}}'::float8[]::real[], d.fts, q.q, 1) AS score "
        "FROM documents d, q WHERE "
    )
    ranked = f"{scored}d.fts @@ q.q"
    # Matches not ranked as read: the newest by key alone, then only those read again by row
    # address (one Tid Scan, in page order; the addresses hold within the statement's snapshot)
    # to be ranked.
    def newest(condition: str) -> str:
        return (
            f"o AS MATERIALIZED (SELECT d.ctid AS tid FROM documents d, q WHERE d.fts @@ q.q{condition}"
            f"{where} ORDER BY d.doc_pk DESC LIMIT {cands}), "
        )

    reread = f"{scored}d.ctid = ANY(ARRAY(SELECT tid FROM o))"
    window = newest_window(stats, share, query, cands)
    if not stats.lexemes:
        # Not analysed yet: no telling a broad query, whose every match ranked costs twice as
        # much as reading it; all matches are read by key and only the candidates ranked.
        cte = newest("") + f"c AS ({reread})"
        c_params: list[Any] = params
    elif window is None:
        # Each match is ranked as its row is read: reading the candidates' rows once to choose
        # the newest by key and again to rank them cost a third more than ranking every match in
        # one read, up to a few thousand matches (bench/search_pg.py). The candidates are sorted
        # with their scores, not their vectors.
        cte = f"c AS MATERIALIZED (SELECT * FROM ({ranked}{where} OFFSET 0) m ORDER BY doc_pk DESC LIMIT {cands})"
        c_params = params
    else:
        # A broad query (a common name, in half the documents) has many more matches than
        # candidates: the newest documents from doc_pk `window` on are read and ranked first,
        # and the older ones only when those held fewer than the candidates, then by key alone,
        # only the newest of them ranked. The two parts split the keys, so the candidates are
        # the newest matches whatever the window; its size costs only time.
        cte = (
            f"w AS MATERIALIZED ({ranked} AND d.doc_pk >= {int(window)}{where}), "
            + newest(f" AND d.doc_pk < {int(window)} AND (SELECT count(*) FROM w) < {cands}")
            + f"c AS (SELECT * FROM w UNION ALL {reread} ORDER BY doc_pk DESC LIMIT {cands})"
        )
        c_params = [*params, *params]
    sql = (
        f"WITH q AS MATERIALIZED (SELECT {tsquery} AS q), {cte}, "
        "r AS (SELECT doc_pk, text_pk, score FROM c ORDER BY score DESC, doc_pk "
        f"LIMIT {int(query.limit) * _OVERFETCH}) "
        "SELECT r.doc_pk, r.score, t.group_pk FROM r JOIN texts t ON t.text_pk = r.text_pk "
        "ORDER BY r.score DESC, r.doc_pk"
    )
    try:
        rows = conn.execute(sql, [*q_params, *c_params]).fetchall()
    except psycopg.errors.DataError as exc:
        raise QueryError(f"bad query {query.text!r}: {exc}".replace("\n", " "), where="search") from None
    best: dict[int, tuple[int, float]] = {}  # group -> its best document and score, in rank order
    for doc_pk, score, group_pk in rows:
        if group_pk not in best:
            best[group_pk] = (doc_pk, float(score))
            if len(best) == query.limit:
                break
    return _hits(conn, tsquery, q_params, best, options)


def match_sql(query: Query, cap: int, columns: str = MATCHED_COLUMNS) -> tuple[str, list[Any]]:
    """The newest ``cap`` matches as a SELECT with its parameters (``MATCHED_COLUMNS``; only
    current versions carry ``fts``). A malformed query fails when it runs."""
    tsquery, q_params = to_tsquery_sql(query.text)
    where, params = filters(query, POSTGRES)
    # The tsquery is computed in a CTE, out of the planner's sight, as in search(): given the
    # constant, it costs ``@@`` as cheap and reads a broad query (a common name) by a
    # backward primary-key scan or a sequential scan, reading every row's tsvector, where the
    # GIN index reads only those a phrase must recheck (bench/search_pg.py).
    sql = (
        f"WITH q AS MATERIALIZED (SELECT {tsquery} AS q) SELECT {columns} FROM documents d, q "
        f"WHERE d.fts @@ q.q{where} ORDER BY d.doc_pk DESC LIMIT %s"
    )
    return sql, [*q_params, *params, cap]


def matches(conn: psycopg.Connection[Any], query: Query, cap: int) -> list[str]:
    """Doc ids of the newest ``cap`` matches."""
    sql, params = match_sql(query, cap, "d.doc_pk, d.doc_id")
    try:
        rows = conn.execute(sql, params).fetchall()
    except psycopg.errors.DataError as exc:
        raise QueryError(f"bad query {query.text!r}: {exc}".replace("\n", " "), where="search") from None
    return [str(row[1]) for row in rows]


def match_months(conn: psycopg.Connection[Any], query: Query) -> list[tuple[str, int]]:
    """(publication month ``YYYY-MM``, current documents matching) for every month with a match."""
    tsquery, q_params = to_tsquery_sql(query.text)
    where, params = filters(query, POSTGRES)
    try:
        rows = conn.execute(  # the tsquery in a CTE: see matches()
            f"WITH q AS MATERIALIZED (SELECT {tsquery} AS q) SELECT to_char(d.published, 'YYYY-MM') AS month, "
            f"count(*) FROM documents d, q WHERE d.fts @@ q.q AND d.published IS NOT NULL{where} GROUP BY month",
            [*q_params, *params],
        ).fetchall()
    except psycopg.errors.DataError as exc:
        raise QueryError(f"bad query {query.text!r}: {exc}".replace("\n", " "), where="search") from None
    return [(str(month), int(n)) for month, n in rows]


def _hits(
    conn: psycopg.Connection[Any],
    tsquery: str,
    q_params: list[Any],
    best: dict[int, tuple[int, float]],
    options: StoreOptions,
) -> list[Hit]:
    """The hits of the top documents: headlines and copies of all of them in two statements
    (two per hit were 40 round trips for 20 hits, ~5 ms of a narrow query's 7 ms at 22k)."""
    if not best:
        return []
    words = max(options.snippet_tokens, 2)
    headline = (
        f"StartSel=**, StopSel=**, FragmentDelimiter=…, MaxFragments=1, "
        f"MaxWords={words}, MinWords={max(words // 2, 1)}"
    )
    docs = [doc_pk for doc_pk, _ in best.values()]
    rows = {
        row[0]: row[1:]
        for row in conn.execute(
            f"SELECT d.doc_pk, ts_headline('{_CONFIG}', t.text, {tsquery}, %s), d.doc_id, d.title, d.outlet, "
            "d.published, d.language FROM documents d JOIN texts t ON t.text_pk = d.text_pk "
            "WHERE d.doc_pk = ANY(%s)",
            [*q_params, headline, docs],
        )
    }
    members = conn.execute(
        "SELECT t.group_pk, d.doc_pk, d.doc_id FROM texts t JOIN documents d ON d.text_pk = t.text_pk "
        "WHERE t.group_pk = ANY(%s) AND d.is_current ORDER BY d.doc_pk",
        (list(best),),
    )
    return hits_in_rank_order(best, rows, members, POSTGRES)
