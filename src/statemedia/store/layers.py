"""The quotation and numeric-claim tables (migrations/005_claims_quotations.sql): one row per
``quote`` and per ``quantity`` annotation of a text, with what the read models filter, group
and sort by worked out once, here, so that they can ask the database instead of reading every
annotation per request (issue 16).

The write path (store/batch.py) adds a text's rows beside its annotations and replaces them
with them, and judges again (``claim_groups``, :func:`refresh_groups`) each claim whose stories
its batch changes; a store analysed before the migration gets its rows from its annotations when
it is first opened (:func:`backfill`), as the claim key needs Python (``analytics/claim_keys.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..analytics._columns import marks, stored_json
from ..analytics.claim_keys import SUBJECT_TYPES, Subject, grammatical, normalise, subject_of
from ..analytics.quotations import SPEECH, UNNAMED
from ..model import Annotation, Document
from .base import json_text

if TYPE_CHECKING:
    from .batch import BatchWriter

__all__ = ["CLAIM_COLUMNS", "CLAIM_KEY", "CURRENT", "GROUPS", "GROUP_COLUMNS", "JUDGED", "KEPT", "MIGRATION",
           "NUMBERED", "QUOTE_COLUMNS", "SHOWN_STATEMENTS", "SUMMARY", "TABLES", "after_migration", "backfill",
           "claim_keys", "claim_rows", "insert_rows", "keep_shown", "keep_summaries", "quote_rows",
           "refresh_groups"]  # fmt: skip

# The migration that makes the tables (the same name in migrations/ and migrations_pg/).
MIGRATION = "claims_quotations"
TABLES = ("text_quotations", "text_claims")  # per text: replaced with its annotations
QUOTE_COLUMNS = ("text_pk", "ord", "start", '"end"', "kind", "speaker_id", "speaker_name", "speaker_key", "who_fold",
                 "id_fold", "text_fold", "attrs")  # fmt: skip
CLAIM_COLUMNS = ("text_pk", "ord", "start", '"end"', "counted", "unit", "subject_id", "subject_name", "subject_type",
                 "subject_fold", "form_fold", "value", "sentence_start", "sentence_end", "attrs")  # fmt: skip
JUDGED = ("ckey", "counted", "unit", "subject_id", "subject_fold", "stories", "last", "widest", "changed")
# Each claim's summary (SUMMARY) kept beside its judgement (migrations/010_claim_summaries.sql), so a
# page of the whole corpus reads it by key instead of aggregating its claims' statements.
KEPT = ("statements", "first", "low", "high", "stated", "change_day", "change_low", "change_high", "prior_day",
        "prior_low", "prior_high")  # fmt: skip
GROUP_COLUMNS = (*JUDGED, *KEPT, "shown")
SUMMARIES = "claim_summaries"  # the migration that adds KEPT
SHOWN = "claim_shown"  # the migration that adds ``shown``: the statements a page shows (keep_shown)
# Statements kept per claim for a page of the whole corpus's claims: its first and this many of the
# latest, the [web] claim_statements a page shows by default; a page that shows more numbers its
# claims' statements per request (analytics/claims.py). A store holds as many as this said when its
# claims were judged: changing it needs a migration whose step calls keep_shown.
SHOWN_STATEMENTS = 10
_CHUNK = 500  # texts read, or claims refreshed, at a time
# A claim's key as analytics.claims.Claim.key spells it; the database compares and sorts it as Python
# does (code points: the PostgreSQL columns are COLLATE "C").
CLAIM_KEY = "c.counted || '|' || c.unit || '|' || coalesce(c.subject_id, '')"
CURRENT = "articles a JOIN documents d ON d.doc_pk = a.current_pk"
# What the status of each claim stated in the current versions (those {where} selects) is judged by
# (analytics/claims.py): its stories, the last day, the widest gap between stories, whether a story
# states other values than the one before, and its subject as first stated. Window functions sort
# the statements once each: each story's values in order (ranked: story n of its claim, value i of
# m), and beside each value the one at the same place in the story before (lagged: value i of every
# story has story n - 1's before it where that story has i values). A story states other values
# than the one before when their number differs or a value at the same place does; value 1 of
# each story gives the stories, their days and gaps. CTEs for a WITH clause, ending in ``summary``.
GROUPS = f"""
st AS MATERIALIZED (
    SELECT {CLAIM_KEY} AS ckey, c.counted, c.unit, c.subject_id, c.subject_fold, c.value, c.start, d.doc_id,
           d.published
    FROM {CURRENT} JOIN text_claims c ON c.text_pk = d.text_pk WHERE d.published IS NOT NULL{{where}}),
