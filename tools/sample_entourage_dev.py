"""Draw the stories of the protocol-list dev set (``training/labelled/entourage_dev.jsonl``).

A dev set is for tuning ``extract/entourage.py`` on: it holds TRAIN-split stories only
(``statemedia.training.splits``), never a reserved or held-out one, and none that a blind activity
draw (``tools/sample_activity_blind.py``, every draw) or a file under ``tests/`` (at ``PINNED``)
names. Rule, seeded, fixed 2026-12-03 before any story was read:

* population: train-split stories of ``kcna-2011``, ``kcna-2012`` and the 2024 file, English or
  Spanish, whose first two paragraphs name Kim Jong Il or Kim Jong Un and whose body holds a
  protocol-list cue (``_CUE``: "accompanied by/with", "Accompanying", "together with", "Present
  there/at", "were present", "greeted", "seen off", "Among the audience"; Spanish "acompañ",
  "Estuvieron presentes", "Asistieron", "acogieron", "despidieron");
* order, in three groups each shuffled by ``random.Random(SEED)``: English stories holding an
  entourage cue (``_ENTOURAGE``: "accompanied by/with", "Accompanying", "together with"), then
  Spanish ones ("acompañ"), then the other English candidates (present and hosts lists). English
  comes first because the blind sets are English; the blind entourage draw took nearly every
  English story saying a leader was "accompanied by" or "together with" someone, so few are left
  and the Spanish service's "Le acompañaron" lists make up the count.

Stories are annotated in this order until the set holds 40 entourage lists or more (how far each
group was read: ``training/labelled/README.md``).

Run: ``python tools/sample_entourage_dev.py`` prints ``id<TAB>group`` in order.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample_activity_blind import FILES, SHARED, known_ids, sample

from statemedia.training.splits import reserved_ids, split_of
from statemedia.training.weak_labels import english

SEED = "20261203-entourage-dev"
DRAWS = (
    *("2011", "2012", "2011-12-lead", "2024", "2024-more", "entourage-a", "entourage-b"),
    *("fresh-2011-12", "fresh-es-2011-12"),
)
_LEADER = re.compile(r"Kim\s*Jong\s*(?:Il|Un)\b")
_CUE = re.compile(
    r"accompanied\s+(?:by|with)|[Aa]ccompanying|together\s+with|Present\s+(?:there|at)|were\s+present"
    r"|greeted|seen\s+off|[Aa]mong\s+the\s+audience|acompa[nñ]|[Ee]stuvieron\s+presentes|[Aa]sistieron"
    r"|acogieron|despidieron"
)
_ENTOURAGE = re.compile(r"accompanied\s+(?:by|with)|[Aa]ccompanying|together\s+with|acompa[nñ]")


# The tests/ tree whose story ids the draw excludes, as committed when the rule was fixed (later
# tests name drawn stories; reading the live tree would change the draw).
PINNED = "2cb7fa1"


def draw() -> list[tuple[str, str]]:
    reserved = reserved_ids(SHARED)
    excluded = known_ids(PINNED).union(*(sample(d) for d in DRAWS))
    pools: dict[str, list[str]] = {"en-entourage": [], "es-entourage": [], "en": [], "es": []}
    seen: set[str] = set()
    for corpus in ("2011", "2012", "2024"):
        with gzip.open(FILES[corpus], "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                sid, body = str(record["id"]), str(record.get("body") or "")
                if sid in seen or sid in excluded or split_of(sid, reserved) != "train":
                    continue
                seen.add(sid)
                if not _LEADER.search(" ".join(body.split("\n")[:2])) or not _CUE.search(body):
                    continue
                language = "en" if english(body, record.get("language")) else "es"
                pools[language + ("-entourage" if _ENTOURAGE.search(body) else "")].append(sid)
    rng = random.Random(SEED)
    out: list[tuple[str, str]] = []
    for group in ("en-entourage", "es-entourage", "en"):
        ids = sorted(pools[group])
        rng.shuffle(ids)
        out += [(sid, group) for sid in ids]
    return out


if __name__ == "__main__":
    for sid, language in draw():
        print(f"{sid}\t{language}")
