"""Protocol lists: the officials KCNA names around a leader's activity, by role, in protocol order.

KCNA lists the people around a leader in set formulas, each with its role:

* ``entourage``, those who accompanied him: "He was accompanied by A, title, B, title and C",
  "Accompanying him were ...", "Kim Jong Un, together with A and B, visited ...";
* ``present``, those present or attending: "Present there were ...", "Among the audience
  were ...", "Attending the meeting were ...", "... were on hand";
* ``hosts``, those who greeted, welcomed or saw him off: "He was greeted on the spot by ...",
  "He was seen off by ...".

The formulas are data (``data/entourage.json``, ``formulas``: pattern, role, where the names
stand, counts from ``tools/mine_protocol_lists.py``, the reason for each); this module reads
them. Names are linked to the gazetteer of officials (``data/gazetteer.tsv``), across
romanisation variants ("Hwang Phyong So" = "Hwang Pyong So", folded by ``lookup_folds``);
a name the gazetteer lacks still comes out when it looks like a Korean name (a family name
and one or two romanised syllables), spelt in one canonical way (``given_variants``,
``surname_variants``) with the id ``person:<slug>``. Text taken from the live site glues
names to their neighbours ("Present there wereJo Yong Won,"); lists are read on a view of
the sentence with those seams opened, and offsets point into the original text.

:func:`protocol_lists` is what the activity extractor calls; :func:`scan_sentence` tells,
for one sentence, which formulas matched, what they listed and why a list was not taken
(another subject's suite, the other side of a meeting), for the mining tool.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..datafiles import read_text
from .gazetteer import Entry, Gazetteer, load_gazetteer, slugify

__all__ = [
    "ROLES",
    "EntourageRules",
    "Formula",
    "ListFound",
    "Member",
    "canonical_name",
    "dedupe",
    "find_people",
    "load_rules",
    "parse_list",
    "protocol_lists",
    "scan_sentence",
    "unglued",
]

ROLES = ("entourage", "present", "hosts")
# Seams the live site leaves where it set a name in bold: "wereJo", "IlFoundation".
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_CLOSED = (".", "!", "?", '"', "”", "’", ")")


@dataclass(frozen=True, slots=True)
class Member:
    """One person in a list: canonical name, id (gazetteer id or ``person:<slug>``), titles as worded."""

    name: str
    id: str
    titles: tuple[str, ...]
    start: int
    end: int
    linked: bool

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "id": self.id, "titles": list(self.titles), "linked": self.linked}


@dataclass(frozen=True, slots=True)
class Formula:
    """One way KCNA introduces a protocol list (``data/entourage.json``, ``formulas``)."""

    id: str
    role: str
    pattern: re.Pattern[str]
    names: str  # "after" the cue or "before" it
    leader_subject: bool  # "was accompanied by": only when the leader is the subject
    lead_only: bool  # "together with": only in the activity's own sentence
    until_verb: bool  # the list ends at the sentence's verb ("together with A, B, visited ...")


@dataclass(frozen=True, slots=True)
class EntourageRules:
    korean_name: re.Pattern[str]
    surname_variants: dict[str, str]
    title_split: re.Pattern[str]
    noise: re.Pattern[str]
    rank: re.Pattern[str]
    formulas: tuple[Formula, ...]
    keywords: re.Pattern[str]
    leader_subject: re.Pattern[str]
    chained: re.Pattern[str]
    list_stops: re.Pattern[str]
    verbs: re.Pattern[str]
    side: tuple[re.Pattern[str], ...]
    clause: re.Pattern[str]
    title_end: re.Pattern[str]
    own_side: re.Pattern[str]
    not_person_after: re.Pattern[str]
    given_variants: dict[str, str]
    lookup_folds: tuple[tuple[re.Pattern[str], str], ...]


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@cache
def load_rules() -> EntourageRules:
    text = read_text("entourage.json")
    data: dict[str, Any] = json.loads(text)
    syllable = data["syllable"]
    # A given-name syllable is capitalised ("Ryong Hae"), or lower case after a hyphen ("Ryong-hae").
    upper = rf"(?=[A-Z][a-z]*(?![\w'’]))(?i:{syllable})(?![\w'’])"
    lower = rf"(?=[a-z]+(?![\w'’]))(?:{syllable})(?![\w'’])"
    surnames = "|".join(sorted(data["surnames"], key=len, reverse=True))
    given = rf"(?:\s+{upper}(?:-{lower}|\s+{upper})?)"
    korean_name = re.compile(rf"(?<![\w'’\-])(?:{surnames}){given}(?![\w\-])")
    lists = data["lists"]
    formulas = tuple(
        Formula(
            id=f["id"],
            role=f["role"],
            pattern=re.compile(f["pattern"]),
            names=f.get("names", "after"),
            leader_subject=bool(f.get("leader_subject", False)),
            lead_only=bool(f.get("lead_only", False)),
            until_verb=bool(f.get("until_verb", False)),
        )
        for f in data["formulas"]
    )
    unknown = {f.role for f in formulas} - set(ROLES)
    if unknown:
        raise ValueError(f"entourage.json: unknown role(s) {sorted(unknown)}; roles are {ROLES}")
    return EntourageRules(
        korean_name=korean_name,
        surname_variants=dict(data["surname_variants"]),
        title_split=re.compile(data["title_split"]),
        noise=re.compile(data["leading_noise"]),
        rank=re.compile(data["rank"]),
        formulas=formulas,
        keywords=re.compile(lists["keywords"]),
        leader_subject=re.compile(lists["leader_subject"], re.S),
        chained=re.compile(lists["chained"]),
        list_stops=_alternation(lists["stops"]),
        verbs=_alternation(lists["verbs"]),
        side=tuple(re.compile(p) for p in lists["side"]),
        own_side=re.compile(lists["own_side"]),
        clause=re.compile(lists["clause"]),
        title_end=re.compile(lists["title_end"]),
        not_person_after=re.compile(data["not_person_after"]),
        given_variants=dict(data["given_variants"]),
        lookup_folds=tuple((re.compile(a), b) for a, b in data["lookup_folds"]),
    )


# -- names ------------------------------------------------------------------------------------


def canonical_name(surface: str, rules: EntourageRules | None = None) -> str:
    """One spelling for a Korean name the gazetteer lacks.

    'Choe Ryong-hae' → 'Choe Ryong Hae'; 'Rhee Yong Ho' → 'Ri Yong Ho'; 'Kim Phyong Il' →
    'Kim Pyong Il'; 'Pak Myong Chul' → 'Pak Myong Chol' (``surname_variants``, ``given_variants``).
    """
    rules = rules or load_rules()
    parts = [p.capitalize() for p in re.split(r"[\s\-]+", surface.strip()) if p]
    if not parts:
        return surface
    parts[0] = rules.surname_variants.get(parts[0], parts[0])
    parts[1:] = [rules.given_variants.get(p, p) for p in parts[1:]]
    return " ".join(parts)


def _fold(name: str, rules: EntourageRules) -> str:
    """A key that romanisation variants of one name share: aspiration, voicing, South Korean vowels."""
    parts = canonical_name(name, rules).lower().split()
    folded = parts[:1]
    for part in parts[1:]:
        for pattern, replacement in rules.lookup_folds:
            part = pattern.sub(replacement, part)
        folded.append(part)
    return " ".join(folded)


@cache
def _folded_index(gazetteer: Gazetteer) -> dict[str, Entry | None]:
    """Gazetteer people by folded name; a key two people share maps to None (no guess)."""
    rules = load_rules()
    index: dict[str, Entry | None] = {}
    for entry in gazetteer.entries.values():
        if entry.type != "PERSON":
            continue
        for alias in (entry.name, *entry.aliases):
            key = _fold(alias, rules)
            if key in index and index[key] is not None and index[key] != entry:
                index[key] = None
            else:
                index.setdefault(key, entry)
    return index


def _link(surface: str, name: str, gazetteer: Gazetteer, rules: EntourageRules) -> Entry | None:
    entry = gazetteer.lookup(surface) or gazetteer.lookup(name)
    if entry is None:
        entry = _folded_index(gazetteer).get(_fold(name, rules))
    return entry if entry is not None and entry.type == "PERSON" else None


def find_people(
    text: str, start: int, end: int, gazetteer: Gazetteer | None = None
) -> Iterator[tuple[int, int, str, str, bool]]:
    """Person names in ``text[start:end]``: (start, end, canonical name, id, linked), in text order.

    A Korean-looking name that is part of a longer gazetteer name ("Kim Il Sung Socialist Youth
    League") or of an institution's ("Kim Chaek University", ``not_person_after``) is no person.
    """
    gazetteer = gazetteer or load_gazetteer()
    rules = load_rules()
    window = text[start:end]
    found: list[tuple[int, int, str, str, bool]] = []
    others: list[tuple[int, int]] = []
    for s, e, entry in gazetteer.find_names(window):
        if entry.type == "PERSON" and not rules.not_person_after.match(window, e):
            found.append((start + s, start + e, entry.name, entry.id, True))
        else:  # an organisation, or a person's name inside another name: no shorter name in it either
            others.append((start + s, start + e))
    for m in rules.korean_name.finditer(window):
        s, e = start + m.start(), start + m.end()
        if any(s < fe and fs < e for fs, fe, *_ in found) or any(s < oe and os < e for os, oe in others):
            continue
        if rules.not_person_after.match(window, m.end()):
            continue
        name = canonical_name(m.group(0), rules)
        linked = _link(m.group(0), name, gazetteer, rules)
        if linked is not None:
            found.append((s, e, linked.name, linked.id, True))
        else:
            found.append((s, e, name, f"person:{slugify(name)}", False))
    found.sort()
    yield from found


def _titles(chunk: str, rules: EntourageRules) -> list[str]:
    cleaned = rules.noise.sub("", chunk).strip()
    if not cleaned:
        return []
    return [t for t in (rules.noise.sub("", part).strip() for part in rules.title_split.split(cleaned)) if t]


def parse_list(
    text: str, start: int, end: int, *, exclude: frozenset[str] = frozenset(), gazetteer: Gazetteer | None = None
) -> list[Member]:
    """The people listed in ``text[start:end]`` with their titles; ids in ``exclude`` are skipped.

    A title after a name (", member of ...") is that name's; a title right before a name with
    no comma between ("KPA General Pak Jae Gyong") is the next name's.
    """
    rules = load_rules()
    people = [p for p in find_people(text, start, end, gazetteer) if p[3] not in exclude]
    members: list[Member] = []
    pre = _split_rank(text[start : people[0][0]], rules)[1] if people else ""
    for i, (s, e, name, pid, linked) in enumerate(people):
        gap = text[e : people[i + 1][0] if i + 1 < len(people) else end]
        if i + 1 < len(people):
            post, next_pre = _split_rank(gap, rules)
        else:  # the last name's titles end where the unnamed rest of the list begins
            cut = rules.title_end.search(gap)
            post, next_pre = (gap[: cut.start()] if cut else gap), ""
        if not post.lstrip().startswith((",", ";")):
            post = ""  # titles follow a name after a comma; "Ri Sol Ju the performance ..." has none
        titles = _titles(pre, rules) + _titles(post, rules)
        members.append(Member(name, pid, tuple(titles), s, e, linked))
        pre = next_pre
    return dedupe(members)


def _split_rank(gap: str, rules: EntourageRules) -> tuple[str, str]:
    """Split the words between two names into the first one's titles and the second one's rank.

    "..., member of the Political Bureau, KPA General " → ("..., member of the Political Bureau",
    "KPA General"); a gap ending in a separator has no rank for the next name.
    """
    if re.search(r"(?:[,;:]|\band)\s*$", gap):
        return gap, ""
    cut = max((m.end() for m in re.finditer(r"[,;:]\s+(?:and\s+)?|\s+and\s+", gap)), default=0)
    rank = gap[cut:].strip()
    return (gap[:cut], rank) if rules.rank.match(rank) else (gap, "")


def dedupe(members: list[Member]) -> list[Member]:
    """Each person once, where first named."""
    seen: set[str] = set()
    out = []
    for m in members:
        if m.id not in seen:
            seen.add(m.id)
            out.append(m)
    return out


# -- protocol lists ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListFound:
    """One formula matched in a sentence: its cue, the list it introduces, and whether it counts.

    A list broken by a paragraph break ("... Yang Hyong Sop\\n\\nKang Sok Ju, Hyon Chol Hae, ...")
    is ``open``; the next sentence, when it starts with a name, continues it (same formula, cue empty).
    ``skipped`` says why a list is not the leader's: ``"subject"`` (someone else was accompanied
    or greeted: "The delegation was accompanied by ..."), ``"side"`` (the other side of a meeting:
    "from the Chinese side were ..."), ``"lead_only"`` ("together with" outside the activity's
    sentence); None when it is taken.
    """

    formula: Formula
    cue_start: int
    cue_end: int
    members: tuple[Member, ...]
    skipped: str | None = None
    open: bool = False  # the list runs to the sentence's end with no full stop: the next sentence may go on with it


@cache
def _leader_glue(gazetteer: Gazetteer) -> re.Pattern[str] | None:
    """Leaders' names glued to the next word by the live site: "Kim Jong Unwas greeted"."""
    names = sorted(
        {alias for e in gazetteer.entries.values() if e.is_leader for alias in (e.name, *e.aliases) if " " in alias},
        key=len,
        reverse=True,
    )
    return re.compile("|".join(re.escape(n) for n in names) + r"(?=[a-z])") if names else None