ranked AS (
    SELECT ckey, published, value, DENSE_RANK() OVER (PARTITION BY ckey ORDER BY published, doc_id) AS n,
           ROW_NUMBER() OVER (PARTITION BY ckey, published, doc_id ORDER BY value) AS i,
           count(*) OVER (PARTITION BY ckey, published, doc_id) AS m
    FROM (SELECT DISTINCT ckey, published, doc_id, value FROM st) v),
lagged AS (
    SELECT ckey, published, value, n, i, m, LAG(n) OVER w AS pn, LAG(m) OVER w AS pm, LAG(value) OVER w AS pv,
           LAG(published) OVER w AS pday
    FROM ranked WINDOW w AS (PARTITION BY ckey, i ORDER BY n)),
grouped AS (
    SELECT ckey, sum(CASE WHEN i = 1 THEN 1 ELSE 0 END) AS stories, max(published) AS last,
           coalesce(max(CASE WHEN i = 1 THEN julianday(published) - julianday(pday) END), 0) AS widest,
           max(CASE WHEN (i = 1 AND pm <> m) OR (pn = n - 1 AND pm = m AND pv <> value) THEN 1 ELSE 0 END) AS changed
    FROM lagged GROUP BY ckey),
firsts AS (
    SELECT * FROM (SELECT ckey, counted, unit, subject_id, subject_fold,
                          ROW_NUMBER() OVER (PARTITION BY ckey ORDER BY published, doc_id, start) AS r FROM st) f
    WHERE r = 1),
summary AS (
    SELECT f.ckey, f.counted, f.unit, f.subject_id, f.subject_fold, g.stories, g.last, g.widest, g.changed
    FROM grouped g JOIN firsts f ON f.ckey = g.ckey)"""

# Each statement of the claims in the current versions that {where} and {keys} select, numbered per
# claim from the first (r) and from the latest (latest): by day, story and place in the story.
NUMBERED = f"""
SELECT {CLAIM_KEY} AS ckey, d.doc_pk, c.text_pk, c.ord,
       ROW_NUMBER() OVER (PARTITION BY {CLAIM_KEY} ORDER BY d.published, d.doc_id, c.start) AS r,
       ROW_NUMBER() OVER (PARTITION BY {CLAIM_KEY} ORDER BY d.published DESC, d.doc_id DESC, c.start DESC) AS latest
FROM {CURRENT} JOIN text_claims c ON c.text_pk = d.text_pk
WHERE d.published IS NOT NULL{{where}}{{keys}}"""

# What a claim's summary needs from all of its statements, numbers only, as rows of three kinds:
# ('all', key, statements, first day, lowest, highest); ('value', key, -, the day first stated,
# value, -); ('change', key, the story's count of values, the day of the latest story whose values
# differ from the story before it, its lowest, its highest), then the same of the story before it
# as ('before', ...). Stories are compared by a fingerprint of their values (how many, lowest,
# highest, sum, sum of squares): exact for stories of one or two values, and for more a collision
# needs two sets alike in all four; it costs one sort of the statements and one of the stories,
# where comparing value by value (GROUPS) costs four, which a page of the most stated claims
# cannot afford per request. Kept per claim of the whole corpus (:func:`refresh_groups`), and run
# per request for a window of days or an outlet (analytics/claim_reads.py).
SUMMARY = f"""
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


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def quote_rows(pk: int, doc: Document) -> Iterator[tuple[Any, ...]]:
    """A text's quotations: kind and speaker, and the case-folded words the filters match (``casefold``
    is Python's; no database folds the same)."""
    for ord_, a in enumerate(x for x in doc.annotations if x.label == "quote"):
        attrs = a.attrs
        speaker_id, name = attrs.get("speaker_id"), attrs.get("speaker_name")
        who = name or attrs.get("speaker")
        kind = str(attrs.get("kind"))
        # Whom the speaker counts credit (analytics.quotations.speakers): none for a pronoun nobody was linked to.
        fold = str(who).casefold() if who else None
        named = kind in SPEECH and fold and not (speaker_id is None and fold in UNNAMED)
        key = (speaker_id or fold) if named else None
        yield (pk, ord_, a.start, a.end, kind, speaker_id, name, key, fold,
               speaker_id.casefold() if speaker_id else None, doc.text[a.start : a.end].casefold(),
               json_text(dict(attrs)))  # fmt: skip


