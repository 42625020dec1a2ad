"""Translations of one report (issue 14): the activities of a story and of its translation paired,
so that the read model counts each event once (migrations/013_activity_translations.sql).

KCNA publishes each report in English and, mostly a day later, in Spanish; both yield the same
leader activity. Two activities of the current versions are a pair when the rule below says so;
the write path (store/batch.py) keeps the pairs, as it keeps near-duplicate groups: whenever a
batch adds, re-analyses or retires a text, :func:`refresh` drops the pairs of its activities and
pairs again every activity of the same leaders published within :data:`MARGIN` days of them.
The pairing depends only on the activities stored, never on the order they came in, so a Spanish
story ingested before its English original gives the same pair as one ingested after it.

The rule (:func:`compatible`, :func:`score`): the same leader (entity id), kind and direction of
correspondence; texts in different languages (:func:`text_language`: the stopwords of the text,
as the source's language label is wrong for ~725 Spanish stories of 2011 and the capture's guess
reads only the first 100 characters); publications at most :data:`WINDOW` days apart; the
activities' own days equal where both state one, and none after either publication (unless the
texts share :data:`SAME_TEXT_NAMES` names and half of the shorter one's: a day misread); where both
have protocol lists, the same people (half the shorter list at least); and at least
:data:`MIN_NAMES` names in common between the texts (:func:`names`: proper names survive
translation, and they single out one report among the many messages and gifts of a day). Among
compatible pairs the best go first (more names shared, more people shared, the same stated day,
more entities named in both targets and places, more numbers shared, the translation a day after
the original), one-to-one; ties go by story id and place in the story. The English activity is
the one shown (else the one published first); the other is its translation. Targets are not a
condition: a Spanish target is often cut elsewhere than its English one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..analytics._columns import marks, stored_day, stored_json
from ..normalize.accents import strip_accents

if TYPE_CHECKING:
    from .batch import BatchWriter

__all__ = ["MARGIN", "MIGRATION", "MIN_NAMES", "SAME_TEXT_NAMES", "WINDOW", "Act", "compatible", "current",
           "name_words", "names", "pair", "pair_all", "refresh", "text_language"]  # fmt: skip

# The migration that makes the table (the same name in migrations/ and migrations_pg/).
MIGRATION = "activity_translations"
# The most days between a story's publication and its translation's (KCNA: mostly one).
WINDOW = 3
# How far around a changed activity pairs are made again: two windows, so that every activity
# that could compete for its partner is weighed with it.
MARGIN = 2 * WINDOW
# The fewest names (not numbers) the two texts must share: a translation keeps its story's
# people, places and organisations' proper names; two reports of one day share few of them.
MIN_NAMES = 2
# Two texts that share this many names, and half of the shorter one's, tell one report: their
# activities pair even where the days read from them differ.
SAME_TEXT_NAMES = 10
# Stopwords that tell the two services' languages apart, and how much of a text is read.
_STOPWORDS = {
    "en": re.compile(r"\b(?:the|of|and|to|in|was|were|by|with|on|his|he|at)\b", re.I),
    "es": re.compile(r"\b(?:de|la|el|los|las|en|y|del|que|por|con|su|fue)\b", re.I),
}
_SAMPLE = 3000
# Words a translation keeps as they are: names (capitalised or in capitals, three letters or more,
# accents folded) and numbers; less those in nearly every story of either service (the two
# services' own acronyms differ: DPRK / RPDC, WPK / PTC, KPA / EPC).
_NAME = re.compile(r"\b(?:[A-Z][a-z]{2,}|[A-Z]{3,}|\d+)\b")
_UBIQUITOUS = frozenset(
    ("kim", "jong", "sung", "pyongyang", "kcna", "acnc", "dprk", "rpdc", "juche", "songun", "general", "central",
     "national", "nacional")
)  # fmt: skip
_ROLES = ("entourage", "present", "hosts")
# One activity as the rule reads it: (text_pk, ord).
Key = tuple[int, int]


def names(text: str) -> frozenset[str]:
    """The names and numbers of a text that its translation keeps (lowercase, accents folded)."""
    return frozenset(w.lower() for w in _NAME.findall(strip_accents(text[:_SAMPLE]))) - _UBIQUITOUS


def text_language(text: str, stored: str | None = None) -> str | None:
    """``en`` or ``es`` where a text's stopwords say so clearly (twice the other's count, five at
    least), else the ``stored`` guess (the capture's, from the text's first characters)."""
    sample = text[:_SAMPLE]
    counts = {lang: len(pattern.findall(sample)) for lang, pattern in _STOPWORDS.items()}
    (first, n), (_, m) = sorted(counts.items(), key=lambda kv: -kv[1])
    if n >= 5 and n >= 2 * m:
        return first
    return stored or None


@dataclass(frozen=True, slots=True)
class Act:
    """What the pairing rule reads of one stored activity."""

    key: Key
    actor_id: str
    kind: str
    direction: str | None
    day: date | None  # its own day, at day precision; None where only the publication day stands in
    published: date  # the first publication of its text among the current versions
    doc_id: str  # the least story id of those
    language: str | None
    people: frozenset[str]  # ids in its protocol lists
    targets: frozenset[str]  # entity ids named in its target
    places: frozenset[str]  # entity ids named in its place
    names: frozenset[str] = frozenset()  # its text's names and numbers (:func:`names`)

    @property
    def order(self) -> tuple[str, int]:
        return self.doc_id, self.key[1]


def compatible(a: Act, b: Act) -> bool:
    """Whether ``a`` and ``b`` may be one event told in two languages (the module's rule)."""
    if a.language is None or b.language is None or a.language == b.language:
        return False
    if not a.actor_id or (a.actor_id, a.kind, a.direction) != (b.actor_id, b.kind, b.direction):
        return False
    if abs((a.published - b.published).days) > WINDOW:
        return False
    shared = name_words(a.names & b.names)
    # Days read differently from the two texts: only where the texts name the same (a date misread
    # in one language; "the same text" is half the names of the shorter one or more, ten at least).
    first = min(a.published, b.published)
    if (a.day is not None and b.day is not None and a.day != b.day) or any(
        x.day is not None and x.day > first for x in (a, b)
    ):
        smaller = min(len(name_words(a.names)), len(name_words(b.names)))
        if len(shared) < SAME_TEXT_NAMES or 2 * len(shared) < smaller:
            return False
    if a.people and b.people and 2 * len(a.people & b.people) < min(len(a.people), len(b.people)):
        return False
    return len(shared) >= MIN_NAMES


def name_words(found: frozenset[str]) -> frozenset[str]:
    """The names of :func:`names`' set, its numbers left out."""
    return frozenset(w for w in found if not w.isdigit())


def _original(a: Act, b: Act) -> tuple[Act, Act]:
    """(the activity shown, its translation): the English one, else the one published first."""
    if (a.language == "en") != (b.language == "en"):
        return (a, b) if a.language == "en" else (b, a)
    return (a, b) if (a.published, a.order) <= (b.published, b.order) else (b, a)


def score(original: Act, translation: Act) -> tuple[int, ...]:
    """How well a compatible pair agrees: higher first."""
    same_day = original.day is not None and original.day == translation.day
    lag = (translation.published - original.published).days
    shared = original.names & translation.names
    return (
        len(name_words(shared)),
        len(original.people & translation.people),
        int(same_day),
        len(original.targets & translation.targets) + len(original.places & translation.places),
        len(shared),
        -abs(lag - 1),
    )


def pair(acts: Iterable[Act]) -> list[tuple[Key, Key]]:
    """(translation, original) keys of the pairs among ``acts``: the best compatible pairs first,
    each activity in one pair at most."""
    groups: dict[tuple[str, str, str | None], list[Act]] = defaultdict(list)
    for act in acts:
        if act.actor_id and act.language is not None:
            groups[act.actor_id, act.kind, act.direction].append(act)
    candidates: list[tuple[tuple[Any, ...], Act, Act]] = []
    for group in groups.values():
        group.sort(key=lambda x: (x.published, x.order))
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if (b.published - a.published).days > WINDOW:
                    break
                if compatible(a, b):
                    original, translation = _original(a, b)
                    rank = tuple(-s for s in score(original, translation))
                    candidates.append(((*rank, original.order, translation.order), original, translation))
    candidates.sort(key=lambda c: c[0])
    taken: set[Key] = set()
    out: list[tuple[Key, Key]] = []
    for _, original, translation in candidates:
        if original.key in taken or translation.key in taken:
            continue
        taken |= {original.key, translation.key}
        out.append((translation.key, original.key))
    return out


# The current activities, with what the rule reads; ``{where}`` selects them.
_ACTS = """SELECT t.text_pk, t.ord, t.actor_id, t.kind, t.day, t.attrs, d.published, d.doc_id, d.language,
       substr(x.text, 1, {sample})
FROM text_activities t JOIN documents d ON d.text_pk = t.text_pk
JOIN articles a ON a.current_pk = d.doc_pk JOIN texts x ON x.text_pk = t.text_pk
WHERE d.published IS NOT NULL AND t.actor_id IS NOT NULL AND {where}"""


def _ids(names: Sequence[tuple[str, str]], phrase: Any) -> frozenset[str]:
    if not isinstance(phrase, str) or not phrase:
        return frozenset()
    folded = phrase.casefold()
    return frozenset(eid for eid, name in names if name and name.casefold() in folded)


def _acts(writer: BatchWriter, rows: Sequence[Any]) -> list[Act]:
    """The activities of ``_ACTS`` rows: one a (text, ord), its first current publication."""
    first: dict[Key, Any] = {}
    for row in rows:
        key = (int(row[0]), int(row[1]))
        if key not in first or (stored_day(row[6]), str(row[7])) < (stored_day(first[key][6]), str(first[key][7])):
            first[key] = row
    texts = sorted({k[0] for k in first})
    named: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for text_pk, eid, name in writer.select_in(
        "SELECT text_pk, entity_id, name FROM text_entities WHERE text_pk IN ({})", texts
    ):
        named[int(text_pk)].append((str(eid), str(name or "")))
    out: list[Act] = []
    for key, (_, _, actor_id, kind, day, attrs, published, doc_id, language, text) in sorted(first.items()):
        found = stored_json(attrs)
        entities = [(e, n) for e, n in named[key[0]] if e != actor_id]
        people = frozenset(
            str(m["id"])
            for role in _ROLES
            if isinstance(found.get(role), list)
            for m in found[role]
            if isinstance(m, Mapping) and m.get("id") is not None
        )
        direction = found.get("direction")
        # The publication day stands in where the story states none: no day of its own to compare.
        own = stored_day(day) if found.get("date_source") != "published" else None
        out.append(Act(
            key, str(actor_id), str(kind), str(direction) if direction else None, own,
            stored_day(published) or date.min, str(doc_id), text_language(str(text or ""), language),
            people, _ids(entities, found.get("target")), _ids(entities, found.get("place")),
            names(str(text or "")),
        ))  # fmt: skip
    return out


def _links(writer: BatchWriter, column: str, pks: Sequence[int]) -> list[tuple[Key, Key]]:
    return [
        ((int(r[0]), int(r[1])), (int(r[2]), int(r[3])))
        for r in writer.select_in(
            f"SELECT text_pk, ord, of_text_pk, of_ord FROM activity_translations WHERE {column} IN ({{}})", pks
        )
    ]


def _insert(writer: BatchWriter, pairs: Iterable[tuple[Key, Key]]) -> None:
    writer.insert("activity_translations", ("text_pk", "ord", "of_text_pk", "of_ord"), [(*t, *o) for t, o in pairs])


def _delete(writer: BatchWriter, links: Iterable[tuple[Key, Key]]) -> None:
    writer.many("DELETE FROM activity_translations WHERE text_pk = ? AND ord = ?", [t for t, _ in links])


def refresh(writer: BatchWriter, text_pks: Iterable[int]) -> None:
    """Pair again the activities of ``text_pks`` (added, analysed again, or gaining or losing a
    current version) and of every current text of the same leaders published within
    :data:`MARGIN` days of them; pairs with activities further away stay."""
    pks = sorted({int(pk) for pk in text_pks})
    if not pks:
        return
    old = set(_links(writer, "text_pk", pks)) | set(_links(writer, "of_text_pk", pks))
    _delete(writer, old)
    seeds = _acts(writer, writer.select_in(_ACTS.format(sample=_SAMPLE, where="t.text_pk IN ({})"), pks))
    partners = sorted({k[0] for link in old for k in link} - set(pks))
    if partners:
        seeds += _acts(writer, writer.select_in(_ACTS.format(sample=_SAMPLE, where="t.text_pk IN ({})"), partners))
    if not seeds:
        return
    # Seeds days apart are paired apart (a batch of stories from all over a year reads the
    # neighbourhoods of its days, not the whole year).
    seeds.sort(key=lambda a: a.published)
    cluster = [seeds[0]]
    for seed in seeds[1:]:
        if (seed.published - cluster[-1].published).days > 2 * MARGIN:
            _pair_around(writer, cluster)
            cluster = []
        cluster.append(seed)
    _pair_around(writer, cluster)


def _pair_around(writer: BatchWriter, seeds: Sequence[Act]) -> None:
    """Pair anew the current activities of the seeds' leaders published from :data:`MARGIN` days
    before the first seed to as many after the last; a pair with an activity outside stays."""
    actors = sorted({s.actor_id for s in seeds})
    low = seeds[0].published - timedelta(days=MARGIN)
    high = seeds[-1].published + timedelta(days=MARGIN)
    region = {
        a.key: a
        for a in _acts(writer, writer.sql(
            _ACTS.format(sample=_SAMPLE, where=f"t.actor_id IN ({marks(len(actors))}) AND d.published >= ? "
                         "AND d.published <= ?"),
            [*actors, low.isoformat(), high.isoformat()],
        ))
    }  # fmt: skip
    texts = sorted({k[0] for k in region})
    links = set(_links(writer, "text_pk", texts)) | set(_links(writer, "of_text_pk", texts))
    inside = {link for link in links if link[0] in region and link[1] in region}
    _delete(writer, inside)
    taken = {k for link in links - inside for k in link}
    _insert(writer, pair(a for k, a in region.items() if k not in taken))


def current(writer: BatchWriter) -> list[Act]:
    """Every current activity of a store, as the rule reads it."""
    return _acts(writer, writer.sql(_ACTS.format(sample=_SAMPLE, where="1 = 1")))


def pair_all(writer: BatchWriter) -> None:
    """Pair every current activity of a store anew (a store analysed before the table existed)."""
    writer.sql("DELETE FROM activity_translations")
    _insert(writer, pair(current(writer)))
