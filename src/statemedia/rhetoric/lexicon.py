"""DPRK persuasion phrases as technique spans: the curated lexicon in data/rhetoric/dprk_techniques.tsv.

The PTC-trained model knows Western news; KCNA's stock phrases ("invincible party", "sure
victory", "defending the homeland", "puppet group of traitors", quoted "Let us ...!" slogans)
are rarer there than they are obvious here. Each row of the lexicon is a regular expression,
the technique it marks and why (docs/rhetoric.md). Matches join the model's detections in
``TechniqueModel.detect_many``: a model span lying inside a match gives way to it (the same
phrase, better named); other model spans stay, so a sentence may carry several techniques.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import ModelError

__all__ = ["DEFAULT_LEXICON", "Lexicon", "LexiconMatch"]

DEFAULT_LEXICON = "data/rhetoric/dprk_techniques.tsv"  # inside the package


@dataclass(frozen=True, slots=True)
class LexiconMatch:
    start: int
    end: int
    technique: str


class Lexicon:
    """Compiled lexicon rows: (pattern, technique)."""

    def __init__(self, rows: Sequence[tuple[str, str]], where: str = "lexicon") -> None:
        self.rows: list[tuple[re.Pattern[str], str]] = []
        for line, (pattern, technique) in enumerate(rows, start=1):
            try:
                # Never inside a longer word: "traitor" not in "traitorous", "puppet" not in "puppetry".
                compiled = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)
            except re.error as exc:
                raise ModelError(f"row {line}: bad pattern {pattern!r} ({exc})", where=where) from exc
            self.rows.append((compiled, technique))

    @property
    def techniques(self) -> frozenset[str]:
        return frozenset(technique for _, technique in self.rows)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Lexicon:
        """The lexicon TSV at ``path``; the one shipped in the package if ``None`` or empty."""
        where = Path(path) if path else Path(str(resources.files("statemedia").joinpath(DEFAULT_LEXICON)))
        try:
            lines = [line for line in where.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
        except OSError as exc:
            raise ModelError(f"cannot read the technique lexicon ({exc})", where=str(where)) from exc
        # QUOTE_NONE: patterns hold literal quotation marks (quoted slogans).
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames is None or not {"pattern", "technique"} <= set(reader.fieldnames):
            raise ModelError("the technique lexicon needs `pattern` and `technique` columns", where=str(where))
        return cls([(row["pattern"], row["technique"]) for row in reader], where=str(where))

    def find(self, text: str) -> list[LexiconMatch]:
        """Every match in ``text``, less those inside a longer match of the same technique, in text order."""
        found = {
            (m.start(), m.end(), technique)
            for pattern, technique in self.rows
            for m in pattern.finditer(text)
            if m.end() > m.start()
        }
        return [
            LexiconMatch(s, e, t)
            for s, e, t in sorted(found)
            if not any(t2 == t and s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, t2 in found)
        ]