def claim_rows(pk: int, doc: Document) -> Iterator[tuple[Any, ...]]:
    """A text's figures with a value, each keyed (what is counted, unit, subject) as ``analytics.claims``
    groups them; a figure is read once where several share its start, as the read model always did."""
    sentences = [a for a in doc.annotations if a.label == "sentence"]
    entities = sorted(
        ((a.start, Subject(a.attrs["id"], a.attrs.get("name") or a.attrs["id"], a.attrs["type"]))
         for a in doc.annotations
         if a.label == "entity" and a.attrs.get("type") in SUBJECT_TYPES and a.attrs.get("id")),
        key=lambda e: e[0],
    )  # fmt: skip
    seen: set[int] = set()
    for ord_, a in enumerate(sorted((x for x in doc.annotations if x.label == "quantity"), key=lambda x: x.start)):
        if a.start in seen:
            continue
        seen.add(a.start)
        value = _number(a.attrs.get("value"))
        if value is None:
            continue
        q = (a.start, a.end)
        s = next((s for s in sentences if s.start <= a.start < s.end), None)
        sentence = (s.start, s.end) if s is not None else None
        spoken = grammatical(s.attrs, (s.start, s.end), q, doc.text[s.start : s.end]) if s is not None else None
        about = subject_of(entities, q, sentence, spoken)
        yield (pk, ord_, a.start, a.end, normalise(a.attrs.get("counted")), normalise(a.attrs.get("unit")),
               about and about.id, about and about.name, about and about.type, about and about.name.lower(),
               str(a.attrs.get("counted") or "").lower(), value, s and s.start, s and s.end,
               json_text(dict(a.attrs)))  # fmt: skip


def insert_rows(writer: BatchWriter, annotated: Mapping[int, Document]) -> None:
    """The rows of these texts (text_pk -> its document with its annotations)."""
    writer.insert("text_quotations", QUOTE_COLUMNS, (r for pk, doc in annotated.items() for r in quote_rows(pk, doc)))
    writer.insert("text_claims", CLAIM_COLUMNS, (r for pk, doc in annotated.items() for r in claim_rows(pk, doc)))


def after_migration(name: str, writer: BatchWriter, annotation_order: str) -> None:
    """The Python step of a migration just run, where it has one (this module's: :func:`backfill`;
    store/translations.py's: pairing the activities of a story and its translation)."""
    from . import translations

    if name == translations.MIGRATION:
        translations.pair_all(writer)
    elif name == MIGRATION:
        backfill(writer, annotation_order)
    elif name == SUMMARIES:
        keep_summaries(writer, "", [])
    elif name == SHOWN:
        keep_shown(writer, "", [])


def backfill(writer: BatchWriter, annotation_order: str) -> None:
    """Fill the tables of a store analysed before they existed, from every text with quotations or
    figures (``annotation_order``: the column that keeps annotations in insertion order)."""
    pks = [int(r[0]) for r in writer.sql(
        "SELECT DISTINCT text_pk FROM annotations WHERE label IN ('quote', 'quantity') ORDER BY text_pk"
    )]  # fmt: skip
    for i in range(0, len(pks), _CHUNK):
        chunk = pks[i : i + _CHUNK]
        docs = {int(pk): Document("", text) for pk, text in writer.select_in(
            "SELECT text_pk, text FROM texts WHERE text_pk IN ({})", chunk
        )}  # fmt: skip
        rows = writer.select_in(
            'SELECT text_pk, start, "end", label, attrs, producer FROM annotations '
            f"WHERE text_pk IN ({{}}) AND label IN ('quote', 'quantity', 'sentence', 'entity') "
            f"ORDER BY {annotation_order}",
            chunk,
        )
        for text_pk, start, end, label, attrs, producer in rows:
            ann = Annotation(int(start), int(end), str(label), stored_json(attrs), producer)
            docs[int(text_pk)].annotations.append(ann)
        insert_rows(writer, docs)
    # The summaries' columns come with later migrations, whose own steps fill them.
    refresh_groups(writer, None, summaries=False)


