"""A protocol list's members: its names in text order (:func:`.protocol_names.find_people`), each
with its titles: the apposition after a name, a rank before it, a plural title shared by a run of
names ("Pak To Chun and Thae Jong Su, alternate members of ...": each is an alternate member), a
Spanish title set before the name with its article ("el vicepremier Ro Tu Chol"), and none for an
item that names nobody ("...; officials of the ministry; ...") or the unnamed rest of the list
(docs/protocol-lists.md, "Names" and "Titles of list members").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import Gazetteer
from .protocol_names import EntourageRules, Member, dedupe, find_people, load_rules

__all__ = ["parse_list"]


def _titles(chunk: str, rules: EntourageRules) -> list[str]:
    cleaned = rules.noise.sub("", chunk).strip()
    if not cleaned:
        return []
    return [t for t in (rules.noise.sub("", part).strip() for part in rules.title_split.split(cleaned)) if t]


_WORD = re.compile(r"[\w'’.\-]+|[,;:]")
_AND = re.compile(r"\s*,?\s*(?:and|y|e)\s+")
_COMMA = re.compile(r"\s*,\s*")
_COLLECTIVE = re.compile(r",\s+(?:members|miembros)\b")
# Where an item opens before a Spanish title with its article: after a separator, or an item's "y".
_ITEM_START = re.compile(r"(?:[,;:]\s*(?:y\s+)?|^\s*y\s+)$")
# Words between the cue and the first title: "(Estuvieron presentes) en el acto el secretario ..."
_ADVERBIAL = re.compile(
    r"(?:\s*(?:en|a|durante)\s+(?:el|la|los|las|esta|este|estas|estos|dicha|dicho)(?:\s+[\w\-]+){1,3}\s*,?)+\s*"
)
_GROUP = frozenset({"other", "others", "otros", "otras", "demás", "demas"})


def _singular(chunk: str, rules: EntourageRules) -> str | None:
    """``chunk`` with its titles' head words made singular, or None when its first title is not plural.

    A head word stands before its title's first preposition: "alternate members of the Political
    Bureau and secretaries of the C.C." -> "alternate member of the Political Bureau and secretary
    of the C.C."; "viceprimeros ministros del Consejo de Ministros" -> "viceprimer ministro del
    Consejo de Ministros" (``title_plurals``).
    """
    words = [w.lower() for w in _WORD.findall(chunk) if w not in {",", ";", ":"} and w.lower() not in {"and", "y", "e"}]
    if not words or words[0] in _GROUP:
        return None  # "and other generals and officers of the KPA": the unnamed rest
    out: list[str] = []
    last = 0
    head = True  # before the first preposition of the current title
    plural: bool | None = None  # the first title's head is plural
    for m in _WORD.finditer(chunk):
        word = m.group(0)
        low = word.lower()
        if word in {",", ";", ":"} or low in {"and", "y", "e"}:
            head = True
            continue
        if low in rules.title_prepositions:
            head = False
            if plural is None:
                plural = False
            continue
        if head and low in rules.title_plurals:
            one = rules.title_plurals[low]
            one = "".join(c.upper() if word[k : k + 1].isupper() else c for k, c in enumerate(one))
            out += [chunk[last : m.start()], one]
            last = m.end()
            if plural is None:
                plural = True
    if not plural:
        return None
    out.append(chunk[last:])
    return "".join(out)


@dataclass(slots=True)
class _Item:
    """A name of a list while its titles are worked out: before it (a rank), after it, how it joins the next."""

    person: tuple[int, int, str, str, bool]
    pre: list[str]
    post: list[str]
    join: str = ""  # the text between its titles and the next name's rank
    forward: bool = False  # its rank is plural: it is each name's of the run it opens


def parse_list(
    text: str, start: int, end: int, *, exclude: frozenset[str] = frozenset(), gazetteer: Gazetteer | None = None
) -> list[Member]:
    """The people listed in ``text[start:end]`` with their titles; ids in ``exclude`` are skipped.

    A title after a name (", member of ...") is that name's; a title right before a name with
    no comma between ("KPA General Pak Jae Gyong") or, in Spanish, with its article ("el vicepremier
    Ro Tu Chol", "el ministro de Cultura, An Tong Chun") is the next name's. A plural title is each
    name's of its run, made singular: after the names ("A, B and C, alternate members of ...": back
    to the previous name with titles or an earlier "and"), or before them ("Vice-Premiers A and B",
    "los generales de ejercito del EPC: A, B y C"). Text after a semicolon that names nobody is an
    item of its own ("...; the secretary-general of ...; officials concerned"), no one's title. An
    excluded name (a leader) keeps his own titles: they are not the name's before him.
    """
    rules = load_rules()
    people = list(find_people(text, start, end, gazetteer, foreign=True))
    if not people:
        return []
    items: list[_Item] = []
    pre, forward = _lead_title(text[start : people[0][0]], rules)
    for i, person in enumerate(people):
        last = i + 1 == len(people)
        gap = text[person[1] : end if last else people[i + 1][0]]
        if not last:
            post, next_pre, next_forward = _split_gap(gap, rules)
        else:
            post, next_pre, next_forward = gap, [], False
            at = _preposed_start(post, rules, lead=False)
            post = post if at is None else post[:at]
        join = post
        # A name's titles end where an unnamed part of the list begins (", officials concerned and ...")
        cut = rules.title_end.search(post)
        if cut and _COLLECTIVE.match(post) and items and _AND.fullmatch(items[-1].join) and _singular(post, rules):
            cut = rules.title_end.search(post, cut.end())  # "B and C, members of X": their apposition
        # "A, B and C, members of X, members of Y and officials": the groups a list holds, no one's titles
        collective = bool(cut and _COLLECTIVE.match(post, cut.start()))
        post = _own(post[: cut.start()] if cut else post)
        own = _singular(post, rules) if post and not collective else None
        items.append(_Item(person, pre, _titles(own if own is not None else post, rules), join, forward))
        if own is not None and i > 0:
            _spread_back(items)
        pre, forward = next_pre, next_forward
    for i, item in enumerate(items):
        if item.forward:
            _spread_forward(items, i)
    members = [
        Member(name, pid, tuple(item.pre + item.post), s, e, linked)
        for item in items
        for s, e, name, pid, linked in [item.person]
        if pid not in exclude
    ]
    return dedupe(members)


def _own(post: str) -> str:
    """The titles after a name: from its comma to the end of its item ("; ..." that names nobody is not its)."""
    stripped = post.lstrip()
    if not stripped.startswith((",", ";")):
        return ""  # titles follow a name after a comma; "Ri Sol Ju the performance ..." has none
    cut = stripped.find(";", 1)
    return stripped if cut < 0 else stripped[:cut]


def _spread_back(items: list[_Item]) -> None:
    """A plural title after the last name of "A, B and C, titles": A's and B's too.

    The run goes back over "and" before its last name, then over bare commas, to the previous
    name with titles of its own or an earlier "and" ("C and D, E, F and G, members of ..." is E,
    F and G's).
    """
    titles = items[-1].post
    j = len(items) - 2
    if not _AND.fullmatch(items[j].join):
        return
    while j >= 0 and not items[j].post:
        items[j].post = list(titles)
        if j == 0 or not _COMMA.fullmatch(items[j - 1].join):
            break
        if j >= 2 and _AND.fullmatch(items[j - 2].join):
            break  # "C and D, E": D closed a group of its own
        j -= 1


def _spread_forward(items: list[_Item], first: int) -> None:
    """A plural rank before "A, B and C" ("Vice-Premiers Jon Ha Chol and Kang Nung Su"): each name's.

    The run goes on over bare commas and ends with the name after "and", a name with titles of its
    own, or a name with a rank of its own.
    """
    rank = items[first].pre
    j = first
    while j + 1 < len(items) and not items[j].post and not items[j + 1].pre:
        join = items[j].join
        if _COMMA.fullmatch(join):
            items[j + 1].pre = list(rank)
            j += 1
        elif _AND.fullmatch(join):
            items[j + 1].pre = list(rank)
            break
        else:
            break


def _preposed_start(chunk: str, rules: EntourageRules, *, lead: bool) -> int | None:
    """Where the first Spanish title set before a name ("el vicepremier", "los generales de ...") opens an item.

    An article opens an item at the chunk's start, after a comma, semicolon or colon, after an
    item's "y" at the chunk's start, or (``lead``: the words after the cue, "en el acto el
    secretario ...") after a word that is no preposition.
    """
    starts = _preposed_starts(chunk, rules, lead=lead)
    return starts[0] if starts else None


def _preposed_starts(chunk: str, rules: EntourageRules, *, lead: bool) -> list[int]:
    out = []
    for m in rules.preposed_title.finditer(chunk):
        before = chunk[: m.start()]
        if (lead and (not before.strip() or _ADVERBIAL.fullmatch(before))) or _ITEM_START.search(before):
            out.append(m.start())
    return out


def _preposed(chunk: str, rules: EntourageRules, *, lead: bool) -> tuple[int | None, list[str], bool]:
    """A Spanish title set before the name that ends ``chunk``: (where its item opens, titles, plural).

    The last item that an article opens and that runs on to the name ("el ministro de Cultura, ",
    "el vicepremier ") is the name's, its article left out; "los/las" with a title's head
    (``title_plurals``) is each name's of the run it opens; other plurals ("los funcionarios del CC
    del PTC: ") and items closed by "y" are no one's. None when no article opens an item.
    """
    starts = _preposed_starts(chunk, rules, lead=lead)
    if not starts:
        return None, [], False
    last = starts[-1]
    tail = chunk[last:]
    if re.search(r"(?:\s|,)(?:y|and|e)\s*$", tail) or ";" in tail:
        return starts[0], [], False  # "..., el presidente de X, y": closed before the name
    m = rules.preposed_title.match(tail)
    assert m is not None
    title = tail[m.end() :]
    title = re.sub(r"[\s,:]+$", "", title)
    if m.group("article") in {"los", "las"}:
        one = _singular(title, rules)
        return starts[0], (_titles(one, rules) if one is not None else []), one is not None
    if tail.rstrip().endswith(":"):
        return starts[0], [], False  # "los cuadros directivos del partido, el ejercito y el Estado: A, B": a group
    return starts[0], _titles(title, rules), False


def _lead_title(lead: str, rules: EntourageRules) -> tuple[list[str], bool]:
    """The first name's rank or Spanish title before it, and whether it is plural (each name's of the run)."""
    at, titles, plural = _preposed(lead, rules, lead=True)
    if at is not None:
        return titles, plural
    return _rank_titles(_split_rank(lead, rules)[1], rules)


def _rank_titles(rank: str, rules: EntourageRules) -> tuple[list[str], bool]:
    one = _singular(rank, rules) if rank else None
    return _titles(one if one is not None else rank, rules), one is not None


def _split_gap(gap: str, rules: EntourageRules) -> tuple[str, list[str], bool]:
    """The text between two names: the first one's titles (raw), the second one's titles, whether those are plural."""
    at, titles, plural = _preposed(gap, rules, lead=False)
    if at is not None and (titles or not _singular_item_after(gap, at)):
        return gap[:at], titles, plural
    post, rank = _split_rank(gap, rules)
    pre, forward = _rank_titles(rank, rules)
    return post, pre, forward


def _singular_item_after(gap: str, at: int) -> bool:
    """An article item closed by "y" before the next name ("A, el presidente de X, y B"): the first name's."""
    return bool(re.search(r"(?:\s|,)(?:y|and|e)\s*$", gap[at:]))


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
