"""DPRK acronyms: ``acronym`` annotations with their expansion and entity id.

The list (``data/acronyms.tsv``) holds only acronyms seen in the KCNA data with their
expansion; Spanish stories have their own (RPDC, PTC, ...) that share the English entity id.
An acronym with rows in several languages ("CMC") takes the row in the document's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..datafiles import read_tsv
from ..model import Annotation, Document

__all__ = ["AcronymExpander"]

_ROWS = read_tsv("acronyms.tsv")
_BY_SHORT: dict[str, dict[str, dict[str, str]]] = {}
for _row in _ROWS:
    _BY_SHORT.setdefault(_row["short"], {})[_row["language"]] = _row

# Case-sensitive and not inside a longer token: "WPK's" and "DPRK-China" count, "DPRKs" does not.
# A dotted acronym ("C.C.") also matches without its last dot, which a comma often replaces.
_PATTERN = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(
        re.escape(short) + ("?" if short.endswith(".") else "")
        for short in sorted(_BY_SHORT, key=len, reverse=True)
    )
    + r")(?![\w])"
)


class AcronymExpander:
    """Adds ``acronym`` (attrs: ``short``, ``expansion``, ``entity_id``)."""

    name: ClassVar[str] = "acronyms"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ("acronym",)

    @dataclass(frozen=True)
    class Options:
        # Language of the expansion when the document's language is unknown or unlisted.
        default_language: str

    def __init__(self, options: Options) -> None:
        self.options = options

    def __call__(self, doc: Document) -> Document:
        doc.add(self.find(doc.text, doc.language))
        return doc

    def find(self, text: str, language: str | None) -> list[Annotation]:
        found: list[Annotation] = []
        for match in _PATTERN.finditer(text):
            surface = match.group()
            by_language = _BY_SHORT.get(surface) or _BY_SHORT[surface + "."]
            row = (
                by_language.get(language or "")
                or by_language.get(self.options.default_language)
                or next(iter(by_language.values()))
            )
            attrs = {"short": row["short"], "expansion": row["expansion"], "entity_id": row["entity_id"]}
            found.append(Annotation(match.start(), match.end(), "acronym", attrs, producer=self.name))
        return found
