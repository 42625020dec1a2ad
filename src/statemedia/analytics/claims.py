"""Numeric claims across articles: the same figure (what is counted, its unit, whom it is
about) followed from story to story, so a figure repeated, revised or dropped shows.

The one read model behind ``statemedia claims``, ``/claims`` and ``/api/claims``. It reads
the ``quantity`` annotations of each article's current version (with the sentence around
each and that sentence's entities) through ``store.query``, filtered in SQL by publication
day and outlet; articles without a publication day are left out, as they have no place in
a series over time.

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

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any, Literal

from ..store import Store
from ._columns import stored_json

__all__ = ["SORTS", "STATUSES", "Claim", "Claims", "Statement", "Subject", "claims", "normalise"]

Status = Literal["dropped", "revised", "repeated", "single"]
STATUSES: tuple[Status, ...] = ("repeated", "revised", "dropped", "single")
SORTS = ("stories", "latest", "counted", "subject")
DROP_MIN_STORIES = 3
DROP_MIN_DAYS = 90
DROP_GAP_FACTOR = 2
SUBJECT_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "PLACE", "FAC"})
EVIDENCE_CHARS = 600  # a run-on "sentence" (a list, a table) is cut: the figure is near its start
_CHUNK = 500  # values in one IN (...): well under SQLite's and psycopg's parameter limits
_DETERMINERS = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "my", "your", "some",
     "such", "each", "every"}
)  # fmt: skip
_PRONOUNS = frozenset(
    {"it", "they", "he", "she", "we", "i", "you", "this", "that", "these", "those", "there", "which", "who", "what"}
)
# Words ending in "s" that are not plurals (or whose singular the rules below would spoil).
_NOT_PLURAL = frozenset(["news", "series", "species", "means", "headquarters", "chassis"])
_EDGE = ",.;:!?'\"’‘“”()[]"

_QUANTITIES = """
SELECT d.doc_id, d.title, d.outlet, d.published, q.text_pk, q.start, q."end", q.attrs, s.start, s."end", s.attrs,
       substr(t.text, COALESCE(s.start, q.start) + 1, COALESCE(s."end", q."end") - COALESCE(s.start, q.start))
