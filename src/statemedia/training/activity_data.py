"""The labelled mentions the activity model learns from, and the stories they come from.

Three sources, strongest first (a story counts once, under the first that has it):

* ``labelled``: stories labelled by hand for training (``training/labelled/activities_*.jsonl``,
  drawn from the train split by ``tools/sample_activity_train.py`` and :mod:`.activity_draw`):
  each gold activity's label goes to the leader mention in the sentence that holds its evidence;
  every other mention is "none". Only these files: other sets in the folder (the protocol-list
  dev set) need not log every activity of a story, so their silence is no "none";
* ``dev``: the first build's dev set (``tests/data/activities_dev.jsonl``: no evidence, and its
  conventions log no received mail): each gold kind to its first agreeing mention, the other
  mentions "none" except those of received mail;
* ``headline``: weak labels (``headline_kinds.tsv``; ``headline_kinds_es.tsv`` for Spanish
  stories, which are read too) of train-split stories whose headline names a leader: a kind goes
  to the first mention whose curated cue agrees (else the first mention as a subject); in a
  "none" story every mention is "none".

Reserved stories and every story of a hand-annotated test set are never read for training.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..capture.records import capture_record
from ..config import load_config, options_for
from ..extract.activities import ActivityExtractor, sentences
from ..extract.activity_attributes import read_presence
from ..extract.activity_candidates import Candidate, quoted
from ..extract.activity_model import ATTENDS, NONE
from ..extract.activity_occasions import kind_family
from ..extract.activity_rules import load_rules
from ..model import Document
from ..registry import build_pipeline
from .evaluate_activities import locate
from .splits import reserved_ids, split_of
from .weak_labels import LANGUAGES, Story, headline_label, read_stories

__all__ = ["CORPORA", "Example", "collect", "labelled_stories", "prepare", "story_document", "test_set_ids"]

ROOT = Path(__file__).resolve().parents[3]
CORPORA = ("data/kcna/kcna-2011.jsonl.gz", "data/kcna/kcna-2012.jsonl.gz", "data/kcna-2024/kcna-2024-dev.jsonl.gz")
LABELLED = Path(__file__).resolve().parent / "labelled"
DEV = ROOT / "tests" / "data" / "activities_dev.jsonl"
# "Kim Jong Un ... was present at the meeting (there)": his attendance (``_attends_or_receives``).
_PRESENT = re.compile(r"\s*(?:was|were)\s+(?:also\s+)?present\b")


@dataclass(frozen=True, slots=True)
class Example:
    story: str
    source: str  # labelled, dev, headline
    features: tuple[str, ...]
    label: str


def test_set_ids(tests_data: Path = ROOT / "tests" / "data") -> frozenset[str]:
    """Ids of every story in a hand-annotated activity test set (the dev set aside)."""
    return frozenset(record["id"] for record in _records(tests_data.glob("activities_*.jsonl"), skip="activities_dev"))


def _records(paths: Iterator[Path], skip: str = "") -> Iterator[dict[str, Any]]:
    for path in sorted(paths):
        if skip and path.name.startswith(skip):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def story_document(story: Story) -> Document:
    record = {"id": story.id, "date": story.date, "body": story.body, "title": story.title, "outlet": "KCNA"}
    return capture_record(record, location=story.id)


def prepare() -> tuple[Callable[[Document], Document], ActivityExtractor]:
    """The light pipeline activities need (Juche years, dates) and the extractor."""
    config = load_config()
    pipeline = build_pipeline(config, ("juche", "dates"))
    return pipeline, ActivityExtractor(options_for(ActivityExtractor.Options, config, "activities"))


def labelled_stories(shared: Path, splits: tuple[str, ...]) -> Iterator[tuple[Story, str, str]]:
    """(story, headline label, split) for every non-reserved story with a headline label; the stories
    of the hand-annotated test sets have the split "test" (no model trains on them either)."""
    reserved, tests = reserved_ids(shared), test_set_ids()
    for name in CORPORA:
        for story in read_stories(shared / name, LANGUAGES):
            hashed = split_of(story.id, reserved)
            split = "test" if story.id in tests and hashed != "reserved" else hashed
            label = headline_label(story.title, story.language)
            if label is None or split not in splits:
                continue
            # The model's class for sent correspondence is the kind itself.
            yield story, "correspondence" if label == "correspondence_sent" else label, split


def _cue(feats: list[str], name: str) -> str:
    return next(f[len(name) + 1 :] for f in feats if f.startswith(name + "="))


def _agrees(label: str, feats: list[str]) -> bool:
    return label in (_cue(feats, "lex"), _cue(feats, "ctx"))


def _class(activity: dict[str, Any]) -> str:
    if activity["kind"] == "correspondence" and activity.get("direction") == "received":
        return "correspondence_received"
    return NONE if activity["kind"] == "other" else str(activity["kind"])


def _from_headline(
    doc: Document, found: list[tuple[Candidate, list[str]]], label: str
) -> Iterator[tuple[list[str], str]]:
    if label == NONE:
        # A "none" headline speaks of the occasion or of praise ("National Meeting Marks Anniversary of
        # Kim Jong Il's Election", "Sports Complex Inaugurated in Presence of Kim Jong Il", "Prime
        # Minister Praises Kim Jong Un's Leadership"), not of his attending it or of greetings he is
        # asked to receive, which the guideline logs: its silence about them is no label.
        yield from ((feats, NONE) for c, feats in found if not _attends_or_receives(doc.text, c))
        return
    pick = next((f for _, f in found if _agrees(label, f)), None)
    pick = pick or next((f for c, f in found if not c.pronoun and "possessive" not in f), None)
    if pick is not None:
        yield pick, label


def _attends_or_receives(text: str, c: Candidate) -> bool:
    """His attendance ("in the presence of Kim Jong Un", "Kim Jong Un ... was present there (at the
    meeting)") or greetings he is asked to receive ("asked the ambassador to convey his regards to"),
    outside a quotation (docs/activities.md, seventh round)."""
    if quoted(text, c.start, c.mention[0]) or c.pronoun:
        return False
    rules = load_rules()
    presence = read_presence(rules, text, c.start, c.mention[0])
    if presence is not None:
        return bool(presence[0])
    if _PRESENT.match(text, c.predicate, c.end):
        return True
    return rules.convey_request.search(text, c.start, c.mention[0]) is not None


def _from_dev(found: list[tuple[Candidate, list[str]]], kinds: list[str]) -> Iterator[tuple[list[str], str]]:
    used: set[int] = set()
    for kind in kinds:
        pick = next((i for i, (_, f) in enumerate(found) if i not in used and _agrees(kind, f)), None)
        if pick is not None:
            used.add(pick)
            yield found[pick][1], kind
    for i, (_, feats) in enumerate(found):
        # The dev set logs no received mail: its silence about it is no label.
        if i not in used and "correspondence_received" not in (_cue(feats, "lex"), _cue(feats, "ctx")):
            yield feats, NONE


def _from_hand(
    doc: Document, found: list[tuple[Candidate, list[str]]], gold: list[dict[str, Any]]
) -> Iterator[tuple[list[str], str]]:
    chosen: dict[int, str] = {}
    evidence: list[int] = []
    done: list[tuple[int, str]] = []  # (where, kind) of each gold activity found in the text
    for activity in gold:
        at = locate(str(activity.get("evidence") or ""), doc.text)
        evidence += [at] if at is not None else []
        done += [(at, str(activity["kind"]))] if at is not None else []
        in_sentence = [i for i, (c, _) in enumerate(found) if at is not None and c.start <= at < c.end]
        free = [i for i in in_sentence if i not in chosen and found[i][0].actor == activity["actor"]]
        # Evidence that starts at a conjoined predicate ("made a congratulatory speech there") is its.
        joined = [i for i in free if found[i][0].conjoined and at is not None and found[i][0].joint <= at]
        pick = joined[-1] if joined else next(iter(free), None)
        if pick is not None:
            chosen[pick] = _class(activity)
    spans = sentences(doc.text)
    for i, (c, feats) in enumerate(found):
        if i not in chosen and not c.pronoun and _sums_up(doc.text, spans, c, evidence):
            continue  # a lead that sums up the stops labelled after it: the extractor's rule drops it, not the model
        if i not in chosen and _held_before(doc.text, c, feats, done):
            continue  # an occasion in his presence that an earlier activity is: the extractor's rule, not the model
        yield feats, chosen.get(i, NONE)


def _held_before(text: str, c: Candidate, feats: list[str], done: list[tuple[int, str]]) -> bool:
    """An occasion held in his presence ("The commissioning ceremony ..., held in the presence of Kim Jong
    Un, will be recorded in history") of the kind of a gold activity labelled before it: one occasion,
    labelled once, and ``activity_occasions.held_before`` drops the mention, so it is no "none"
    example for the detector either (seventh round)."""
    if ATTENDS not in feats:
        return False
    presence = read_presence(load_rules(), text, c.start, c.mention[0])
    return presence is not None and any(at < c.start and kind_family(kind) == kind_family(presence[0])
                                        for at, kind in done)  # fmt: skip


def _sums_up(text: str, spans: list[tuple[int, int]], c: Candidate, evidence: list[int]) -> bool:
    """The next sentence holding a gold activity opens the first of the stops ("Primero, ... estuvo
    en ..."): the candidate's sentence is a lead that names them together, none only by that rule
    (``activity_occasions.sums_up``), so it is no "none" example for the detector."""
    later = [at for at in evidence if at >= c.end]
    if not later:
        return False
    start, end = next(((s, e) for s, e in spans if s <= min(later) < e), (min(later), min(later)))
    return load_rules().first_leg.match(text, start, end) is not None


def collect(shared: Path) -> list[Example]:
    """Every labelled mention, from the three sources (module docstring)."""
    hand = {r["id"]: r["activities"] for r in _records(LABELLED.glob("activities_*.jsonl"))}
    dev = {r["id"]: [a["kind"] for a in r["activities"]] for r in _records(iter([DEV]))}
    reserved, tests = reserved_ids(shared), test_set_ids()
    pipeline, extractor = prepare()
    examples: list[Example] = []
    for name in CORPORA:
        for story in read_stories(shared / name, LANGUAGES):
            if story.id in tests or split_of(story.id, reserved) == "reserved":
                continue
            train = split_of(story.id, reserved) == "train"
            label = headline_label(story.title, story.language) if train else None
            if story.id not in hand and story.id not in dev and label is None:
                continue
            doc = pipeline(story_document(story))
            found = extractor.candidates(doc, sentences(doc.text))
            if story.id in hand:
                source, pairs = "labelled", _from_hand(doc, found, hand[story.id])
            elif story.id in dev:
                source, pairs = "dev", _from_dev(found, dev[story.id])
            else:
                assert label is not None
                sent = "correspondence" if label == "correspondence_sent" else label
                source, pairs = "headline", _from_headline(doc, found, sent)
            examples += [Example(story.id, source, tuple(f), y) for f, y in pairs]
    return examples
