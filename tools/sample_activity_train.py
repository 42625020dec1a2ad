"""Draw the stories of the hand-labelled activity TRAINING set (``src/statemedia/training/labelled/``).

Unlike the blind sets, this set is for learning: the activity model trains on it (with the dev set
and the headline weak labels). Rule (seeded, fixed 2026-12-02):

* every train-split (``statemedia.training.splits``) English 2024 story that names Kim Jong Un in
  its body and is in no blind draw of ``tools/sample_activity_blind.py``;
* then 80 train-split English 2011-12 stories, in no blind draw and not named under ``tests/`` at the
  blind sampler's pinned commit, whose first two paragraphs name Kim Jong Il or Kim Jong Un, in a
  seeded order.

Run: ``python tools/sample_activity_train.py`` prints the ids in order.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_activity_blind import FILES, SEED, SHARED, known_ids, sample

from statemedia.training.splits import reserved_ids, split_of
from statemedia.training.weak_labels import read_stories

_LEADER = re.compile(r"Kim Jong (?:Il|Un)\b")
DRAWS = (
    *("2011", "2012", "2011-12-lead", "2024", "2024-more", "entourage-a", "entourage-b"),
    *("fresh-2011-12", "fresh-es-2011-12"),
)


def draw() -> list[str]:
    reserved = reserved_ids(SHARED)
    excluded = known_ids().union(*(sample(d) for d in DRAWS))
    recent: list[str] = []
    older: list[str] = []
    for corpus in ("2011", "2012", "2024"):
        for story in read_stories(FILES[corpus]):
            sid, body = story.id, story.body
            if sid in excluded or split_of(sid, reserved) != "train":
                continue
            if corpus == "2024" and "Kim Jong Un" in body:
                recent.append(sid)
            elif corpus != "2024" and _LEADER.search(" ".join(body.split("\n")[:2])):
                older.append(sid)
    older.sort()
    return sorted(recent) + random.Random(f"{SEED}-train").sample(older, 80)


if __name__ == "__main__":
    for story in draw():
        print(story)
