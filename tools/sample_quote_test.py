"""Draw the stories of the hand-annotated quotation sets (``tests/data/quotations_{dev,test}.jsonl``).

Two named draws, each reproducible (fixed seed, sorted candidate ids, one ``random.Random`` per
year, and the ``tests/`` folder read as it was committed at the draw, not as it is now):

* ``dev`` (seed 20250612, ``tests/`` at 1490b48): drawn 2026-11-27 as the first held-out set;
  quotations v2 was written against its error list, so it is now the dev set.
* ``test`` (seed 20261128, ``tests/`` at 63264a9, where the ``dev`` draw's stories were in
  ``tests/data/quotations_dev.jsonl``): the fresh held-out set, drawn after v2.

Sampling rule (both draws):

* Population: English stories of ``kcna-2011.jsonl.gz`` and ``kcna-2012.jsonl.gz``
  (``language == "en"`` and, since some 2011 Spanish stories are labelled "en" in the source,
  "the" at least as frequent as "de/la/el/los") whose body holds a straight quotation mark or one
  of " said that ", " stressed that ", " noted that ".
* Excluded: the stories read while the quotation rules were written (``RULE_STORIES``) and every
  KCNA story id named in a .py/.jsonl/.json/.md file under ``tests/`` at the draw's commit (for
  ``test`` this holds the ``dev`` set's stories).
* Drawn: 15 stories per year, ``random.Random(f"{seed}-{year}").sample(sorted candidates, 15)``.

Annotation: each drawn story was read in full by the annotator (an engineer of this project, in a
helper session: ``dev`` 2026-11-27, ``test`` 2026-11-27) and every quotation written by hand
(kind, first words, speaker) BEFORE the extractor was ever run on these stories (tests/data/README.md).

Run: ``python tools/sample_quote_test.py [--draw dev|test] [KCNA_DIR]`` prints the drawn ids;
``--seed`` and ``--tree`` (a commit) define a further draw.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
from pathlib import Path

# Draw name -> (seed, commit whose tests/ folder was read at the draw).
DRAWS = {
    "dev": (20250612, "1490b48a9cc3038261c40035454c89396441bc85"),
    "test": (20261128, "63264a90b1cab4622cb5cc300835bdae2b076723"),
}
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
_THE = re.compile(r"\bthe\b", re.I)
_SPANISH = re.compile(r"\b(?:de|la|el|los)\b")
_REPORT = re.compile(r'"| said that | stressed that | noted that ')


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True).stdout


def _known_ids(tree: str) -> set[str]:
    found = set(RULE_STORIES)
    for path in _git("ls-tree", "-r", "--name-only", tree, "tests").splitlines():
        if Path(path).suffix in {".py", ".jsonl", ".json", ".md"}:
            found |= set(re.findall(r"kcna-\d{4}-\d{5}", _git("show", f"{tree}:{path}")))
    return found


def _candidate(record: dict[str, object]) -> bool:
    body = str(record.get("body"))
    english = record.get("language") == "en" and len(_THE.findall(body)) >= len(_SPANISH.findall(body))
    return english and _REPORT.search(body) is not None


def sample(kcna_dir: Path, seed: int, tree: str) -> list[str]:
    """The drawn story ids, in draw order."""
    known, drawn = _known_ids(tree), list[str]()
    for year in (2011, 2012):
        with gzip.open(kcna_dir / f"kcna-{year}.jsonl.gz", "rt", encoding="utf-8") as fh:
            pool = sorted(r["id"] for r in map(json.loads, fh) if r["id"] not in known and _candidate(r))
        drawn += random.Random(f"{seed}-{year}").sample(pool, PER_YEAR)
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description="Print the story ids of a quotation set's draw.")
    parser.add_argument("kcna", nargs="?", type=Path, default=Path("../shared/data/kcna"))
    parser.add_argument("--draw", choices=sorted(DRAWS), default="test")
    parser.add_argument("--seed", type=int, help="another seed (a further draw)")
    parser.add_argument("--tree", help="another commit whose tests/ ids are excluded (a further draw)")
    args = parser.parse_args()
    seed, tree = DRAWS[args.draw]
    for story in sample(args.kcna, args.seed or seed, args.tree or tree):
        print(story)


if __name__ == "__main__":
    main()
