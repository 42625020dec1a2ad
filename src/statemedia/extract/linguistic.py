"""Linguistic analysis with spaCy: sentences (with subject and main verb) and named entities.

The spaCy ``Doc`` is not kept: what later stages need from it is written down as
``sentence`` and ``ner`` annotations, the one representation every stage reads.
Languages the English model does not serve get rule-based sentence boundaries only.
A text longer than ``piece_chars`` is parsed in pieces cut at paragraph boundaries (a blank line
always ends a sentence here, so no sentence is cut), each piece's offsets shifted back onto the
one text: spaCy refuses a text over its ``max_length`` (1,000,000 characters), and such a story
was dropped whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..model import Annotation, Document

__all__ = ["LinguisticAnalyzer"]

# Numbers are normalised by the `numbers` component and dates by `dates`; spaCy's
# versions of them would only duplicate (and disagree with) those layers.
_SKIPPED_NER = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY", "DATE", "TIME"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# Sentence end for languages without a model: terminal punctuation (optionally closed by
# a quote or bracket) before whitespace, or a blank line.
_RULE_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+|\n\s*\n")


@Language.component("statemedia_paragraph_breaks")
def _paragraph_breaks(sdoc: Doc) -> Doc:
    """A blank line always ends a sentence: headings and list items have no final stop."""
    for tok in sdoc[:-1]:
        if tok.is_space and "\n" in tok.text:
            sdoc[tok.i + 1].is_sent_start = True
    return sdoc


def _edge_span(token: Token, offset: int = 0) -> list[int]:
    return [offset + token.left_edge.idx, offset + token.right_edge.idx + len(token.right_edge)]


def _token_span(token: Token, offset: int = 0) -> list[int]:
    return [offset + token.idx, offset + token.idx + len(token)]


# Where a piece may end, best first: after a blank line, a line break, a sentence stop, a space.
_PIECE_ENDS = tuple(re.compile(p) for p in (r"\n[^\S\n]*\n\s*", r"\n\s*", r"[.!?][\"'”’)]?\s+", r"\s+"))


def pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """``text`` cut into consecutive pieces of at most ``limit`` characters, each with its offset;
    a cut falls after the last blank line within the limit (failing that a line break, a sentence
    stop, a space, and only then anywhere). The pieces joined are ``text``."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = 0
        for pattern in _PIECE_ENDS:
            ends = [m.end() for m in pattern.finditer(window) if m.end() < len(window)]
            # A cut in the first half would make many small pieces: look for a weaker break.
            if ends and ends[-1] > limit // 2:
                cut = ends[-1]
                break
        cut = cut or limit
        out.append((start, text[start : start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def _clauses(sent: Span, offset: int = 0) -> list[dict[str, Any]]:
    """Each verb with its subject: what events read to find who did what."""
    out = []
    for tok in sent:
        if tok.pos_ not in {"VERB", "AUX"} or tok.dep_ == "aux":
            continue
        subject = next((c for c in tok.children if c.dep_ in _SUBJECT_DEPS), None)
        out.append(
            {
                "verb": _token_span(tok, offset),
                "lemma": tok.lemma_,
                "subject": _edge_span(subject, offset) if subject is not None else None,
                "subject_head": _token_span(subject, offset) if subject is not None else None,
            }
        )
    return out


class LinguisticAnalyzer:
    name: ClassVar[str] = "linguistic"
    version: ClassVar[str] = "2"  # 2: texts over piece_chars analysed in pieces
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ("sentence", "ner")

    @dataclass(frozen=True)
    class Options:
        model: str
        languages: list[str]
        batch_size: int
        piece_chars: int

    def __init__(self, options: Options) -> None:
        self.options = options
        self.nlp = spacy.load(options.model)
        self.nlp.add_pipe("statemedia_paragraph_breaks", before="parser")
        # spaCy refuses a text over max_length; pieces stay below it, whatever the option says.
        self.piece_chars = max(1, min(options.piece_chars, self.nlp.max_length - 1))

    def _served(self, doc: Document) -> bool:
        return doc.language is None or doc.language in self.options.languages

    def __call__(self, doc: Document) -> Document:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Document], batch_size: int | None = None) -> Iterator[Document]:
        batch = list(docs)
        served = [d for d in batch if self._served(d)]
        # Every piece of every served text, in order: (its document, its offset in that text, its text).
        cut = [(doc, offset, piece) for doc in served for offset, piece in pieces(doc.text, self.piece_chars)]
        parsed = self.nlp.pipe((piece for _, _, piece in cut), batch_size=batch_size or self.options.batch_size)
        for (doc, offset, _), sdoc in zip(cut, parsed, strict=True):
            doc.add(self._annotations(sdoc, offset))
        for doc in batch:
            if not self._served(doc):
                doc.add(self._rule_sentences(doc.text))
        yield from batch

    def _annotations(self, sdoc: Doc, offset: int = 0) -> Iterator[Annotation]:
        for sent in sdoc.sents:
            if not sent.text.strip():
                continue
            root = sent.root
            subject = next((c for c in root.children if c.dep_ in _SUBJECT_DEPS), None)
            # spaCy keeps the whitespace after a sentence inside it; a span ends at its text.
            end = sent.start_char + len(sent.text.rstrip())
            yield Annotation(
                offset + sent.start_char,
                offset + end,
                "sentence",
                {
                    "subject": _edge_span(subject, offset) if subject is not None else None,
                    "root": _token_span(root, offset),
                    "root_lemma": root.lemma_,
                    "clauses": _clauses(sent, offset),
                },
                self.name,
            )
        for ent in sdoc.ents:
            if ent.label_ not in _SKIPPED_NER:
                yield Annotation(offset + ent.start_char, offset + ent.end_char, "ner", {"type": ent.label_}, self.name)

    def _rule_sentences(self, text: str) -> Iterator[Annotation]:
        start = 0
        for match in _RULE_SENTENCE_END.finditer(text):
            end = match.start() + len(match.group(0).rstrip())
            end = min(end, match.end())
            if text[start:end].strip():
                yield self._sentence(text, start, end)
            start = match.end()
        if text[start:].strip():
            yield self._sentence(text, start, len(text.rstrip()))

    def _sentence(self, text: str, start: int, end: int) -> Annotation:
        # Trim surrounding whitespace so sentence spans never start or end blank.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        attrs: dict[str, Any] = {"subject": None, "root": None, "root_lemma": None, "clauses": []}
        return Annotation(start, end, "sentence", attrs, self.name)
