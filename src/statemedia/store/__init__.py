"""The corpus store: the Store interface, the SQLite default, PostgreSQL, search. What to
store and when (ingest, re-analysis, watch) sits above it: ``statemedia.ingest``, ``statemedia.watch``."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from .base import Hit, Put, PutStatus, Query, Store, VersionInfo, Writer, article_key
from .options import StoreOptions, default_db_path, store_options

__all__ = [
    "Hit",
    "Put",
    "PutStatus",
    "Query",
    "Store",
    "StoreOptions",
    "VersionInfo",
    "Writer",
    "article_key",
    "default_db_path",
    "open_store",
]


def open_store(path: str | Path | None = None, config: Config | None = None) -> Store:
    """The store at ``path`` (default: $STATEMEDIA_DB or [store] path), created if new:
    a ``postgresql://`` URL opens a PostgreSQL store, anything else a SQLite file. This is
    the one place a store implementation is chosen."""
    options, dedupe = store_options(config)
    target = path if path is not None else default_db_path(config)
    if isinstance(target, str) and target.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore

        return PostgresStore(target, options, dedupe)
    from .sqlite import SQLiteStore

    return SQLiteStore(target, options, dedupe)
