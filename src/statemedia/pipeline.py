"""The component contract and the pipeline that chains components.

A component is a callable ``Document -> Document`` that *adds* annotations. It
declares the annotation labels it ``requires`` (made by an earlier component) and
the ones it ``assigns``; :class:`Pipeline` checks the chain once, when it is built,
so a misordered configuration fails before any article is read (error E201).
Components that gain from batching (spaCy) also offer ``pipe()``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import ClassVar, Protocol, runtime_checkable

from .errors import PipelineError
from .model import Document

__all__ = ["Component", "Pipeline"]


@runtime_checkable
class Component(Protocol):
    """What every pipeline component provides."""

    name: ClassVar[str]
    version: ClassVar[str]  # bump when output changes: the store re-analyses on a new version
    requires: ClassVar[tuple[str, ...]]
    assigns: ClassVar[tuple[str, ...]]

    def __call__(self, doc: Document) -> Document: ...


def _pipe_component(component: Component, docs: Iterable[Document], batch_size: int) -> Iterator[Document]:
    batch_pipe = getattr(component, "pipe", None)
    if batch_pipe is not None:
        yield from batch_pipe(docs, batch_size=batch_size)
    else:
        for doc in docs:
            yield component(doc)


class Pipeline:
    """An ordered chain of components, validated at construction."""

    def __init__(self, components: Sequence[Component]) -> None:
        available: set[str] = set()
        for comp in components:
            missing = [label for label in comp.requires if label not in available]
            if missing:
                raise PipelineError(
                    f"component {comp.name!r} requires {missing}, which no earlier component assigns",
                    where="pipeline",
                )
            available.update(comp.assigns)
        self.components: tuple[Component, ...] = tuple(components)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    @property
    def version(self) -> str:
        """Identifies what this pipeline produces: names and versions of its components."""
        spec = ";".join(f"{c.name}={c.version}" for c in self.components)
        return hashlib.sha1(spec.encode()).hexdigest()[:12]

    def get(self, name: str) -> Component:
        for comp in self.components:
            if comp.name == name:
                return comp
        raise KeyError(name)

    def __call__(self, doc: Document) -> Document:
        for comp in self.components:
            doc = comp(doc)
        return doc

    def pipe(self, docs: Iterable[Document], *, batch_size: int = 32) -> Iterator[Document]:
        """Stream documents through every component, ``batch_size`` at a time."""
        iterator = iter(docs)
        while batch := list(islice(iterator, batch_size)):
            stream: Iterable[Document] = batch
            for comp in self.components:
                stream = list(_pipe_component(comp, stream, batch_size))
            yield from stream
