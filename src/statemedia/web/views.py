"""Rows for the entity pages, shared by the pages and the API (the activity views' rows:
``analytics.activity_views``)."""

from __future__ import annotations

from typing import Any

from ..analytics.corpus import Corpus, fold_periods

__all__ = ["entity_detail"]


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
