"""Options of the web workbench, filled from [web] in defaults.toml."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["WebOptions"]


@dataclass(frozen=True)
class WebOptions:
    page_size: int = 20
    max_page_size: int = 200
    facet_hits: int = 100
    facet_values: int = 8
    refresh_seconds: float = 30
    near_duplicates: int = 20
    entity_articles: int = 25
    co_appearances: int = 20
    gap_days: int = 14
    max_upload_bytes: int = 67_108_864
