"""Server-side SVG charts: lines over periods, bars, an appearance calendar and a timeline.

SVG drawn here needs no script (the Content-Security-Policy forbids inline script and
eval, which Vega's expression parser uses), weighs a few KB, and renders in ~1 ms. All
text is escaped; colours are presentation attributes, not ``style`` (also barred by CSP).
"""

from __future__ import annotations

import calendar as cal
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from markupsafe import Markup, escape

__all__ = ["PALETTE", "bars", "calendar_year", "lines", "timeline"]

# Colour-blind-safe categorical palette (Okabe & Ito 2008).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
_FONT = 'font-family="system-ui, sans-serif" font-size="11"'
# A line's points get a marker (with its tooltip) only this far apart: closer, markers overlap
# into a band, and a thousand months of a 1M-story corpus made most of the trends page's weight
# and drawing time (the page's table gives every value).
_MARKER_MIN_PX = 4.0


def _ticks(top: float) -> list[float]:
    """Up to 5 round tick values from 0 to at least ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    step = 10 ** len(str(int(top))) / 10
    for factor in (1, 2, 5, 10):
        if top / (step * factor) <= 5:
            step *= factor
            break
    n = int(top // step) + 1
    return [round(i * step, 6) for i in range(n + 1)]


def _fmt(v: float) -> str:
    return f"{v:g}" if v < 1 or v != int(v) else f"{int(v):,}"


def _frame(width: int, height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}" {_FONT}>'
        + "".join(body)
        + "</svg>"
    )


def _axes(periods: Sequence[str], top: float, w: int, h: int, left: int, bottom: int) -> tuple[list[str], float]:
    ticks = _ticks(top)
    ymax = ticks[-1]
    body = []
    for t in ticks:
        y = h - bottom - (h - bottom - 10) * t / ymax
        body.append(f'<line x1="{left}" x2="{w - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#4b5563">{_fmt(t)}</text>')
    every = max(1, len(periods) // 12)
    step = (w - left - 10) / max(1, len(periods))
    for i, p in enumerate(periods):
        if i % every == 0:
            x = left + step * (i + 0.5)
            body.append(
                f'<text x="{x:.1f}" y="{h - bottom + 14}" text-anchor="middle" fill="#4b5563">{escape(p)}</text>'
            )
    body.append(f'<line x1="{left}" x2="{w - 10}" y1="{h - bottom}" y2="{h - bottom}" stroke="#9ca3af"/>')
    return body, ymax


def lines(
    series: Mapping[str, Mapping[str, float]], periods: Sequence[str], *, label: str, width: int = 900,
    height: int = 280,
) -> Markup:
    """One line per series over ``periods``; points carry a ``<title>`` tooltip where they stand
    at least ``_MARKER_MIN_PX`` apart."""
    left, bottom = 48, 22
    top = max((v for s in series.values() for v in s.values()), default=0.0)
    body, ymax = _axes(periods, top, width, height, left, bottom + 18)
    step = (width - left - 10) / max(1, len(periods))
    plot_h = height - bottom - 18 - 10
    for n, (name, values) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        points = []
        for i, p in enumerate(periods):
            x = left + step * (i + 0.5)
            y = height - bottom - 18 - plot_h * values.get(p, 0) / ymax
            points.append((x, y, p, values.get(p, 0)))
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _p, _v in points)
        body.append(
            f'<polyline class="series" data-series="{escape(name)}" points="{path}" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
        for x, y, p, v in points if step >= _MARKER_MIN_PX else ():
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}">'
                f"<title>{escape(name)} {escape(p)}: {_fmt(v)}</title></circle>"
            )
        lx = left + 10 + 170 * n
        body.append(f'<rect x="{lx}" y="{height - 14}" width="10" height="10" fill="{colour}"/>')
        body.append(f'<text x="{lx + 14}" y="{height - 5}" fill="#111827">{escape(name)}</text>')
    return _frame(width, height, label, body)


def bars(values: Mapping[str, float], periods: Sequence[str], *, label: str, width: int = 900,
         height: int = 220) -> Markup:
    """One bar per period."""
    left, bottom = 48, 22
    body, ymax = _axes(periods, max(values.values(), default=0.0), width, height, left, bottom)
    step = (width - left - 10) / max(1, len(periods))
    plot_h = height - bottom - 10
    for i, p in enumerate(periods):
        v = values.get(p, 0)
        bh = plot_h * v / ymax
        body.append(
            f'<rect class="bar" x="{left + step * i + 1:.1f}" y="{height - bottom - bh:.1f}" '
            f'width="{max(1.0, step - 2):.1f}" height="{bh:.1f}" fill="{PALETTE[0]}">'
            f"<title>{escape(p)}: {_fmt(v)}</title></rect>"
        )
    return _frame(width, height, label, body)


def calendar_year(year: int, counts: Mapping[date, int], gap_starts: Mapping[date, int], *, label: str) -> Markup:
    """A GitHub-style year grid (weeks × weekdays): shade = appearances that day; a red
    outline marks the first appearance after a long gap (tooltip: the gap in days)."""
    size, gap = 11, 2
    first = date(year, 1, 1)
    offset = first.weekday()  # Monday = row 0
    width, height = 40 + 54 * (size + gap), 24 + 7 * (size + gap)
    body = [f'<text x="0" y="{24 + 3 * (size + gap) + 8}" fill="#111827" font-weight="600">{year}</text>']
    for m in range(1, 13):
        week = (date(year, m, 1).toordinal() - first.toordinal() + offset) // 7
        body.append(f'<text x="{40 + week * (size + gap)}" y="12" fill="#4b5563">{cal.month_abbr[m]}</text>')
    day = first
    while day.year == year:
        idx = day.toordinal() - first.toordinal() + offset
        x, y = 40 + (idx // 7) * (size + gap), 18 + (idx % 7) * (size + gap)
        n = counts.get(day, 0)
        fill = "#ebedf0" if n == 0 else ("#9be9a8", "#40c463", "#216e39")[min(n, 3) - 1]
        extra = ""
        tip = f"{day.isoformat()}: {n} appearance{'s' if n != 1 else ''}"
        if day in gap_starts:
            extra = ' stroke="#dc2626" stroke-width="2" class="gap"'
            tip += f" after {gap_starts[day]} days unseen"
        body.append(
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="2" fill="{fill}"{extra}>'
            f"<title>{escape(tip)}</title></rect>"
        )
        day += timedelta(days=1)
    return _frame(width, height, label, body)


# Months between a timeline's ticks, the fewest that give a dozen ticks or fewer over its span.
_TICK_MONTHS = (1, 3, 6, 12, 24, 60, 120)


def timeline(points: Sequence[tuple[date, str, str]], rows: Sequence[str], *, label: str,
             width: int = 900) -> Markup:
    """Dots on a time axis, one row per category: ``points`` are (day, row, tooltip)."""
    left, row_h = 130, 18
    height = 30 + row_h * len(rows)
    body: list[str] = []
    if not points:
        return _frame(width, height, label, body)
    lo = min(p[0] for p in points)
    hi = max(p[0] for p in points)
    span = max(1, (hi - lo).days)
    plot_w = width - left - 20

    def x_of(d: date) -> float:
        return left + plot_w * (d - lo).days / span

    # A tick every month over a year or so, else every few months or years: a dozen labels at most.
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    step = next((s for s in _TICK_MONTHS if months <= 12 * s), _TICK_MONTHS[-1])
    month = date(lo.year, lo.month, 1) if step < 12 else date(lo.year - lo.year % (step // 12), 1, 1)
    while month <= hi:
        if month >= lo:
            x = x_of(month)
            body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="6" y2="{height - 18}" stroke="#e5e7eb"/>')
            body.append(f'<text x="{x + 2:.1f}" y="{height - 6}" fill="#4b5563">'
                        f'{month.strftime("%b %Y" if step < 12 else "%Y")}</text>')  # fmt: skip
        ahead = month.month - 1 + step
        month = date(month.year + ahead // 12, ahead % 12 + 1, 1)
    for i, row in enumerate(rows):
        y = 14 + row_h * i
        body.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" fill="#111827">{escape(row)}</text>')
        body.append(f'<line x1="{left}" x2="{width - 20}" y1="{y}" y2="{y}" stroke="#f3f4f6"/>')
    index = {row: i for i, row in enumerate(rows)}
    # One dot per row and pixel: dots nearer than that hide each other, and a leader's tens of
    # thousands of activities over decades drew as many dots (megabytes of page); a dot that
    # stands for several says how many, and their first and last days.
    dots: dict[tuple[int, int], list[tuple[date, str]]] = {}
    for day, row, tip in points:
        dots.setdefault((index[row], round(x_of(day))), []).append((day, tip))
    for (i, x), found in sorted(dots.items()):
        days = sorted(day for day, _ in found)
        tip = found[0][1] if len(found) == 1 else f"{len(found)} × {rows[i]}, {days[0]} to {days[-1]}"
        body.append(
            f'<circle class="dot" cx="{x}" cy="{14 + row_h * i}" r="4" '
            f'fill="{PALETTE[i % len(PALETTE)]}" fill-opacity="0.75"><title>{escape(tip)}</title></circle>'
        )
    return _frame(width, height, label, body)
