"""Mine the corpus for protocol lists: sentences naming two or more officials, grouped by formula.

Reads every story of the ``train`` split (``statemedia.training.splits``: never a reserved or
held-out story) of KCNA 2011-12 and current KCNA 2024, splits it into sentences as the activity
extractor does, and finds the people each sentence names (leaders left out). A sentence naming
two or more is a *listing sentence*. For each formula of ``data/entourage.json`` it counts the
sentences where that formula introduces a list of two or more named officials (and their stories);
it counts lists a formula matched but the reader does not take (``subject``: someone else's suite;
``side``: the other side of a meeting); and it groups the listing sentences no formula reads by
the words before their first name, so that a formula used more than a few times shows up.

Run: ``nice .venv/bin/python tools/mine_protocol_lists.py [--shared ../shared] [--update]
[--top 40] [--examples 1]``. ``--update`` writes the counts into ``data/entourage.json``
(``sentences``, ``stories`` of each formula, and ``mined``: what was read). The counts in
docs/protocol-lists.md come from this tool.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from statemedia.extract.activities import sentences
from statemedia.extract.entourage import find_people, load_rules, scan_sentence
from statemedia.extract.gazetteer import load_gazetteer
from statemedia.training.splits import reserved_ids, split_of

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ("data/kcna/kcna-2011.jsonl.gz", "data/kcna/kcna-2012.jsonl.gz", "data/kcna-2024/kcna-2024-dev.jsonl.gz")
_RANK = re.compile(r"(?:\s+(?:[A-Z][\w.'’-]*|of|the|and))+\s*$")


def train_stories(shared: Path, totals: Counter[str]) -> Iterator[dict[str, Any]]:
    reserved = reserved_ids(shared)
    for name in CORPORA:
        with gzip.open(shared / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                split = split_of(str(record["id"]), reserved)
                totals[f"{Path(name).name} {split}"] += 1
                if split == "train" and record.get("body"):
                    record["_file"] = Path(name).name.split(".")[0]
                    yield record


def _key(sentence: str, first: int, second: int | None, after_first: int) -> str:
    """The words introducing a list: before its first name (or between the first two names)."""
    before = sentence[:first]
    if len(re.findall(r"\w+", before)) <= 1 and second is not None:
        before = sentence[after_first:second]
    trimmed = _RANK.sub("", before)
    before = trimmed if trimmed.strip() else before
    return " ".join(re.findall(r"[\w'’-]+|[,;:]", before)[-5:]).lower()


def mine(shared: Path, top: int, examples: int) -> dict[str, Any]:
    gazetteer = load_gazetteer()
    rules = load_rules()
    leaders = frozenset(e.id for e in gazetteer.entries.values() if e.is_leader)
    totals: Counter[str] = Counter()
    stories = 0
    listing = Counter[str]()  # language -> listing sentences
    read = Counter[str]()  # language -> listing sentences a formula reads (2+ names taken)
    by_formula: Counter[str] = Counter()
    by_formula_file: Counter[tuple[str, str]] = Counter()
    by_formula_any: Counter[str] = Counter()
    formula_stories: dict[str, set[str]] = defaultdict(set)
    skipped: Counter[tuple[str, str]] = Counter()
    skipped_examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    unread: Counter[str] = Counter()
    unread_examples: dict[str, list[str]] = defaultdict(list)
    for record in train_stories(shared, totals):
        stories += 1
        text = str(record["body"])
        language = str(record.get("language") or "?")
        carry = None
        for s, e in sentences(text):
            found = scan_sentence(text, s, e, lead=True, exclude=leaders, gazetteer=gazetteer, carry=carry)
            carry = found[-1] if found else None
            for item in found:
                if item.skipped is None and item.members:
                    by_formula_any[item.formula.id] += 1
                if len(item.members) >= 2:
                    if item.skipped is None:
                        by_formula[item.formula.id] += 1
                        by_formula_file[(item.formula.id, str(record["_file"]))] += 1
                        formula_stories[item.formula.id].add(str(record["id"]))
                    else:
                        key = (item.formula.id, item.skipped)
                        skipped[key] += 1
                        if len(skipped_examples[key]) < examples:
                            skipped_examples[key].append(f"{record['id']}: {text[s:e][:220]}")
            people = [p for p in find_people(text, s, e, gazetteer) if p[3] not in leaders]
            if len(people) < 2:
                continue
            listing[language] += 1
            if any(item.skipped is None and len(item.members) >= 2 for item in found):
                read[language] += 1
                continue
            if any(len(item.members) >= 2 for item in found):
                continue  # matched, and not taken for a reason counted above
            sentence = text[s:e]
            key = _key(sentence, people[0][0] - s, people[1][0] - s, people[0][1] - s)
            unread[f"{language} | {key}"] += 1
            if len(unread_examples[f"{language} | {key}"]) < examples:
                unread_examples[f"{language} | {key}"].append(f"{record['id']}: {sentence[:220]}")
    return {
        "totals": dict(sorted(totals.items())),
        "stories": stories,
        "listing": dict(listing),
        "read": dict(read),
        "formulas": [
            {
                "id": f.id,
                "role": f.role,
                "sentences": by_formula[f.id],
                "any": by_formula_any[f.id],
                "stories": len(formula_stories[f.id]),
                "by_file": {
                    Path(c).name.split(".")[0]: by_formula_file[(f.id, Path(c).name.split(".")[0])] for c in CORPORA
                },
            }
            for f in rules.formulas
        ],
        "skipped": [
            {"formula": f, "reason": r, "sentences": n, "examples": skipped_examples[(f, r)]}
            for (f, r), n in skipped.most_common()
        ],
        "unread": [{"key": k, "sentences": n, "examples": unread_examples[k]} for k, n in unread.most_common(top)],
    }


def report(result: dict[str, Any]) -> None:
    print("stories by file and split:")
    for name, n in result["totals"].items():
        print(f"  {name}: {n}")
    print(f"train stories read: {result['stories']}")
    for language, n in sorted(result["listing"].items()):
        r = result["read"].get(language, 0)
        print(f"listing sentences ({language}): {n}, read by a formula: {r} ({r / n:.0%})")
    files = [Path(c).name.split(".")[0] for c in CORPORA]
    print("\nformula\trole\tsentences (2+ names)\tstories\tlists (1+ names)\t" + "\t".join(files))
    for f in sorted(result["formulas"], key=lambda f: (-f["sentences"], f["id"])):
        per_file = "\t".join(str(f["by_file"][name]) for name in files)
        print(f"{f['id']}\t{f['role']}\t{f['sentences']}\t{f['stories']}\t{f['any']}\t{per_file}")
    print("\nmatched, not taken (2+ names):")
    for s in result["skipped"]:
        print(f"  {s['formula']} ({s['reason']}): {s['sentences']}")
        for example in s["examples"]:
            print(f"      {example}")
    print("\nlisting sentences no formula reads, by the words before the first name:")
    for u in result["unread"]:
        print(f"  {u['sentences']}\t{u['key']}")
        for example in u["examples"]:
            print(f"      {example}")


def update(result: dict[str, Any]) -> None:
    path = ROOT / "src" / "statemedia" / "data" / "entourage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {f["id"]: f for f in result["formulas"]}
    for formula in data["formulas"]:
        found = counts.get(formula["id"], {"sentences": 0, "stories": 0})
        formula["sentences"] = found["sentences"]
        formula["stories"] = found["stories"]
    data["mined"] = {
        "by": "tools/mine_protocol_lists.py",
        "stories": result["stories"],
        "files": result["totals"],
        "listing_sentences": result["listing"],
        "read_sentences": result["read"],
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\ncounts written to {path.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--update", action="store_true", help="write the counts into data/entourage.json")
    parser.add_argument("--top", type=int, default=40, help="unread groups to show")
    parser.add_argument("--examples", type=int, default=1, help="example sentences per group")
    parser.add_argument("--json", type=Path, help="also write the whole result here")
    args = parser.parse_args()
    result = mine(args.shared, args.top, args.examples)
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    if args.update:
        update(result)


if __name__ == "__main__":
    main()
