"""Strip page chrome (skip links, cookie banners, share/print lines, end markers).

The patterns are data (``data/chrome.tsv``), each with the reason it is chrome; the
reasons of what was removed are reported so an analyst can see why text went missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import read_tsv

__all__ = ["ChromeRule", "rules", "strip_chrome"]


@dataclass(frozen=True)
class ChromeRule:
    scope: str  # "line": the whole stripped line; "tail": the end of a line
    pattern: re.Pattern[str]
    reason: str


@lru_cache(maxsize=1)
def rules() -> tuple[ChromeRule, ...]:
    return tuple(
        ChromeRule(row["scope"], re.compile(row["pattern"], re.IGNORECASE), row["reason"])
        for row in read_tsv("chrome.tsv")
    )


@lru_cache(maxsize=2)
def _any(scope: str) -> re.Pattern[str]:
    """One pattern for all rules of ``scope``: most lines are not chrome, and one failed match
    a line costs less than one per rule (timed on all KCNA stories: docs/performance.md, "Capture")."""
    alternatives = "|".join(f"(?:{r.pattern.pattern})" for r in rules() if r.scope == scope)
    return re.compile(alternatives or "(?!)", re.IGNORECASE)


def strip_chrome(text: str) -> tuple[str, list[str]]:
    """``text`` without chrome lines and chrome line-endings, and the reasons for each removal."""
    any_line, any_tail = _any("line"), _any("tail")
    kept: list[str] = []
    removed: list[str] = []
    for line in text.split("\n"):
        if any_line.fullmatch(line.strip()):
            removed.append(next(r for r in rules() if r.scope == "line" and r.pattern.fullmatch(line.strip())).reason)
            continue
        if any_tail.search(line):
            for tail in (r for r in rules() if r.scope == "tail"):
                line, n = tail.pattern.subn("", line)
                removed.extend([tail.reason] * n)
        kept.append(line)
    return "\n".join(kept), removed
