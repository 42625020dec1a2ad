"""The SQL behind :mod:`statemedia.analytics.claims`: one page of claims judged, then for the
page's claims their summaries and a bounded number of their statements, each in one statement
over the claim key index (``text_claims_key``: counted, unit, subject_id), so that a claim
stated in thousands of stories costs a page no more rows than one stated twice."""

from __future__ import annotations

import json
from typing import Any

from ..store import Store
from ..store.layers import CLAIM_KEY, KEPT, NUMBERED, SUMMARY
from ._columns import marks

__all__ = ["ORDER", "STATUS", "Key", "filters", "kept_rows", "kept_statement_rows", "keyed", "statement_rows",
           "summary_rows", "window"]

Key = tuple[str, str, str | None]  # counted, unit, subject_id: the claim key's columns
# What a page shows of a statement ``c`` of a document ``d`` of the text ``t``.
_SHOWN = """d.doc_id, d.title, d.outlet, d.published, c.start, c."end", c.attrs, c.sentence_start,
       c.subject_id, c.subject_name, c.subject_type,
       substr(t.text, coalesce(c.sentence_start, c.start) + 1,
              coalesce(c.sentence_end, c."end") - coalesce(c.sentence_start, c.start))"""

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

# The statements of some claims ({keys}) in the window ({where}), numbered per claim (``NUMBERED``).
# Only the keys and the order travel through the window sort; what is shown (title, attributes,
# the sentence) is joined for the rows kept ({keep}).
_STATEMENTS = f"""
SELECT x.ckey, x.r, x.latest, {_SHOWN}
FROM ({NUMBERED}) x
JOIN documents d ON d.doc_pk = x.doc_pk JOIN text_claims c ON c.text_pk = x.text_pk AND c.ord = x.ord
JOIN texts t ON t.text_pk = x.text_pk
WHERE {{keep}}
ORDER BY x.ckey, x.r"""
# The same columns of statements kept by the write path (``claim_groups.shown``), by document and place.
_KEPT_STATEMENTS = f"""
SELECT d.doc_pk, c.ord, {_SHOWN}
FROM documents d JOIN text_claims c ON c.text_pk = d.text_pk JOIN texts t ON t.text_pk = d.text_pk
WHERE d.doc_pk IN ({{docs}}) AND c.ord IN ({{ords}})"""

# What a claim's summary needs from all of its statements: ``SUMMARY`` (store/layers.py, which keeps
# it per claim in ``claim_groups`` for the whole corpus).


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
    return store.query(SUMMARY.format(where=where, keys=sql), [*params, *more])


def kept_rows(store: Store, keys: list[Key]) -> list[Any]:
    """The summary rows of these claims of the whole corpus as the write path keeps them
    (``claim_groups``), in SUMMARY's shape but for the values, one ('values', key, -, -, the
    values in order, -) row: read by key, not aggregated from the claims' statements."""
    if not keys:
        return []
    whole = [f"{c}|{u}|{s or ''}" for c, u, s in keys]
    rows: list[Any] = []
    for key, n, first, low, high, stated, *moved in store.query(
        f"SELECT ckey, {', '.join(KEPT)} FROM claim_groups WHERE ckey IN ({marks(len(whole))})", whole
    ):
        if n is None:  # not kept (cannot be after the migration): the claim is left out, as if just removed
            continue
        rows += [("all", key, n, first, low, high), ("values", key, None, None, json.loads(stated), None)]
        if moved[0] is not None:
            rows += [("change", key, None, *moved[:3]), ("before", key, None, *moved[3:])]
    return rows


def statement_rows(
    store: Store, where: str, params: list[Any], keys: list[Key], keep: str, keep_params: list[Any]
) -> list[Any]:
    """These claims' statements in the window that ``keep`` (over ``x.r`` and ``x.latest``) keeps."""
    if not keys:
        return []
    sql, more = keyed(keys)
    return store.query(_STATEMENTS.format(where=where, keys=sql, keep=keep), [*params, *more, *keep_params])


def kept_statement_rows(store: Store, keys: list[Key], latest: int) -> tuple[list[Any], list[Key]]:
    """These claims' first and ``latest`` latest statements in the whole corpus as the write path
    keeps them (``claim_groups.shown``; ``latest`` at most ``SHOWN_STATEMENTS``), in
    :func:`statement_rows`' shape, and the claims it keeps none for (to read by ``statement_rows``)."""
    if not keys:
        return [], []
    whole = {f"{c}|{u}|{s or ''}": (c, u, s) for c, u, s in keys}
    shown: dict[str, list[list[int]]] = {}
    for key, kept in store.query(f"SELECT ckey, shown FROM claim_groups WHERE ckey IN ({marks(len(whole))})",
                                 list(whole)):  # fmt: skip
        if kept is not None:
            shown[str(key)] = [st for st in json.loads(kept) if st[2] == 1 or st[3] <= latest]
    wanted = {(st[0], st[1]) for rows in shown.values() for st in rows}
    found: dict[tuple[int, int], tuple[Any, ...]] = {}
    if wanted:
        docs, ords = sorted({d for d, _ in wanted}), sorted({o for _, o in wanted})
        sql = _KEPT_STATEMENTS.format(docs=marks(len(docs)), ords=marks(len(ords)))
        found = {(int(r[0]), int(r[1])): tuple(r[2:]) for r in store.query(sql, [*docs, *ords])}
    rows = [(key, r, last, *found[doc, ord_]) for key in sorted(shown) for doc, ord_, r, last in shown[key]
            if (doc, ord_) in found]  # fmt: skip
    return rows, [k for key, k in whole.items() if key not in shown]


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
