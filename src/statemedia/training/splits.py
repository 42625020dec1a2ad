"""Which stories a model may learn from, and which are kept for measuring it.

The rule is fixed before any model exists and never looks at a story's text:

* ``reserved``: the 2,000 KCNA 2011-12 ids in ``../shared/data/kcna/reserved-ids.txt`` are
  never trained on, tuned on or read for rules (the project is measured on them by others).
* ``heldout``: of every other story, those whose id hashes to 0 modulo ``HELDOUT_MODULUS``
  (one in five of KCNA 2011-12; one in two of the small current-KCNA 2024 file). Blind test
  sets are drawn only from held-out stories, and no model trains on them.
* ``train``: the rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = ["HELDOUT_MODULUS", "Split", "reserved_ids", "split_of"]

Split = Literal["reserved", "heldout", "train"]

# Current KCNA is scarce (433 stories), so half of it is held out to give its test set enough
# stories; KCNA 2011-12 is plentiful (20,333 usable stories), so a fifth suffices.
HELDOUT_MODULUS = {"kcna-2024": 2, "default": 5}


def _bucket(story_id: str, modulus: int) -> int:
    return int(hashlib.sha256(story_id.encode("utf-8")).hexdigest()[:8], 16) % modulus


@cache
def _reserved(path: str) -> frozenset[str]:
    return frozenset(line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip())


def reserved_ids(shared: Path) -> frozenset[str]:
    """The reserved KCNA ids, read from ``shared/data/kcna/reserved-ids.txt``."""
    return _reserved(str(shared / "data" / "kcna" / "reserved-ids.txt"))


def split_of(story_id: str, reserved: Iterable[str] = ()) -> Split:
    """The split of one story id (``reserved`` is the reserved-id set, see :func:`reserved_ids`)."""
    if story_id in reserved:
        return "reserved"
    prefix = "kcna-2024" if story_id.startswith("kcna-2024-") else "default"
    return "heldout" if _bucket(story_id, HELDOUT_MODULUS[prefix]) == 0 else "train"
