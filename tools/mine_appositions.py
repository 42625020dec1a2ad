"""Mine the corpus's own appositions for officials: "Choe Ryong Hae, member of the Presidium of ...".

Reads every English train-split story (``statemedia.training.splits``: never reserved, held out or
in a hand-annotated test set) of KCNA 2011, 2012 and the 2024 file (captured as the
pipeline captures them: glued names parted), finds Korean names (a gazetteer person or a name of
Korean shape, ``data/entourage.json``) followed by a comma and a title ("member of ...",
"secretary of ...", "vice-premier of the Cabinet", "minister of ..."), and prints per person:
appositions, stories, first and last day, the spellings seen, whether the gazetteer has him, and
his titles with their first and last day and counts. The output is reviewed by hand before rows
go into ``src/statemedia/data/gazetteer.tsv`` and ``official_titles.tsv``: they stay curated data.

Run: ``nice .venv/bin/python tools/mine_appositions.py [--min 5] [--titles out.tsv]``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

from person_ids import FILES, SHARED, records  # noqa: E402

from statemedia.capture.records import capture_record  # noqa: E402
from statemedia.extract.entourage import canonical_name, load_rules  # noqa: E402
from statemedia.extract.gazetteer import load_gazetteer  # noqa: E402
from statemedia.training.activity_data import test_set_ids  # noqa: E402
from statemedia.training.splits import reserved_ids, split_of  # noqa: E402

# What a title in apposition starts with (lower case: KCNA writes "Choe Ryong Hae, member of ...").
_CUE = (
    r"(?:(?:first|alternate|senior|executive|honorary|former|acting|permanent|chief|deputy)\s+)*"
    r"(?:vice[- ])?(?:member|secretary|premier|director|chairman|chairwoman|chairperson|minister|president|"
    r"chief|head|commander|department\s+director|general|editor|ambassador|marshal|"
    r"vice-marshal|colonel|lieutenant|admiral|councillor|counsellor|governor|mayor|presidium)\b"
)
# The title runs to the next person, a semicolon or the end of the sentence.
# A comma ends it too, except the one KCNA sets after "C.C." ("secretary of the C.C., the WPK").
_END = re.compile(
    r";|\.(?:\s|$)|\s+\(|\s+and\s+(?=[A-Z])|(?<!C\.C\.),\s|,\s+and\b|"
    r"\s+(?:were|was|is|are|made|said|sent|who|and\s+other|and\s+officials|and\s+his|and\s+her|and\s+others)\b"
)


@dataclass
class Person:
    appositions: int = 0
    stories: set[str] = field(default_factory=set)
    days: list[date] = field(default_factory=list)
    spellings: Counter[str] = field(default_factory=Counter)
    titles: dict[str, list[date]] = field(default_factory=lambda: defaultdict(list))


def _title(text: str, start: int) -> str | None:
    """The title in apposition starting at ``start`` (after ", "), or None."""
    if not re.match(_CUE, text[start:], re.IGNORECASE) or not text[start].islower():
        return None
    end = _END.search(text, start, start + 220)
    stop = end.start() if end else min(len(text), start + 220)
    title = re.sub(r"\s+", " ", text[start:stop]).strip(" ,")
    return title if 3 <= len(title) <= 200 else None


def mine(years: list[str]) -> dict[str, Person]:
    gazetteer = load_gazetteer()
    rules = load_rules()
    people: dict[str, Person] = defaultdict(Person)
    reserved, tests = reserved_ids(SHARED), test_set_ids()
    for year in years:
        for record in records(year, 0):
            if split_of(record["id"], reserved) != "train" or record["id"] in tests:
                continue
            doc = capture_record(record, location=record["id"])
            text, day = doc.text, doc.published
            names = [(s, e, entry.name) for s, e, entry in gazetteer.find_names(text) if entry.type == "PERSON"]
            for m in rules.korean_name.finditer(text):
                if not any(m.start() < e and s < m.end() for s, e, _ in names):
                    linked = gazetteer.lookup(m.group(0))
                    names.append((m.start(), m.end(), linked.name if linked else canonical_name(m.group(0), rules)))
            for s, e, name in names:
                if not text.startswith(", ", e):
                    continue
                title = _title(text, e + 2)
                if title is None:
                    continue
                person = people[name]
                person.appositions += 1
                person.stories.add(doc.id)
                person.spellings[text[s:e]] += 1
                if day is not None:
                    person.days.append(day)
                    person.titles[title].append(day)
    return people


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min", type=int, default=5, help="least appositions for a person to be printed")
    parser.add_argument("--titles", type=int, default=3, help="titles printed per person")
    parser.add_argument("--years", nargs="*", default=sorted(FILES))
    parser.add_argument(
        "--official-titles",
        type=Path,
        default=None,
        help="write rows for data/official_titles.tsv: gazetteer officials' titles seen twice or more",
    )
    args = parser.parse_args(argv)
    gazetteer = load_gazetteer()
    people = mine(args.years)
    print("name\tin_gazetteer\tappositions\tstories\tfirst\tlast\tspellings\ttitles (first..last, count)")
    for name, p in sorted(people.items(), key=lambda kv: -kv[1].appositions):
        if p.appositions < args.min:
            continue
        titles = sorted(p.titles.items(), key=lambda kv: -len(kv[1]))[: args.titles]
        shown = " | ".join(f"{t} ({min(d)}..{max(d)}, {len(d)})" for t, d in titles)
        known = "yes" if gazetteer.lookup(name) else "no"
        first = min(p.days) if p.days else ""
        last = max(p.days) if p.days else ""
        spellings = ", ".join(s for s, _ in p.spellings.most_common(3))
        print(f"{name}\t{known}\t{p.appositions}\t{len(p.stories)}\t{first}\t{last}\t{spellings}\t{shown}")
    if args.official_titles is not None:
        _write_titles(args.official_titles, people)


def _write_titles(path: Path, people: dict[str, Person]) -> None:
    """Each gazetteer official's titles in apposition, seen at least twice: id, title, first and last day."""
    gazetteer = load_gazetteer()
    rows = []
    for name, p in people.items():
        entry = gazetteer.lookup(name)
        if entry is None or entry.type != "PERSON" or entry.role in ("leader", "family", "historical"):
            continue
        for title, days in p.titles.items():
            if len(days) >= 2:
                rows.append((entry.id, title, min(days).isoformat(), max(days).isoformat(), len(days)))
    rows.sort(key=lambda r: (r[0], r[2], -r[4]))
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write("\t".join(str(x) for x in row) + "\n")


if __name__ == "__main__":
    main()
