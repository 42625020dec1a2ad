"""Numeric claims across articles: the same figure (what is counted, its unit, whom it is
about) followed from story to story, so a figure repeated, revised or dropped shows.

The one read model behind ``statemedia claims``, ``/claims`` and ``/api/claims``. It asks
the store (``store.query``) for the figures of each article's current version, each keyed
when its text was stored (``text_claims``, store/layers.py), filtered in SQL by publication
day and outlet; articles without a publication day are left out, as they have no place in
a series over time. The database groups, judges, filters, sorts and pages the claims: those
of the whole corpus as the write path keeps them judged (``claim_groups``), those of a window
of days or an outlet from their statements. Then for the page's claims it reads each one's
summary (statements, first day, lowest and highest value, the values stated, the latest change)
and a bounded number of its statements: the first and the latest ``statements`` (``[web]
claim_statements``), however often a claim is repeated; ``claim`` reads one claim's
statements a page at a time (analytics/claim_reads.py holds the SQL).

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

from collections.abc import MutableMapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Literal

from ..store import Store
from ..store.layers import CLAIM_KEY, CURRENT, GROUPS, SHOWN_STATEMENTS
from . import claim_reads as sql
from ._columns import stored_json
from .claim_keys import Subject, normalise
from .quotations import like

__all__ = ["SORTS", "STATEMENTS", "STATUSES", "Change", "Claim", "ClaimStatements", "Claims", "Statement", "Subject",
           "claim", "claims", "normalise"]  # fmt: skip

Status = Literal["dropped", "revised", "repeated", "single"]
STATUSES: tuple[Status, ...] = ("repeated", "revised", "dropped", "single")
SORTS = ("stories", "latest", "counted", "subject")
DROP_MIN_STORIES = 3
DROP_MIN_DAYS = 90
DROP_GAP_FACTOR = 2
EVIDENCE_CHARS = 600  # a run-on "sentence" (a list, a table) is cut: the figure is near its start
STATEMENTS = 10  # the latest statements of each claim of a page ([web] claim_statements says why)
_STATUS = sql.STATUS.format(drop_stories=DROP_MIN_STORIES, drop_days=DROP_MIN_DAYS, drop_factor=DROP_GAP_FACTOR,
                            as_of="?")  # fmt: skip


def _fields(obj: Any) -> dict[str, Any]:
    """A flat dataclass's fields as a dict (its lists copied)."""
    return {f.name: list(v) if isinstance(v := getattr(obj, f.name), list) else v for f in fields(obj)}


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


@dataclass(frozen=True)
class Change:
    """The latest story whose values differ from those of the story before it."""

    day: date
    values: list[float]  # that story's value; of a story of several, its lowest and highest
    before: date  # the story before it
    previous: list[float]


@dataclass
class Claim:
    counted: str
    unit: str
    subject: Subject | None  # as first stated
    # Oldest first: in a page of claims, the first and the latest ``statements``; from ``claim``, one page.
    statements: list[Statement]
    status: Status = "single"
    since: date | None = None  # dropped: the last day it was stated
    stories: int = 0
    first: date | None = None
    last: date | None = None
    count: int = 0  # statements in all (a story may state a claim twice)
    first_value: float | None = None
    last_value: float | None = None
    low: float | None = None
    high: float | None = None
    values: list[float] = field(default_factory=list)  # each once, by the day first stated (then value)
    change: Change | None = None

    @property
    def key(self) -> str:
        return f"{self.counted}|{self.unit}|{self.subject.id if self.subject else ''}"

    def to_dict(self, statements: bool = True) -> dict[str, Any]:
        # Field by field, not dataclasses.asdict: it deep-copies every statement and value, and a
        # page of claims has thousands (most of /api/claims' time at 1M stories).
        out: dict[str, Any] = {
            "key": self.key, "counted": self.counted, "unit": self.unit,
            "subject": _fields(self.subject) if self.subject else None, "status": self.status,
            "since": self.since, "stories": self.stories, "first": self.first, "last": self.last,
            "first_value": self.first_value, "last_value": self.last_value, "min": self.low, "max": self.high,
            "values": list(self.values), "change": _fields(self.change) if self.change else None,
            "statement_count": self.count,
        }  # fmt: skip
        if statements:
            out["statements"] = [_fields(s) for s in self.statements]
        return out


@dataclass
class Claims:
    items: list[Claim]  # this page
    total: int  # claims matching the filters
    as_of: date | None  # the newest story in the window read: "dropped" is judged up to it
    offset: int
    limit: int
    statements: int | None = STATEMENTS  # the latest statements given per claim; None: all

    def to_dict(self) -> dict[str, Any]:
        return {"items": [c.to_dict() for c in self.items], "total": self.total, "as_of": self.as_of,
                "offset": self.offset, "limit": self.limit, "statements": self.statements}  # fmt: skip


