"""Options of the web workbench, filled from [web] in defaults.toml."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["WebOptions"]


@dataclass(frozen=True)
class WebOptions:
    page_size: int
    max_page_size: int
    facet_hits: int
    facet_matches: int
    facet_sample: int
    search_results: int
    facet_values: int
    near_duplicates: int
    entity_articles: int
    co_appearances: int
    co_mention_sample: int
    gap_days: int
    activity_log_rows: int
    calendar_years: int
    max_upload_bytes: int
    max_paste_chars: int
    read_connections: int
    claim_statements: int
    claim_results: int
