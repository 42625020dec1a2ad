"""The shared data model: one immutable clean text, standoff annotations over it.

No I/O lives here. Capture builds a :class:`Document` once; every later stage only
*adds* :class:`Annotation` objects. Nothing rewrites ``Document.text`` after capture,
so every offset ever produced stays valid for the life of the document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

__all__ = ["Annotation", "Document", "Source", "content_hash"]


def content_hash(text: str) -> str:
    """SHA-256 of the clean text: the identity of one *version* of an article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Annotation:
    """A labelled span ``text[start:end]`` with attributes and the component that made it.

    ``label`` names the layer (``"entity"``, ``"date"``, ``"quantity"``, ``"event"``, ...);
    ``attrs`` carries the normalised value(s) as JSON-compatible data.
    """

    start: int
    end: int
    label: str
    attrs: Mapping[str, Any] = field(default_factory=dict)
    producer: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"E001 bad span [{self.start}, {self.end}) for label {self.label!r}")
        # Freeze the attributes so an annotation cannot change after it is added.
        object.__setattr__(self, "attrs", MappingProxyType(dict(self.attrs)))

    def __reduce__(self) -> tuple[type[Annotation], tuple[int, int, str, dict[str, Any], str]]:
        # A mappingproxy cannot be pickled; worker processes send annotations back by value.
        return (Annotation, (self.start, self.end, self.label, dict(self.attrs), self.producer))

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "attrs": dict(self.attrs),
            "producer": self.producer,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Annotation:
        return cls(
            int(data["start"]),
            int(data["end"]),
            str(data["label"]),
            dict(data.get("attrs") or {}),
            str(data.get("producer") or ""),
        )


@dataclass(frozen=True, slots=True)
class Source:
    """The unaltered input an article was captured from (kept for the record)."""

    raw: str
    media_type: str = "text/plain"
    encoding: str = "utf-8"
    location: str = ""

    def __reduce__(self) -> tuple[type[Source], tuple[str, str, str, str]]:
        # By constructor, not the frozen dataclass's generic __setstate__: half the unpickling
        # time, which the ingest writer pays for every document the reader process sends.
        return (Source, (self.raw, self.media_type, self.encoding, self.location))


@dataclass(slots=True)
class Document:
    """One version of one article: metadata, clean text and the annotations over it."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    language: str | None = None
    source: Source | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    annotations: list[Annotation] = field(default_factory=list)

    def __setattr__(self, name: str, value: Any) -> None:
        # The clean text is fixed at capture: offsets of all annotations depend on it.
        if name == "text" and hasattr(self, "text"):
            raise AttributeError("E002 Document.text is immutable after capture")
        object.__setattr__(self, name, value)

    def __reduce__(self) -> tuple[type[Document], tuple[Any, ...]]:
        # By constructor (see Source.__reduce__): 8 us instead of 11 a KCNA story.
        return (
            Document,
            (
                self.id, self.text, self.title, self.outlet, self.url, self.published,
                self.language, self.source, self.meta, self.annotations,
            ),
        )

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    def add(self, annotations: Iterable[Annotation]) -> None:
        """Add annotations; each must lie inside the text."""
        n = len(self.text)
        for ann in annotations:
            if ann.end > n:
                raise ValueError(f"E003 annotation {ann.label!r} ends at {ann.end} past text length {n}")
            self.annotations.append(ann)

    def spans(self, *labels: str) -> Iterator[Annotation]:
        """Annotations with any of ``labels`` (all if none given), in text order."""
        wanted = set(labels)
        for ann in sorted(self.annotations, key=lambda a: (a.start, -a.end)):
            if not wanted or ann.label in wanted:
                yield ann

    def covered(self, ann: Annotation) -> str:
        return self.text[ann.start : ann.end]

    def labels(self) -> set[str]:
        return {a.label for a in self.annotations}
