"""The list of CLI command modules: importing one registers its command on ``app``."""

from __future__ import annotations

from . import analyze  # noqa: F401
