"""Options of the store, filled from [store] in defaults.toml."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..config import Config, load_config, options_for
from .dedupe import DedupeOptions

__all__ = ["StoreOptions", "default_db_path", "store_options"]


@dataclass(frozen=True)
class StoreOptions:
    path: str
    batch_size: int
    analysis_batch_size: int
    read_ahead_min_bytes: int
    read_ahead_batch: int
    cache_mib: int
    wal_autocheckpoint: int
    busy_timeout_ms: int
    search_candidates: int
    prefix_words: int
    title_weight: float
    snippet_tokens: int


def store_options(config: Config | None = None) -> tuple[StoreOptions, DedupeOptions]:
    config = config if config is not None else load_config()
    return options_for(StoreOptions, config, "store"), options_for(DedupeOptions, config, "dedupe")


def default_db_path(config: Config | None = None) -> str | Path:
    """$STATEMEDIA_DB, else [store] path: a file path, or a URL kept as a string."""
    target = os.environ.get("STATEMEDIA_DB") or store_options(config)[0].path
    return target if "://" in target else Path(target)
