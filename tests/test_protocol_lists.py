"""Protocol lists (extract/entourage.py): entourage, those present and hosts, on real KCNA sentences.

Every story here is of the ``train`` split (training.splits): never a reserved or held-out story.
The texts stay in ../shared; the tests read them by id.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED
from statemedia.analytics import elite
from statemedia.analytics.activities import Activity, activities
from statemedia.extract.activities import sentences
from statemedia.extract.entourage import (
    ROLES,
    Member,
    canonical_name,
    load_rules,
    parse_list,
    protocol_lists,
    scan_sentence,
)
from statemedia.extract.gazetteer import load_gazetteer
from statemedia.model import Annotation, Document
from statemedia.training.splits import reserved_ids, split_of

FILES = {
    "kcna-2011": SHARED / "data" / "kcna" / "kcna-2011.jsonl.gz",
    "kcna-2012": SHARED / "data" / "kcna" / "kcna-2012.jsonl.gz",
    "kcna-2024": SHARED / "data" / "kcna-2024" / "kcna-2024-dev.jsonl.gz",
}
KJI, KJU, KIS = "person:kim-jong-il", "person:kim-jong-un", "person:kim-il-sung"
LEADERS = frozenset({KJI, KJU, KIS})
STORIES = {
    "kcna-2011-01836",  # Spanish: "el Dirigente fue acompanado por ... Pak Jae Kyong" (a variant)
    "kcna-2011-01994",  # a delegation "seen off ... by Secretaries Kim Ki Nam and Pak To Chun"
    "kcna-2011-07804",  # Spanish: "La vieron tambien ...: ... Mun Gyong Dok, Ju Gyu Chang" (variants)
    "kcna-2011-07843",  # "He was accompanied by ..." then "He was greeted on the spot by ..."
    "kcna-2011-10084",  # Kim Jong Il in China: his suite, "from the Chinese side", "Present there were"
    "kcna-2011-13624",  # "Accompanying him were Hong In Bom, ..."
    "kcna-2012-04311",  # Spanish list broken by a paragraph break
    "kcna-2012-04900",  # "Kim was accompanied by ...": Kim Yong Nam's suite, not a leader's
    "kcna-2024-4d4eac774b",  # "together with senior officials" (no names), then "Present there were ..."
    "kcna-2024-b4b52da1cb",  # "He was accompanied by ..." then "ComradeKim Jong Unwas greeted on the spot by"
    "kcna-2024-f8d96b03e4",  # "He was accompanied by Jo Yong Won, Pak Jong Chon and Pak Thae Song, ..."
}


@cache
def _stories() -> dict[str, dict[str, Any]]:
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    found: dict[str, dict[str, Any]] = {}
    for prefix, path in FILES.items():
        wanted = {i for i in STORIES if i.startswith(prefix)}
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                if record["id"] in wanted:
                    found[record["id"]] = record
    return found


def story(story_id: str) -> str:
    record = _stories()[story_id]
    assert split_of(story_id, reserved_ids(SHARED)) == "train", story_id
    return str(record["body"])


def sentence_of(text: str, words: str) -> tuple[list[tuple[int, int]], int]:
    """The story's sentence spans and the index of the one holding ``words``."""
    spans = sentences(text)
    index = next(i for i, (s, e) in enumerate(spans) if words in text[s:e])
    return spans, index


def names(members: list[Member] | tuple[Member, ...]) -> list[str]:
    return [m.name for m in members]


def lists_from(story_id: str, words: str, *, exclude: frozenset[str] = LEADERS) -> dict[str, list[str]]:
    """The protocol lists of the activity whose sentence holds ``words``, read to the story's end."""
    text = story(story_id)
    spans, first = sentence_of(text, words)
    found = protocol_lists(text, spans, first, len(spans), exclude, load_gazetteer())
    assert set(found) == set(ROLES)
    return {role: names(found[role]) for role in ROLES}


# -- each role -------------------------------------------------------------------------------


def test_entourage_in_protocol_order_2024() -> None:
    found = lists_from("kcna-2024-f8d96b03e4", "visited the April 25 Hostel")
    assert found == {
        "entourage": ["Jo Yong Won", "Pak Jong Chon", "Pak Thae Song", "Ju Chang Il", "Han Kwang Sang"],
        "present": [],
        "hosts": [],
    }