@dataclass
class ClaimStatements:
    """One claim (its summary) and one page of its statements (``claim.statements``, oldest first)."""

    claim: Claim
    as_of: date
    offset: int
    limit: int

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.claim.to_dict(statements=False), "items": [_fields(s) for s in self.claim.statements],
                "total": self.claim.count, "as_of": self.as_of, "offset": self.offset, "limit": self.limit}  # fmt: skip


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _plain(value: Any) -> float:
    """A stored value as the annotation wrote it: whole numbers as ints (the REAL column makes floats)."""
    number = float(value)
    return int(number) if number.is_integer() else number


def _as_of(store: Store, where: str, window: list[Any]) -> date | None:
    newest = store.query(f"SELECT max(d.published) FROM {CURRENT} WHERE d.published IS NOT NULL{where}", window)
    return _date(newest[0][0]) if newest and newest[0][0] is not None else None


def _judged(where: str, window: list[Any], as_of: date, narrow: tuple[str, list[Any]]) -> tuple[str, list[Any]]:
    """A WITH clause ending in ``claims``: each claim with its status, those of the whole corpus as
    the write path keeps them (``claim_groups``), those of a window from its statements (``narrow``:
    only some claims' statements, when only those are asked for)."""
    if where:
        head, params = f"WITH {GROUPS.format(where=where + narrow[0])}, ", [*window, *narrow[1]]
    else:
        head, params = "WITH ", []
    judged = "summary" if where else "claim_groups"
    params.append(as_of.isoformat())
    return head + f"claims AS (SELECT x.*, {_STATUS} AS status FROM {judged} x)", params


_PAGE = "SELECT x.ckey, x.counted, x.unit, x.subject_id, x.status, x.stories, x.last, count(*) OVER () FROM claims x"


def claims(
    store: Store, *, counted: str | None = None, subject: str | None = None, unit: str | None = None,
    outlet: str | None = None, date_from: date | None = None, date_to: date | None = None,
    min_stories: int = 1, status: str | None = None, sort: str = "stories", limit: int = 50, offset: int = 0,
    statements: int | None = STATEMENTS, known: MutableMapping[str, Claim] | None = None,
) -> Claims:
    """The claims stated in articles published ``date_from``..``date_to`` (in ``outlet``),
    grouped by key and filtered; one page of them (``offset``, ``limit``) sorted by ``sort``,
    each with its first and its latest ``statements`` statements (None: all of them).

    ``known``: claims by key read before for the same window, bound and state of the corpus (the
    caller keeps them, web/claims.py): only the page's others are read, and then kept there."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status {status!r}: choose one of {', '.join(STATUSES)}")
    if sort not in SORTS:
        raise ValueError(f"sort {sort!r}: choose one of {', '.join(SORTS)}")
    if statements is not None and statements < 1:
        raise ValueError(f"statements {statements}: at least 1")
    window: list[Any] = []
    where = sql.window(date_from, date_to, outlet, window)
    as_of = _as_of(store, where, window)
    if as_of is None:
        return Claims([], 0, None, offset, limit, statements)
    # Parameters in the statement's order: the window's statements, as_of, formed, the filters.
    cte, params = _judged(where, window, as_of, ("", []))
    if counted:
        cte += (f", formed AS (SELECT DISTINCT {CLAIM_KEY} AS ckey FROM {CURRENT} JOIN text_claims c "
                f"ON c.text_pk = d.text_pk WHERE d.published IS NOT NULL{where} AND c.form_fold LIKE ? ESCAPE '\\')")
        params += [*window, like(counted.lower())]
    cond, more = sql.filters(counted, subject, unit, min_stories, status, fold=normalise, like=like)
    params += more
    page = store.query(f"{cte} {_PAGE} WHERE {cond} ORDER BY {sql.ORDER[sort]} LIMIT ? OFFSET ?",
                       [*params, limit, offset])  # fmt: skip
    if page:
        total = int(page[0][7])
    else:  # past the last page: still say how many there are
        total = int(store.query(f"{cte} SELECT count(*) FROM claims x WHERE {cond}", params)[0][0])
    keep = ("x.r = 1 OR x.latest <= ?", [statements]) if statements is not None else ("1 = 1", [])
    # The whole corpus's claims show the statements the write path keeps, where it keeps as many.
    kept = statements if not where and statements is not None and statements <= SHOWN_STATEMENTS else None
    had = {str(r[0]): c for r in page if known is not None and (c := known.get(str(r[0]))) is not None}
    read = _fill(store, where, window, [r for r in page if str(r[0]) not in had], keep, kept=kept)
    if known is not None:
        known.update(read)
    found = [c for r in page if (c := had.get(str(r[0])) or read.get(str(r[0]))) is not None]
    return Claims(found, total, as_of, offset, limit, statements)


def claim(
    store: Store, key: str, *, outlet: str | None = None, date_from: date | None = None,
    date_to: date | None = None, limit: int = 50, offset: int = 0,
) -> ClaimStatements | None:
    """The claim ``key`` (``Claim.key``) as stated in the window, with one page of its statements,
    oldest first; None when it is not stated there. Only that claim's statements are read."""
    known = store.query("SELECT counted, unit, subject_id FROM claim_groups WHERE ckey = ?", [key])
    window: list[Any] = []
    where = sql.window(date_from, date_to, outlet, window)
    as_of = _as_of(store, where, window) if known else None
    if as_of is None:
        return None
    narrow = sql.keyed([(str(known[0][0]), str(known[0][1]), known[0][2])])
    cte, params = _judged(where, window, as_of, narrow)
    page = store.query(f"{cte} {_PAGE} WHERE x.ckey = ?", [*params, key])
    # The first and the latest statement are read whatever the page: the subject as first stated,
    # the first and the latest value.
    keep = ("x.r = 1 OR x.latest = 1 OR (x.r > ? AND x.r <= ?)", [offset, offset + limit])
    found = _fill(store, where, window, page, keep, shown=(offset, offset + limit))
    return ClaimStatements(found[key], as_of, offset, limit) if key in found else None


