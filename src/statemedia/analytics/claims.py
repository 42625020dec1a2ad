"""Numeric claims across articles: the same figure (what is counted, its unit, whom it is
about) followed from story to story, so a figure repeated, revised or dropped shows.

The one read model behind ``statemedia claims``, ``/claims`` and ``/api/claims``. It asks
the store (``store.query``) for the figures of each article's current version, each keyed
when its text was stored (``text_claims``, store/layers.py), filtered in SQL by publication
day and outlet; articles without a publication day are left out, as they have no place in
a series over time. The database groups, judges, filters, sorts and pages the claims: those
of the whole corpus as the write path keeps them judged (``claim_groups``), those of a window
of days or an outlet from their statements; only the page's statements are read.

The claim key is ``(counted, unit, subject)``:

* ``counted``: the annotation's ``counted`` lowercased, determiners ("the", "its", ...)
  dropped and each word singularised by rule ("new cars" and "the new car" are one
  thing); no spaCy here, so reading claims loads no model.
* ``unit``: the annotation's ``unit``, normalised the same way ("%", "t", "factory").
* ``subject``: whom the figure is about, looked for only in the figure's own sentence: the
  nearest PERSON/ORG/GPE/LOC/PLACE/FAC entity before the figure ("Vietnam's GDP rose by
  5.89 percent"), else the first one after it ("808,000 cars were sold in Spain"), else
  the sentence's grammatical subject (normalised like ``counted``) when it is not a
  pronoun and does not contain the figure itself; else no subject. The nearest name
  before wins over the grammatical subject because KCNA's reporting clauses make the
  source the subject ("..., Prime Minister Lee Hsien Loong said").

Statuses, over the stories stating a claim in publication order (a story's values are the
set it states for the key; the qualifier "more than" does not make a value different):

* ``dropped``: stated in at least ``DROP_MIN_STORIES`` stories, then not stated for more
  than ``max(DROP_MIN_DAYS, DROP_GAP_FACTOR x the longest gap between its stories)`` up to
  the newest story in the window read (``as_of``): it was stated regularly, then stopped.
  It wins over the statuses below: that a figure stopped being reported is the news.
* ``revised``: a story states values different from the story before it.
* ``repeated``: two or more stories, all stating the same values.
* ``single``: one story.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any, Literal

from ..store import Store
from ..store.layers import CLAIM_KEY, CURRENT, GROUPS
from ._columns import marks, stored_json
from .claim_keys import Subject, normalise
from .quotations import like

__all__ = ["SORTS", "STATUSES", "Claim", "Claims", "Statement", "Subject", "claims", "normalise"]

Status = Literal["dropped", "revised", "repeated", "single"]
STATUSES: tuple[Status, ...] = ("repeated", "revised", "dropped", "single")
SORTS = ("stories", "latest", "counted", "subject")
DROP_MIN_STORIES = 3
DROP_MIN_DAYS = 90
DROP_GAP_FACTOR = 2
EVIDENCE_CHARS = 600  # a run-on "sentence" (a list, a table) is cut: the figure is near its start
_CHUNK = 500  # values in one IN (...): well under SQLite's and psycopg's parameter limits


@dataclass(frozen=True)
class Statement:
    published: date
    value: float
    qualifier: str | None
    lower: float | None
    upper: float | None
    doc_id: str
    title: str | None
    outlet: str | None
    stated: str  # the figure as written ("more than 80 percent")
    evidence: str  # its sentence


@dataclass
class Claim:
    counted: str
    unit: str
    subject: Subject | None
    statements: list[Statement]  # oldest first
    status: Status = "single"
    since: date | None = None  # dropped: the last day it was stated

    @property
    def key(self) -> str:
        return f"{self.counted}|{self.unit}|{self.subject.id if self.subject else ''}"

    @property
    def stories(self) -> int:
        return len({s.doc_id for s in self.statements})

    @property
    def first(self) -> date:
        return self.statements[0].published

    @property
    def last(self) -> date:
        return self.statements[-1].published

    @property
    def values(self) -> list[float]:
        """The values stated, each once, in the order first stated."""
        return list(dict.fromkeys(s.value for s in self.statements))

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "counted": self.counted, "unit": self.unit,
            "subject": asdict(self.subject) if self.subject else None, "status": self.status,
            "since": self.since, "stories": self.stories, "first": self.first, "last": self.last,
            "values": self.values, "statements": [asdict(s) for s in self.statements],
        }  # fmt: skip


@dataclass
class Claims:
    items: list[Claim]  # this page
    total: int  # claims matching the filters
    as_of: date | None  # the newest story in the window read: "dropped" is judged up to it
    offset: int
    limit: int

    def to_dict(self) -> dict[str, Any]:
        return {"items": [c.to_dict() for c in self.items], "total": self.total, "as_of": self.as_of,
                "offset": self.offset, "limit": self.limit}  # fmt: skip


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _status(claim: Claim, as_of: date | None) -> None:
    by_story: dict[str, set[float]] = {}
    days: dict[str, date] = {}
    for s in claim.statements:
        by_story.setdefault(s.doc_id, set()).add(s.value)
        days.setdefault(s.doc_id, s.published)
    sets = list(by_story.values())
    story_days = sorted(days.values())
    gaps = [(b - a).days for a, b in pairwise(story_days)]
    quiet = max(DROP_MIN_DAYS, DROP_GAP_FACTOR * max(gaps, default=0))
    if len(sets) >= DROP_MIN_STORIES and as_of is not None and as_of - story_days[-1] > timedelta(days=quiet):
        claim.status, claim.since = "dropped", story_days[-1]
    elif any(a != b for a, b in pairwise(sets)):
        claim.status = "revised"
    else:
        claim.status = "repeated" if len(sets) > 1 else "single"


def _where(date_from: date | None, date_to: date | None, outlet: str | None, params: list[Any]) -> str:
    sql = ""
    for condition, value in (("d.published >= ?", date_from), ("d.published <= ?", date_to)):
        if value is not None:
            sql += f" AND {condition}"
            params.append(value.isoformat())  # ISO text: compared as text on SQLite, cast to date on PostgreSQL
    if outlet:
        sql += " AND d.outlet = ?"
        params.append(outlet)
    return sql


# Each claim's status from what GROUPS (store/layers.py) judges it by: the rules of the module
# docstring, as _status applies them; {as_of} is the window's newest day.
_STATUS = f"""CASE WHEN x.stories >= {DROP_MIN_STORIES} AND julianday({{as_of}}) - julianday(x.last) >
                        CASE WHEN {DROP_GAP_FACTOR} * x.widest > {DROP_MIN_DAYS} THEN {DROP_GAP_FACTOR} * x.widest
                             ELSE {DROP_MIN_DAYS} END THEN 'dropped'
                   WHEN x.changed = 1 THEN 'revised' WHEN x.stories > 1 THEN 'repeated' ELSE 'single' END"""
_ORDER = {
    "stories": "x.stories DESC, x.last DESC, x.ckey",
    "latest": "x.last DESC, x.stories DESC, x.ckey",
    "counted": "x.counted, x.unit, coalesce(x.subject_fold, ''), x.ckey",
    "subject": "CASE WHEN x.subject_id IS NULL THEN 1 ELSE 0 END, coalesce(x.subject_fold, ''), x.counted, x.ckey",
}
_STATEMENTS = f"""
SELECT {CLAIM_KEY}, d.doc_id, d.title, d.outlet, d.published, c.start, c."end", c.attrs, c.sentence_start,
       c.subject_id, c.subject_name, c.subject_type,
       substr(t.text, coalesce(c.sentence_start, c.start) + 1,
              coalesce(c.sentence_end, c."end") - coalesce(c.sentence_start, c.start))
