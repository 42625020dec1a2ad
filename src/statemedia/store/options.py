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
    path: str = "var/statemedia.db"
    batch_size: int = 500
    read_ahead_min_bytes: int = 2_000_000
    read_ahead_batch: int = 500
    cache_mib: int = 64
    wal_autocheckpoint: int = 16_384
    busy_timeout_ms: int = 10_000
    search_candidates: int = 5_000
    prefix_words: int = 1_000
    title_weight: float = 2.0
    snippet_tokens: int = 16


def store_options(config: Config | None = None) -> tuple[StoreOptions, DedupeOptions]:
    config = config if config is not None else load_config()
    return options_for(StoreOptions, config, "store"), options_for(DedupeOptions, config, "dedupe")


def default_db_path(config: Config | None = None) -> str | Path:
    """$STATEMEDIA_DB, else [store] path: a file path, or a URL kept as a string."""
    target = os.environ.get("STATEMEDIA_DB") or store_options(config)[0].path
    return target if "://" in target else Path(target)
