"""Draw the stories of the blind activity test sets (``tests/data/activities_blind_*.jsonl``).

Sampling rule (reproducible: fixed seed, sorted candidate ids, one ``random.Random`` per corpus
and stratum), fixed on 2026-12-02 before the activity model existed:

* Population: held-out stories only (``statemedia.training.splits``: never reserved, never
  trained on), English (``language == "en"`` and "the" more frequent than "de/la/el/los"),
  minus every story id named under ``tests/`` at commit ``PINNED`` (earlier sets and tests).
* KCNA 2011 and KCNA 2012, each: 70 stories whose headline names "Kim Jong Il" or
  "Kim Jong Un" (where activities are reported, and most praise and anniversaries), then 25
  stories that name one of them in the body only (negatives and borderline cases: messages,
  gifts, relayed news). The reserved ids hold ~9 in 10 of the English stories whose headline
  begins with a leader's name, so the headline stratum is wider than that.
* KCNA 2011-12 "lead" (added after the 2011 draw held 15 activities, none with an entourage:
  the reserved ids hold ~4 in 5 of the English stories that report a leader's site visit):
  every non-reserved English story of 2011 and 2012, held out or not, whose first two
  paragraphs name Kim Jong Il or Kim Jong Un followed within 250 characters of one sentence by
  inspected/visited/gave or provided field guidance/enjoyed/watched/appreciated/guided/
  toured/looked round, minus the 2011 and 2012 draws; in a seeded order. These stories are
  kept out of training like the held-out ones (``statemedia.training.activities``).
* KCNA 2024 (current): every held-out story whose body names Kim Jong Un (the whole
  population, in a seeded order), then 10 held-out stories that do not name him.

* KCNA 2024 "more" (added after the 2024 draw held 57 activities): 40 train-split 2024 stories
  whose body names Kim Jong Un, in a seeded order; from then on they are kept out of training.

* "entourage" (added after the sets above held 29 entourage lists, of the 40 issue 14 asks): every
  non-reserved English story of 2011, 2012 and 2024 not drawn above and not named under ``tests/``
  whose body names Kim Jong Il or Kim Jong Un followed within one sentence of 300 characters by
  "accompanied by" or "together with", or says "Accompanying him" / "He was accompanied"; in a
  seeded order. Annotated in two halves (``entourage-a``: the first half of the order,
  ``entourage-b``: the rest); kept out of training like every drawn story.

* "fresh-2011-12" (issue 14: the totals of the sets above had been seen too often; rule and seed
  ``FRESH_SEED`` = 20261203 fixed on 2026-12-03 before drawing; annotated BLIND into
  ``tests/data/activities_fresh_2011-12.jsonl``). Population: held-out (``split_of == "heldout"``,
  so never reserved) English stories of KCNA 2011 and 2012 whose body names Kim Jong Il or Kim Jong
  Un, minus every story id named under ``tests/`` at commit ``FRESH_PINNED`` (HEAD when the rule was
  fixed: every earlier set, not this one, so the draw prints the same ids once its own file is
  committed): 974 of the 3,297 held-out English stories not so named. Two strata, each drawn by
  ``random.Random(f"{FRESH_SEED}-fresh-2011-12-{stratum}").sample`` over its sorted pool:
  "verb", 60 of the 191 stories whose first two paragraphs name a leader followed in the same
  sentence, within 200 characters, by a past-tense verb (``_VERB``: a lowercase word ending in
  "-ed" or a listed irregular past; reported activities and false friends alike; the first two
  paragraphs are preferred over the whole body, where 696 match, and hold more than 60); then
  "body", 30 of the other 783 (the leader named later in the body or with no verb after him:
  negatives and borderline cases).

* "fresh-es-2011-12" (issue 14: a blind set of Spanish stories, now that Spanish stories are read;
  rule and seed ``FRESH_ES_SEED`` = 20261204 fixed on 2026-12-03 before drawing; annotated BLIND
  into ``tests/data/activities_fresh-es_2011-12.jsonl``). Population: held-out (``split_of ==
  "heldout"``) Spanish stories (``read_stories(path, languages=("es",))``, i.e.
  ``weak_labels.spanish``: "es" records and the 2011 Spanish stories the source labels "en") of
  KCNA 2011 and 2012, minus every story id named under ``tests/`` at commit ``FRESH_ES_PINNED``
  (HEAD when the rule was fixed, before this set's own file existed). Two strata, each drawn by
  ``random.Random(f"{FRESH_ES_SEED}-fresh-es-2011-12-{stratum}").sample`` over its sorted pool:
  "headline", 45 stories whose headline names Kim Jong Il or Kim Jong Un (``_LEADER``); then
  "body", 15 whose body names one but whose headline does not.

Run: ``python tools/sample_activity_blind.py DRAW`` prints the drawn ids in order; DRAW is 2011, 2012,
2011-12-lead, 2024, 2024-more, entourage-a, entourage-b, fresh-2011-12 or fresh-es-2011-12.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from statemedia.training.splits import reserved_ids, split_of  # noqa: E402
from statemedia.training.weak_labels import read_stories  # noqa: E402

SEED = 20261202
FILES = {
    "2011": SHARED / "data/kcna/kcna-2011.jsonl.gz",
    "2012": SHARED / "data/kcna/kcna-2012.jsonl.gz",
    "2024": SHARED / "data/kcna-2024/kcna-2024-dev.jsonl.gz",
}
_LEAD = re.compile(
    r"Kim Jong (?:Il|Un)[^.]{0,250}?\b(?:inspected|visited|gave field guidance|provided field guidance|enjoyed"
    r"|watched|appreciated|guided|toured|looked round)\b"
)
_ENTOURAGE = re.compile(
    r"Kim Jong (?:Il|Un)[^.\n]{0,300}(?:accompanied by|together with)|[Aa]ccompanying him|He was accompanied"
)
_LEADER = re.compile(r"Kim Jong (?:Il|Un)\b")
FRESH_SEED = 20261203
_IRREGULAR = (
    "sent|gave|met|saw|made|took|held|went|had|paid|left|led|told|brought|wrote|spoke|heard|taught|built|won"
    "|came|began|found|kept|chose|sat|stood|laid|rode|drove|flew|set|put|read|said|got|sang|ran|knew|thought"
    "|bought|became|meant|lit|shook|stayed"
)
_VERB = re.compile(r"Kim Jong (?:Il|Un)\b[^.\n]{0,200}?\b(?:[a-z]+ed|" + _IRREGULAR + r")\b")


# The tests/ tree whose story ids the draws exclude: as it stood when the draw rule was fixed
# (later tests name drawn stories; reading the live tree would change the draws).
PINNED = "8ebc0a1"
# The same for the fresh-2011-12 draw: HEAD when its rule was fixed (before its own file existed).
FRESH_PINNED = "625ea4dda67b98fd5c14bfe3e7c50771fea57a49"
# The Spanish fresh draw (fresh-es-2011-12): its own seed, and HEAD when its rule was fixed.
FRESH_ES_SEED = 20261204
FRESH_ES_PINNED = "111221f964f2704b43af818f88408b831f5c765e"


def known_ids(pinned: str = PINNED) -> set[str]:
    """Story ids named anywhere in the tests/ tree of commit ``pinned``."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout

    found: set[str] = set()
    for name in git("ls-tree", "-r", "--name-only", pinned, "tests").split():
        if Path(name).suffix in {".py", ".jsonl", ".md", ".txt"}:
            found.update(re.findall(r"kcna-\d{4}-[0-9a-f]{5,10}", git("show", f"{pinned}:{name}")))
    return found


