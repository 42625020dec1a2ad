"""Prefix terms of an FTS5 query (``visit*``) as an OR of the words they stand for.

FTS5 without a prefix index answers ``visit*`` by merging the doclists of every matching
word into one, in memory, before the first row comes out — and again for bm25's
document frequency and again for each snippet. At 1M rows that is slow, while
``("visited" OR "visit" OR ...)`` reads the same doclists lazily in rowid order, so the
candidate cap of sqlite_search applies (timings: docs/performance.md, "Search"). The words come from the index's own
vocabulary (the ``docs_fts_terms`` fts5vocab table, migration 002), so the rewritten query
matches exactly the same rows; only bm25 differs, weighting each word form by its own
document frequency rather than the prefix's as a whole.

Only standalone prefix phrases are rewritten: a prefix inside a quoted phrase, a NEAR group
or a ``+`` chain cannot become an OR and stays as written, and so does a prefix that matches
more words than the cap (FTS5 handles it, slowly but exactly).
"""

from __future__ import annotations

import re
import sqlite3

__all__ = ["expand_prefixes"]

# An FTS5 query, token by token: a quoted string ("" escapes a quote), a bareword, a
# prefix star, or any other single character (operators, parentheses, whitespace).
_TOKENS = re.compile(r'"(?:[^"]|"")*"|[\w\x80-\U0010ffff]+|\s+|.', re.DOTALL)
# Only ASCII letters and digits are folded by unicode61 exactly as str.lower() folds them;
# a prefix with anything else is left to FTS5's own tokenizer.
_PLAIN = re.compile(r"[A-Za-z0-9]+")
_KEYWORDS = frozenset({"AND", "OR", "NOT", "NEAR"})


def _words(conn: sqlite3.Connection, prefix: str, cap: int) -> list[str] | None:
    """The indexed words starting with ``prefix``, or None when there are more than ``cap``."""
    rows = conn.execute(
        "SELECT term FROM docs_fts_terms WHERE term >= ? AND term < ? LIMIT ?",
        (prefix, prefix + "\U0010ffff", cap + 1),
    ).fetchall()
    words = [term for (term,) in rows if term.startswith(prefix)]
    return words if 0 < len(words) <= cap else None


def expand_prefixes(conn: sqlite3.Connection, query: str, *, cap: int) -> str:
    """``query`` with each standalone ``word*`` (ASCII letters or digits, standing for at most
    ``cap`` indexed words) replaced by an OR of those words."""
    tokens = _TOKENS.findall(query)
    out: list[str] = []
    groups: list[bool] = []  # open parentheses: whether each is (inside) a NEAR group
    last = ""  # the last token that is not whitespace
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "(":
            groups.append(last == "NEAR" or (bool(groups) and groups[-1]))
        elif token == ")" and groups:
            groups.pop()
        star = tokens[i + 1 : i + 2] == ["*"]
        chained = last in ("+", "^") or tokens[i + 2 : i + 3] == ["+"]
        if (
            star
            and not chained
            and not (groups and groups[-1])
            and token not in _KEYWORDS
            and _PLAIN.fullmatch(token)
        ):
            words = _words(conn, token.lower(), cap)
            if words is not None:
                out.append("(" + " OR ".join('"' + w.replace('"', '""') + '"' for w in words) + ")")
                last = ")"
                i += 2  # the word and its star
                continue
        out.append(token)
        if not token.isspace():
            last = token
        i += 1
    return "".join(out)