def test_entourage_and_hosts_with_a_glued_leader_name() -> None:
    # "The respected ComradeKim Jong Unwas greeted on the spot by Pak Jong Chon, ...": the live
    # site's glue does not hide the formula or the leader as its subject.
    text = story("kcna-2024-b4b52da1cb")
    assert "ComradeKim Jong Unwas greeted on the spot by Pak Jong Chon" in text
    found = lists_from("kcna-2024-b4b52da1cb", "visited the flood-hit areas")
    assert found["entourage"] == ["Jo Yong Won", "Pak Thae Song"]
    assert found["hosts"] == ["Pak Jong Chon"]
    assert found["present"] == []


def test_accompanying_him_were_keeps_order_and_titles() -> None:
    text = story("kcna-2011-13624")
    spans = sentences(text)
    assert "Accompanying him were Hong In Bom" in text
    found = protocol_lists(text, spans, 0, len(spans), LEADERS, load_gazetteer())
    entourage = found["entourage"]
    assert names(entourage) == [
        "Hong In Bom",
        "Kim Ki Nam",
        "Kim Kyong Hui",
        "Pak To Chun",
        "Thae Jong Su",
        "Kim Phyong Hae",
        "Ju Kyu Chang",
    ]
    assert entourage[0].titles == ("chief secretary of the South Phyongan Provincial Committee of the WPK",)
    assert all(m.linked for m in entourage[1:])
    # Offsets point into the story text.
    assert all(text[m.start : m.end] == m.name for m in entourage)


def test_present_there_were_is_present_not_entourage() -> None:
    # The lead says "together with senior officials of the Party and the government" (no names);
    # the names come in "Present there were ...".
    found = lists_from("kcna-2024-4d4eac774b", "visited the Phungo-dong area")
    assert found["entourage"] == []
    assert found["present"] == [
        "Kim Tok Hun",
        "Jo Yong Won",
        "Ri Il Hwan",
        "Kim Jae Ryong",
        "Pak Thae Song",
        "Pak Jong Gun",
    ]


def test_hosts_after_entourage_in_one_story() -> None:
    found = lists_from("kcna-2011-07843", "participated in the elect", exclude=frozenset({KJI}))
    # Kim Jong Un accompanied his father in 2011: only the actor is left out.
    assert found["entourage"] == ["Kim Jong Un", "Kim Kyong Ok"]
    # "Yang Hyong Sop, ... who is chairman of ..., and Mun Kyong Dok": the relative clause is a title.
    assert found["hosts"] == ["Yang Hyong Sop", "Mun Kyong Dok"]


def test_spanish_formulas() -> None:
    found = lists_from("kcna-2011-01836", "dirigio sobre el terreno", exclude=frozenset({KJI}))
    assert found["entourage"][:3] == ["Kim Jong Un", "Ri Yong Ho", "Jang Song Thaek"]
    assert "Pak Jae Gyong" in found["entourage"]  # written "Pak Jae Kyong" there
    watched = lists_from("kcna-2011-07804", "presencio la funcion", exclude=frozenset({KJI}))
    assert watched["present"][:3] == ["Kim Jong Un", "Ri Yong Ho", "Kim Ki Nam"]


def test_list_broken_by_a_paragraph_break_goes_on() -> None:
    text = story("kcna-2012-04311")
    assert "Yang Hyong Sop\n\nKang Sok Ju, Hyon Chol Hae" in text
    found = lists_from("kcna-2012-04311", "La presencio Kim Jong Un")
    entourage = found["entourage"]
    assert entourage[:2] == ["Kim Yong Nam", "Choe Yong Rim"]
    at = entourage.index("Yang Hyong Sop")
    assert entourage[at + 1 : at + 3] == ["Kang Sok Ju", "Hyon Chol Hae"]


# -- names in one canonical form -------------------------------------------------------------


