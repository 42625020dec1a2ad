"""Draw the stories of the held-out activity test set (``tests/data/activities_test.jsonl``).

Sampling rule (reproducible: fixed seed, sorted candidate ids, one ``random.Random`` per stratum):

* Population: English stories (``language == "en"`` and, since some 2011 Spanish stories
  are labelled "en" in the source, "the" more frequent than "de/la/el/los") of ``kcna-2011.jsonl.gz`` and
  ``kcna-2012.jsonl.gz``, minus every story id named in the dev set
  (``tests/data/activities_dev.jsonl``) or in ``tests/test_activities.py`` (stories the rules
  were written against).
* Lead stratum, 36 stories (18 per year): the title or one of the first two sentences of the
  body names "Kim Jong Il" or "Kim Jong Un" - the stories the extractor is meant for.
  The 2012 half is split 9 / 9 between stories whose lead names Kim Jong Un and those whose
  lead names only Kim Jong Il, so both leaders appear in both years' reports.
* Elsewhere stratum, 10 stories (5 per year): a leader is named somewhere in the body, but
  not in the title or first two sentences - negatives and borderline cases (messages, floral
  baskets, foreign praise, anniversaries).
* Headline stratum, 12 stories (6 per year), drawn after the two above and among lead stories
  not drawn yet: the title begins with "Kim Jong Il " or "Kim Jong Un " (the leader as the
  headline's subject, not "Kim Jong Il's work ..."). Added because only 3 of the 46 random
  stories report an activity of the leader: without it recall and entourage rest on 3 cases.

Sentences are split at ``.``/``!``/``?`` followed by space or at line breaks (rough, but fixed).

Annotation: each drawn story was read in full by the annotator (an engineer of this project,
2026-11-27, in a helper session) and its leader activities written by hand in the dev-set format
(actor, kind, target, date, entourage in text order) BEFORE the extractor was ever run on
these stories; conventions follow the dev set (see tests/data/README.md).

Run: ``python tools/sample_activity_test.py ../shared/data/kcna`` prints the drawn ids.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
from pathlib import Path

SEED = 20250611
LEADERS = ("Kim Jong Il", "Kim Jong Un")
ROOT = Path(__file__).resolve().parents[1]
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_THE = re.compile(r"\bthe\b", re.I)
_SPANISH = re.compile(r"\b(?:de|la|el|los)\b")


def _known_ids() -> set[str]:
    text = (ROOT / "tests/data/activities_dev.jsonl").read_text(encoding="utf-8")
    text += (ROOT / "tests/test_activities.py").read_text(encoding="utf-8")
    return set(re.findall(r"kcna-\d{4}-\d{5}", text))


def _lead(record: dict[str, object]) -> str:
    # A few records carry no title (NaN in the source files).
    title, body = record.get("title"), record.get("body")
    first_two = [s for s in _SENTENCE.split(body if isinstance(body, str) else "") if s.strip()][:2]
    return " ".join([title if isinstance(title, str) else "", *first_two])


def _english(record: dict[str, object]) -> bool:
    body = str(record.get("body"))
    return record.get("language") == "en" and len(_THE.findall(body)) >= len(_SPANISH.findall(body))


def strata(kcna_dir: Path, year: int) -> dict[str, list[str]]:
    """Candidate ids of one year by stratum: lead naming Kim Jong Un, lead naming only Kim Jong Il, elsewhere."""
    known = _known_ids()
    found: dict[str, list[str]] = {"lead_un": [], "lead_il": [], "elsewhere": [], "headline": []}
    with gzip.open(kcna_dir / f"kcna-{year}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if not _english(record) or record["id"] in known:
                continue
            lead = _lead(record)
            if "Kim Jong Un" in lead:
                found["lead_un"].append(record["id"])
            elif "Kim Jong Il" in lead:
                found["lead_il"].append(record["id"])
            elif any(name in str(record.get("body")) for name in LEADERS):
                found["elsewhere"].append(record["id"])
            if re.match(r"Kim Jong (?:Il|Un) ", str(record.get("title"))):
                found["headline"].append(record["id"])
    return {k: sorted(v) for k, v in found.items()}


def sample(kcna_dir: Path) -> list[str]:
    """The drawn story ids, in draw order."""
    drawn: list[str] = []
    for year in (2011, 2012):
        pools = strata(kcna_dir, year)
        rng = random.Random(f"{SEED}-{year}")
        if year == 2011:
            # In 2011 Kim Jong Un is named mostly inside Kim Jong Il's reports: one lead stratum.
            drawn += rng.sample(sorted(pools["lead_un"] + pools["lead_il"]), 18)
        else:
            drawn += rng.sample(pools["lead_un"], 9) + rng.sample(pools["lead_il"], 9)
        drawn += rng.sample(pools["elsewhere"], 5)
        drawn += rng.sample([i for i in pools["headline"] if i not in drawn], 6)
    return drawn


if __name__ == "__main__":
    for story in sample(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/kcna")):
        print(story)