def _fill(
    store: Store, where: str, window: list[Any], page: list[Any], keep: tuple[str, list[Any]],
    shown: tuple[int, int] | None = None, kept: int | None = None,
) -> dict[str, Claim]:
    """The claims of ``page`` (rows of ``_PAGE``) by key with their summaries and the statements
    ``keep`` keeps (with ``shown``, only those numbered over its first and up to its second; with
    ``kept``, the first and ``kept`` latest as the write path keeps them, which ``keep`` must match)."""
    keys: list[sql.Key] = [(str(r[1]), str(r[2]), r[3]) for r in page]
    found: dict[str, Claim] = {}
    for key, counted, unit, _, status, stories, last, _ in page:
        found[str(key)] = Claim(str(counted), str(unit), None, [], status, _date(last) if status == "dropped" else None,
                                int(stories), None, _date(last))  # fmt: skip
    values: dict[str, list[tuple[date, float]]] = {}  # (the day first stated, value)
    moved: dict[str, dict[str, tuple[date, list[float]]]] = {}
    # The whole corpus's summaries as the write path keeps them; a window's from its statements.
    summaries = sql.summary_rows(store, where, window, keys) if where else sql.kept_rows(store, keys)
    for kind, key, n, day, value, high in summaries:
        c = found.get(key)
        if c is None:
            continue
        if kind == "all":
            c.count, c.first, c.low, c.high = int(n), _date(day), _plain(value), _plain(high)
        elif kind == "value":
            values.setdefault(key, []).append((_date(day), _plain(value)))
        elif kind == "values":  # kept: already in order
            c.values = [_plain(v) for v in value]
        else:  # a story of one value, or its lowest and highest
            moved.setdefault(key, {})[kind] = (_date(day), sorted({_plain(value), _plain(high)}))
    for key, c in found.items():
        if key in values:
            c.values = [v for _, v in sorted(values[key])]
        story = moved.get(key, {})
        if "change" in story and "before" in story:
            c.change = Change(story["change"][0], story["change"][1], story["before"][0], story["before"][1])
    rows, unkept = sql.kept_statement_rows(store, keys, kept) if kept is not None else ([], keys)
    for row in [*rows, *sql.statement_rows(store, where, window, unkept, *keep)]:
        key, r, latest, doc_id, title, outlet, published, q0, q1, attrs, s0, sid, name, kind, evidence = row
        c = found.get(key)
        if c is None:
            continue
        a = stored_json(attrs)
        if int(r) == 1:
            c.first_value, c.subject = a["value"], Subject(sid, name, kind) if sid is not None else None
        if int(latest) == 1:
            c.last_value = a["value"]
        if shown is not None and not shown[0] < int(r) <= shown[1]:
            continue
        evidence = evidence or ""
        at = int(s0) if s0 is not None else int(q0)
        c.statements.append(Statement(
            _date(published), a["value"], a.get("qualifier"), _number(a.get("lower")), _number(a.get("upper")),
            doc_id, title, outlet, evidence[int(q0) - at : int(q1) - at], evidence[:EVIDENCE_CHARS],
        ))  # fmt: skip
    # A claim a write removed between the queries is left out of the page.
    return {k: c for k, c in found.items() if c.count}
