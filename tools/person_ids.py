"""Count the PERSON ids the entity layer finds in one corpus year: the list checked by hand.

Runs the components ``entity`` annotations need (numbers, juche, dates, acronyms, linguistic,
entities; registry.py) over English, non-reserved stories of one corpus year and prints the
most frequent PERSON ids, by the number of stories that name them (``--by mentions``: by
named mentions; pronouns resolved by coreference are never counted), with both counts, the
surface forms seen and, with ``--contexts``, a few lines of context for each id (what a hand
check reads).

Population (fixed, seeded; ``statemedia.training.splits``):

* KCNA 2011 and 2012 (``../shared/data/kcna/kcna-20XX.jsonl.gz``): stories labelled English
  ("the" at least as frequent as "de/la/el/los") that are not reserved; to keep CPU low, a
  seeded sample of ``--sample`` (default 2,000) of them, ``random.Random(SEED).sample`` over
  the sorted candidate ids.
* KCNA 2024 (``../shared/data/kcna-2024/kcna-2024-dev.jsonl.gz``): all 433 stories.

``--cache DIR`` keeps the documents analysed up to ``linguistic`` (pickles, one a year and
sample size): reruns then repeat only the entity linking, which is what changes while the
gazetteer and the rules are worked on (delete them when capture or spaCy changes).
``--tsv tests/data/person_ids_top100.tsv`` writes the year's top list into the hand-check list,
keeping the verdicts of ids already checked (docs/people.md).

Run: ``nice .venv/bin/python tools/person_ids.py 2012 [--top 100] [--contexts 3] [--cache var/person_ids]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from statemedia.capture.records import capture_record  # noqa: E402
from statemedia.model import Document  # noqa: E402
from statemedia.registry import build_pipeline  # noqa: E402
from statemedia.training.splits import reserved_ids, split_of  # noqa: E402
from statemedia.training.weak_labels import english  # noqa: E402

SEED = 20261214
FILES = {
    "2011": SHARED / "data/kcna/kcna-2011.jsonl.gz",
    "2012": SHARED / "data/kcna/kcna-2012.jsonl.gz",
    "2024": SHARED / "data/kcna-2024/kcna-2024-dev.jsonl.gz",
}
BEFORE = ["numbers", "juche", "dates", "acronyms", "linguistic"]


def records(year: str, sample: int) -> list[dict[str, Any]]:
    """The stories of ``year`` the count runs on, in id order (see the module docstring)."""
    reserved = reserved_ids(SHARED)
    with gzip.open(FILES[year], "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    kept = (r for r in rows if split_of(r["id"], reserved) != "reserved")
    usable = sorted((r for r in kept if english(str(r.get("body")), r.get("language"))), key=lambda r: r["id"])
    if year != "2024" and 0 < sample < len(usable):
        chosen = set(random.Random(SEED).sample([r["id"] for r in usable], sample))
        usable = [r for r in usable if r["id"] in chosen]
    return usable


def _analysed_before_entities(year: str, sample: int, cache: Path | None) -> list[Document]:
    path = cache / f"{year}-{sample}.pickle" if cache is not None else None
    if path is not None and path.exists():
        with path.open("rb") as fh:
            docs: list[Document] = pickle.load(fh)
        return docs
    pipeline = build_pipeline(names=BEFORE)
    captured = [capture_record(r, location=r["id"]) for r in records(year, sample)]
    docs = list(pipeline.pipe(captured, batch_size=64))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            pickle.dump(docs, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return docs


def analysed(year: str, sample: int, cache: Path | None = None) -> Iterator[Document]:
    """The stories of ``year`` with ``entity`` annotations."""
    from statemedia.config import load_config, options_for
    from statemedia.extract.entities import EntityLinker

    entities = EntityLinker(options_for(EntityLinker.Options, load_config(), "entities"))
    for doc in _analysed_before_entities(year, sample, cache):
        yield entities(doc)


def _context(doc: Document, start: int, end: int, width: int = 70) -> str:
    left = doc.text[max(0, start - width) : start].replace("\n", " ")
    right = doc.text[end : end + width].replace("\n", " ")
    return f"{doc.id}: ...{left}[[{doc.text[start:end]}]]{right}..."


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("year", choices=sorted(FILES))
    parser.add_argument("--sample", type=int, default=2000, help="stories drawn for 2011/2012 (0: all)")
    parser.add_argument("--top", type=int, default=100)
    parser.add_argument("--contexts", type=int, default=0, help="context lines printed per id")
    parser.add_argument("--cache", type=Path, default=None, help="folder for documents analysed up to linguistic")
    parser.add_argument("--by", choices=("stories", "mentions"), default="stories", help="what ranks the ids")
    parser.add_argument(
        "--tsv",
        type=Path,
        default=None,
        help="update this hand-check list (year, rank, id, name, count, verdict, note): this year's rows "
        "are replaced by the new top list, keeping the verdict and note of ids already checked",
    )
    parser.add_argument("--id", action="append", default=[], help="print every context of this id")
    args = parser.parse_args(argv)

    mentions: Counter[str] = Counter()
    stories: Counter[str] = Counter()
    names: dict[str, str] = {}
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    contexts: dict[str, list[str]] = defaultdict(list)
    n_docs = 0
    for doc in analysed(args.year, args.sample, args.cache):
        n_docs += 1
        seen: set[str] = set()
        for ann in doc.spans("entity"):
            if ann.attrs.get("type") != "PERSON" or ann.attrs.get("via") == "coref":
                continue
            pid = str(ann.attrs["id"])
            mentions[pid] += 1
            names.setdefault(pid, str(ann.attrs.get("name")))
            forms[pid][doc.covered(ann)] += 1
            if pid not in seen:
                seen.add(pid)
                stories[pid] += 1
            if pid in args.id or len(contexts[pid]) < args.contexts:
                contexts[pid].append(_context(doc, ann.start, ann.end))
    sampled = f"seeded sample of {args.sample}" if args.year != "2024" and args.sample else "all"
    print(f"# KCNA {args.year}: {n_docs} English non-reserved stories ({sampled}); PERSON ids by {args.by}")
    print("rank\tid\tname\tmentions\tstories\tforms")
    first, second = (stories, mentions) if args.by == "stories" else (mentions, stories)
    ranked = sorted(first, key=lambda p: (-first[p], -second[p], p))[: args.top]
    for rank, pid in enumerate(ranked, 1):
        n = mentions[pid]
        shown = ", ".join(f"{f} ({c})" for f, c in forms[pid].most_common(4))
        print(f"{rank}\t{pid}\t{names[pid]}\t{n}\t{stories[pid]}\t{shown}")
        for line in contexts[pid] if pid not in args.id else []:
            print(f"\t\t{line}")
    if args.tsv is not None:
        _update_tsv(args.tsv, args.year, [(rank, pid, names[pid], stories[pid]) for rank, pid in enumerate(ranked, 1)])
    for pid in args.id:
        print(f"\n## {pid}: {mentions[pid]} mentions")
        for line in contexts[pid]:
            print(f"  {line}")


_TSV_HEADER = """\
# The most frequent PERSON ids of each corpus year, checked by hand (docs/people.md). Made by
# tools/person_ids.py YEAR --tsv (English non-reserved stories: a seeded sample of 2,000 for 2011
# and 2012, all 433 for 2024); count = stories naming the id (the rank). verdict: ok when the id
# is one real person under a full name (contexts read where unsure), wrong otherwise; note says why.
"""
_COLUMNS = ("year", "rank", "id", "name", "count", "verdict", "note")


def _update_tsv(path: Path, year: str, ranked: list[tuple[int, str, str, int]]) -> None:
    rows: list[dict[str, str]] = []
    if path.exists():
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
        rows = [dict(zip(_COLUMNS, line.split("\t"), strict=False)) for line in lines[1:]]
    judged = {r["id"]: (r.get("verdict", ""), r.get("note", "")) for r in rows if r["year"] == year}
    kept = [r for r in rows if r["year"] != year]
    for rank, pid, name, count in ranked:
        verdict, note = judged.get(pid, ("", ""))
        kept.append(dict(zip(_COLUMNS, (year, str(rank), pid, name, str(count), verdict, note), strict=True)))
    kept.sort(key=lambda r: (r["year"], int(r["rank"])))
    with path.open("w", encoding="utf-8") as fh:
        fh.write(_TSV_HEADER + "\t".join(_COLUMNS) + "\n")
        for r in kept:
            fh.write("\t".join(r.get(c, "") or "" for c in _COLUMNS) + "\n")


if __name__ == "__main__":
    main()