def _lead_sample() -> list[str]:
    skip = set(reserved_ids(SHARED)) | set(sample("2011")) | set(sample("2012")) | known_ids()
    found = sorted(
        story.id
        for corpus in ("2011", "2012")
        for story in read_stories(FILES[corpus])
        if story.id not in skip and _LEAD.search(" ".join(story.body.split("\n")[:2]))
    )
    random.Random(f"{SEED}-lead").shuffle(found)
    return found


def _more_2024() -> list[str]:
    reserved = reserved_ids(SHARED)
    found = sorted(
        story.id
        for story in read_stories(FILES["2024"])
        if split_of(story.id, reserved) == "train" and "Kim Jong Un" in story.body
    )
    return random.Random(f"{SEED}-2024-more").sample(found, 40)


def _entourage_sample() -> list[str]:
    reserved = reserved_ids(SHARED)
    earlier = known_ids().union(*(sample(c) for c in ("2011", "2012", "2011-12-lead", "2024", "2024-more")))
    found = sorted(
        story.id
        for corpus in ("2011", "2012", "2024")
        for story in read_stories(FILES[corpus])
        if story.id not in earlier and story.id not in reserved and _ENTOURAGE.search(story.body)
    )
    random.Random(f"{SEED}-entourage").shuffle(found)
    return found


