"""Corpus views over Kim Jong Un's 2012 activities: calendar, monthly counts, elite ranking, network.

Runs on the 2012 English stories whose lead names Kim Jong Un (the only ones that can hold
his activity), through the light activity pipeline: a few hundred stories, seconds.
"""

from __future__ import annotations

import csv
import io
import itertools
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from conftest import iter_kcna
from statemedia.analytics import elite
from statemedia.analytics.activities import Activity, activities, activity_pipeline, calendar, monthly_counts, select
from statemedia.capture.records import capture_record

LEAD = 400  # characters: his name is in the lead sentence of every report of his


@pytest.fixture(scope="module")
def kju_2012(shared: Path) -> list[Activity]:
    pipeline = activity_pipeline()
    docs = (
        pipeline(capture_record(r, location=r["id"]))
        for r in iter_kcna(2012)
        if r["language"] == "en" and "Kim Jong Un" in r["body"][:LEAD]
    )
    return list(select(activities(docs), leader="Kim Jong Un"))


def test_calendar_has_known_days_and_gaps(kju_2012: list[Activity]) -> None:
    days = {a.day: a for a in calendar(kju_2012)}
    # New Year's Day at the Kumsusan Memorial Palace; the parade and the palace on the Day of the Sun.
    assert date(2012, 1, 1) in days and "visit" in days[date(2012, 1, 1)].kinds
    assert date(2012, 4, 15) in days and "speech" in days[date(2012, 4, 15)].kinds
    ordered = sorted(days)
    assert days[ordered[0]].gap_days is None
    for before, after in itertools.pairwise(ordered):
        assert days[after].gap_days == (after - before).days
    assert len(days) > 60  # he was reported in public on well over 60 days in 2012


def test_letters_are_not_appearances(kju_2012: list[Activity]) -> None:
    letters = [a for a in kju_2012 if a.kind == "correspondence"]
    assert letters
    shown = {(a.day, k) for a in calendar(kju_2012) for k in a.kinds}
    assert all((a.day, "correspondence") not in shown for a in letters)


def test_monthly_counts(kju_2012: list[Activity]) -> None:
    months = monthly_counts(kju_2012)
    assert sum(sum(m["kind"].values()) for m in months.values()) == len(kju_2012)
    assert months["2012-04"]["domain"]["military"] >= 1


def test_top_companions(kju_2012: list[Activity]) -> None:
    top = [s.name for s in elite.ranking(kju_2012, period="year", top=5)]
    assert "Jang Song Thaek" in top[:3] and "Choe Ryong Hae" in top[:3]


def test_movers_show_ri_yong_ho_leaving(kju_2012: list[Activity]) -> None:
    # Ri Yong Ho, Chief of General Staff, was relieved of all posts on 15 July 2012.
    standings = elite.ranking(kju_2012, period="quarter")
    assert any(s.name == "Ri Yong Ho" for s in standings if s.period == "2012-Q1")
    assert not any(s.name == "Ri Yong Ho" for s in standings if s.period == "2012-Q4")
    moves = elite.movers(standings)
    assert any(m.name == "Ri Yong Ho" and m.rank_after is None for m in moves)


def test_network_exports(kju_2012: list[Activity]) -> None:
    rows = list(csv.DictReader(io.StringIO(elite.edges_csv(kju_2012, min_weight=5))))
    assert rows and all(int(r["weight"]) >= 5 for r in rows)
    assert any({r["source_name"], r["target_name"]} == {"Kim Jong Un", "Jang Song Thaek"} for r in rows)
    root = ET.fromstring(elite.graphml(kju_2012, min_weight=5))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:edge", ns)) == len(rows)
