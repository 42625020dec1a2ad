"""The SQL behind :mod:`statemedia.analytics.claims`: one page of claims judged, then for the
page's claims their summaries and a bounded number of their statements, each in one statement
over the claim key index (``text_claims_key``: counted, unit, subject_id), so that a claim
stated in thousands of stories costs a page no more rows than one stated twice."""

from __future__ import annotations

from typing import Any

from ..store import Store
from ..store.layers import CLAIM_KEY, CURRENT
from ._columns import marks

__all__ = ["ORDER", "STATUS", "Key", "filters", "keyed", "statement_rows", "summary_rows", "window"]

Key = tuple[str, str, str | None]  # counted, unit, subject_id: the claim key's columns

# Each claim's status from what GROUPS (store/layers.py) judges it by: the rules of
# analytics/claims.py's docstring; {as_of} is the window's newest day, {drop_*} its constants.
STATUS = """CASE WHEN x.stories >= {drop_stories} AND julianday({as_of}) - julianday(x.last) >
                       CASE WHEN {drop_factor} * x.widest > {drop_days} THEN {drop_factor} * x.widest
                            ELSE {drop_days} END THEN 'dropped'
                  WHEN x.changed = 1 THEN 'revised' WHEN x.stories > 1 THEN 'repeated' ELSE 'single' END"""
ORDER = {
    "stories": "x.stories DESC, x.last DESC, x.ckey",
    "latest": "x.last DESC, x.stories DESC, x.ckey",
    "counted": "x.counted, x.unit, coalesce(x.subject_fold, ''), x.ckey",
    "subject": "CASE WHEN x.subject_id IS NULL THEN 1 ELSE 0 END, coalesce(x.subject_fold, ''), x.counted, x.ckey",
}

# The statements of some claims ({keys}) in the window ({where}), numbered per claim oldest first
# (r) and newest first (latest). Only the keys and the order travel through the window sort;
# what is shown (title, attributes, the sentence) is joined for the rows kept ({keep}).
_STATEMENTS = f"""
SELECT x.ckey, x.r, x.latest, d.doc_id, d.title, d.outlet, d.published, c.start, c."end", c.attrs, c.sentence_start,
       c.subject_id, c.subject_name, c.subject_type,
       substr(t.text, coalesce(c.sentence_start, c.start) + 1,
              coalesce(c.sentence_end, c."end") - coalesce(c.sentence_start, c.start))
FROM (SELECT {CLAIM_KEY} AS ckey, d.doc_pk, c.text_pk, c.ord,
             ROW_NUMBER() OVER (PARTITION BY {CLAIM_KEY} ORDER BY d.published, d.doc_id, c.start) AS r,
             ROW_NUMBER() OVER (PARTITION BY {CLAIM_KEY} ORDER BY d.published DESC, d.doc_id DESC, c.start DESC)
               AS latest
      FROM {CURRENT} JOIN text_claims c ON c.text_pk = d.text_pk
      WHERE d.published IS NOT NULL{{where}}{{keys}}) x
JOIN documents d ON d.doc_pk = x.doc_pk JOIN text_claims c ON c.text_pk = x.text_pk AND c.ord = x.ord
JOIN texts t ON t.text_pk = x.text_pk
WHERE {{keep}}
ORDER BY x.ckey, x.r"""

# What a claim's summary needs from all of its statements, numbers only, as rows of three kinds:
# ('all', key, statements, first day, lowest, highest); ('value', key, -, the day first stated,
# value, -); ('change', key, the story's count of values, the day of the latest story whose values
# differ from the story before it, its lowest, its highest), then the same of the story before it
# as ('before', ...). Stories are compared by a fingerprint of their values (how many, lowest,
# highest, sum, sum of squares): exact for stories of one or two values, and for more a collision
# needs two sets alike in all four; it costs one sort of the statements and one of the stories,
# where comparing value by value (GROUPS, store/layers.py) costs four, which a page of the most
# stated claims cannot afford per request.
_SUMMARY = f"""
WITH st AS MATERIALIZED (
    SELECT {CLAIM_KEY} AS ckey, d.published, d.doc_id, c.value
    FROM {CURRENT} JOIN text_claims c ON c.text_pk = d.text_pk WHERE d.published IS NOT NULL{{where}}{{keys}}),
stories AS (
    SELECT ckey, published, doc_id, count(DISTINCT value) AS m, min(value) AS lo, max(value) AS hi,
           sum(DISTINCT value) AS s, sum(DISTINCT value * value) AS q
    FROM st GROUP BY ckey, published, doc_id),
lagged AS (
    SELECT ckey, published, doc_id, m, lo, hi, s, q, LAG(published) OVER w AS pday, LAG(m) OVER w AS pm,
           LAG(lo) OVER w AS plo, LAG(hi) OVER w AS phi, LAG(s) OVER w AS ps, LAG(q) OVER w AS pq
    FROM stories WINDOW w AS (PARTITION BY ckey ORDER BY published, doc_id)),
moved AS (
    SELECT * FROM (SELECT l.*, ROW_NUMBER() OVER (PARTITION BY ckey ORDER BY published DESC, doc_id DESC) AS k
                   FROM lagged l WHERE pm <> m OR plo <> lo OR phi <> hi OR ps <> s OR pq <> q) x WHERE k = 1)
SELECT 'all', ckey, count(*), min(published), min(value), max(value) FROM st GROUP BY ckey
UNION ALL
SELECT 'value', ckey, NULL, min(published), value, NULL FROM st GROUP BY ckey, value
UNION ALL
SELECT 'change', ckey, m, published, lo, hi FROM moved
UNION ALL
SELECT 'before', ckey, pm, pday, plo, phi FROM moved"""


