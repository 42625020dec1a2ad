"""The key a numeric claim is followed by across stories: what is counted, its unit and whom
it is about (the rules are in :mod:`statemedia.analytics.claims`' docstring).

Computed once per figure when its text is stored (``store/layers.py``), from the text's own
annotations, so reading claims needs no model and no other annotation; nothing here reads a
store, so the write path imports it without importing the read model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["SUBJECT_TYPES", "Subject", "grammatical", "normalise", "subject_of"]

SUBJECT_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "PLACE", "FAC"})
_DETERMINERS = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "my", "your", "some",
     "such", "each", "every"}
)  # fmt: skip
_PRONOUNS = frozenset(
    {"it", "they", "he", "she", "we", "i", "you", "this", "that", "these", "those", "there", "which", "who", "what"}
)
# Words ending in "s" that are not plurals (or whose singular the rules below would spoil).
_NOT_PLURAL = frozenset(["news", "series", "species", "means", "headquarters", "chassis"])
_EDGE = ",.;:!?'\"’‘“”()[]"


@dataclass(frozen=True)
class Subject:
    id: str  # an entity id, or "subject:" + the normalised grammatical subject
    name: str
    type: str  # the entity type, or "subject"


def _singular(word: str) -> str:
    if len(word) <= 3 or word in _NOT_PLURAL or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    return word[:-1]


def normalise(text: str | None) -> str:
    """A phrase as a claim key holds it: lowercase words, no determiners, each singular."""
    words = [w.strip(_EDGE) or w for w in (text or "").lower().split()]
    return " ".join(_singular(w) for w in words if w and w not in _DETERMINERS)


def subject_of(
    entities: Sequence[tuple[int, Subject]], q: tuple[int, int], sentence: tuple[int, int] | None,
    grammatical: str | None,
) -> Subject | None:
    """Whom the figure at ``q`` is about, from the text's entities (start, subject) in text order."""
    if sentence is None:
        return None
    inside = [(start, e) for start, e in entities if sentence[0] <= start < sentence[1] and not q[0] <= start < q[1]]
    before = [e for start, e in inside if start < q[0]]
    if before:
        return before[-1]
    after = [e for start, e in inside if start >= q[1]]
    if after:
        return after[0]
    name = normalise(grammatical)
    if name and name not in _PRONOUNS:
        return Subject(f"subject:{name}", name, "subject")
    return None


def grammatical(attrs: Mapping[str, Any], sentence: tuple[int, int], q: tuple[int, int], evidence: str) -> str | None:
    """The words of the sentence's grammatical subject (``evidence`` is the sentence), unless they hold the figure."""
    span = attrs.get("subject")
    if not (isinstance(span, list) and len(span) == 2):
        return None
    start, end = int(span[0]), int(span[1])
    if start < q[1] and q[0] < end:  # "2.24 million Italians did not ...": the subject is the figure
        return None
    return evidence[start - sentence[0] : end - sentence[0]] or None
