"""Capture options, filled from ``[capture]`` in defaults.toml.

Capture is not a pipeline component (it makes Documents rather than annotating them),
but its thresholds live in the one config file like every component's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..config import Config, load_config, options_for

__all__ = ["CaptureOptions", "default_options"]


@dataclass(frozen=True)
class CaptureOptions:
    max_bytes: int = 50_000_000
    max_control_ratio: float = 0.01
    max_title_chars: int = 150
    min_article_words: int = 8
    encodings: tuple[str, ...] = field(default=("utf_8", "utf_16", "cp1252", "euc_kr"))
    languages: tuple[str, ...] = field(default=("ko", "en", "zh", "ru", "es", "fr", "ja"))
    language_sample_chars: int = 300

    def __post_init__(self) -> None:
        # TOML gives lists; keep the frozen dataclass hashable.
        object.__setattr__(self, "encodings", tuple(self.encodings))
        object.__setattr__(self, "languages", tuple(self.languages))


def options_from(config: Config) -> CaptureOptions:
    return options_for(CaptureOptions, config, "capture")


@lru_cache(maxsize=1)
def default_options() -> CaptureOptions:
    """The package defaults (read once: capture runs per record)."""
    return options_from(load_config())
