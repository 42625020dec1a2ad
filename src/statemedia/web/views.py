"""Rows for the activity and entity views, shared by the pages and the API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from ..analytics import activities as log
from ..analytics import elite
from ..analytics.corpus import Corpus, fold_periods

__all__ = ["ACTIVITY_VIEWS", "RANKED_VIEWS", "activity_rows", "day_counts", "entity_detail", "gaps", "standing_rows"]

ACTIVITY_VIEWS = ("log", "calendar", "gaps", "monthly", "elite", "movers")
# The views the store ranks by itself (Corpus.ranking), without the activities.
RANKED_VIEWS = ("elite", "movers")


def gaps(acts: Sequence[log.Activity], min_days: int) -> list[dict[str, Any]]:
    """Spells of ``min_days`` or more between a leader's public appearances, longest first."""
    rows = [
        {
            "actor": a.actor,
            "seen_again": a.day.isoformat(),
            "gap_days": a.gap_days,
            "kinds": list(a.kinds),
            "targets": list(a.targets),
        }
        for a in log.calendar(acts)
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
) -> list[dict[str, Any]]:
    """The rows of one view of the activity log (``ACTIVITY_VIEWS``); ``roles``: the protocol lists
    the elite and movers views count (the entourage alone unless asked, as in the CLI)."""
    if view == "log":
        return [a.to_dict() for a in acts]
    if view == "calendar":
        return [
            {"actor": a.actor, "date": a.day.isoformat(), "gap_days": a.gap_days, "kinds": list(a.kinds),
             "targets": list(a.targets)}
            for a in log.calendar(acts)
        ]
    if view == "gaps":
        return gaps(acts, gap_days)
    if view == "monthly":
        return [
            {"month": month, "by": by, "value": value, "count": n}
            for month, counts in log.monthly_counts(acts).items()
            for by, counter in counts.items()
            for value, n in sorted(counter.items())
        ]
    return standing_rows(view, elite.ranking(acts, period=period, roles=roles))


def standing_rows(view: str, standings: list[elite.Standing]) -> list[dict[str, Any]]:
    """The rows of the elite or movers view from the ranking (``Corpus.ranking`` for a store)."""
    if view == "elite":
        return [asdict(s) for s in standings]
    return [asdict(m) for m in elite.movers(standings)]


def entity_detail(
    corpus: Corpus, entity_id: str, *, unit: str, top: int, recent: int, sample: int
) -> dict[str, Any]:
    """An entity's mentions over time, the entities most often in its newest ``sample`` articles,
    the people it accompanies or who accompany it in leader activities, and its newest articles."""
    name, etype = corpus.entity(entity_id) or (entity_id, "")
    # One pass over the entity's articles by day gives their number, both series and the days of
    # the newest, rather than a pass over all of a frequent entity's articles for each.
    days = corpus.entity_days([entity_id])
    co_mentions = corpus.co_mentions(entity_id, top, sample, days)
    names = corpus.names(eid for eid, _ in co_mentions)
    co = [
        {"id": eid, "name": names.get(eid, (eid, ""))[0], "type": names.get(eid, ("", ""))[1], "articles": n}
        for eid, n in co_mentions
    ]
    # The store counts them from the entity's activities alone (analytics/stored_activities.py).
    together = corpus.co_appearances(entity_id, top)
    newest = corpus.entity_articles(entity_id, recent, days)
    return {
        "id": entity_id,
        "name": name,
        "type": etype,
        "articles": sum(days.values()),
        "series": dict(sorted(fold_periods(days.items(), unit).items())),
        "by_year": dict(sorted(fold_periods(days.items(), "year").items())),
        "co_mentions": co,
        "co_mentions_among": min(sample, sum(days.values())),  # the newest articles counted
        "co_appearances": [{"id": p, "name": name, "activities": n} for p, name, n in together],
        "recent": [
            {"id": d.id, "title": d.title, "published": d.published.isoformat() if d.published else None,
             "outlet": d.outlet, "mentions": mentions}
            for d, mentions in newest
        ],
    }


def day_counts(acts: Sequence[log.Activity]) -> Counter[date]:
    """Leaders seen in public per day (the calendar's shading; letters do not count)."""
    return Counter(a.day for a in log.calendar(acts))
