"""Strip page chrome (skip links, cookie banners, share/print lines, end markers).

The patterns are data (``data/chrome.tsv``), each with the reason it is chrome; the
reasons of what was removed are reported so an analyst can see why text went missing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["ChromeRule", "rules", "strip_chrome"]


@dataclass(frozen=True)
class ChromeRule:
    scope: str  # "line": the whole stripped line; "tail": the end of a line
    pattern: re.Pattern[str]
    reason: str


@lru_cache(maxsize=1)
def rules() -> tuple[ChromeRule, ...]:
    text = resources.files("statemedia").joinpath("data/chrome.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader(
        (line for line in text.splitlines() if not line.startswith("#")),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
    )
    return tuple(
        ChromeRule(row["scope"], re.compile(row["pattern"], re.IGNORECASE), row["reason"]) for row in rows
    )


def strip_chrome(text: str) -> tuple[str, list[str]]:
    """``text`` without chrome lines and chrome line-endings, and the reasons for each removal."""
    line_rules = [r for r in rules() if r.scope == "line"]
    tail_rules = [r for r in rules() if r.scope == "tail"]
    kept: list[str] = []
    removed: list[str] = []
    for line in text.split("\n"):
        rule = next((r for r in line_rules if r.pattern.fullmatch(line.strip())), None)
        if rule is not None:
            removed.append(rule.reason)
            continue
        for tail in tail_rules:
            line, n = tail.pattern.subn("", line)
            removed.extend([tail.reason] * n)
        kept.append(line)
    return "\n".join(kept), removed