FROM articles a
JOIN documents d ON d.doc_pk = a.current_pk
JOIN annotations q ON q.text_pk = d.text_pk AND q.label = 'quantity'
JOIN texts t ON t.text_pk = d.text_pk
LEFT JOIN annotations s ON s.text_pk = q.text_pk AND s.label = 'sentence' AND s.start <= q.start AND q.start < s."end"
WHERE d.published IS NOT NULL"""


@dataclass(frozen=True)
class Subject:
    id: str  # an entity id, or "subject:" + the normalised grammatical subject
    name: str
    type: str  # the entity type, or "subject"


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
    forms: set[str] = field(default_factory=set, repr=False)  # counted as written, for the filter

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


def _singular(word: str) -> str:
    if len(word) <= 3 or word in _NOT_PLURAL or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    return word[:-1]


def normalise(text: str | None) -> str:
    """A phrase as a claim key holds it: lowercase words, no determiners, each singular."""
    words = [w.strip(_EDGE) or w for w in (text or "").lower().split()]
    return " ".join(_singular(w) for w in words if w and w not in _DETERMINERS)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


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


def _entities(store: Store, text_pks: Iterable[int]) -> dict[int, list[tuple[int, Subject]]]:
    """Each text's PERSON/ORG/place entities: (start, subject), in text order."""
    found: dict[int, list[tuple[int, Subject]]] = {}
    pks = sorted(set(text_pks))
    for i in range(0, len(pks), _CHUNK):
        chunk = pks[i : i + _CHUNK]
        rows = store.query(
            f"SELECT text_pk, start, attrs FROM annotations WHERE label = 'entity' "
            f"AND text_pk IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        for pk, start, raw in rows:
            a = stored_json(raw)
            if a.get("type") in SUBJECT_TYPES and a.get("id"):
                entity = Subject(a["id"], a.get("name") or a["id"], a["type"])
                found.setdefault(int(pk), []).append((int(start), entity))
    return {pk: sorted(es, key=lambda e: e[0]) for pk, es in found.items()}


def _subject(
    entities: Sequence[tuple[int, Subject]], q: tuple[int, int], sentence: tuple[int, int] | None,
    grammatical: str | None,
) -> Subject | None:
    """Whom the figure at ``q`` is about (see the module docstring)."""
    if sentence is None:
        return None
    inside = [(start, e) for start, e in entities if sentence[0] <= start < sentence[1] and not q[0] <= start < q[1]]
    before = [e for start, e in inside if start < q[0]]
    if before:
        return before[-1]
    after = [e for start, e in inside if start >= q[1]]
    if after:
        return after[0]
    name = normalise(grammatical)
    if name and name not in _PRONOUNS:
        return Subject(f"subject:{name}", name, "subject")
    return None


def _grammatical(attrs: dict[str, Any], sentence: tuple[int, int], q: tuple[int, int], evidence: str) -> str | None:
    span = attrs.get("subject")
    if not (isinstance(span, list) and len(span) == 2):
        return None
    start, end = int(span[0]), int(span[1])
    if start < q[1] and q[0] < end:  # "2.24 million Italians did not ...": the subject is the figure
        return None
    return evidence[start - sentence[0] : end - sentence[0]] or None


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


def _matches(claim: Claim, counted: str | None, subject: str | None, unit: str | None) -> bool:
    if counted:
        wanted, raw = normalise(counted), counted.lower()
        if not (wanted and wanted in claim.counted) and not any(raw in form.lower() for form in claim.forms):
            return False
    if subject:
        s, wanted = claim.subject, subject.strip().lower()
        if s is None or (s.id.lower() != wanted and wanted not in s.name.lower()):
            return False
    return not unit or claim.unit == normalise(unit)


def _sort_key(sort: str) -> Any:
    if sort == "latest":
        return lambda c: (-c.last.toordinal(), -c.stories, c.key)
    if sort == "counted":
        return lambda c: (c.counted, c.unit, c.subject.name.lower() if c.subject else "", c.key)
    if sort == "subject":
        return lambda c: (c.subject is None, c.subject.name.lower() if c.subject else "", c.counted, c.key)
    return lambda c: (-c.stories, -c.last.toordinal(), c.key)


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
    params: list[Any] = []
    where = _where(date_from, date_to, outlet, params)
    rows = store.query(f"{_QUANTITIES}{where} ORDER BY d.published, d.doc_id, q.start", params)
    newest = store.query(
        f"SELECT max(d.published) FROM articles a JOIN documents d ON d.doc_pk = a.current_pk "
        f"WHERE d.published IS NOT NULL{where}",
        params,
    )
    as_of = _date(newest[0][0]) if newest and newest[0][0] is not None else None
    entities = _entities(store, (int(r[4]) for r in rows))
    grouped: dict[str, Claim] = {}
    seen: set[tuple[str, int]] = set()
    for doc_id, title, doc_outlet, published, pk, q0, q1, q_attrs, s0, s1, s_attrs, evidence in rows:
        if (doc_id, q0) in seen:  # nested sentence annotations: one row each; the figure once
            continue
        seen.add((doc_id, q0))
        a, q = stored_json(q_attrs), (int(q0), int(q1))
        value = _number(a.get("value"))
        if value is None:
            continue
        evidence = evidence or ""
        sentence = (int(s0), int(s1)) if s0 is not None else None
        grammatical = _grammatical(stored_json(s_attrs), sentence, q, evidence) if sentence else None
        about = _subject(entities.get(int(pk), []), q, sentence, grammatical)
        at = sentence[0] if sentence else q[0]
        statement = Statement(
            _date(published), value, a.get("qualifier"), _number(a.get("lower")), _number(a.get("upper")), doc_id,
            title, doc_outlet, evidence[q[0] - at : q[1] - at], evidence[:EVIDENCE_CHARS],
        )
        claim = Claim(normalise(a.get("counted")), normalise(a.get("unit")), about, [])
        claim = grouped.setdefault(claim.key, claim)
        claim.statements.append(statement)
        claim.forms.add(str(a.get("counted") or ""))
    found = []
    for claim in grouped.values():
        _status(claim, as_of)
        if (claim.stories >= min_stories and (status is None or claim.status == status)
                and _matches(claim, counted, subject, unit)):  # fmt: skip
            found.append(claim)
    found.sort(key=_sort_key(sort))
    return Claims(found[offset : offset + limit], len(found), as_of, offset, limit)
