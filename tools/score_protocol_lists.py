"""Score the protocol lists (entourage, present, hosts) on the dev set ``entourage_dev.jsonl``.

Two views, both scored by ``training.evaluate_activities.score`` (the blind sets' scorer: names as
set precision/recall/F1, order exact over gold lists that are not empty):

* ``pipeline``: the activity extractor over each story, as ``statemedia evaluate-activities`` runs
  it. A gold list whose activity the extractor does not find (or finds under another sentence)
  is not scored there, so this view also counts the gold lists left unpaired.
* ``reader``: ``extract.entourage.protocol_lists`` alone, over the sentences from the gold
  activity's evidence to the next gold activity's (or the story's end): what the list reader
  gets right when the activity is found, whatever the detector does (the set's Spanish stories
  are read by the list formulas, not by the activity detector).

Run: ``nice .venv/bin/python tools/score_protocol_lists.py [--view pipeline|reader|both] [--errors]``.
The set is train-split only (``tools/sample_entourage_dev.py``); never point this at a blind set.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from statemedia.analytics.activities import PROTOCOL_ROLES, Activity  # noqa: E402
from statemedia.extract.activities import sentences  # noqa: E402
from statemedia.extract.entourage import protocol_lists  # noqa: E402
from statemedia.extract.gazetteer import load_gazetteer, slugify  # noqa: E402
from statemedia.training.evaluate_activities import (  # noqa: E402
    Scores,
    evaluate,
    load_dev,
    locate,
    read_stories,
    score,
)

DEV = ROOT / "src/statemedia/training/labelled/entourage_dev.jsonl"
KCNA = ROOT.parent / "shared/data/kcna"
_DEAD = frozenset({"person:kim-il-sung"})


def _leader_ids(actor: str) -> frozenset[str]:
    entry = load_gazetteer().lookup(actor)
    return _DEAD | {entry.id if entry is not None else f"person:{slugify(actor)}"}


def reader_scores(dev: list[dict[str, Any]]) -> Scores:
    """Scores of ``protocol_lists`` read from each gold activity's sentence, no detector involved."""
    gazetteer = load_gazetteer()
    predicted: dict[str, list[Activity]] = {}
    texts: dict[str, str] = {}
    records = {r["id"]: r for r in dev}
    for doc in read_stories(records, KCNA):
        text, spans = doc.text, sentences(doc.text)
        texts[doc.id] = text
        found: list[tuple[int, Mapping[str, Any]]] = []
        for gold in records[doc.id]["activities"]:
            at = locate(str(gold["evidence"]), text)
            index = next((i for i, (s, e) in enumerate(spans) if at is not None and s <= at < e), None)
            if index is not None:
                found.append((index, gold))
        found.sort(key=lambda x: x[0])
        out: list[Activity] = []
        for n, (index, gold) in enumerate(found):
            last = found[n + 1][0] if n + 1 < len(found) else len(spans)
            lists = protocol_lists(text, spans, index, last, _leader_ids(gold["actor"]), gazetteer)
            out.append(
                Activity(
                    doc_id=doc.id,
                    published=None,
                    actor=gold["actor"],
                    actor_id="",
                    kind=gold["kind"],
                    domain="",
                    day=None,
                    date_precision="unknown",
                    target=None,
                    place=None,
                    evidence=spans[index],
                    **{role: tuple(m.to_dict() for m in lists[role]) for role in PROTOCOL_ROLES},
                )
            )
        predicted[doc.id] = out
    return score(dev, predicted, texts)


def report(name: str, scores: Scores, dev: list[dict[str, Any]], errors: bool) -> None:
    figures = scores.as_dict()
    gold_lists = {role: sum(bool(a.get(role)) for r in dev for a in r["activities"]) for role in PROTOCOL_ROLES}
    print(f"== {name}: {len(dev)} stories")
    for role in PROTOCOL_ROLES:
        print(
            f"  {role:9s} lists {gold_lists[role]:3d} (scored {figures[f'{role}_lists']:3d})"
            f"  P {figures[f'{role}_precision']:.3f}  R {figures[f'{role}_recall']:.3f}"
            f"  F1 {figures[f'{role}_f1']:.3f}  order exact {figures[f'{role}_order_exact']:.3f}"
        )
    if errors:
        for line in scores.errors:
            if any(f": {role} " in line for role in PROTOCOL_ROLES) or "detection" in line:
                print("   ", line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--view", choices=("pipeline", "reader", "both"), default="both")
    parser.add_argument("--errors", action="store_true", help="print each disagreement")
    parser.add_argument("--dev", default=str(DEV))
    args = parser.parse_args(argv)
    dev = load_dev(args.dev)
    if args.view in ("reader", "both"):
        report("reader (protocol_lists from the gold activity's sentence)", reader_scores(dev), dev, args.errors)
    if args.view in ("pipeline", "both"):
        report("pipeline (activity extractor, paired as the blind sets)", evaluate(args.dev, KCNA), dev, args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
