"""Where a leader may act: every mention of a leader active at publication, read for its clause.

Structure, not vocabulary: this module finds each mention of a leader (by name from the
gazetteer, or a sentence-initial "He" when the last person named was that leader), skips the
titles in apposition after his name ("Kim Jong Un, general secretary of the WPK and president
of the State Affairs, inspected ..."), and reads the words around it. Which of these mentions
is an activity, and of which kind, is for the learned model (:mod:`.activity_model`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

from ..datafiles import read_tsv
from ..model import Document
from .gazetteer import Gazetteer

__all__ = ["Candidate", "Lexicon", "find_candidates", "lexicon"]

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
# A word that can begin the predicate after an apposition ("..., inspected"): a past tense.
_ENGLISH_VERB = (
    r"(?:also\s+|warmly\s+|personally\s+|again\s+|recently\s+|today\s+|(?:on\s+)?[A-Z][a-z]+day\s+)*"
    r"(?!accompanied\b|elected\b|respected\b|beloved\b|revered\b|esteemed\b)"
    r"(?:[a-z]+ed|sent|made|gave|met|saw|took|had|went|paid|held|was|were|spoke|wrote|oversaw|rode|led|sat"
    r"|read|did|put|heard|came|set|received|visited|sent|congratulated|enjoyed|watched)\b"
)
# Spanish: a third-person preterite, accented or not ("dirigió", "dirigio", "se reunio", "vio",
# "fue"), not one of the nouns and links that end the same way in an apposition.
_SPANISH_VERB = re.compile(
    r"(?:(?:tambi[eé]n|nuevamente|personalmente|hoy|ayer)\s+)*(?:se\s+)?"
    r"(?!(?:miembro|secretario|pueblo|como|cuando|pero|sino|mientras|tanto|todo|nuestro|nuevo|primero|mismo"
    r"|ello|eso|esto|uno|otro|centro|vicepresidente|ministro|diputado|encargado"
    r"|also|into|unto|photo|video|radio|ratio|auto)\b)"  # English words of the same shape
    r"(?:[a-zñ]{2,}(?:[bcdfgjlmnprstvzñ]|i)[oó]|[a-zñ]{2,}(?:ieron|aron)|vio|fue|dio|hizo|estuvo|tuvo|sostuvo"
    r"|puso|vino)\b"  # "recibieron": he and others named with him
)
_VERBISH = re.compile(rf"{_ENGLISH_VERB}|{_SPANISH_VERB.pattern}")
# Spanish titles may run into the verb with no comma ("..., y Comandante Supremo del EPC dirigio").
_TITLE_END = re.compile(r"\b[A-Z][\w.'’-]*\s+")
_TOGETHER = re.compile(r"\sjunto\s+con\s")
_ADVERBS = re.compile(
    r"(?:(?:also|then|later|personally|warmly|again|recently|today|(?:on\s+)?[A-Z][a-z]+day"
    r"|tambi[eé]n|nuevamente|personalmente|hoy|ayer|(?:el\s+)?d[ií]a\s+\d+,?)\s+)+"
)
# What may stand before a name that is its sentence's subject: a dateline, titles, honorifics.
_SUBJECT_PREFIX = re.compile(
    r"(?:.*(?:--|—|–)\s*)?(?:(?:[A-Z][\w'’.\-]*|of|the|and|respected|dear|great|beloved|leader|,"
    # Spanish: articles and links between titles ("El Maximo Dirigente", "Acto seguido,").
    r"|de|del|la|el|y|estimado|respetado|querido|gran|seguido|continuaci[oó]n)\s*)*",
    re.S,
)
_PRONOUN = re.compile(r"\s*(?:(?:Then|Later|Afterwards|After\s+that|Next|There|Also),?\s+)?(He|he)\s+(?=[a-z])")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Curated cues: predicate patterns by kind (``activity_kinds.tsv``) and left contexts."""

    predicates: tuple[tuple[re.Pattern[str], str], ...]
    left: tuple[tuple[re.Pattern[str], str], ...]

    def predicate_kind(self, text: str) -> str:
        for pattern, kind in self.predicates:
            if pattern.match(text):
                return kind
        return "unknown"

    def verb_end(self, text: str, start: int, end: int) -> int:
        """Where the predicate's verb phrase ends (its object, the target, follows)."""
        for pattern, _ in self.predicates:
            if m := pattern.match(text, start, end):
                return m.end()
        m = re.match(r"\s*\S+\s*", text[start:end])
        return start + (m.end() if m else 0)

    def left_kind(self, text: str) -> str:
        for pattern, kind in self.left:
            if pattern.search(text):
                return kind
        return "unknown"


