"""Who was removed from the record: edits that dropped people or organisations from an article,
and articles withdrawn from (or restored to) the sites.

The one read model behind ``statemedia changes``, ``/changes``, ``/changes.atom``,
``/api/changes`` and the alerts. It reads the tables through ``store.query`` in SQL both
SQLite and PostgreSQL run: timestamps and dates are ISO text in these tables, so they are
compared as text, and ``documents.published`` (a date on PostgreSQL, text on SQLite) is
converted here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any, Literal

from ..store import Store
from ._columns import stored_day

__all__ = ["Changes", "Edit", "Entity", "PersonSummary", "Removal", "Withdrawal", "changes", "removals"]

# Places and other types come and go with rewording; people and organisations are who gets purged.
TYPES = ("PERSON", "ORG")
_TYPES_SQL = "('PERSON', 'ORG')"
_CHUNK = 500  # values in one IN (...): well under SQLite's and psycopg's parameter limits

# Each version with the version before it (numbers may skip), and whether both texts were
# analysed: an unanalysed text has no entities, and diffing against it would "remove" everyone.
# "No version between them" rather than "o.version = (SELECT max ...)": PostgreSQL planned the
# latter as a hash join over every document, the former as look-ups by (article_pk, version).
_PAIRS = """
FROM documents n
JOIN documents o ON o.article_pk = n.article_pk AND o.version < n.version AND NOT EXISTS (
    SELECT 1 FROM documents p WHERE p.article_pk = n.article_pk AND p.version > o.version AND p.version < n.version)
JOIN texts nt ON nt.text_pk = n.text_pk
JOIN texts ot ON ot.text_pk = o.text_pk
"""
# Only a later version has one before it (versions count up from 1), and almost every document
# is a first version: the pairs start from the later ones, by the partial index documents_later
# (migrations/009_changes.sql), which the planners use only where a statement says this condition.
# Without it each statement looked for a version before every document: seconds at 1M stories.
_LATER = "n.version > 1"
_BOTH_ANALYSED = "nt.pipeline_version IS NOT NULL AND ot.pipeline_version IS NOT NULL"
_GONE = "NOT EXISTS (SELECT 1 FROM text_entities x WHERE x.text_pk = n.text_pk AND x.entity_id = e.entity_id)"
# A withdrawal with the current (last stored) version of its article, when there is one.
_WITHDRAWN = """
FROM withdrawals w
LEFT JOIN documents d ON d.doc_id = w.doc_id
    AND d.doc_pk = (SELECT a.current_pk FROM articles a WHERE a.article_pk = d.article_pk)
