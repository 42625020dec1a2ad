"""Capture options, filled from ``[capture]`` in defaults.toml.

Capture is not a pipeline component (it makes Documents rather than annotating them),
but its thresholds live in the one config file like every component's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..config import Config, load_config, options_for

__all__ = ["CaptureOptions", "default_options"]


@dataclass(frozen=True)
class CaptureOptions:
    max_bytes: int
    max_control_ratio: float
    max_title_chars: int
    min_article_words: int
    encodings: tuple[str, ...]
    languages: tuple[str, ...]
    language_sample_chars: int
    glue_repair: bool
    glue_min_tail: int
    glue_min_word: int

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
