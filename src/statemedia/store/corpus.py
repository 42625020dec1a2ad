"""The Python API over a store, mirroring the CLI: ``statemedia.open(path)``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import TracebackType

import pandas as pd

from ..config import Config
from ..model import Document
from . import open_store
from .base import Hit, Query, Store, VersionInfo
from .diff import VersionDiff, diff_versions
from .export import frame

__all__ = ["Corpus", "open"]


class Corpus:
    """A corpus database: search, fetch, iterate, and hand to pandas."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def search(
        self,
        text: str,
        *,
        outlet: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        person: str | None = None,
        language: str | None = None,
        limit: int = 20,
    ) -> list[Hit]:
        return self.store.search(Query(text, outlet, date_from, date_to, person, language, limit))

    def get(self, doc_id: str, version: int | None = None) -> Document | None:
        return self.store.get(doc_id, version)

    def versions(self, doc_id: str) -> list[VersionInfo]:
        return self.store.versions(doc_id)

    def diff(self, doc_id: str, old: int | None = None, new: int | None = None) -> VersionDiff:
        return diff_versions(self.store, doc_id, old, new)

    def documents(self, *, annotations: bool = False) -> Iterator[Document]:
        return self.store.documents(annotations=annotations)

    def to_pandas(self) -> pd.DataFrame:
        return frame(self.store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open(path: str | Path | None = None, config: Config | None = None) -> Corpus:
    """The corpus at ``path`` (default: $STATEMEDIA_DB or var/statemedia.db), created if new."""
    return Corpus(open_store(path, config))
