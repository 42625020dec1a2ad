"""Propose gazetteer rows for officials named in leaders' entourage lists but not yet in the gazetteer.

Prints a TSV (name, appearances, variants seen, titles seen) to review by hand before adding
rows to ``src/statemedia/data/gazetteer.tsv``: the gazetteer stays curated data.
Run: ``python tools/propose_officials.py ../shared/data/kcna/kcna-2012.jsonl.gz [MIN]``.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

from statemedia.analytics.activities import activities, analysed
from statemedia.model import Document


def main(path: str, minimum: int = 2) -> None:
    counts: Counter[str] = Counter()
    titles: dict[str, Counter[str]] = defaultdict(Counter)
    docs = (d for d in analysed(path) if isinstance(d, Document))
    for act in activities(docs):
        for member in act.entourage:
            if not member["linked"]:
                counts[member["name"]] += 1
                titles[member["name"]].update(member["titles"])
    print("name\tappearances\ttitles")
    for name, n in counts.most_common():
        if n >= minimum:
            print(f"{name}\t{n}\t{' | '.join(t for t, _ in titles[name].most_common(3))}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2)
