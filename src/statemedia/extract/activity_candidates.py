"""Where a leader may act: every mention of a leader active at publication, read for its clause.

Structure, not vocabulary: this module finds each mention of a leader (by name from the
gazetteer, or a sentence-initial "He" when the last person named was that leader), skips the
titles in apposition after his name ("Kim Jong Un, general secretary of the WPK and president
of the State Affairs, inspected ..."), and reads the words around it. Which of these mentions
is an activity, and of which kind, is for the learned model (:mod:`.activity_model`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from ..datafiles import read_tsv
from ..model import Document
from ..normalize.accents import strip_accents
from .activity_rules import active as _active
from .gazetteer import Gazetteer

__all__ = ["Candidate", "Lexicon", "conjoined", "continues_report", "find_candidates", "lexicon"]

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
# A word that can begin the predicate after an apposition ("..., inspected"): a past tense.
_ENGLISH_VERB = (
    r"(?:also\s+|warmly\s+|personally\s+|again\s+|recently\s+|today\s+|(?:on\s+)?[A-Z][a-z]+day\s+"
    r"|on\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?,?\s+)*"
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
    r"|on\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?,?"
    r"|tambi[eé]n|nuevamente|personalmente|hoy|ayer|(?:el\s+)?d[ií]a\s+\d+,?)\s+)+"
)
# What may stand before a name that is its sentence's subject: a dateline, titles, honorifics,
# the day today's KCNA opens its news with ("On July 15, Kim Jong Un ... visited"), the bullet
# of an item in its daily press review ("- The respected Comrade Kim Jong Un visited ..."), and
# a fronted phrase of time, circumstance or capacity ("Prior to the meeting,", "After the
# ceremony,", "Amid the playing of welcome music,", "On behalf of the Party and the government,").
_FRONTED = r"(?:Prior\s+to|After|Before|Following|Amid|Amidst|During|Upon|On\s+behalf\s+of)\s[^,.;:\"“]{1,80},"
_SUBJECT_PREFIX = re.compile(
    rf"(?:.*(?:--|—|–)\s*)?(?:{_FRONTED}\s*)?"
    r"(?:(?:[A-Z][\w'’.\-]*|\d{1,4}|[-•*]|of|the|and|respected|dear|great|beloved|leader|,"
    # Spanish: articles and links between titles ("El Maximo Dirigente", "Acto seguido,").
    r"|de|del|la|el|y|estimado|respetado|querido|gran|seguido|continuaci[oó]n"
    # ... and the connectives of a report's later stops ("El mismo dia, Kim Jong Un visito ...").
    r"|mismo|d[ií]a|primer|lugar|todo|[uú]ltimo)\s*)*",
    re.S,
)
_PRONOUN = re.compile(
    r"\s*(?:[-•*]\s+)?(?:(?:Then|Later|Afterwards|After\s+that|Next|There|Also),?\s+)?(He|he)\s+(?=[a-z])"
)
# Spanish drops the pronoun, or names him by a title alone: a sentence that goes on with the report
# ("Luego, recorrio ...", "Primeramente, estuvo en ...", "Acto seguido, el Comandante Supremo
# inspecciono ...", "Por ultimo, el estuvo en ...") opens, after a connective, with a verb of a visit,
# performance or photo session. Group 1 is the subject (a pronoun or title) where there is one; the
# predicate starts at the verb. Only these verbs: most bare Spanish sentences ("Dijo que ...") are his
# words, not another stop.
_CONNECTIVE_ES = (
    r"(?:Luego|Despu[eé]s|Posteriormente|Primeramente|Primero|En\s+primer\s+lugar|Ante\s+todo|Sobre\s+todo"
    r"|A\s+continuaci[oó]n|Acto\s+seguido|Seguidamente|Por\s+[uú]ltimo|Al\s+final|Finalmente|Tambi[eé]n"
    r"|Adem[aá]s|(?:El|Ese|Este)\s+(?:mismo\s+)?d[ií]a|En\s+el\s+camino\s+de\s+(?:regreso|vuelta))"
)
_TITLE_ES = (
    r"(?:[EÉeé]l|[Ee]l\s+(?:M[aá]ximo\s+Dirigente|Dirigente|Comandante\s+Supremo|Mariscal)"
    r"(?:\s+del\s+(?:EPC|Ej[eé]rcito\s+Popular\s+de\s+Corea))?)"
)
_STOP_VERB_ES = (
    r"(?:estuvo\s+(?:primero\s+|tambi[eé]n\s+)?en|recorri[oó]|visit[oó]|inspeccion[oó]|sigui[oó]\s+inspeccion\w*"
    r"|dirigi[oó]\s+(?:sobre|en)\s+el\s+terreno|se\s+dirigi[oó]\s+(?:a|al)|lleg[oó]\s+(?:a|al)|presenci[oó]|vio"
    r"|disfrut[oó]|se\s+fotografi[oó]|se\s+retrat[oó]|tom[oó]\s+(?:una\s+|unas\s+|la\s+|las\s+)?fot\w*|se\s+reuni[oó]\s+con"
    r"|asisti[oó]\s+(?:a|al)|particip[oó]\s+en|(?:dio|dej[oó]|entreg[oó])\s+como\s+recuerdos?)\b"
)
# What may open such a sentence before its verb: a place ("En el lugar de descanso, presencio ..."),
# a finished occasion ("Terminada la funcion, el Dirigente se reunio con ...") or a gerund clause
# ("Escuchando explicaciones sobre el monumento ..., se fotografio junto con ...").
_OPENER_ES = (
    r"(?:En\s+(?:el|la|los|las)\s+[^,.;]{1,80},\s+|(?:Terminad|Concluid|Finalizad)[oa]s?\s+[^,.;]{1,80},\s+"
    r"|\w+(?:ando|iendo|yendo)\b[^.;]{0,200}?,\s+)"
)
_CONTINUES_ES = re.compile(
    rf"\s*(?:{_CONNECTIVE_ES}\s*,?\s+)?{_OPENER_ES}?(?:({_TITLE_ES})\s+)?(?:(?:tambi[eé]n|nuevamente)\s+)?"
    rf"(?:les?\s+)?(?={_STOP_VERB_ES})",
    re.I,  # "Estuvo primero en ...", "Tomo una foto ...": the verb may open the sentence
)
# A predicate conjoined to the leader's first one, sharing its subject: "and" (Spanish "y", "e"), an
# optional comma before it and an adverb of sequence after it, then the verb ("inspected the X
# Factory and watched a performance", "... and then enjoyed a concert", "felicito ... y se
# fotografio con ellos"). Only a verb a cue names a kind for counts (``conjoined``); a verb right
# after "and" has no subject of its own, so it shares his. Not "congratulated"/"felicito" alone:
# praise said in person at a visit, not mail; nor a tribute ("visited the Kumsusan Palace of the Sun
# and paid tribute", "sent a wreath ... and paid homage"): a visit to pay tribute is one visit, and a
# wreath one correspondence (docs/activities-annotation.md; docs/activities.md, 2026-12-03).
_CONJUNCTION = re.compile(
    r",?\s+(?:and|y|e)\s+(?:(?:then|also|later|afterwards|luego|despu[eé]s|tambi[eé]n|finalmente)\s+)?(?=[a-zé])"
)
_NOT_CONJOINED = re.compile(
    r"(?:congratulated|felicit[oó]|paid\s+(?:\w+\s+)?(?:tribute|homage|respects?)|made\s+a\s+bow|laid\s|placed\s"
    r"|rindi[oó]|deposit[oó])\b",
    re.I,
)
# A title names one leader only where it is his: "el Dirigente" alone is Kim Jong Il, "el Mariscal" Kim Jong Un.
_TITLE_OF = {"Dirigente": "Kim Jong Il", "Mariscal": "Kim Jong Un"}


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
    # A Spanish sentence that goes on with the report, its subject dropped or a title ("Luego,
    # recorrio ..."): a pronoun candidate whose feature is its own, not English "He ..."'s.
    continues: bool = False
    # A second predicate of the same subject in the sentence ("inspected the factory and watched a
    # performance"): ``predicate`` is its verb, ``joint`` where its conjunction starts (", and then").
    conjoined: bool = False
    joint: int = -1

    def left(self, text: str) -> str:
        return text[self.start : self.mention[0]]

    def right(self, text: str) -> str:
        return text[self.predicate : self.end]


def continues_report(text: str, start: int, end: int) -> bool:
    """A Spanish sentence that goes on with the report, its subject dropped or a title ("Luego,
    recorrio ...", "Acto seguido, el Comandante Supremo inspecciono ...")."""
    return _CONTINUES_ES.match(text, start, end) is not None


def conjoined(text: str, c: Candidate) -> list[Candidate]:
    """The predicates conjoined to a candidate's, each a candidate of its own: his name (or "He")
    opens the sentence as its subject, and "and" is followed by a verb a cue names a kind for. The
    conjunction must lie outside a quotation and a parenthesis."""
    if not c.subject or c.conjoined:
        return []
    lex = lexicon()
    out: list[Candidate] = []
    for m in _CONJUNCTION.finditer(text, c.predicate + 1, c.end):
        if _NOT_CONJOINED.match(text, m.end()) or quoted(text, c.start, m.start()):
            continue
        if text.count("(", c.start, m.start()) > text.count(")", c.start, m.start()):
            continue
        kind = lex.predicate_kind(text[m.end() : c.end])
        if kind == "unknown":
            continue
        out.append(replace(c, predicate=m.end(), conjoined=True, joint=m.start()))
    return out


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
        if not found:
            # Mail conveyed in his name: "conveyed the greetings from Kim Jong Un, president of the
            # State Affairs ..., to King ...": what follows his titles is the addressee.
            found = [m.end() for m in re.finditer(r",\s+(?=to\s)", rest[:400])][:1]
        if found:
            start, appos = after + min(found), True
    adverbs = _ADVERBS.match(text, start, end)  # "also sent": the verb is what the cues read
    return (adverbs.end() if adverbs else start), appos


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
        if seen_in_sentence:
            continue
        pronoun = _PRONOUN.match(text, s, e)
        spanish = None if pronoun else _CONTINUES_ES.match(text, s, e)
        if pronoun is None and spanish is None:
            continue
        before = [n for n in people if n[1] <= s]
        if pronoun is not None and before and _active(actors, before[-1][2].id, doc.published):
            entry = before[-1][2]
            ps, pe = pronoun.span(1)
            adverbs = _ADVERBS.match(text, pronoun.end(), e)  # "He then convened": the verb is what the cues read
            verb = adverbs.end() if adverbs else pronoun.end()
            found.append(Candidate(index, s, e, entry.id, entry.name, (ps, pe), verb, True, False, True))
            continue
        # Spanish goes on with the leader of the report: the last leader who opened a sentence (his
        # wife's "Ri Sol Ju regalo ..." between does not make "Por ultimo, el estuvo en ..." hers).
        leaders = [n for n in before if _active(actors, n[2].id, doc.published)]
        if spanish is not None and leaders:
            entry = leaders[-1][2]
            title = spanish.group(1) or ""
            if any(t in title and name != entry.name for t, name in _TITLE_OF.items() if "ximo" not in title):
                continue
            ps, pe = spanish.span(1) if title else (spanish.end(), spanish.end())
            found.append(
                Candidate(index, s, e, entry.id, entry.name, (ps, pe), spanish.end(), True, False, True, True)
            )
    return [x for c in found for x in (c, *conjoined(text, c))]


def words(text: str, limit: int) -> list[str]:
    # Accents folded: KCNA's Spanish writes "dirigió" and "dirigio" alike (and [A-Za-z] would cut
    # "dirigió" to "dirigi"); English words have none to fold.
    return [w.lower() for w in _WORD.findall(strip_accents(text))[:limit]]


def quoted(text: str, start: int, at: int) -> bool:
    """Inside an open quotation in the sentence (reported words, not the news)."""
    return text.count('"', start, at) % 2 == 1 or text.count("“", start, at) > text.count("”", start, at)