def window(date_from: Any, date_to: Any, outlet: str | None, params: list[Any]) -> str:
    """Conditions on the documents ``d`` of a window of days and an outlet, appending their parameters."""
    sql = ""
    for condition, value in (("d.published >= ?", date_from), ("d.published <= ?", date_to)):
        if value is not None:
            sql += f" AND {condition}"
            params.append(value.isoformat())  # ISO text: compared as text on SQLite, cast to date on PostgreSQL
    if outlet:
        sql += " AND d.outlet = ?"
        params.append(outlet)
    return sql


def keyed(keys: list[Key]) -> tuple[str, list[Any]]:
    """Conditions on the statements ``c`` of these claims. Each column the index holds is
    compared by itself so that the index finds the rows (the key expression alone it cannot):
    one claim exactly, several by each column's values and then the whole key."""
    if len(keys) == 1:
        counted, unit, subject = keys[0]
        if subject is None:
            return " AND c.counted = ? AND c.unit = ? AND c.subject_id IS NULL", [counted, unit]
        return " AND c.counted = ? AND c.unit = ? AND c.subject_id = ?", [counted, unit, subject]
    counteds, units = sorted({k[0] for k in keys}), sorted({k[1] for k in keys})
    whole = [f"{c}|{u}|{s or ''}" for c, u, s in keys]
    sql = (f" AND c.counted IN ({marks(len(counteds))}) AND c.unit IN ({marks(len(units))})"
           f" AND {CLAIM_KEY} IN ({marks(len(whole))})")  # fmt: skip
    return sql, [*counteds, *units, *whole]


def summary_rows(store: Store, where: str, params: list[Any], keys: list[Key]) -> list[Any]:
    """The summary rows (``_SUMMARY``) of these claims' statements in the window."""
    if not keys:
        return []
    sql, more = keyed(keys)
    return store.query(_SUMMARY.format(where=where, keys=sql), [*params, *more])


def statement_rows(
    store: Store, where: str, params: list[Any], keys: list[Key], keep: str, keep_params: list[Any]
) -> list[Any]:
    """These claims' statements in the window that ``keep`` (over ``x.r`` and ``x.latest``) keeps."""
    if not keys:
        return []
    sql, more = keyed(keys)
    return store.query(_STATEMENTS.format(where=where, keys=sql, keep=keep), [*params, *more, *keep_params])


def filters(
    counted: str | None, subject: str | None, unit: str | None, min_stories: int, status: str | None,
    *, fold: Any, like: Any,
) -> tuple[str, list[Any]]:
    """Conditions on a claim ``x`` of the ``claims`` CTE, with their parameters (``fold``: how a
    key's words are normalised; ``like``: a LIKE pattern of words)."""
    where, params = ["x.stories >= ?"], list[Any]([min_stories])
    if status is not None:
        where.append("x.status = ?")
        params.append(status)
    if counted:  # what is counted, normalised (``formed``: or as any statement wrote it)
        wanted = fold(counted)
        either = "x.ckey IN (SELECT ckey FROM formed)"
        if wanted:
            either = f"(x.counted LIKE ? ESCAPE '\\' OR {either})"
            params.append(like(wanted))
        where.append(either)
    if subject:
        wanted = subject.strip().lower()
        where.append("x.subject_id IS NOT NULL AND (lower(x.subject_id) = ? OR x.subject_fold LIKE ? ESCAPE '\\')")
        params += [wanted, like(wanted)]
    if unit:
        where.append("x.unit = ?")
        params.append(fold(unit))
    return " AND ".join(where), params
