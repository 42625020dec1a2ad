"""What changed between two versions of an article: a unified line diff and word changes."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..errors import QueryError
from .base import Store

__all__ = ["VersionDiff", "diff_versions"]

_TOKEN = re.compile(r"\S+|\s+")


@dataclass(frozen=True)
class VersionDiff:
    id: str
    old: int
    new: int
    unified: list[str]  # difflib.unified_diff lines
    words: list[tuple[str, str]]  # (op, text): op is "=", "-" or "+"; concatenating "=" and "+" gives new


def diff_versions(store: Store, doc_id: str, old: int | None = None, new: int | None = None) -> VersionDiff:
    """Diff version ``old`` (default: the one before ``new``) against ``new`` (default: current)."""
    versions = [v.version for v in store.versions(doc_id)]
    if not versions:
        raise QueryError(f"no article with id {doc_id!r}", where="diff")
    new = new if new is not None else versions[-1]
    old = old if old is not None else max([v for v in versions if v < new], default=new)
    a, b = store.get(doc_id, old), store.get(doc_id, new)
    if a is None or b is None:
        raise QueryError(f"article {doc_id!r} has versions {versions}, not {old} and {new}", where="diff")
    unified = list(
        difflib.unified_diff(
            a.text.splitlines(), b.text.splitlines(), f"{doc_id} v{old}", f"{doc_id} v{new}", lineterm=""
        )
    )
    old_tokens, new_tokens = _TOKEN.findall(a.text), _TOKEN.findall(b.text)
    words: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            words.append(("=", "".join(old_tokens[i1:i2])))
            continue
        if i2 > i1:
            words.append(("-", "".join(old_tokens[i1:i2])))
        if j2 > j1:
            words.append(("+", "".join(new_tokens[j1:j2])))
    return VersionDiff(doc_id, old, new, unified, words)
