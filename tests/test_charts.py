"""The SVG charts of the pages: a timeline stays a few hundred dots and a dozen ticks however
many activities and years it draws (web/charts.py)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from statemedia.web import charts


def _dots(svg: str) -> list[str]:
    return re.findall(r'<circle class="dot"[^>]*><title>([^<]*)</title>', svg)


def test_dots_nearer_than_a_pixel_are_one_that_says_how_many() -> None:
    start = date(1994, 7, 8)
    days = [start + timedelta(days=i // 3) for i in range(30_000)]
    points = [(day, "visit", f"{day}: visit") for day in days]
    svg = str(charts.timeline(points, ["visit"], label="activities"))
    tips = _dots(svg)
    assert 100 < len(tips) <= 900  # at most one a pixel of the plot
    counted = sum(int(t.split(" × ")[0]) if " × " in t else 1 for t in tips)
    assert counted == len(points)
    assert len(svg) < 200_000


def test_a_lone_dot_keeps_its_own_tooltip() -> None:
    points = [(date(2012, 1, 1), "visit", "2012-01-01: visit — a farm"),
              (date(2012, 6, 1), "speech", "2012-06-01: speech")]
    tips = _dots(str(charts.timeline(points, ["visit", "speech"], label="activities")))
    assert sorted(tips) == ["2012-01-01: visit — a farm", "2012-06-01: speech"]


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 1, 1)), st.integers(min_value=0, max_value=40_000))
def test_a_dozen_ticks_at_most_over_any_span(first: date, days: int) -> None:
    points = [(first, "visit", "a"), (first + timedelta(days=days), "visit", "b")]
    svg = str(charts.timeline(points, ["visit"], label="activities"))
    ticks = re.findall(r'fill="#4b5563">([^<]+)</text>', svg)
    assert len(ticks) <= 13
    # Every tick names a month or a year inside the span.
    assert all(re.fullmatch(r"(\w{3} )?\d{4}", t) for t in ticks)


def test_a_line_marks_its_points_only_where_they_stand_apart() -> None:
    """Each point of a short series has a marker with its tooltip; a thousand months have the line
    alone (markers would overlap into a band; the page's table gives every value)."""
    for n, marked in ((24, True), (1_000, False)):
        periods = [f"{1940 + i // 12}-{i % 12 + 1:02d}" for i in range(n)]
        svg = str(charts.lines({"Kim": {p: i % 7 for i, p in enumerate(periods)}}, periods, label="trend"))
        assert svg.count("<polyline") == 1
        assert svg.count("<circle") == (n if marked else 0)
