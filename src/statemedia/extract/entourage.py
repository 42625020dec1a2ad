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
them. Names are found, spelt canonically and linked to the gazetteer of officials
(``data/gazetteer.tsv``, across romanisation variants) by :mod:`.protocol_names`.
Text taken from the live site glues names to their neighbours ("Present there wereJo Yong
Won,"); lists are read on a view of the sentence with those seams opened, and offsets point
into the original text.

:func:`protocol_lists` is what the activity extractor calls; :func:`scan_sentence` tells,
for one sentence, which formulas matched, what they listed and why a list was not taken
(another subject's suite, the other side of a meeting), for the mining tool.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from .gazetteer import Gazetteer, load_gazetteer
from .list_members import parse_list
from .protocol_names import (
    ROLES,
    EntourageRules,
    Formula,
    Member,
    canonical_name,
    dedupe,
    find_people,
    load_rules,
)

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

# Seams the live site leaves where it set a name in bold: "wereJo", "IlFoundation".
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_CLOSED = (".", "!", "?", '"', "”", "’", ")")
_INITIAL_END = re.compile(r"[\s,][A-Z]\.\s*$")

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
        # A sentence cannot open in lower case: "deration, Vladimir Tsilko, ..." is the rest of a
        # word the R export broke over a paragraph ("Russian Fe" / "deration"), and of its list.
        if members and (not head or rules.rank.match(head) or head[:1].islower()):
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
    index, stop = first, min(max(last, first + 1), len(spans))
    while index < stop:
        s, e = spans[index]
        lead = index == first
        # "..., V. Tolokonski, presidential envoy ...": a sentence "ending" in a lone initial is cut
        # inside a name; the sentence that follows is the rest of it.
        while index + 1 < stop and _INITIAL_END.search(text, s, e):
            index += 1
            e = spans[index][1]
        index += 1
        found = scan_sentence(text, s, e, lead=lead, exclude=exclude, gazetteer=gazetteer, carry=carry)
        for item in found:
            if item.skipped is None:
                lists[item.formula.role].extend(item.members)
        carry = found[-1] if found else None
    return {role: dedupe(members) for role, members in lists.items()}