FROM {CURRENT} JOIN text_claims c ON c.text_pk = d.text_pk JOIN texts t ON t.text_pk = d.text_pk
WHERE d.published IS NOT NULL{{where}} AND c.counted IN ({{counted}}) AND {CLAIM_KEY} IN ({{keys}})
ORDER BY d.published, d.doc_id, c.start"""


def _filters(
    counted: str | None, subject: str | None, unit: str | None, min_stories: int, status: str | None
) -> tuple[str, list[Any]]:
    """Conditions on a claim ``x`` of the ``claims`` CTE, with their parameters."""
    where, params = ["x.stories >= ?"], list[Any]([min_stories])
    if status is not None:
        where.append("x.status = ?")
        params.append(status)
    if counted:  # what is counted, normalised (``formed``: or as any statement wrote it)
        wanted = normalise(counted)
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
        params.append(normalise(unit))
    return " AND ".join(where), params


def claims(
    store: Store, *, counted: str | None = None, subject: str | None = None, unit: str | None = None,
    outlet: str | None = None, date_from: date | None = None, date_to: date | None = None,
    min_stories: int = 1, status: str | None = None, sort: str = "stories", limit: int = 50, offset: int = 0,
) -> Claims:
    """The claims stated in articles published ``date_from``..``date_to`` (in ``outlet``),
    grouped by key and filtered; one page of them (``offset``, ``limit``) sorted by ``sort``."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status {status!r}: choose one of {', '.join(STATUSES)}")
    if sort not in SORTS:
        raise ValueError(f"sort {sort!r}: choose one of {', '.join(SORTS)}")
    window: list[Any] = []
    where = _where(date_from, date_to, outlet, window)
    newest = store.query(f"SELECT max(d.published) FROM {CURRENT} WHERE d.published IS NOT NULL{where}", window)
    if not newest or newest[0][0] is None:
        return Claims([], 0, None, offset, limit)
    as_of = _date(newest[0][0])
    # Parameters in the statement's order: the window's statements, as_of, formed, the filters.
    sql, params = (f"WITH {GROUPS.format(where=where)}, ", list(window)) if where else ("WITH ", [])
    judged = "summary" if where else "claim_groups"
    sql += f"claims AS (SELECT x.*, {_STATUS.format(as_of='?')} AS status FROM {judged} x)"
    params.append(as_of.isoformat())
    if counted:
        sql += (f", formed AS (SELECT DISTINCT {CLAIM_KEY} AS ckey FROM {CURRENT} JOIN text_claims c "
                f"ON c.text_pk = d.text_pk WHERE d.published IS NOT NULL{where} AND c.form_fold LIKE ? ESCAPE '\\')")
        params += [*window, like(counted.lower())]
    cond, more = _filters(counted, subject, unit, min_stories, status)
    params += more
    page = store.query(
        f"{sql} SELECT x.ckey, x.counted, count(*) OVER () FROM claims x WHERE {cond} ORDER BY {_ORDER[sort]} "
        "LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    if page:
        total = int(page[0][2])
    else:  # past the last page: still say how many there are
        total = int(store.query(f"{sql} SELECT count(*) FROM claims x WHERE {cond}", params)[0][0])
    found = _statements(store, where, window, [(str(k), str(c)) for k, c, _ in page], as_of)
    # A claim a write removed between the two queries is left out of the page.
    return Claims([found[str(k)] for k, _, _ in page if str(k) in found], total, as_of, offset, limit)


def _statements(
    store: Store, where: str, window: list[Any], keys: list[tuple[str, str]], as_of: date
) -> dict[str, Claim]:
    """The claims of these (key, counted) with their statements in the window, oldest first."""
    found: dict[str, Claim] = {}
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i : i + _CHUNK]
        counteds = sorted({c for _, c in chunk})
        sql = _STATEMENTS.format(where=where, counted=marks(len(counteds)), keys=marks(len(chunk)))
        for key, doc_id, title, outlet, published, q0, q1, attrs, s0, sid, name, kind, evidence in store.query(
            sql, [*window, *counteds, *(k for k, _ in chunk)]
        ):
            a = stored_json(attrs)
            claim = found.get(key)
            if claim is None:
                about = Subject(sid, name, kind) if sid is not None else None
                claim = found[key] = Claim(normalise(a.get("counted")), normalise(a.get("unit")), about, [])
            evidence = evidence or ""
            at = int(s0) if s0 is not None else int(q0)
            claim.statements.append(Statement(
                _date(published), a["value"], a.get("qualifier"), _number(a.get("lower")), _number(a.get("upper")),
                doc_id, title, outlet, evidence[int(q0) - at : int(q1) - at], evidence[:EVIDENCE_CHARS],
            ))  # fmt: skip
    for claim in found.values():
        _status(claim, as_of)
    return found
