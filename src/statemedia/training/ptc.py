"""The Propaganda Techniques Corpus (SemEval-2020 Task 11) as Python objects, and its fixed split.

Offsets are character offsets into ``open(path, encoding="utf-8").read()`` (PTC README).
The split is fixed by article id so that every run, here or in CI, sees the same articles:
ids divisible by 5 are the TEST split (never trained or tuned on); ids with remainder 1 are
the DEV split used for tuning; the rest is TRAIN. The shipped model is trained on TRAIN+DEV
with the settings tuned on DEV.

The corpus also holds SemEval-2020's own development articles (``dev-articles/``) without
technique labels, but with the gold span of every technique instance in the TC task's template
(``dev-task-TC-template.out``, label "?"): span supervision for 75 more articles
(``load_span_articles``; they share no text with TEST beyond site boilerplate, checked line by
line). Span taggers train on them beside TRAIN; nothing is tuned or scored on them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..errors import BadRecordError

__all__ = [
    "Article",
    "GoldSpan",
    "Split",
    "line_sentences",
    "load_articles",
    "load_span_articles",
    "load_techniques",
    "split_of",
]


class Split(StrEnum):
    TRAIN = "train"
    DEV = "dev"
    TEST = "test"


def split_of(article_id: int) -> Split:
    """The fixed split an article belongs to (see the module docstring)."""
    if article_id % 5 == 0:
        return Split.TEST
    if article_id % 5 == 1:
        return Split.DEV
    return Split.TRAIN


@dataclass(frozen=True, slots=True)
class GoldSpan:
    start: int
    end: int
    technique: str


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    text: str
    techniques: tuple[GoldSpan, ...]  # task 2 (TC) spans, one per technique instance
    propaganda: tuple[tuple[int, int], ...]  # task 1 (SI) spans as the corpus gives them

    @property
    def split(self) -> Split:
        return split_of(self.id)

    def sentences(self) -> list[tuple[int, int]]:
        return line_sentences(self.text)

    def sentence_around(self, start: int) -> tuple[int, int]:
        """The line holding offset ``start`` (PTC gives one sentence per line)."""
        return (self.text.rfind("\n", 0, start) + 1, self.text.find("\n", start) % (len(self.text) + 1))


def line_sentences(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end): PTC articles hold one sentence per line (README)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def load_techniques(root: Path) -> tuple[str, ...]:
    """The 14 technique labels, in the order of ``techniques.txt``."""
    return tuple(
        line.strip() for line in (root / "techniques.txt").read_text(encoding="utf-8").splitlines() if line.strip()
    )


def _rows(path: Path, width: int) -> list[list[str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [row for row in csv.reader(fh, delimiter="\t") if row]
    for row in rows:
        if len(row) != width:
            raise BadRecordError(f"expected {width} tab-separated columns, got {len(row)}", where=str(path))
    return rows


def load_articles(root: Path, splits: Iterable[Split] = tuple(Split)) -> list[Article]:
    """The PTC training articles in ``splits``, with their gold spans, ordered by id."""
    wanted = set(splits)
    articles: list[Article] = []
    for path in sorted((root / "train-articles").glob("article*.txt")):
        article_id = int(path.stem.removeprefix("article"))
        if split_of(article_id) not in wanted:
            continue
        text = path.read_text(encoding="utf-8")
        tc = _rows(root / "train-labels-task2-technique-classification" / f"{path.stem}.task2-TC.labels", 4)
        si = _rows(root / "train-labels-task1-span-identification" / f"{path.stem}.task1-SI.labels", 3)
        articles.append(
            Article(
                article_id,
                text,
                tuple(GoldSpan(int(s), int(e), t) for _, t, s, e in tc),
                tuple((int(s), int(e)) for _, s, e in si),
            )
        )
    return articles


def load_span_articles(root: Path) -> list[Article]:
    """SemEval-2020's development articles with their gold spans (no techniques), ordered by id.

    A span tagged with two techniques appears twice in the template; it is one span here, as in
    the corpus's task-1 labels.
    """
    spans: dict[int, set[tuple[int, int]]] = {}
    for row_id, label, start, end in _rows(root / "dev-task-TC-template.out", 4):
        if label != "?":
            raise BadRecordError(f"expected the unlabelled template ('?'), got {label!r}", where=row_id)
        spans.setdefault(int(row_id), set()).add((int(start), int(end)))
    articles: list[Article] = []
    for path in sorted((root / "dev-articles").glob("article*.txt")):
        article_id = int(path.stem.removeprefix("article"))
        text = path.read_text(encoding="utf-8")
        articles.append(Article(article_id, text, (), tuple(sorted(spans.get(article_id, set())))))
    return articles
