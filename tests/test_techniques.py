"""Persuasion techniques: the SemEval-2020 measures, the fixed split, and the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.lang.en.stop_words import STOP_WORDS

from conftest import PTC, SEED, SEED_TECHNIQUES, iter_kcna, kcna_sample
from statemedia import Document
from statemedia.capture import capture_record
from statemedia.rhetoric.lexicon import Lexicon, LexiconMatch
from statemedia.rhetoric.technique_model import Detection, TechniqueModel, with_lexicon
from statemedia.training.evaluate_techniques import evaluate
from statemedia.training.ptc import Article, Split, load_articles, load_span_articles, load_techniques, split_of
from statemedia.training.span_scoring import si_score, tc_scores


@pytest.fixture(scope="module")
def model() -> TechniqueModel:
    return TechniqueModel.load()


@pytest.fixture(scope="module")
def test_articles(shared: Path) -> list[Article]:
    return load_articles(PTC, [Split.TEST])


def _char_sets(spans: list[tuple[int, int]]) -> list[set[int]]:
    """Spans as character sets, those sharing a character united (the official scorer's merge_spans)."""
    merged: list[set[int]] = []
    for span in spans:
        chars = set(range(*span))
        for other in [m for m in merged if m & chars]:
            merged.remove(other)
            chars |= other
        merged.append(chars)
    return merged


def _brute_si(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[float, float]:
    """The official scorer's computation: character sets, both sides merged, pair by pair."""
    preds, golds = _char_sets(pred), _char_sets(gold)
    p = sum(len(s & t) / len(s) for s in preds for t in golds) / len(preds)
    r = sum(len(s & t) / len(t) for s in preds for t in golds) / len(golds)
    return p, r


@pytest.mark.parametrize("shift", [0, 3, 17, -9])
def test_si_partial_overlap_matches_the_paper_formula(test_articles: list, shift: int) -> None:  # type: ignore[type-arg]
    article = test_articles[0]
    gold = list(article.propaganda)
    pred = [(max(0, s + shift), max(1, e + shift)) for s, e in gold]
    got = si_score({article.id: pred}, {article.id: gold})
    want_p, want_r = _brute_si(pred, gold)
    assert got.precision == pytest.approx(want_p)
    assert got.recall == pytest.approx(want_r)
    if shift == 0:
        assert got.f1 == pytest.approx(1.0)
    else:
        assert got.f1 < 1.0


def test_si_merges_overlapping_predictions_and_ignores_misses() -> None:
    merged = si_score({1: [(0, 10), (5, 20)]}, {1: [(0, 20)]})
    assert (merged.precision, merged.recall) == (1.0, 1.0)
    missed = si_score({1: [(30, 40)]}, {1: [(0, 20)]})
    assert missed.f1 == 0.0


def test_si_merges_overlapping_gold_spans_like_the_official_scorer() -> None:
    # Two techniques on overlapping text are one propaganda fragment: predicting it exactly is
    # perfect (scoring the gold spans apart counted characters 5-10 twice: precision 1.25).
    overlapping = si_score({1: [(0, 20)]}, {1: [(0, 10), (5, 20)]})
    assert (overlapping.precision, overlapping.recall) == (1.0, 1.0)
    # Spans that only touch share no character and stay two fragments.
    touching = si_score({1: [(0, 10)]}, {1: [(0, 10), (10, 20)]})
    assert (touching.precision, touching.recall) == (1.0, 0.5)


def test_tc_micro_and_per_technique() -> None:
    micro, per = tc_scores(["Doubt", "Slogans", "Doubt"], ["Doubt", "Doubt", "Repetition"])
    assert micro.f1 == pytest.approx(1 / 3)
    assert per["Doubt"].precision == pytest.approx(0.5) and per["Doubt"].recall == pytest.approx(0.5)
    assert per["Repetition"].f1 == 0.0


def test_split_is_fixed_by_article_id(shared: Path) -> None:
    training = load_articles(PTC, [Split.TRAIN, Split.DEV])
    assert training and all(a.id % 5 != 0 for a in training)
    assert {split_of(a.id) for a in training} == {Split.TRAIN, Split.DEV}
    assert (
        sum(len(a.techniques) for a in training) + sum(len(a.techniques) for a in load_articles(PTC, [Split.TEST]))
        == 6129
    )  # every span in train-task2-TC.labels, per the PTC README


def test_span_articles_are_semeval_dev_with_gold_spans_only(shared: Path) -> None:
    extra = load_span_articles(PTC)
    assert len(extra) == 75  # dev-articles/
    assert not {a.id for a in extra} & {a.id for a in load_articles(PTC)}  # none of them is TEST (or TRAIN)
    assert all(not a.techniques and 0 <= s < e <= len(a.text) for a in extra for s, e in a.propaganda)
    spans = sum(len(a.propaganda) for a in extra)
    # 1,063 template rows; a span tagged with two techniques is listed twice and counted once.
    assert 1000 < spans < 1063
    first = next(a for a in extra if a.id == 730093263)
    assert first.text[first.propaganda[0][0] : first.propaganda[0][1]] == "white"


def test_model_knows_the_14_techniques(shared: Path, model: TechniqueModel) -> None:
    assert set(model.classifier.labels) == set(load_techniques(PTC))


def test_model_file_is_small_and_pickle_free() -> None:
    path = Path(__file__).resolve().parent.parent / "src/statemedia/data/rhetoric/techniques.npz"
    assert path.stat().st_size < 2_000_000


@pytest.mark.parametrize(("phrase", "technique"), SEED_TECHNIQUES)
def test_seed_article_techniques(shared: Path, phrase: str, technique: str) -> None:
    doc = _seed_document()
    start = doc.text.index(phrase)
    found = {a.attrs["technique"] for a in doc.spans("technique") if a.start <= start and start + len(phrase) <= a.end}
    assert technique in found, f"{phrase!r}: found {found}"


# Real KCNA stories (by record id) with phrases the lexicon must mark, or must leave alone.
@pytest.mark.parametrize(
    ("story", "phrase", "technique", "marked"),
    [
        ("kcna-2011-01954", "warmongers", "Name_Calling,Labeling", True),
        ("kcna-2011-12151", "diehard confrontation maniac", "Name_Calling,Labeling", True),
        ("kcna-2011-00475", "heinous crimes", "Loaded_Language", True),
        ("kcna-2012-00019", "human rifles and bombs", "Loaded_Language", True),
        ("kcna-2012-00019", "Let us do many more things for the benefit of the people!", "Slogans", True),
        ("kcna-2012-00106", "defend the country", "Flag-Waving", True),
        # A football team's win in a league round is no revolutionary "final victory".
        ("kcna-2011-01953", "final victory", "Loaded_Language", False),
        # The Pyongyang Puppet Company stages puppet shows: no enemy is named.
        ("kcna-2011-06077", "Puppet", "Name_Calling,Labeling", False),
        ("kcna-2011-06077", "puppet shows", "Name_Calling,Labeling", False),
    ],
)
def test_lexicon_on_kcna(shared: Path, story: str, phrase: str, technique: str, marked: bool) -> None:
    text = _kcna_story(story).text
    assert phrase in text, f"{story} lacks {phrase!r}"
    starts = [i for i in range(len(text)) if text.startswith(phrase, i)]
    lexicon = Lexicon.load()
    covering = {m.technique for m in lexicon.find(text) for s in starts if m.start <= s and s + len(phrase) <= m.end}
    if marked:
        assert technique in covering, f"{story}: {phrase!r} got {covering}"
    else:
        assert not any(
            m.technique == technique and m.start < s + len(phrase) and s < m.end
            for m in lexicon.find(text)
            for s in starts
        ), f"{story}: {phrase!r} was marked {technique}"


def test_lexicon_techniques_are_ptc_labels(shared: Path) -> None:
    assert Lexicon.load().techniques <= set(load_techniques(PTC))


def test_lexicon_spans_join_and_relabel_model_spans() -> None:
    found = [Detection(0, 40, "Doubt", 0.3), Detection(4, 14, "Repetition", 0.6)]
    got = with_lexicon(found, [LexiconMatch(4, 20, "Loaded_Language")], 1.0)
    assert [(d.start, d.end, d.technique, d.source) for d in got] == [
        (0, 40, "Doubt", "model"),
        (4, 20, "Loaded_Language", "lexicon"),
    ]


def test_no_stopword_only_technique_spans(shared: Path) -> None:
    from statemedia import build_pipeline

    pipeline = build_pipeline(names=["linguistic", "techniques"])
    docs = list(pipeline.pipe(capture_record(r, location=r["id"]) for r in kcna_sample(40, language="en")))
    spans = [d.covered(a) for d in docs for a in d.spans("technique")]
    assert spans, "no technique found in 40 KCNA stories"
    lone = [s for s in spans if all(w.lower() in STOP_WORDS or not w[:1].isalnum() for w in s.split())]
    assert not lone, lone[:5]


def test_lexicon_keeps_ptc_test_scores(shared: Path) -> None:
    """The lexicon is for DPRK prose; on PTC's Western news it must not cost SI or TC."""
    alone = evaluate(PTC, TechniqueModel.load())
    combined = evaluate(PTC, TechniqueModel.load(None, Lexicon.load()))
    assert combined.si.f1 >= alone.si.f1 - 0.005 and combined.tc.f1 >= alone.tc.f1 - 0.005
    assert combined.tc.f1 >= 0.60  # the target for technique classification


def test_seed_article_has_no_technique_in_page_chrome(shared: Path) -> None:
    doc = _seed_document()
    assert all(a.attrs["score"] > 0 for a in doc.spans("technique"))
    assert not any("cookie" in doc.covered(a).lower() for a in doc.spans("technique"))


_SEED_DOC: list[Document] = []


def _seed_document() -> Document:
    if not _SEED_DOC:
        from statemedia import build_pipeline
        from statemedia.capture import capture_text

        pipeline = build_pipeline(names=["linguistic", "techniques"])
        _SEED_DOC.append(pipeline(capture_text(SEED.read_bytes(), location=str(SEED))))
    return _SEED_DOC[0]


def _kcna_story(story_id: str) -> Document:
    year = int(story_id.split("-")[1])
    record = next(r for r in iter_kcna(year) if r["id"] == story_id)
    return capture_record(record, location=story_id)