def unglued(text: str, start: int, end: int, gazetteer: Gazetteer) -> tuple[str, Sequence[int]]:
    """``text[start:end]`` with a space at each glued seam, and each view position's offset in ``text``.

    The offsets list has one entry more than the view (the end); an inserted space maps to the
    character after it.
    """
    piece = text[start:end]
    points = {m.start() for m in _CAMEL.finditer(piece)}
    glue = _leader_glue(gazetteer)
    if glue is not None:
        points |= {m.end() for m in glue.finditer(piece)}
    if not points:
        return piece, range(start, end + 1)
    offsets: list[int] = []
    parts: list[str] = []
    last = 0
    for point in sorted(points):
        parts += [piece[last:point], " "]
        offsets += [*range(start + last, start + point), start + point]
        last = point
    parts.append(piece[last:])
    offsets += [*range(start + last, end + 1)]
    return "".join(parts), offsets


def _cues(view: str, rules: EntourageRules) -> list[tuple[int, int, Formula]]:
    """Every formula's matches, left to right; of overlapping matches the earliest, then longest, wins."""
    found: list[tuple[int, int, int, Formula]] = []
    for order, formula in enumerate(rules.formulas):
        for m in formula.pattern.finditer(view):
            if m.end() > m.start():
                found.append((m.start(), -(m.end() - m.start()), order, formula))
    found.sort(key=lambda x: (x[0], x[1], x[2]))
    chosen: list[tuple[int, int, Formula]] = []
    for s, neg, _, formula in found:
        e = s - neg
        if any(s < ce and cs < e for cs, ce, _ in chosen):
            continue
        chosen.append((s, e, formula))
    chosen.sort(key=lambda c: c[0])
    return chosen


