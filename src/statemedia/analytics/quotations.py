"""Who is quoted saying what across a corpus: the ``quote`` layer as records, filters and counts.

Like the activity log, :func:`quotations`, :func:`select` and :func:`speakers` take analysed
:class:`Document` objects *or* their JSON results (``report.to_json``), so a JSON Lines dump of
``statemedia analyze`` and a corpus analysed on the fly give the same records. A store is asked
instead (:func:`stored`): the same filters and counts, worked out by the database over its
quotation table (migrations/005_claims_quotations.sql), one page of records per request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model import Document
from ._columns import marks, stored_day, stored_json

__all__ = ["SPEECH", "UNNAMED", "Filter", "Found", "Quotation", "counts", "like", "page", "quotation_from_attrs",
           "quotations", "select", "speakers", "stored"]  # fmt: skip

# Quotation kinds that are somebody's words (the others are titles, slogans, scare quotes).
SPEECH = ("direct", "indirect", "quoted")
# Speakers that name no one unless linked to an entity ("It said that ...").
UNNAMED = frozenset({"he", "she", "it", "they", "we", "i", "you"})


@dataclass(frozen=True, slots=True)
class Quotation:
    doc_id: str
    published: date | None
    title: str | None
    kind: str
    text: str
    speaker: str | None
    speaker_id: str | None
    speaker_name: str | None
    verb: str | None
    start: int
    end: int

    @property
    def who(self) -> str | None:
        """The speaker as an analyst reads it: the linked entity's name, else the words."""
        return self.speaker_name or self.speaker

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "published": self.published.isoformat() if self.published else None,
            "title": self.title,
            "kind": self.kind,
            "speaker": self.who,
            "speaker_id": self.speaker_id,
            "verb": self.verb,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


def _record(doc_id: str, published: date | None, title: str | None, text: str, ann: Mapping[str, Any]) -> Quotation:
    start, end = int(ann["start"]), int(ann["end"])
    return quotation_from_attrs(doc_id, published, title, text[start:end], ann["attrs"], start, end)


def quotation_from_attrs(
    doc_id: str, published: date | None, title: str | None, covered: str, a: Mapping[str, Any], start: int, end: int
) -> Quotation:
    """The quotation a ``quote`` annotation (its attributes, the text it covers) describes."""
    return Quotation(
        doc_id=doc_id,
        published=published,
        title=title,
        kind=str(a.get("kind")),
        text=covered,
        speaker=a.get("speaker"),
        speaker_id=a.get("speaker_id"),
        speaker_name=a.get("speaker_name"),
        verb=a.get("verb"),
        start=start,
        end=end,
    )


def quotations(items: Iterable[Document | Mapping[str, Any]]) -> Iterator[Quotation]:
    """The quotations of analysed documents or JSON results, in input and text order."""
    for item in items:
        if isinstance(item, Document):
            for ann in item.spans("quote"):
                yield _record(item.id, item.published, item.title, item.text, ann.to_dict())
            continue
        document = item.get("document") or {}
        raw = document.get("date")
        published = date.fromisoformat(raw[:10]) if raw else None
        for ann in item.get("annotations") or ():
            if ann.get("label") == "quote":
                yield _record(str(document.get("id")), published, document.get("title"), document.get("text", ""), ann)


