"""The views of the leader activity log as rows: one read model for the CLI, the API and the pages.

Each view is a list of dicts whose values are JSON values (lists stay lists: a surface that
prints a table or CSV joins them itself). The store ranks the elite and movers views by itself
(``Corpus.ranking``), so those take the standings rather than the activities.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from . import activities as log
from . import elite
from .corpus import Corpus

__all__ = ["APPEARANCE_VIEWS", "RANKED_VIEWS", "VIEWS", "activity_rows", "appearance_rows", "gaps", "monthly_rows",
           "standing_rows", "stored_rows"]

VIEWS = ("log", "calendar", "gaps", "monthly", "elite", "movers", "network")
# The views the store ranks by itself (Corpus.ranking), without the activities.
RANKED_VIEWS = ("elite", "movers")
# The views of a leader's appearances by day: of the dated activities alone.
APPEARANCE_VIEWS = ("calendar", "gaps")


def gaps(appearances: Sequence[log.Appearance], min_days: int) -> list[dict[str, Any]]:
    """Spells of ``min_days`` or more between a leader's public appearances (``log.calendar``),
    longest first."""
    rows = [
        {
            "actor": a.actor,
            "seen_again": a.day.isoformat(),
            "gap_days": a.gap_days,
            "kinds": list(a.kinds),
            "targets": list(a.targets),
        }
        for a in appearances
        if a.gap_days is not None and a.gap_days >= min_days
    ]
    return sorted(rows, key=lambda r: (-r["gap_days"], r["seen_again"]))


def activity_rows(
    view: str,
    acts: Sequence[log.Activity],
    *,
    period: str,
    gap_days: int,
    roles: Sequence[str] = elite.DEFAULT_ROLES,
    top: int | None = None,
) -> list[dict[str, Any]]:
    """The rows of one view (``VIEWS``) of these activities; ``roles``: the protocol lists the elite,
    movers and network views count (the entourage alone unless asked); ``top``: the elite's first N
    per period."""
    if view == "log":
        return [a.to_dict() for a in acts]
    if view in APPEARANCE_VIEWS:
        return appearance_rows(view, log.calendar(acts), gap_days)
    if view == "monthly":
        return monthly_rows(log.monthly_counts(acts))
    if view == "network":
        return elite.network(acts, roles=roles)
    if view in RANKED_VIEWS:
        return standing_rows(view, elite.ranking(acts, period=period, top=top, roles=roles))
    raise ValueError(f"no activity view {view!r}: {', '.join(VIEWS)}")


def monthly_rows(counts: dict[str, dict[str, Counter[str]]]) -> list[dict[str, Any]]:
    """The rows of the monthly view from ``activities.monthly_counts`` (or ``Corpus.monthly``)."""
    return [
        {"month": month, "by": by, "value": value, "count": n}
        for month, by_what in counts.items()
        for by, counter in by_what.items()
        for value, n in sorted(counter.items())
    ]


def appearance_rows(view: str, appearances: Sequence[log.Appearance], gap_days: int) -> list[dict[str, Any]]:
    """The rows of the calendar or gaps view from a leader's appearances (``log.calendar``: of his
    activities, or of the dated ones alone as a store reads them, ``Corpus.seen``)."""
    if view == "gaps":
        return gaps(appearances, gap_days)
    return [
        {"actor": a.actor, "date": a.day.isoformat(), "gap_days": a.gap_days, "kinds": list(a.kinds),
         "targets": list(a.targets)}
        for a in appearances
    ]  # fmt: skip


def stored_rows(
    corpus: Corpus, view: str, *, leader: str | None, start: date | None, end: date | None,
    kinds: Sequence[str] | None, period: str, gap_days: int, roles: Sequence[str] = elite.DEFAULT_ROLES,
    top: int | None = None,
) -> list[dict[str, Any]]:
    """The rows of one view of a store's activities, each read as it needs: the ranked views and
    the network counted by the store, the calendar and gaps from the dated activities alone, the
    monthly counts by the store, the log from all of them (the CLI and the API both ask here)."""
    if view in RANKED_VIEWS:
        return standing_rows(view, corpus.ranking(leader=leader, start=start, end=end, kinds=kinds, period=period,
                                                  top=top, roles=roles))  # fmt: skip
    if view in APPEARANCE_VIEWS:
        seen = corpus.seen(leader=leader, start=start, end=end, kinds=kinds)
        return appearance_rows(view, log.calendar(seen), gap_days)
    if view == "network":
        return corpus.network(leader=leader, start=start, end=end, kinds=kinds, roles=roles)
    if view == "monthly":
        return monthly_rows(corpus.monthly(leader=leader, start=start, end=end, kinds=kinds))
    acts = corpus.activities(leader=leader, start=start, end=end, kinds=kinds)
    return activity_rows(view, acts, period=period, gap_days=gap_days, roles=roles, top=top)


def standing_rows(view: str, standings: list[elite.Standing]) -> list[dict[str, Any]]:
    """The rows of the elite or movers view from the ranking (``Corpus.ranking`` for a store)."""
    if view == "elite":
        return [asdict(s) for s in standings]
    return [asdict(m) for m in elite.movers(standings)]
