"""Quotations: who is quoted saying what, and quoted words that are not speech.

KCNA puts quotation marks around four different things, and an analyst wants them apart:
  * ``direct``: someone's words — ``He said: "..."``, ``"...," the spokesman said``;
  * ``title``: the name of a work, slogan or event — ``the article titled "..."``
    (``slogan`` when it is a slogan or banner);
  * ``scare``: an opponent's words held at a distance — ``talking about "dialogue"``;
  * ``quoted``: longer quoted words with no reporting verb in their sentence (speech whose
    speaker is named elsewhere, or a phrase held at a distance);
and reports speech without them: ``indirect`` — ``the statement said that ...``, ``..., it said.``,
``He said:`` or ``The commentary goes on:`` followed by the speech (to the end of that paragraph,
or the next one), and ``..., the statement said, and went on:`` (both the words before and after).

Each becomes a ``quote`` annotation over the quoted words (without the marks) or the
reported clause. Speech is recognised by a reporting verb (``data/quote_cues.tsv``) among
the clauses the linguistic component parsed in the quote's sentence; its subject is the
speaker, linked to the entity there (pronouns through the entities component's coreference,
else back to the speaker or person before them, see ``_resolve_pronouns``).
Titles, slogans and scare quotes are recognised by the words right before the opening mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..datafiles import read_tsv
from ..model import Annotation, Document

__all__ = ["QuotationExtractor"]

# A quotation inside one paragraph: straight or typographic marks (KCNA uses straight ones);
# those over several paragraphs are found by _paragraph_runs.
_QUOTED = re.compile(r"\"([^\"\n]+)\"|“([^”\n]+)”")
# Reported speech runs from "that" after the reporting verb (possibly after its object:
# "told reporters that") to the end of the sentence.
_THAT = re.compile(r"[^.;:\"]{0,40}?(?<!\bso )(?<!\bsuch )(?<!\bnow )\bthat\s+")
# "[...], the spokesman said.": after the verb only the sentence's end (or a day: "said on Monday").
_TRAILING_END = re.compile(r"\s*(?:(?:on|in|at)\s+[\w ,]{1,30})?\s*[.!]?\s*[\"”]?\s*")
_TRAILING_COMMA = re.compile(r",\s*[\"”]?\s*$")
# "He said:" — the speech follows the colon, on the same line or in the next paragraph; between
# verb and colon at most "to say", "on" ("goes on:") or a short "in ..." ("says in this regard:").
_COLON_AFTER = re.compile(
    r"[ \t]*(?:(?:to\s+say|on|in\s+(?:this|that|a|an|its|the)\s+[\w-]+(?:\s+[\w-]+)?)\s*)?:[ \t]*"
)
# "[...], the statement said, and went on:" — a trailing report whose speech goes on after the colon.
_GOES_ON = re.compile(r"\s*,\s*(?:and\s+)?(?:went|goes|going\s+on|adding)(?:\s+on)?\s*:[ \t]*")
# "The commentary goes on:" — "go" reports speech only so, with "on" and a colon.
_GO_ON = re.compile(r"\s+on\s*:")
# Between a reporting verb and the quotation it introduces: 'said: "', 'stressed that "'.
_LEAD_IN = re.compile(r"(?:[:,]|\bthat|\bsaying|\bas follows)\s*$")
_COLON = re.compile(r":\s*$")
# A sentence ending in a colon, then a paragraph break: the quoted paragraph after it is its speech.
_PARAGRAPH_COLON = re.compile(r":[ \t]*\n\s*")
# Between a quotation and the reporting clause after it ('"...," he said') no sentence ends.
_SENTENCE_END = re.compile(r"[.!?;]")
# Longest gap (characters) between a reporting verb and its quotation: "the spokesman for the
# Foreign Ministry said in a statement:" keeps the verb close; farther verbs report other things.
_MAX_GAP = 60
_SPEAKER_TYPES = ("PERSON", "ORG", "GPE")
_PRONOUNS = {"he", "she", "it", "they"}
# Longest quotation over several paragraphs (paragraphs): in the 9,031 English stories of 2012
# the runs found spanned 2-9 paragraphs (2: 283, 3: 182, 4: 85, ..., 9: 3); an unclosed mark
# with no closing one within 10 paragraphs is a typo, not speech.
_MAX_RUN = 10


@dataclass(frozen=True)
class _Clause:
    verb: tuple[int, int]
    lemma: str
    subject: tuple[int, int] | None
    head: tuple[int, int] | None


_Sentences = list[tuple[Annotation, list[_Clause]]]  # each sentence with its reporting clauses


class QuotationExtractor:
    name: ClassVar[str] = "quotations"
    version: ClassVar[str] = "6"
    requires: ClassVar[tuple[str, ...]] = ("sentence", "entity")
    assigns: ClassVar[tuple[str, ...]] = ("quote",)

    @dataclass(frozen=True)
    class Options:
        # Characters before an opening mark searched for a title/slogan/scare cue.
        cue_window: int
        # Quoted words without speech or cue: up to this many words they are scare quotes,
        # longer ones direct speech whose speaker is outside the sentence.
        scare_max_words: int
        # Quoted words in title case from this many words on name a work (a title without a cue).
        title_case_min_words: int
        # Longest speaker phrase kept (characters).
        max_speaker: int
        languages: list[str]

    def __init__(self, options: Options) -> None:
        self.options = options
        rows = read_tsv("quote_cues.tsv")
        self.speech = {r["cue"] for r in rows if r["kind"] == "speech"}
        self.cues = [(re.compile(r["cue"], re.I), r["kind"]) for r in rows if r["kind"] != "speech"]

    def __call__(self, doc: Document) -> Document:
        if doc.language is not None and doc.language not in self.options.languages:
            return doc
        # Each sentence with its reporting clauses, read once for every quotation that looks there.
        sentences = [(s, self._clauses(doc.text, s)) for s in doc.spans("sentence")]
        entities = [e for e in doc.spans("entity") if e.attrs.get("type") in _SPEAKER_TYPES]
        quotes = list(self._direct(doc, sentences, entities))
        quotes += self._indirect(doc, sentences, entities, quotes)
        doc.add(_resolve_pronouns(sorted(quotes, key=lambda q: q.start), entities))
        return doc

    def _clauses(self, text: str, sentence: Annotation) -> list[_Clause]:
        main = _span(sentence.attrs.get("subject"))
        out = []
        for c in sentence.attrs.get("clauses") or []:
            verb = _span(c.get("verb"))
            if verb is None:
                continue
            go_on = c.get("lemma") == "go" and _GO_ON.match(text, verb[1]) is not None
            if c.get("lemma") not in self.speech and not go_on:
                continue
            subject, head = _span(c.get("subject")), _span(c.get("subject_head"))
            # A participle ("..., saying that") has no subject of its own: the sentence's speaks.
            out.append(_Clause(verb, c["lemma"], subject or main, head or main))
        return out

    def _direct(self, doc: Document, sentences: _Sentences, entities: list[Annotation]) -> Iterator[Annotation]:
        text = doc.text
        runs = _paragraph_runs(text)
        marked = [(m.start(), m.end(), m.start(1 if m.group(1) is not None else 2)) for m in _QUOTED.finditer(text)]
        # A quotation over several paragraphs is one; the last paragraph's own marks are inside it.
        marked = [x for x in marked if not any(a <= x[0] < b for a, b in runs)] + [(a, b, a + 1) for a, b in runs]
        for mark_start, mark_end, start in sorted(marked):
            end = mark_end - 1
            if not text[start:end].strip():
                continue
            words = text[start:end].split()
            kind = self._cue(text[max(0, mark_start - self.options.cue_window) : mark_start])
            if kind is None and len(words) >= self.options.title_case_min_words and _title_case(words):
                kind = "title"  # "Let Us Carry Out the Great Leader's Instructions": a work, not speech
            attrs: dict[str, Any] = {"kind": kind}
            if kind is None:
                short = len(words) <= self.options.scare_max_words
                clause = self._speech_around(text, sentences, mark_start, mark_end, colon_only=short)
                if clause is not None:
                    attrs = {"kind": "direct", **self._speaker(doc, clause, entities)}
                else:  # no reporting verb by it: its speaker, if any, is named in another sentence
                    attrs["kind"] = "scare" if short else "quoted"
            yield Annotation(start, end, "quote", attrs, self.name)

    def _cue(self, before: str) -> str | None:
        return next((kind for pattern, kind in self.cues if pattern.search(before)), None)

    def _speech_around(
        self, text: str, sentences: _Sentences, start: int, end: int, *, colon_only: bool
    ) -> _Clause | None:
        """The reporting clause that introduces the quotation ``text[start:end]`` (marks included)
        or follows it, in the sentence where it opens or closes, or in the paragraph before it
        when that ends with a colon ('Ko Chang Hyok ... told KCNA:' and the quoted paragraph).
        ``colon_only``: a few quoted words are speech only after a colon ('he said: "Never."');
        after "that" or a comma they are a phrase held at a distance inside a report."""
        lead_in = _COLON if colon_only else _LEAD_IN
        for sentence, clauses in sentences:
            inside = sentence.start <= start < sentence.end or sentence.start < end <= sentence.end
            introduces = sentence.end <= start and _PARAGRAPH_COLON.fullmatch(text, sentence.end - 1, start)
            if not (inside or introduces):
                continue
            for clause in clauses:
                # No speaker, or the quotation is the subject itself ('"The agreement" announced by').
                if clause.subject is None or start <= clause.subject[0] < end:
                    continue
                before = text[clause.verb[1] : start]
                if clause.verb[1] <= start and len(before) <= _MAX_GAP and lead_in.search(before):
                    return clause
                if colon_only:
                    continue
                after = text[end : clause.verb[0]]
                if end <= clause.verb[0] and len(after) <= _MAX_GAP and not _SENTENCE_END.search(after):
                    return clause
        return None

    def _speaker(self, doc: Document, clause: _Clause, entities: list[Annotation]) -> dict[str, Any]:
        assert clause.subject is not None
        s, e = clause.subject
        head = clause.head or clause.subject
        inside = [x for x in entities if (s <= x.start and x.end <= e) or x.start <= s < x.end]
        # The entity at the subject's head speaks; failing that an organisation named in the subject
        # ("the spokesman for the Foreign Ministry"). A person there is rarely the speaker: "the
        # secretary general of the committee for commemorating Kim Il Sung".
        linked = next(
            (x for x in inside if x.start < head[1] and head[0] < x.end),
            next((x for x in inside if x.attrs.get("type") != "PERSON"), None),
        )
        speaker = doc.text[s:e]
        if len(speaker) > self.options.max_speaker:
            speaker = speaker[: self.options.max_speaker].rsplit(" ", 1)[0] + "…"
        return {
            "speaker": speaker,
            "speaker_id": linked.attrs.get("id") if linked is not None else None,
            "speaker_name": linked.attrs.get("name") if linked is not None else None,
            "verb": clause.lemma,
        }

    def _indirect(
        self, doc: Document, sentences: _Sentences, entities: list[Annotation], direct: list[Annotation]
    ) -> list[Annotation]:
        text = doc.text
        out = []
        for sentence, clauses in sentences:
            for clause in clauses:
                if clause.subject is None:
                    continue
                spans = _reported(text, sentence, clause)
                found = False
                for start, end in spans:
                    end -= len(text[start:end]) - len(text[start:end].rstrip(' .;,"”'))
                    start += len(text[start:end]) - len(text[start:end].lstrip(' "“'))
                    # A report that starts inside quotation marks, or holds someone's quoted words, is
                    # that quotation's ('"...," he said'); scare quotes inside a report stay inside it.
                    if end - start < 3 or any(
                        q.start <= start < q.end or (q.attrs["kind"] == "direct" and start < q.end and q.start < end)
                        for q in direct
                    ):
                        continue
                    attrs: Mapping[str, Any] = {"kind": "indirect", **self._speaker(doc, clause, entities)}
                    out.append(Annotation(start, end, "quote", attrs, self.name))
                    found = True
                if found:
                    break  # one report per sentence: later verbs are inside the reported clause
        return out


def _reported(text: str, sentence: Annotation, clause: _Clause) -> list[tuple[int, int]]:
    """Where the speech that ``clause`` reports lies, the ways KCNA reports without quotation
    marks: "X said that [...]", "[...], X said.", "X said: [...]" (the rest of the paragraph, or
    the next paragraph when the colon ends one) and "[...], X said, and went on: [...]" (both)."""
    assert clause.subject is not None
    that = _THAT.match(text, clause.verb[1], sentence.end)  # anchored at the verb's end
    if that is not None:
        return [(that.end(), sentence.end)]
    after = text[clause.verb[1] : sentence.end]
    trailing = _TRAILING_COMMA.search(text, sentence.start, clause.subject[0]) is not None
    if trailing and _TRAILING_END.fullmatch(after):
        return [(sentence.start, clause.subject[0])]
    goes_on = _GOES_ON.match(text, clause.verb[1]) if trailing else None
    if goes_on is not None:
        return [(sentence.start, clause.subject[0]), _after_colon(text, goes_on.end())]
    colon = _COLON_AFTER.match(text, clause.verb[1])
    return [] if colon is None else [_after_colon(text, colon.end())]


def _after_colon(text: str, start: int) -> tuple[int, int]:
    """The speech after a colon: the rest of its paragraph, or the next paragraph when the colon ends one."""
    end = text.find("\n", start)
    if not text[start : end if end >= 0 else len(text)].strip():
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
        end = text.find("\n", start)
    return start, end if end >= 0 else len(text)


# A speaker a pronoun can point back to: where it was named, its entity id and its name.
_Antecedent = tuple[int, Any, Any]


def _resolve_pronouns(quotes: list[Annotation], entities: list[Annotation]) -> list[Annotation]:
    """Pronoun speakers the entities left unlinked, resolved the way KCNA names a speaker once and
    goes on with a pronoun: "he"/"she" is whichever came last of the person who spoke last and the
    person named last before the quotation; "it"/"they" is the last speaker that is not a person,
    linked or not ("The statement said ... It said ..."; an unlinked one lends its words as
    ``speaker_name``).
    """
    people = [e for e in entities if e.attrs.get("type") == "PERSON"]
    person_ids = {e.attrs.get("id") for e in people} - {None}
    out: list[Annotation] = []
    last_person: _Antecedent | None = None
    last_other: _Antecedent | None = None
    for quote in quotes:
        attrs = quote.attrs
        speaker = str(attrs.get("speaker") or "")
        pronoun = attrs.get("speaker_id") is None and speaker.lower() in _PRONOUNS
        if pronoun:
            antecedent = last_other
            if speaker.lower() in ("he", "she"):
                named = [(e.start, e.attrs.get("id"), e.attrs.get("name")) for e in people if e.end <= quote.start]
                candidates = [a for a in (last_person, named[-1] if named else None) if a is not None]
                antecedent = max(candidates, key=lambda a: a[0], default=None)
            if antecedent is not None:
                attrs = {**attrs, "speaker_id": antecedent[1], "speaker_name": antecedent[2]}
                quote = Annotation(quote.start, quote.end, quote.label, attrs, quote.producer)
        if attrs.get("speaker_id") in person_ids:
            last_person = (quote.start, attrs["speaker_id"], attrs.get("speaker_name"))
        elif speaker and not pronoun:
            last_other = (quote.start, attrs.get("speaker_id"), attrs.get("speaker_name") or speaker)
        out.append(quote)
    return out


def _paragraph_runs(text: str) -> list[tuple[int, int]]:
    """Quotations over several paragraphs, marks included. KCNA writes them two ways: a mark
    opening the first paragraph and one closing the last ('"... / ... / ...."'), or a mark
    opening every paragraph and one closing the last ('"... / "... / "...."'). A paragraph that
    opens with a mark it does not close starts a run; the run ends at the paragraph that closes
    it, and is dropped if none does within ``_MAX_RUN`` paragraphs."""
    runs: list[tuple[int, int]] = []
    paragraphs = [(m.start(), m.group()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    i = 0
    while i < len(paragraphs):
        at, words = paragraphs[i]
        if not (_opens(words) and _marks(words) % 2):
            i += 1
            continue
        for j in range(i + 1, min(i + _MAX_RUN, len(paragraphs))):
            end_at, more = paragraphs[j]
            # Opening again ("... / "...): odd marks reopen; closing needs an even count. Not
            # opening: an odd count closes.
            closing = _marks(more) % 2 == (0 if _opens(more) else 1) and more.rstrip()[-1:] in '"”'
            if closing:
                runs.append((at + len(words) - len(words.lstrip()), end_at + len(more.rstrip())))
                i = j
                break
        i += 1
    return runs


def _opens(paragraph: str) -> bool:
    return paragraph.lstrip().startswith(('"', "“"))


def _marks(paragraph: str) -> int:
    return paragraph.count('"') + paragraph.count("“") + paragraph.count("”")


def _title_case(words: list[str]) -> bool:
    """Whether at least 80% of the words of five letters or more (two at least) start with a
    capital ("Let Us Carry Out the ... Instructions"): headline style names a work, while
    sentences capitalise only names. Shorter words are left out and one in five may be lower
    case: headlines keep prepositions ("with", "before") small."""
    long = [w for w in (w.strip("'‘’,.!?:;()") for w in words) if len(w) >= 5]
    return len(long) >= 2 and sum(w[0].isupper() for w in long) >= 0.8 * len(long)


def _span(value: Any) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if value else None