def select(
    items: Iterable[Quotation],
    *,
    speaker: str | None = None,
    kinds: Iterable[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    contains: str | None = None,
) -> Iterator[Quotation]:
    """Filter by speaker (entity id, or words of the name or phrase, any case), kind, publication
    day and words in the quotation."""
    wanted = set(kinds) if kinds else None
    who = speaker.casefold() if speaker else None
    words = contains.casefold() if contains else None
    for q in items:
        if who and who != (q.speaker_id or "").casefold() and who not in (q.who or "").casefold():
            continue
        if wanted is not None and q.kind not in wanted:
            continue
        if (start and (q.published is None or q.published < start)) or (
            end and (q.published is None or q.published > end)
        ):
            continue
        if words and words not in q.text.casefold():
            continue
        yield q


def speakers(items: Iterable[Quotation]) -> list[dict[str, Any]]:
    """Speakers by the number of quotations (direct and reported) they are given: linked
    speakers by entity, others by their words in any case; a pronoun nobody could be linked
    to ("It said that ...") names no one and is left out."""
    counts: Counter[str] = Counter()
    names: dict[str, tuple[str | None, str]] = {}
    kinds: dict[str, Counter[str]] = {}
    for q in items:
        who = q.who
        if q.kind not in SPEECH or not who or (q.speaker_id is None and who.casefold() in UNNAMED):
            continue
        key = q.speaker_id or who.casefold()
        names.setdefault(key, (q.speaker_id, who))
        counts[key] += 1
        kinds.setdefault(key, Counter())[q.kind] += 1
    return [
        {"speaker": names[key][1], "speaker_id": names[key][0], "quotations": n, **{k: kinds[key][k] for k in SPEECH}}
        for key, n in counts.most_common()
    ]



@dataclass(frozen=True, slots=True)
class Found:
    """One page of the quotations a filter selects, how many it selects and their top speakers."""

    items: list[Quotation]
    total: int
    speakers: list[dict[str, Any]]  # as :func:`speakers` counts them over all selected, most quoted first


# The store's query (``Store.query``, or the read model's locked one): SQL with ``?`` placeholders.
Rows = Callable[[str, Sequence[Any]], list[Any]]
_FROM = "articles a JOIN documents d ON d.doc_pk = a.current_pk JOIN text_quotations q ON q.text_pk = d.text_pk"
# Documents in publication order, each joined to its article and quotations: written as CROSS JOINs so
# that SQLite walks the publication-date index and stops after the page, where a plan that starts from
# the quotations sorts every one first (as Corpus.spans; PostgreSQL plans as it likes).
_WALK = (
    "documents d CROSS JOIN articles a CROSS JOIN text_quotations q "
    "WHERE a.current_pk = d.doc_pk AND q.text_pk = d.text_pk AND"
)
# Oldest story first, each story's quotations last first: the order the log has always had.
_ORDER = "d.published, d.doc_pk, q.start DESC, q.ord DESC"


def like(words: str) -> str:
    """A LIKE pattern for ``words`` anywhere (``ESCAPE '\\'``). Both sides are case-folded already,
    so SQLite's ASCII-insensitive LIKE and PostgreSQL's sensitive one agree with ``in``."""
    return "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass(frozen=True)
class Filter:
    """What :func:`select` filters by, as SQL over the store's quotation table (``q``) and documents (``d``)."""

    speaker: str | None = None
    kinds: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    contains: str | None = None

    def sql(self) -> tuple[str, list[Any]]:
        where, params = ["1 = 1"], list[Any]()
        if self.kinds:
            where.append(f"q.kind IN ({marks(len(self.kinds))})")
            params += self.kinds
        who = self.speaker.casefold() if self.speaker else None
        if who:
            where.append("(q.id_fold = ? OR q.who_fold LIKE ? ESCAPE '\\')")
            params += [who, like(who)]
        for bound, op in ((self.start, ">="), (self.end, "<=")):
            if bound is not None:
                where.append(f"d.published {op} ?")
                params.append(bound.isoformat())  # ISO text: compared as text on SQLite, cast to date on PostgreSQL
        words = self.contains.casefold() if self.contains else None
        if words:
            where.append("q.text_fold LIKE ? ESCAPE '\\'")
            params.append(like(words))
        return " AND ".join(where), params

    @property
    def narrow(self) -> bool:
        """Whether it selects by speaker or words: few quotations, found faster from them than in story order."""
        return bool(self.speaker or self.contains)


def counts(rows: Rows, f: Filter, top: int = 20) -> tuple[int, list[dict[str, Any]]]:
    """How many quotations ``f`` selects, and its ``top`` speakers as :func:`speakers` counts them:
    ties in the order first quoted (as Counter.most_common keeps them), each named as first quoted."""
    cond, params = f.sql()
    total = int(rows(f"SELECT count(*) FROM {_FROM} WHERE {cond}", params)[0][0])
    counted = rows(
        f"WITH found AS (SELECT q.speaker_key, q.kind, q.speaker_id, q.attrs, ROW_NUMBER() OVER (ORDER BY {_ORDER}) "
        f"AS pos FROM {_FROM} WHERE {cond} AND q.speaker_key IS NOT NULL), "
        "counts AS (SELECT speaker_key, count(*) AS n, min(pos) AS earliest, "
        + ", ".join(f"sum(CASE WHEN kind = '{k}' THEN 1 ELSE 0 END) AS {k}" for k in SPEECH)
        + " FROM found GROUP BY speaker_key) "
        f"SELECT f.speaker_id, f.attrs, c.n, {', '.join(f'c.{k}' for k in SPEECH)} FROM counts c "
        "JOIN found f ON f.pos = c.earliest ORDER BY c.n DESC, c.earliest LIMIT ?",
        [*params, top],
    )
    found = []
    for speaker_id, attrs, n, *by_kind in counted:
        a = stored_json(attrs)
        by = {k: int(v) for k, v in zip(SPEECH, by_kind, strict=True)}
        found.append({"speaker": a.get("speaker_name") or a.get("speaker"), "speaker_id": speaker_id,
                      "quotations": int(n), **by})  # fmt: skip
    return total, found


def page(rows: Rows, f: Filter, *, limit: int, offset: int = 0) -> list[Quotation]:
    """The quotations ``f`` selects, ``offset`` to ``offset + limit`` in the log's order; the texts of
    those alone are read."""
    cond, params = f.sql()
    source = f"{_FROM} WHERE" if f.narrow else _WALK
    found = rows(
        'SELECT p.doc_id, p.published, p.title, p.attrs, substr(x.text, p.start + 1, p."end" - p.start), p.start, '
        'p."end" FROM (SELECT d.doc_id, d.published, d.title, d.doc_pk, d.text_pk, q.attrs, q.start, q."end", q.ord '
        f"FROM {source} {cond} ORDER BY {_ORDER} LIMIT ? OFFSET ?) p JOIN texts x ON x.text_pk = p.text_pk "
        "ORDER BY p.published, p.doc_pk, p.start DESC, p.ord DESC",
        [*params, limit, offset],
    )
    return [
        quotation_from_attrs(str(doc_id), stored_day(day), title, str(covered), stored_json(attrs), int(q0), int(q1))
        for doc_id, day, title, attrs, covered, q0, q1 in found
    ]


def stored(rows: Rows, f: Filter, *, limit: int, offset: int = 0, top: int = 20) -> Found:
    """:func:`select` over the quotations of a store's current versions, one page of them, and
    :func:`speakers` of all it selects (the ``top`` first): filtered, counted and paged by the database."""
    return Found(page(rows, f, limit=limit, offset=offset), *counts(rows, f, top))
