"""Activity extraction on the held-out test set (tests/data/activities_test.jsonl, annotated blind).

A regression guard, not a target to tune for: the rules must never be changed by looking at these
stories (tests/data/README.md). Measured on the first run (2026-11-27) (commit of the test set, rules unchanged):
gold 10, predicted 8, detection P 1.000 / R 0.800; kind, target, date accuracy 1.000 (8 pairs);
entourage P/R/F1 1.000, order exact 1.000 (4 lists). Misses: kcna-2012-09557 ("appeared in the
auditorium": no kind pattern), kcna-2012-04420 (body lacks its lead; the leader is named only in
the headline). Dev set for comparison: P 1.000 / R 0.952, date 0.975, entourage F1 1.000.
Thresholds: the measured value minus about one case's worth (10 gold, 8 pairs, 30 names).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import KCNA
from statemedia.training.evaluate_activities import evaluate, load_dev

TEST = Path(__file__).parent / "data" / "activities_test.jsonl"

FLOORS = {
    # Issue 14 logs received mail and every activity of a story; this set (older conventions) does not:
    # Measured with the issue-14 model: P 0.36-0.46, R 0.50-0.60 over its revisions (docs/activities.md
    # has the blind sets, the honest figures).
    "detection_precision": 0.30,
    "detection_recall": 0.45,
    # Since the second labelling round more pairs, two of them of the wrong kind and target (figures in
    # docs/activities.md, "First held-out set"): one more wrong kind or target fails.
    "kind_accuracy": 0.70,
    "target_accuracy": 0.70,
    "date_accuracy": 0.85,
    "entourage_f1": 0.93,  # 1.000 on 30 names: a few lost or extra names fail
    "entourage_order_exact": 0.74,  # 1.000 on 4 lists: one list out of order passes, two fail
}


@pytest.fixture(scope="module")
def scores(shared: Path) -> dict[str, float | int]:
    table: dict[str, float | int] = evaluate(TEST, KCNA).as_dict()
    return table


def test_set_is_whole() -> None:
    records = load_dev(TEST)
    assert len(records) == 58 and len({r["id"] for r in records}) == 58
    assert sum(len(r["activities"]) for r in records) == 10


@pytest.mark.parametrize(("name", "floor"), sorted(FLOORS.items()))
def test_heldout_scores_hold(scores: dict[str, float | int], name: str, floor: float) -> None:
    assert scores[name] >= floor, f"{name} {scores[name]:.3f} fell below {floor} on the held-out set"