def claim_keys(writer: BatchWriter, text_pks: Iterable[int]) -> set[tuple[str, str]]:
    """(key, what is counted) of each claim these texts state."""
    return {(str(k), str(c)) for k, c in writer.select_in(
        f"SELECT DISTINCT {CLAIM_KEY}, c.counted FROM text_claims c WHERE c.text_pk IN ({{}})", sorted(set(text_pks))
    )}  # fmt: skip


def refresh_groups(writer: BatchWriter, keys: set[tuple[str, str]] | None, *, summaries: bool = True) -> None:
    """The ``claim_groups`` rows of these claims (``claim_keys``; every claim with None) from their
    statements in the current versions: what the claims of the whole corpus are read from, so that
    a request does not judge every claim again (analytics/claims.py), with their summaries."""
    columns = ", ".join(JUDGED)
    insert = f"WITH {GROUPS} INSERT INTO claim_groups ({columns}) SELECT {columns} FROM summary"
    if keys is None:
        writer.sql("DELETE FROM claim_groups")
        writer.sql(insert.format(where=""))
        if summaries:
            keep_summaries(writer, "", [])
            keep_shown(writer, "", [])
        return
    ordered = sorted(keys)
    for i in range(0, len(ordered), _CHUNK):
        chunk = ordered[i : i + _CHUNK]
        counted = sorted({c for _, c in chunk})
        writer.sql(f"DELETE FROM claim_groups WHERE ckey IN ({marks(len(chunk))})", [k for k, _ in chunk])
        where = f" AND c.counted IN ({marks(len(counted))}) AND {CLAIM_KEY} IN ({marks(len(chunk))})"
        writer.sql(insert.format(where=where), [*counted, *(k for k, _ in chunk)])
        if summaries:
            keep_summaries(writer, where, [*counted, *(k for k, _ in chunk)])
            keep_shown(writer, where, [*counted, *(k for k, _ in chunk)])


def keep_summaries(writer: BatchWriter, where: str, params: list[Any]) -> None:
    """Set the summary (KEPT) of the ``claim_groups`` rows of the claims ``where`` selects from
    their statements, as analytics/claims.py reads it from SUMMARY's rows."""
    found: dict[str, dict[str, Any]] = {}
    for kind, key, n, day, value, high in writer.sql(SUMMARY.format(where=where, keys=""), params):
        k = found.setdefault(str(key), {"value": []})
        if kind == "value":
            k["value"].append((day, value))
        else:
            k[str(kind)] = (n, day, value, high)
    rows = []
    for key, k in found.items():
        if "all" not in k:
            continue
        n, first, low, high = k["all"]
        # Each value once, by the day first stated, then value (the order the page shows them in).
        stated = json.dumps([v for _, v in sorted(k["value"])])
        change, prior = k.get("change", (None,) * 4), k.get("before", (None,) * 4)
        rows.append((n, first, low, high, stated, *change[1:], *prior[1:], key))
    if rows:
        sets = ", ".join(f"{c} = ?" for c in KEPT)
        writer.many(f"UPDATE claim_groups SET {sets} WHERE ckey = ?", rows)


def keep_shown(writer: BatchWriter, where: str, params: list[Any]) -> None:
    """Set ``shown`` of the ``claim_groups`` rows of the claims ``where`` selects: their first and
    latest ``SHOWN_STATEMENTS`` statements, as JSON [[doc_pk, ord, r, latest], ...] in ``r`` order."""
    shown: dict[str, list[list[int]]] = {}
    for key, doc_pk, ord_, r, latest in writer.sql(
        f"SELECT ckey, doc_pk, ord, r, latest FROM ({NUMBERED.format(where=where, keys='')}) x "
        f"WHERE r = 1 OR latest <= {SHOWN_STATEMENTS} ORDER BY ckey, r",
        params,
    ):
        shown.setdefault(str(key), []).append([int(doc_pk), int(ord_), int(r), int(latest)])
    if shown:
        writer.many("UPDATE claim_groups SET shown = ? WHERE ckey = ?",
                    [(json.dumps(rows), key) for key, rows in shown.items()])  # fmt: skip