def _foreign_side(words: str, rules: EntourageRules) -> re.Match[str] | None:
    """The first "from the X side" in ``words`` whose X is not the DPRK's."""
    found = [m for p in rules.side for m in p.finditer(words) if not rules.own_side.search(m.group("who"))]
    return min(found, key=lambda m: m.start()) if found else None


def scan_sentence(
    text: str,
    start: int,
    end: int,
    *,
    lead: bool = True,
    exclude: frozenset[str] = frozenset(),
    gazetteer: Gazetteer | None = None,
    carry: ListFound | None = None,
) -> list[ListFound]:
    """Every protocol list that ``text[start:end]`` (one sentence) introduces, in text order.

    ``lead``: the sentence is the activity's own ("together with" counts only there). ``carry``:
    the previous sentence's last list when it was left open. Lists not taken come back with
    ``skipped`` set; member offsets point into ``text``.
    """
    gazetteer = gazetteer or load_gazetteer()
    rules = load_rules()
    if not (carry is not None and carry.open) and not rules.keywords.search(text, start, end):
        return []
    view, offsets = unglued(text, start, end, gazetteer)
    cues = _cues(view, rules)
    out: list[ListFound] = []

    def mapped(members: list[Member]) -> tuple[Member, ...]:
        return tuple(
            Member(m.name, m.id, m.titles, offsets[m.start], offsets[m.end - 1] + 1, m.linked) for m in members
        )

    if carry is not None and carry.open:
        hi = cues[0][0] if cues else len(view)
        m = rules.list_stops.search(view, 0, hi)
        hi = m.start() if m else hi
        members = parse_list(view, 0, hi, exclude=exclude, gazetteer=gazetteer)
        head = view[: members[0].start].strip() if members else "-"
        if members and (not head or rules.rank.match(head)):
            is_open = hi == len(view) and not view.rstrip().endswith(_CLOSED)
            out.append(ListFound(carry.formula, offsets[0], offsets[0], mapped(members), carry.skipped, is_open))
    subject_ok = False  # the last passive cue had the leader as subject ("He was accompanied by A and greeted by B")
    for i, (cs, ce, formula) in enumerate(cues):
        skipped: str | None = None
        if formula.names == "after":
            stop = cues[i + 1][0] if i + 1 < len(cues) else len(view)
            m = rules.list_stops.search(view, ce, stop)
            stop = m.start() if m else stop
            if formula.until_verb:
                v = rules.verbs.search(view, ce, stop)
                stop = v.start() if v else stop
            lo, hi = ce, stop
        else:
            lo = cues[i - 1][1] if i > 0 else 0
            hi = cs
            lo = max((m.end() for m in rules.clause.finditer(view, lo, hi)), default=lo)
        if formula.leader_subject:
            before = view[:cs]
            ok = bool(rules.leader_subject.search(before)) or (subject_ok and bool(rules.chained.search(before)))
            subject_ok = ok
            if not ok:
                skipped = "subject"
        if formula.lead_only and not lead:
            skipped = skipped or "lead_only"
        if skipped is None and _foreign_side(view[cs:ce], rules):
            skipped = "side"
        if formula.names == "after" and (side := _foreign_side(view[lo:hi], rules)):
            hi = lo + side.start()  # "... and from the Chinese side Zhang ..." ends the DPRK's list
        members = parse_list(view, lo, hi, exclude=exclude, gazetteer=gazetteer)
        is_open = formula.names == "after" and bool(members) and hi == len(view) and not view.rstrip().endswith(_CLOSED)
        out.append(ListFound(formula, offsets[cs], offsets[ce - 1] + 1, mapped(members), skipped, is_open))
    return out


def protocol_lists(
    text: str,
    spans: list[tuple[int, int]],
    first: int,
    last: int,
    exclude: frozenset[str],
    gazetteer: Gazetteer,
) -> dict[str, list[Member]]:
    """The protocol lists of one activity: ``{"entourage": [...], "present": [...], "hosts": [...]}``.

    Reads the sentences ``spans[first:last]`` (the activity's own sentence first); each role's
    members deduped in protocol (text) order, ids in ``exclude`` (the leaders) left out.
    """
    lists: dict[str, list[Member]] = {role: [] for role in ROLES}
    carry: ListFound | None = None
    for index in range(first, max(last, first + 1)):
        if index >= len(spans):
            break
        s, e = spans[index]
        found = scan_sentence(text, s, e, lead=index == first, exclude=exclude, gazetteer=gazetteer, carry=carry)
        for item in found:
            if item.skipped is None:
                lists[item.formula.role].extend(item.members)
        carry = found[-1] if found else None
    return {role: dedupe(members) for role, members in lists.items()}
