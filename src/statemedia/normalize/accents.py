"""Accents folded away: KCNA's Spanish service writes "dirigió" and "dirigio" alike, and a
romanised name keeps its letters whatever marks a source adds ("Pyongyang", "Pyŏngyang")."""

from __future__ import annotations

import unicodedata

__all__ = ["strip_accents"]


def strip_accents(text: str) -> str:
    """``text`` with every combining mark removed after canonical decomposition (NFKD)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