"""


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    type: str


@dataclass(frozen=True)
class Edit:
    doc_id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: date | None
    day: date  # the day (UTC) the new version was first seen
    at: str  # ISO timestamp the new version was first seen
    old_version: int
    new_version: int
    removed: list[Entity]
    added: list[Entity]
    analysed: bool  # both versions analysed: otherwise removed/added are unknown (empty)


@dataclass(frozen=True)
class Withdrawal:
    doc_id: str
    title: str | None
    outlet: str | None
    url: str
    published: date | None
    withdrawn_on: date
    noticed_at: str
    restored_on: date | None
    entities: list[Entity]  # PERSON/ORG of its last stored version


@dataclass(frozen=True)
class Removal:
    entity: Entity
    doc_id: str
    title: str | None
    how: Literal["edited", "withdrawn"]
    day: date
    at: str  # ISO timestamp the change was recorded: first_seen of the new version, or noticed_at


@dataclass(frozen=True)
class PersonSummary:
    entity: Entity
    edited_out_of: list[str]  # doc ids
    withdrawn: list[str]  # doc ids
    first_day: date
    last_day: date

    @property
    def articles(self) -> int:
        return len(set(self.edited_out_of) | set(self.withdrawn))

    def line(self) -> str:
        span = f"{self.first_day}" if self.first_day == self.last_day else f"{self.first_day} to {self.last_day}"
        return (
            f"{self.entity.name}: removed from {_n(len(self.edited_out_of))}, "
            f"{_n(len(self.withdrawn))} withdrawn, {span}"
        )


@dataclass(frozen=True)
class Changes:
    edits: list[Edit]  # newest first, at most ``limit``
    withdrawals: list[Withdrawal]  # newest first, at most ``limit``
    restorations: list[Withdrawal]  # newest first, at most ``limit``
    people: list[PersonSummary]  # most articles first, over all changes in range (not limited)
    days: list[tuple[date, int, int, int]]  # day, edits, withdrawals, restorations (all, not limited)
    matched: list[Entity]  # what the ``removed`` filter resolved to (empty without one)

    @property
    def totals(self) -> tuple[int, int, int]:
        return sum(d[1] for d in self.days), sum(d[2] for d in self.days), sum(d[3] for d in self.days)

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["days"] = [{"day": d, "edits": e, "withdrawals": w, "restorations": r} for d, e, w, r in self.days]
        for person, summary in zip(body["people"], self.people, strict=True):
            person["articles"] = summary.articles
        return body


def _n(count: int) -> str:
    return f"{count:,} article" + ("" if count == 1 else "s")


def _day(value: Any) -> date:
    found = stored_day(value)
    assert found is not None, "a NOT NULL day column was empty"
    return found


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _between(column: str, date_from: date | None, date_to: date | None, params: list[Any]) -> str:
    """``AND`` conditions keeping ISO text ``column`` (a date or a timestamp) within the days."""
    sql = ""
    if date_from is not None:
        sql += f" AND {column} >= ?"
        params.append(date_from.isoformat())
    if date_to is not None:
        # "2013-12-09T23:59..." sorts after "2013-12-09": compare with the next day instead.
        sql += f" AND {column} < ?"
        params.append((date_to + timedelta(days=1)).isoformat())
    return sql


def _in(column: str, ids: Sequence[str] | None, params: list[Any]) -> str:
    if ids is None:
        return ""
    params.extend(ids)
    return f" AND {column} IN ({_marks(len(ids))})"


def _matching(store: Store, removed: str) -> list[Entity]:
    """The people/organisations ``removed`` names: an entity id, else a name in any case."""
    key = removed.strip()
    rows = store.query(
        f"SELECT DISTINCT entity_id, name, type FROM text_entities WHERE entity_id = ? AND type IN {_TYPES_SQL}",
        (key,),
    )
    if not rows:
        rows = store.query(
            f"SELECT DISTINCT entity_id, name, type FROM text_entities "
            f"WHERE lower(name) = lower(?) AND type IN {_TYPES_SQL}",
            (key,),
        )
    return list({r[0]: Entity(r[0], r[1], r[2]) for r in rows}.values())


def _entities_of(store: Store, text_pks: Iterable[int]) -> dict[int, list[Entity]]:
    """PERSON/ORG entities of each text, by name."""
    found: dict[int, list[Entity]] = {}
    pks = sorted(set(text_pks))
    for i in range(0, len(pks), _CHUNK):
        chunk = pks[i : i + _CHUNK]
        rows = store.query(
            f"SELECT text_pk, entity_id, name, type FROM text_entities "
            f"WHERE type IN {_TYPES_SQL} AND text_pk IN ({_marks(len(chunk))})",
            chunk,
        )
        for pk, eid, name, kind in rows:
            found.setdefault(int(pk), []).append(Entity(eid, name, kind))
    return {pk: sorted(es, key=lambda e: (e.name.lower(), e.id)) for pk, es in found.items()}


def _edit_removals(store: Store, where: str, params: Sequence[Any], ids: Sequence[str] | None = None) -> list[Removal]:
    """The PERSON/ORG entities (of ``ids`` alone, when given) each edit dropped: in its version
    before, not in it. Two statements, the edits and then their texts' entities, as for
    withdrawals: joined in one, SQLite's planner, given statistics on text_entities and none on the
    (empty or small) partial index of later versions, started from a scan of every entity row
    (docs/workbench.md, "Measured")."""
    pairs = store.query(
        f"SELECT n.doc_id, n.title, n.first_seen, o.text_pk, n.text_pk {_PAIRS}"
        f" WHERE {_LATER} AND {_BOTH_ANALYSED}{where}",
        params,
    )
    entities = _entities_of(store, (int(pk) for r in pairs for pk in (r[3], r[4])))
    wanted = None if ids is None else set(ids)
    found = []
    for doc_id, title, first_seen, old_pk, new_pk in pairs:
        kept = {e.id for e in entities.get(int(new_pk), [])}
        found += [
            Removal(e, doc_id, title, "edited", _day(first_seen), str(first_seen))
            for e in entities.get(int(old_pk), []) if e.id not in kept and (wanted is None or e.id in wanted)
        ]  # fmt: skip
    return found


def _withdrawal_removals(
    store: Store, where: str, params: Sequence[Any], ids: Sequence[str] | None = None
) -> list[Removal]:
    """The PERSON/ORG entities (of ``ids`` alone, when given) of each withdrawn article's current
    version. Two statements, the withdrawals and then their texts' entities: joined in one, a
    SQLite store without statistics on withdrawals (ANALYZE has not seen any) was planned from
    a scan of every entity row or with Bloom filters built over documents and text_entities."""
    rows = store.query(
        f"SELECT w.doc_id, d.title, w.withdrawn_on, w.noticed_at, d.text_pk {_WITHDRAWN} WHERE 1 = 1{where}",
        params,
    )
    entities = _entities_of(store, (int(r[4]) for r in rows if r[4] is not None))
    wanted = None if ids is None else set(ids)
    return [
        Removal(e, r[0], r[1], "withdrawn", _day(r[2]), str(r[3]))
        for r in rows if r[4] is not None
        for e in entities.get(int(r[4]), []) if wanted is None or e.id in wanted
    ]


def _ordered(found: list[Removal]) -> list[Removal]:
    return sorted(found, key=lambda r: (r.at, r.doc_id, r.how, r.entity.id))


def removals(store: Store, *, since: str | None = None) -> list[Removal]:
    """Every removal recorded after the ISO timestamp ``since`` (all when None), oldest first:
    an entity edited out of a version first seen then, or in an article noticed withdrawn then."""
    edit_params: list[Any] = []
    gone_params: list[Any] = []
    edit_where = gone_where = ""
    if since is not None:
        edit_where, edit_params = " AND n.first_seen > ?", [since]
        gone_where, gone_params = " AND w.noticed_at > ?", [since]
    return _ordered(
        _edit_removals(store, edit_where, edit_params) + _withdrawal_removals(store, gone_where, gone_params)
    )


def summarise(found: Iterable[Removal]) -> list[PersonSummary]:
    """One line per entity: the articles it was edited out of or withdrawn with, most first."""
    by_id: dict[str, list[Removal]] = {}
    for removal in found:
        by_id.setdefault(removal.entity.id, []).append(removal)
    people = [
        PersonSummary(
            entity=rs[0].entity,
            edited_out_of=list(dict.fromkeys(r.doc_id for r in rs if r.how == "edited")),
            withdrawn=list(dict.fromkeys(r.doc_id for r in rs if r.how == "withdrawn")),
            first_day=min(r.day for r in rs),
            last_day=max(r.day for r in rs),
        )
        for rs in by_id.values()
    ]
    return sorted(people, key=lambda p: (-p.articles, p.entity.name.lower(), p.entity.id))


def _withdrawals(store: Store, where: str, params: list[Any], order: str, limit: int) -> list[Withdrawal]:
    rows = store.query(
        f"SELECT w.doc_id, d.title, d.outlet, w.url, d.published, w.withdrawn_on, w.noticed_at, w.restored_on,"
        f" d.text_pk {_WITHDRAWN} WHERE 1 = 1{where} ORDER BY {order} DESC, w.withdrawal_pk DESC LIMIT ?",
        [*params, limit],
    )
    entities = _entities_of(store, (int(r[8]) for r in rows if r[8] is not None))
    return [
        Withdrawal(r[0], r[1], r[2], r[3], stored_day(r[4]), _day(r[5]), str(r[6]), stored_day(r[7]),
                   entities.get(int(r[8]), []) if r[8] is not None else [])
        for r in rows
    ]


def _edits(store: Store, where: str, params: list[Any], limit: int) -> list[Edit]:
    rows = store.query(
        f"SELECT n.doc_id, n.title, n.outlet, n.url, n.published, n.first_seen, o.version, n.version,"
        f" o.text_pk, n.text_pk, nt.pipeline_version, ot.pipeline_version {_PAIRS}"
        f" WHERE {_LATER}{where} ORDER BY n.first_seen DESC, n.doc_id LIMIT ?",
        [*params, limit],
    )
    entities = _entities_of(store, [int(r[8]) for r in rows] + [int(r[9]) for r in rows])
    edits = []
    for r in rows:
        analysed = r[10] is not None and r[11] is not None
        old, new = entities.get(int(r[8]), []), entities.get(int(r[9]), [])
        old_ids, new_ids = {e.id for e in old}, {e.id for e in new}
        edits.append(Edit(
            r[0], r[1], r[2], r[3], stored_day(r[4]), _day(r[5]), str(r[5]), int(r[6]), int(r[7]),
            removed=[e for e in old if e.id not in new_ids] if analysed else [],
            added=[e for e in new if e.id not in old_ids] if analysed else [],
            analysed=analysed,
        ))
    return edits


def _counts(store: Store, sql: str, params: list[Any]) -> dict[date, int]:
    return {_day(day): int(n) for day, n in store.query(sql, params) if day}


def changes(
    store: Store, *, date_from: date | None = None, date_to: date | None = None, removed: str | None = None,
    limit: int = 500,
) -> Changes:
    """Edits (by the day the new version was first seen), withdrawals (by the first day missed)
    and restorations (by the day back) within the days given; with ``removed`` (an entity id or
    a name), only edits that removed it and withdrawals of articles that mentioned it, and the
    people summary of it alone. Lists are newest first, each at most ``limit``; ``people`` and
    ``days`` count everything in range."""
    matched = _matching(store, removed) if removed else []
    if removed and not matched:
        return Changes([], [], [], [], [], [])
    ids = [e.id for e in matched] if removed else None

    def where(column: str, condition: str = "", entity: str = "") -> tuple[str, list[Any]]:
        params: list[Any] = []
        sql = condition + _between(column, date_from, date_to, params)
        if ids is not None and entity:
            sql += entity.format(_in("e.entity_id", ids, params))
        return sql, params

    gone = f" AND {_BOTH_ANALYSED} AND EXISTS (SELECT 1 FROM text_entities e WHERE e.text_pk = o.text_pk"
    gone += f" AND {_GONE}{{}})"
    mention = " AND EXISTS (SELECT 1 FROM text_entities e WHERE e.text_pk = d.text_pk{})"
    edit_where, edit_params = where("n.first_seen", entity=gone)
    gone_where, gone_params = where("w.withdrawn_on", entity=mention)
    back_where, back_params = where("w.restored_on", " AND w.restored_on IS NOT NULL", mention)

    day = "substr(n.first_seen, 1, 10)"
    by_day = [
        _counts(store, f"SELECT {day}, count(*) {_PAIRS} WHERE {_LATER}{edit_where} GROUP BY {day}", edit_params),
        _counts(store, f"SELECT w.withdrawn_on, count(*) {_WITHDRAWN} WHERE 1 = 1{gone_where}"
                " GROUP BY w.withdrawn_on", gone_params),
        _counts(store, f"SELECT w.restored_on, count(*) {_WITHDRAWN} WHERE 1 = 1{back_where}"
                " GROUP BY w.restored_on", back_params),
    ]
    edits_on, gone_on, back_on = by_day
    every = sorted({*edits_on, *gone_on, *back_on})
    days = [(d, edits_on.get(d, 0), gone_on.get(d, 0), back_on.get(d, 0)) for d in every]

    # The summary's own filters: removals of the matched entities, not all an edit removed.
    who_edit, who_edit_params = where("n.first_seen")
    who_gone, who_gone_params = where("w.withdrawn_on")
    found = _edit_removals(store, who_edit, who_edit_params, ids) + _withdrawal_removals(
        store, who_gone, who_gone_params, ids
    )

    return Changes(
        edits=_edits(store, edit_where, edit_params, limit),
        withdrawals=_withdrawals(store, gone_where, gone_params, "w.withdrawn_on", limit),
        restorations=_withdrawals(store, back_where, back_params, "w.restored_on", limit),
        people=summarise(_ordered(found)),
        days=days,
        matched=matched,
    )