def _fresh_sample() -> list[str]:
    known, reserved = known_ids(FRESH_PINNED), reserved_ids(SHARED)
    pools: dict[str, set[str]] = {"verb": set(), "body": set()}
    for corpus in ("2011", "2012"):
        for story in read_stories(FILES[corpus]):
            if story.id in known or split_of(story.id, reserved) != "heldout" or not _LEADER.search(story.body):
                continue
            lead = " ".join(story.body.split("\n")[:2])
            pools["verb" if _VERB.search(lead) else "body"].add(story.id)
    drawn: list[str] = []
    for stratum, size in (("verb", 60), ("body", 30)):
        rng = random.Random(f"{FRESH_SEED}-fresh-2011-12-{stratum}")
        drawn += rng.sample(sorted(pools[stratum]), min(size, len(pools[stratum])))
    return drawn


def _fresh_es_pools() -> dict[str, list[str]]:
    known, reserved = known_ids(FRESH_ES_PINNED), reserved_ids(SHARED)
    pools: dict[str, set[str]] = {"headline": set(), "body": set()}
    for corpus in ("2011", "2012"):
        for story in read_stories(FILES[corpus], languages=("es",)):
            if story.id in known or split_of(story.id, reserved) != "heldout":
                continue
            if _LEADER.search(story.title):
                pools["headline"].add(story.id)
            elif _LEADER.search(story.body):
                pools["body"].add(story.id)
    return {stratum: sorted(ids) for stratum, ids in pools.items()}


def _fresh_es_sample() -> list[str]:
    pools = _fresh_es_pools()
    drawn: list[str] = []
    for stratum, size in (("headline", 45), ("body", 15)):
        rng = random.Random(f"{FRESH_ES_SEED}-fresh-es-2011-12-{stratum}")
        drawn += rng.sample(pools[stratum], min(size, len(pools[stratum])))
    return drawn


def sample(corpus: str) -> list[str]:
    if corpus == "fresh-es-2011-12":
        return _fresh_es_sample()
    if corpus == "fresh-2011-12":
        return _fresh_sample()
    if corpus in ("entourage-a", "entourage-b"):
        drawn = _entourage_sample()
        half = (len(drawn) + 1) // 2
        return drawn[:half] if corpus == "entourage-a" else drawn[half:]
    if corpus == "2011-12-lead":
        return _lead_sample()
    if corpus == "2024-more":
        return _more_2024()
    known, reserved = known_ids(), reserved_ids(SHARED)
    pools: dict[str, set[str]] = {"headline": set(), "body": set(), "other": set()}
    for story in read_stories(FILES[corpus]):
        if story.id in known or split_of(story.id, reserved) != "heldout":
            continue
        if corpus == "2024":
            pools["body" if "Kim Jong Un" in story.body else "other"].add(story.id)
        elif _LEADER.search(story.title):
            pools["headline"].add(story.id)
        elif _LEADER.search(story.body):
            pools["body"].add(story.id)
    drawn: list[str] = []
    sizes = {"headline": 70, "body": 25} if corpus != "2024" else {"body": len(pools["body"]), "other": 10}
    for stratum, size in sizes.items():
        rng = random.Random(f"{SEED}-{corpus}-{stratum}")
        drawn += rng.sample(sorted(pools[stratum]), size)
    return drawn


if __name__ == "__main__":
    for story in sample(sys.argv[1]):
        print(story)
