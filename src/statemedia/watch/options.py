"""Options of `statemedia watch` and of alert delivery, filled from [watch] and [alerts] in defaults.toml."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config, load_config, options_for

__all__ = ["AlertOptions", "WatchOptions", "alert_options", "watch_options"]


@dataclass(frozen=True)
class WatchOptions:
    sources: str
    archive: str
    warc_max_bytes: int
    user_agent: str
    proxy: str
    host_delay: float
    timeout: float
    retries: int
    backoff: float
    max_redirects: int
    max_page_bytes: int
    concurrency: int
    withdrawn_after: int
    index_depth: int


@dataclass(frozen=True)
class AlertOptions:
    smtp_host: str
    smtp_port: int
    smtp_from: str
    smtp_starttls: bool
    webhook_timeout: float


def watch_options(config: Config | None = None) -> WatchOptions:
    return options_for(WatchOptions, config if config is not None else load_config(), "watch")


def alert_options(config: Config | None = None) -> AlertOptions:
    return options_for(AlertOptions, config if config is not None else load_config(), "alerts")
