"""Draw the stories of the held-out quotation test set (``tests/data/quotations_test.jsonl``).

Sampling rule (reproducible: fixed seed, sorted candidate ids, one ``random.Random`` per year):

* Population: English stories of ``kcna-2011.jsonl.gz`` and ``kcna-2012.jsonl.gz``
  (``language == "en"`` and, since some 2011 Spanish stories are labelled "en" in the source,
  "the" at least as frequent as "de/la/el/los") whose body holds a straight quotation mark or one
  of " said that ", " stressed that ", " noted that ".
* Excluded: the stories read while the quotation rules were written (``RULE_STORIES``) and every
  KCNA story id named anywhere under ``tests/`` (other than this set's own files) at the time of
  the draw.
* Drawn: 15 stories per year, ``random.Random(f"{SEED}-{year}").sample(sorted candidates, 15)``.

Annotation: each drawn story was read in full by the annotator (an engineer of this project,
2026-11-27, in a helper session) and every quotation written by hand (kind, first words, speaker) BEFORE
the extractor was ever run on these stories (tests/data/README.md).

Run: ``python tools/sample_quote_test.py ../shared/data/kcna`` prints the drawn ids.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
from pathlib import Path

SEED = 20250612
PER_YEAR = 15
ROOT = Path(__file__).resolve().parents[1]
# Stories read while quotations.py and quote_cues.tsv were written.
RULE_STORIES = set(
    re.findall(
        r"kcna-\d{4}-\d{5}",
        """kcna-2011-00973 kcna-2011-12911 kcna-2011-04736 kcna-2011-13320 kcna-2012-07258 kcna-2012-01270
    kcna-2012-10149 kcna-2012-10416 kcna-2012-06064 kcna-2012-02954 kcna-2012-01089 kcna-2012-09852
    kcna-2012-01947 kcna-2012-06740 kcna-2012-09357 kcna-2012-04201 kcna-2012-00855 kcna-2012-07652
    kcna-2012-01508 kcna-2012-04667 kcna-2012-01894 kcna-2012-07775 kcna-2012-01284 kcna-2012-02453
    kcna-2012-04344 kcna-2011-11754 kcna-2011-12025 kcna-2011-12274 kcna-2011-08649 kcna-2011-02894
    kcna-2011-13523 kcna-2011-01442 kcna-2011-00504 kcna-2011-02061 kcna-2011-01955 kcna-2011-01224
    kcna-2011-05680 kcna-2011-07158 kcna-2011-12004 kcna-2011-09147 kcna-2011-13151 kcna-2011-08438
    kcna-2011-00197 kcna-2011-02752 kcna-2011-11867""",
    )
)
OWN_FILES = {"quotations_test.jsonl", "test_quotations_heldout.py"}
_THE = re.compile(r"\bthe\b", re.I)
_SPANISH = re.compile(r"\b(?:de|la|el|los)\b")
_REPORT = re.compile(r'"| said that | stressed that | noted that ')


def _known_ids() -> set[str]:
    found = set(RULE_STORIES)
    for path in (ROOT / "tests").rglob("*"):
        if path.is_file() and path.suffix in {".py", ".jsonl", ".json", ".md"} and path.name not in OWN_FILES:
            found |= set(re.findall(r"kcna-\d{4}-\d{5}", path.read_text(encoding="utf-8")))
    return found


def _candidate(record: dict[str, object]) -> bool:
    body = str(record.get("body"))
    english = record.get("language") == "en" and len(_THE.findall(body)) >= len(_SPANISH.findall(body))
    return english and _REPORT.search(body) is not None


def sample(kcna_dir: Path) -> list[str]:
    """The drawn story ids, in draw order."""
    known, drawn = _known_ids(), []
    for year in (2011, 2012):
        with gzip.open(kcna_dir / f"kcna-{year}.jsonl.gz", "rt", encoding="utf-8") as fh:
            pool = sorted(r["id"] for r in map(json.loads, fh) if r["id"] not in known and _candidate(r))
        drawn += random.Random(f"{SEED}-{year}").sample(pool, PER_YEAR)
    return drawn


if __name__ == "__main__":
    for story in sample(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/kcna")):
        print(story)