def test_romanisation_variants_are_one_person() -> None:
    gazetteer = load_gazetteer()
    text = story("kcna-2011-07804")
    spans, i = sentence_of(text, "Mun Gyong Dok, Ju Gyu Chang")
    members = [m for f in scan_sentence(text, *spans[i], exclude=LEADERS, gazetteer=gazetteer) for m in f.members]
    by_surface = {text[m.start : m.end]: (m.id, m.name) for m in members}
    assert by_surface["Mun Gyong Dok"] == ("person:mun-kyong-dok", "Mun Kyong Dok")
    assert by_surface["Ju Gyu Chang"] == ("person:ju-kyu-chang", "Ju Kyu Chang")
    # Hwang Phyong So / Hwang Pyong So, and the same rule for names the gazetteer lacks.
    for sentence in ("He was accompanied by Hwang Phyong So.", "He was accompanied by Hwang Pyong So."):
        (found,) = scan_sentence(sentence, 0, len(sentence), exclude=LEADERS, gazetteer=gazetteer)
        assert [(m.id, m.name) for m in found.members] == [("person:hwang-pyong-so", "Hwang Pyong So")]
    assert canonical_name("Ri Phyong Chol") == canonical_name("Ri Pyong Chol") == "Ri Pyong Chol"
    assert canonical_name("Pak Myong Chul") == "Pak Myong Chol"
    assert canonical_name("Rhee Yong-su") == "Ri Yong Su"
    unlinked = [
        parse_list(s, 0, len(s), gazetteer=gazetteer)[0] for s in ("Jo Phyong Su, director", "Jo Pyong Su, director")
    ]
    assert (unlinked[0].id, unlinked[0].name) == (unlinked[1].id, unlinked[1].name)


def test_glued_list_names_are_read() -> None:
    # The site sets names in bold and the scrape glues them to their neighbours; a real sentence
    # glued the way kcna-2024 glues ("Present there wereJo Yong Won,").
    text = story("kcna-2024-4d4eac774b")
    spans, i = sentence_of(text, "Present there were Kim Tok Hun")
    sentence = text[spans[i][0] : spans[i][1]].replace("were Kim Tok Hun", "wereKim Tok Hun")
    (found,) = scan_sentence(sentence, 0, len(sentence), exclude=LEADERS, gazetteer=load_gazetteer())
    assert found.formula.role == "present"
    assert names(found.members)[:2] == ["Kim Tok Hun", "Jo Yong Won"]
    assert sentence[found.members[0].start : found.members[0].end] == "Kim Tok Hun"


# -- lists that are not the leader's ---------------------------------------------------------


def test_a_delegations_suite_is_not_taken() -> None:
    gazetteer = load_gazetteer()
    for story_id, words in (
        ("kcna-2012-04900", "Kim was accompanied by Ri Kwang Gun"),
        ("kcna-2011-01994", "They were seen off at Pyongyang Koryo Hotel"),
    ):
        text = story(story_id)
        spans, i = sentence_of(text, words)
        (found,) = scan_sentence(text, *spans[i], exclude=LEADERS, gazetteer=gazetteer)
        assert found.skipped == "subject" and len(found.members) >= 2, story_id
        lists = protocol_lists(text, spans, i, i + 1, LEADERS, gazetteer)
        assert all(not lists[role] for role in ROLES), story_id


def test_the_other_side_of_talks_is_not_taken() -> None:
    text = story("kcna-2011-10084")
    gazetteer = load_gazetteer()
    spans, i = sentence_of(text, "Present at the talks from the Chinese side were")
    (found,) = scan_sentence(text, *spans[i], exclude=LEADERS, gazetteer=gazetteer)
    assert found.skipped == "side"
    lists = protocol_lists(text, spans, i, i + 2, LEADERS, gazetteer)
    # The next sentence lists the DPRK side: those are present.
    assert names(lists["present"]) == ["Kang Sok Ju", "Kim Yong Il", "Kim Kye Gwan"]


def test_together_with_counts_only_in_the_activity_sentence() -> None:
    sentence = "Kim Jong Un, together with Ri Sol Ju and Choe Ryong Hae, watched the performance."
    gazetteer = load_gazetteer()
    (lead,) = scan_sentence(sentence, 0, len(sentence), exclude=LEADERS, gazetteer=gazetteer)
    assert lead.skipped is None and names(lead.members) == ["Ri Sol Ju", "Choe Ryong Hae"]
    (later,) = scan_sentence(sentence, 0, len(sentence), lead=False, exclude=LEADERS, gazetteer=gazetteer)
    assert later.skipped == "lead_only"


# -- the formulas as data --------------------------------------------------------------------


