"""Draw more train-split stories to label by hand where the activity labels are thin.

``python -m statemedia.training.activity_draw [SHARED] [N]`` prints story ids in draw order.

Rule (seeded, fixed 2026-12-03, issue 14's second labelling round; see ``labelled/README.md``):

* Population: train-split stories (:mod:`.splits`: never reserved, never held out), English
  (:func:`.weak_labels.read_stories`), not already labelled and not in any set under ``tests/data``
  (blind and test sets, the dev set, the quotation sets), both as they stood at commit ``PINNED``
  (the files drawn later, this draw's own included, would change the draw).
* A story qualifies when one sentence (no full stop, at most 250 characters between) names a
  leader active on the publication day (Kim Jong Il to 2011-12-17, Kim Jong Un from 2010-09-28)
  and then a verb of a kind the hand labels hold few of (``THIN``: site visits, field guidance and
  inspections; meetings and talks; performances; drills, firings and launches; speeches;
  ceremonies and parades; photo sessions).
* Order: the 2024 file's train half first, then KCNA 2011-12; within each, four strata: the name
  opens its sentence (after titles only) in the headline or first two paragraphs; it does so
  further down; it qualifies otherwise in the headline or first two paragraphs; anywhere. Within a
  stratum the more thin kinds matched (where the stratum's test matched; the whole story in the
  last two) first, ties in a seeded order (``random.Random(SEED)`` over sorted ids).

``python -m statemedia.training.activity_draw [SHARED] [N] --narratives`` prints the third round's
draw (:func:`draw_narratives`), fixed 2026-12-03: stories that report several leader activities.

* Population: as above, excluding the files as they stood at commit ``PINNED_NARRATIVES`` (the
  second round's labels among them), KCNA 2011-12 and the 2024 file's train half.
* Group 1, trips: stories published in or within a week after Kim Jong Il's 2011 foreign trips
  (``TRIPS``: China May 20-27; Russia and north-east China August 20-27) that name him and China,
  Chinese, Russia, Russian or Siberia.
* Group 2, several activities: other stories with at least two sentences where a leader alive at
  publication acts: his name followed in the sentence by a verb of ``THIN`` or ``NARRATIVE``
  (banquets, receptions, arrivals, departures, sending off), or a sentence opening "He" (after
  "Then", "Later", ...) once a sentence has named him, with such a verb.
* Order: group 1 by date, then id; group 2 the more such sentences first, ties seeded
  (``random.Random(SEED)`` over sorted ids).

``python -m statemedia.training.activity_draw [SHARED] [N] --spanish`` prints the Spanish dev draw
(:func:`draw_spanish`), fixed 2026-12-03 (issue 14, Spanish targets and lists).

* Population: train-split Spanish stories (``read_stories(..., languages=("es",))``) of KCNA
  2011-12, excluding the labelled and ``tests/data`` files as they stood at commit
  ``PINNED_SPANISH``.
* A story qualifies when its headline or first two paragraphs hold a live leader's name followed,
  within 250 characters and no full stop, by a Spanish preterite of a kind in ``THIN_ES`` (visits
  and field guidance, inspections, performances, photo sessions, ceremonies, meetings).
* Order: stories whose body holds a list cue (``LIST_ES``: "acompañado", "presentes",
  "acogido", "acogieron", "Participaron") first, then the more kinds matched, ties seeded
  (``random.Random(SEED)`` over sorted ids).
* Sets labelled from it (``labelled/README.md``): ``activities_2011-12-es.jsonl`` is positions 1-25,
  ``activities_2011-12-es-2.jsonl`` (the second Spanish set) positions 26-65. The exclusions stay
  pinned at ``PINNED_SPANISH``, so the order does not move as sets are labelled: a third set takes
  the positions after both.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from .activity_data import CORPORA, LABELLED, ROOT
from .splits import reserved_ids, split_of
from .weak_labels import Story, read_stories

__all__ = [
    "LIST_ES", "NARRATIVE", "PINNED", "PINNED_NARRATIVES", "PINNED_SPANISH", "SEED", "THIN", "THIN_ES", "TRIPS",
    "acting_sentences", "draw", "draw_narratives", "draw_spanish", "thin_kinds",
]

SEED = 20261203
# The labelled and tests/data files the draw excludes: as they stood when the rule was fixed.
PINNED = "2cb7fa1"
THIN = {
    "site_visit": r"inspected|visited|gave (?:field|on-the-spot) guidance|provided (?:field|on-the-spot) guidance"
    r"|looked round|toured|went round",
    "meeting": r"met |had a talk|had talks|held talks|had a conversation|received (?:the |a )?(?:\w+ )?delegation",
    "performance": r"watched|enjoyed|appreciated",
    "drill": r"drill|firing|test-fire|launch|exercise",
    "speech": r"made a speech|delivered|gave a speech|made an address|speech",
    "ceremony": r"attended|ceremony|parade|reviewed",
    "photo": r"photo",
}
# The third round's exclusions, and what else tells of an occasion during a visit.
PINNED_NARRATIVES = "625ea4d"
NARRATIVE = r"banquet|reception|arrived|left for|departed|returned|crossed|seen off|saw off|greeted|welcomed"
PINNED_SPANISH = "e5eff71"
THIN_ES = {
    "site_visit": r"visit[oó]|dio (?:una )?orientaci[oó]n|dirigi[oó] sobre el terreno|recorri[oó]|inspeccion[oó]",
    "performance": r"presenci[oó]|disfrut[oó]|vio |contempl[oó]|apreci[oó]",
    "photo": r"fotograf[ií]a|se fotografi[oó]|foto",
    "ceremony": r"asisti[oó]|particip[oó]|desfile|ceremonia",
    "meeting": r"recibi[oó] a|se entrevist[oó]|convers[oó]|sostuvo (?:una )?conversaci[oó]n",
}
_VERB_ES = {kind: re.compile(pattern) for kind, pattern in THIN_ES.items()}
LIST_ES = re.compile(r"acompa[nñ]ad[oa]|presentes|acogid[oa]|acogieron|Participaron")
TRIPS = (("2011-05-20", "2011-06-03"), ("2011-08-20", "2011-09-03"))
_TRIP_WORDS = re.compile(r"China|Chinese|Russia|Russian|Siberia")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_HE = re.compile(r"\s*(?:(?:Then|Later|Afterwards|After that|Next|There|Also),?\s+)?He\s+[a-z]")
_VERB = {kind: re.compile(pattern) for kind, pattern in THIN.items()}
# A sentence's start, then titles only ("General Secretary", "the respected Comrade").
_OPENING = r"(?:^|[.!?\n] ?)(?:(?:[Tt]he|[Rr]espected|[Dd]ear|[Gg]eneral|[Ss]ecretary|[Cc]omrade|[Mm]arshal"
_OPENING += r"|[Ll]eader|[Ss]upreme|[Cc]ommander|[Cc]hairman|[Ff]irst|WPK|KPA|DPRK|NDC|of|the) ?)*"
_NAME = {"Kim Jong Il": ("", "2011-12-17"), "Kim Jong Un": ("2010-09-28", "9999")}


def _leaders(date: str | None) -> list[str]:
    day = date or ""
    return [name for name, (start, end) in _NAME.items() if start <= day <= end]


def thin_kinds(text: str, date: str | None, subject: bool = False) -> set[str]:
    """The thin kinds whose verb follows a live leader's name within one sentence of ``text``
    (``subject``: only where the name opens its sentence, after titles)."""
    found: set[str] = set()
    flat = re.sub(r"\s+", " ", text.replace("Jong Un", "Jong Un ").replace("Jong Il", "Jong Il "))
    for name in _leaders(date):
        opening = _OPENING if subject else ""
        for match in re.finditer(opening + re.escape(name) + r"[^.]{0,250}", flat):
            found |= {kind for kind, verb in _VERB.items() if verb.search(match.group())}
    return found


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def _excluded(pinned: str = PINNED) -> set[str]:
    ids: set[str] = set()
    folders = (str(LABELLED.relative_to(ROOT)), "tests/data")
    for name in _git("ls-tree", "-r", "--name-only", pinned, *folders).split():
        if name.endswith(".jsonl"):
            for line in _git("show", f"{pinned}:{name}").splitlines():
                if line.strip():
                    ids.add(str(json.loads(line)["id"]))
    return ids


def _stories(shared: Path) -> Iterator[Story]:
    for name in (CORPORA[2], *CORPORA[:2]):
        yield from read_stories(shared / name)


def draw(shared: Path) -> list[str]:
    reserved, excluded = reserved_ids(shared), _excluded()
    ranked: list[tuple[int, int, int, str]] = []
    for story in _stories(shared):
        if story.id in excluded or split_of(story.id, reserved) != "train":
            continue
        kinds = thin_kinds(story.title + ".\n" + story.body, story.date)
        if not kinds:
            continue
        head = story.title + ".\n" + "\n".join(story.body.split("\n")[:2])
        lead = thin_kinds(head, story.date, subject=True)
        acts = lead or thin_kinds(story.body, story.date, subject=True)
        stratum = 0 if lead else 1 if acts else 2 if thin_kinds(head, story.date) else 3
        recent = 0 if story.corpus == "kcna-2024" else 1
        ranked.append((recent, stratum, -len(acts or kinds), story.id))
    ranked.sort(key=lambda r: r[-1])
    order = random.Random(SEED).sample(ranked, len(ranked))
    order.sort(key=lambda r: r[:3])
    return [r[-1] for r in order]


def acting_sentences(text: str, date: str | None) -> int:
    """Sentences where a live leader's name is followed by a verb of an occasion, or that open
    "He" once a sentence has named him and hold such a verb."""
    flat = re.sub(r"\s+", " ", text.replace("Jong Un", "Jong Un ").replace("Jong Il", "Jong Il "))
    leaders = _leaders(date)
    if not leaders:
        return 0
    name = re.compile(r"(?:" + "|".join(map(re.escape, leaders)) + r")\b")
    verbs = [*_VERB.values(), re.compile(NARRATIVE)]
    named, count = False, 0
    for sentence in _SENTENCE.finditer(flat):
        found = name.search(sentence.group())
        if found:
            rest, named = sentence.group()[found.end() :], True
        elif named and _HE.match(sentence.group()):
            rest = sentence.group()
        else:
            continue
        count += any(verb.search(rest) for verb in verbs)
    return count


def draw_narratives(shared: Path) -> list[str]:
    """The third round: 2011 trip stories by date, then stories where a leader acts in several sentences."""
    reserved, excluded = reserved_ids(shared), _excluded(PINNED_NARRATIVES)
    trips: list[tuple[str, str]] = []
    several: list[tuple[int, str]] = []
    for story in _stories(shared):
        if story.id in excluded or split_of(story.id, reserved) != "train":
            continue
        day, flat = story.date or "", story.body.replace("Jong Il", "Jong Il ")
        if any(a <= day <= b for a, b in TRIPS) and "Kim Jong Il " in flat and _TRIP_WORDS.search(story.body):
            trips.append((day, story.id))
        elif (count := acting_sentences(story.body, story.date)) >= 2:
            several.append((-count, story.id))
    several.sort(key=lambda r: r[1])
    order = random.Random(SEED).sample(several, len(several))
    order.sort(key=lambda r: r[0])
    return [i for _, i in sorted(trips)] + [i for _, i in order]


def draw_spanish(shared: Path) -> list[str]:
    """The Spanish dev draw: train-split Spanish KCNA 2011-12 stories whose lead names a leader acting."""
    reserved, excluded = reserved_ids(shared), _excluded(PINNED_SPANISH)
    ranked: list[tuple[int, int, str]] = []
    for name in CORPORA[:2]:
        for story in read_stories(shared / name, languages=("es",)):
            if story.id in excluded or split_of(story.id, reserved) != "train":
                continue
            head = story.title + ".\n" + "\n".join(story.body.split("\n")[:2])
            flat = re.sub(r"\s+", " ", head.replace("Jong Un", "Jong Un ").replace("Jong Il", "Jong Il "))
            kinds: set[str] = set()
            for leader in _leaders(story.date):
                for m in re.finditer(re.escape(leader) + r"[^.]{0,250}", flat):
                    kinds |= {kind for kind, verb in _VERB_ES.items() if verb.search(m.group())}
            if kinds:
                ranked.append((0 if LIST_ES.search(story.body) else 1, -len(kinds), story.id))
    ranked.sort(key=lambda r: r[-1])
    order = random.Random(SEED).sample(ranked, len(ranked))
    order.sort(key=lambda r: r[:2])
    return [r[-1] for r in order]


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    narratives, spanish = "--narratives" in args, "--spanish" in args
    args = [a for a in args if a not in ("--narratives", "--spanish")]
    shared = Path(args[0]) if args else ROOT.parent / "shared"
    limit = int(args[1]) if len(args) > 1 else None
    for story_id in (draw_spanish if spanish else draw_narratives if narratives else draw)(shared)[:limit]:
        print(story_id)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