@cache
def lexicon() -> Lexicon:
    return Lexicon(
        predicates=tuple((re.compile(r["pattern"], re.I), r["kind"]) for r in read_tsv("activity_kinds.tsv")),
        left=tuple((re.compile(r["pattern"] + r"\s*$", re.I), r["kind"]) for r in read_tsv("activity_context.tsv")),
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    """One mention of a leader and the words around it, in one sentence."""

    sentence: int  # index into the sentence spans
    start: int  # the sentence
    end: int
    actor_id: str
    actor: str
    mention: tuple[int, int]
    predicate: int  # where the predicate starts (after the name, its titles and apposition)
    pronoun: bool
    apposition: bool
    subject: bool  # his name (or "He") opens the sentence, after a dateline, titles, honorifics

    def left(self, text: str) -> str:
        return text[self.start : self.mention[0]]

    def right(self, text: str) -> str:
        return text[self.predicate : self.end]


def _predicate_start(text: str, after: int, end: int) -> tuple[int, bool]:
    """Where the predicate begins after a name: past an apposition of titles if there is one."""
    rest = text[after:end]
    # "El Dirigente Kim Jong Il junto con Kim Yong Nam, presidente ..., envio": read as an apposition.
    if _TOGETHER.match(rest):
        rest = "," + rest[1:]
    if not rest.startswith(","):
        start, appos = after + len(rest) - len(rest.lstrip(" \u00a0")), False
    else:
        start, appos = after + len(rest) - len(rest.lstrip(" ,\u00a0")), False
        # The first verb after a comma, or a Spanish one right after a title (whichever comes first:
        # "... Comandante Supremo del EPC tomo foto con los que, ..., levantaron" is "tomo").
        found = [m.end() for m in re.finditer(r",\s+", rest[:400]) if _VERBISH.match(rest, m.end())][:1]
        found += [m.end() for m in _TITLE_END.finditer(rest[:400]) if _SPANISH_VERB.match(rest, m.end())][:1]
        if found:
            start, appos = after + min(found), True
    adverbs = _ADVERBS.match(text, start, end)  # "also sent": the verb is what the cues read
    return (adverbs.end() if adverbs else start), appos


def _active(actors: dict[str, tuple[date | None, date | None]], actor_id: str, day: date | None) -> bool:
    span = actors.get(actor_id)
    if span is None:
        return False
    start, end = span
    return day is None or ((start is None or start <= day) and (end is None or day <= end))


def find_candidates(
    doc: Document,
    spans: list[tuple[int, int]],
    gazetteer: Gazetteer,
    actors: dict[str, tuple[date | None, date | None]],
) -> list[Candidate]:
    """Every mention of an active leader, and every sentence-initial "He" that refers to one."""
    text = doc.text
    found: list[Candidate] = []
    names = [(s + ms, s + me, entry) for s, e in spans for ms, me, entry in gazetteer.find_names(text[s:e])]
    # A later "He" refers to the last person who was a sentence's subject, not to one in a list.
    starts = {ms: s for s, e in spans for ms, _, _ in names if s <= ms < e}
    people = [n for n in names if n[2].type == "PERSON" and _SUBJECT_PREFIX.fullmatch(text, starts[n[0]], n[0])]
    for index, (s, e) in enumerate(spans):
        seen_in_sentence = False
        for ms, me, entry in names:
            if not s <= ms < e or not _active(actors, entry.id, doc.published):
                continue
            start, appos = _predicate_start(text, me, e)
            subject = _SUBJECT_PREFIX.fullmatch(text, s, ms) is not None and not text.startswith(("'s", "’s"), me)
            found.append(Candidate(index, s, e, entry.id, entry.name, (ms, me), start, False, appos, subject))
            seen_in_sentence = True
        pronoun = _PRONOUN.match(text, s, e)
        if seen_in_sentence or pronoun is None:
            continue
        before = [n for n in people if n[1] <= s]
        if before and _active(actors, before[-1][2].id, doc.published):
            entry = before[-1][2]
            ps, pe = pronoun.span(1)
            found.append(Candidate(index, s, e, entry.id, entry.name, (ps, pe), pronoun.end(), True, False, True))
    return found


def words(text: str, limit: int) -> list[str]:
    # Accents folded: KCNA's Spanish writes "dirigió" and "dirigio" alike (and [A-Za-z] would cut
    # "dirigió" to "dirigi"); English words have none to fold.
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return [w.lower() for w in _WORD.findall(folded)[:limit]]


def quoted(text: str, start: int, at: int) -> bool:
    """Inside an open quotation in the sentence (reported words, not the news)."""
    return text.count('"', start, at) % 2 == 1 or text.count("“", start, at) > text.count("”", start, at)