def test_formulas_are_data_with_roles_counts_and_reasons() -> None:
    rules = load_rules()
    assert {f.role for f in rules.formulas} == set(ROLES)
    data = json.loads((Path(__file__).parent.parent / "src/statemedia/data/entourage.json").read_text("utf-8"))
    for formula in data["formulas"]:
        assert formula["why"] and formula["role"] in ROLES
        assert isinstance(formula["sentences"], int) and isinstance(formula["stories"], int)
    counts = {f["id"]: f["sentences"] for f in data["formulas"]}
    # The formulas the corpus uses most (tools/mine_protocol_lists.py over the train split).
    assert counts["present-there"] > 200 and counts["es-le-acompanaron"] > 80
    assert counts["accompanied-by"] > 10 and counts["among-the-audience"] > 20


@pytest.mark.parametrize("year", ["kcna-2011", "kcna-2012", "kcna-2024"])
def test_corpus_scale(year: str) -> None:
    """Over every train story of a year: each standard formula naming two or more people is read
    in its role, and no list holds a leader, an institution or a name twice."""
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    gazetteer = load_gazetteer()
    reserved = reserved_ids(SHARED)
    cue = re.compile(
        r"(?:He was (?:also )?accompanied by|Accompanying him were|Present there were|Among the audience were"
        r"|Le acompa[nñ]aron)\s"
    )
    roles_of = {"He ": "entourage", "Acc": "entourage", "Le ": "entourage", "Pre": "present", "Amo": "present"}
    read: Counter[str] = Counter()
    standard = 0
    with gzip.open(FILES[year], "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            body = record.get("body") or ""
            if split_of(record["id"], reserved) != "train" or not re.search(r"accompan|Present|Among|acompa", body):
                continue
            spans = sentences(body)
            for i, (s, e) in enumerate(spans):
                m = cue.match(body, s, e)
                if m is None:
                    continue
                lists = protocol_lists(body, spans, i, i + 1, LEADERS, gazetteer)
                # Officials named before the list is handed to another party ("the delegation ... led by").
                own = re.split(r"delegation|led by|headed by|\bside\b", body[s:e])[0]
                people = re.findall(r"\b(?:Kim|Ri|Pak|Choe|Jo|Ju|Jang|Yang|Kang) [A-Z][a-z]+ [A-Z][a-z]+\b", own)
                for role, members in lists.items():
                    ids = [x.id for x in members]
                    assert len(ids) == len(set(ids)) and not set(ids) & LEADERS, (record["id"], role)
                    assert not any(re.search(r"University|Prize|Socialist|Square", x.name) for x in members)
                    read[role] += len(members)
                real = [p for p in people if p not in ("Kim Jong Un", "Kim Jong Il", "Kim Il Sung")]
                if len(real) >= 2:
                    standard += 1
                    assert len(lists[roles_of[m.group(0)[:3]]]) >= 2, (record["id"], body[s:e][:120])
    assert standard >= (5 if year == "kcna-2024" else 100)
    assert read["entourage"] and read["present"]


def test_keywords_let_every_formula_through() -> None:
    """The fast skip (``lists.keywords``) never hides a formula: any sentence a cue matches has a keyword."""
    rules = load_rules()
    reserved = reserved_ids(SHARED)
    checked = 0
    for year, step in (("kcna-2024", 1), ("kcna-2011", 25)):
        with gzip.open(FILES[year], "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                record = json.loads(line)
                if n % step or split_of(record["id"], reserved) != "train":
                    continue
                body = record.get("body") or ""
                for s, e in sentences(body):
                    if any(f.pattern.search(body, s, e) for f in rules.formulas):
                        checked += 1
                        assert rules.keywords.search(body, s, e), body[s:e][:160]
    assert checked > 50


# -- the elite ranking reads the roles asked for ---------------------------------------------


def _member(name: str) -> dict[str, Any]:
    return {"name": name, "id": "person:" + name.lower().replace(" ", "-"), "titles": [], "linked": False}


def _activity(day: str, entourage: list[str], present: list[str] = [], hosts: list[str] = []) -> Activity:  # noqa: B006
    attrs = {
        "kind": "inspection",
        "actor": "Kim Jong Un",
        "actor_id": KJU,
        "date": day,
        "date_precision": "day",
        "entourage": [_member(n) for n in entourage],
    }
    if present or hosts:
        attrs["present"] = [_member(n) for n in present]
        attrs["hosts"] = [_member(n) for n in hosts]
    doc = Document(id=f"doc-{day}", text="x", published=date.fromisoformat(day))
    doc.add([Annotation(0, 1, "event", attrs, "activities")])
    (act,) = activities([doc])
    return act


def test_elite_ranking_counts_entourage_unless_asked() -> None:
    acts = [
        _activity("2012-01-01", ["Choe Ryong Hae", "Ri Yong Ho"], present=["Kim Yong Nam", "Ri Yong Ho"]),
        _activity("2012-02-01", ["Choe Ryong Hae"], hosts=["Kim Yong Nam"]),
        _activity("2012-03-01", ["Ri Yong Ho"]),  # an event without the new keys
    ]
    assert acts[2].present == () and acts[2].hosts == ()
    default = {s.name: s.appearances for s in elite.ranking(acts)}
    assert default == {"Choe Ryong Hae": 2, "Ri Yong Ho": 2}
    every = {s.name: (s.appearances, s.mean_position) for s in elite.ranking(acts, roles=ROLES)}
    # Ri Yong Ho is in the entourage and among those present of one activity: he counts once there.
    assert every == {"Choe Ryong Hae": (2, 1.0), "Ri Yong Ho": (2, 1.5), "Kim Yong Nam": (2, 1.0)}
    assert {s.name for s in elite.ranking(acts, roles=("hosts",))} == {"Kim Yong Nam"}
    assert elite.parse_roles("entourage, present,hosts") == ROLES
    with pytest.raises(ValueError):
        elite.parse_roles("entourage,audience")
    pairs = elite.co_appearances(acts, roles=("present",), include_actor=False)
    assert pairs == Counter({("person:kim-yong-nam", "person:ri-yong-ho"): 1})


def test_cli_roles_option(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from statemedia.analytics import activities as log
    from statemedia.cli import (
        app,
        commands,  # noqa: F401
    )

    docs = []
    for day, entourage, present in (
        ("2012-01-01", ["Choe Ryong Hae"], ["Kim Yong Nam"]),
        ("2012-02-01", [], ["Kim Yong Nam"]),
    ):
        doc = Document(id=f"doc-{day}", text="x", published=date.fromisoformat(day))
        attrs = {
            "kind": "visit",
            "actor": "Kim Jong Un",
            "actor_id": KJU,
            "date": day,
            "date_precision": "day",
            "entourage": [_member(n) for n in entourage],
            "present": [_member(n) for n in present],
            "hosts": [],
        }
        doc.add([Annotation(0, 1, "event", attrs, "activities")])
        docs.append(doc)
    monkeypatch.setattr(log, "analysed", lambda path, db=None: iter(docs))
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("", encoding="utf-8")
    runner = CliRunner()
    default = runner.invoke(app, ["activities", str(corpus), "--view", "elite", "-f", "json"])
    assert default.exit_code == 0, default.output
    assert [r["name"] for r in json.loads(default.stdout)] == ["Choe Ryong Hae"]
    both = runner.invoke(
        app, ["activities", str(corpus), "--view", "elite", "-f", "json", "--roles", "entourage,present"]
    )
    assert both.exit_code == 0, both.output
    assert [(r["name"], r["appearances"]) for r in json.loads(both.stdout)] == [
        ("Kim Yong Nam", 2),
        ("Choe Ryong Hae", 1),
    ]
    log_rows = runner.invoke(app, ["activities", str(corpus), "-f", "json"])
    assert [m["name"] for m in json.loads(log_rows.stdout)[0]["present"]] == ["Kim Yong Nam"]
    table = runner.invoke(app, ["activities", str(corpus), "-f", "csv"])
    assert "Kim Yong Nam" in table.stdout.splitlines()[1]  # a table or CSV joins the list's names
    graph = runner.invoke(app, ["activities", str(corpus), "--view", "elite", "-f", "graphml"])
    assert graph.exit_code == 2 and "--view network" in graph.stderr
    bad = runner.invoke(app, ["activities", str(corpus), "--view", "elite", "--roles", "audience"])
    assert bad.exit_code == 2 and "audience" in bad.stderr
