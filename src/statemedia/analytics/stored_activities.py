"""Leader activities answered by the store: the activity log of a filter, the leaders and kinds,
and what the protocol lists give (the elite ranking, an entity's co-appearances), each one query.

The lists are read from ``activity_members`` (migrations/007_activity_members.sql: one row per
member of an activity's entourage, present or hosts list, kept by the write path), so the ranking
and an entity page ask the database for the members they count rather than read every activity
of the corpus (issue 16). Their answers are those of ``analytics.elite`` over ``activities()``:
the same counting rules, and ties broken by the same order of the activities (their day, else
their story's, then the story's id and the activity's place in it), which the queries spell out.
An activity that translates another (``activity_translations``, migrations/013: a Spanish story's
activity paired with its English original's, store/translations.py) is one event: every answer
here leaves it out (``_SHOWN``), and the log lists its story among the original's ``translations``.
``rows`` runs one statement of the shared dialect (``Store.query``) and returns its rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from ._columns import marks, stored_day, stored_json
from .activities import Activity, Seen, activity_from_attrs
from .elite import DEFAULT_ROLES, Standing

__all__ = ["CURRENT", "Rows", "activities", "co_appearances", "count", "kinds", "leaders", "monthly", "network",
           "ranking", "seen"]

Rows = Callable[[str, Sequence[Any]], list[Any]]
# The current version of every article.
CURRENT = "articles a JOIN documents d ON d.doc_pk = a.current_pk"
# The day an activity counts on, as ISO text: its own at day precision, else its story's
# (``Activity.day or Activity.published``). The cast reads PostgreSQL's date column as ISO text.
_DAY = "coalesce({t}.day, substr(CAST(d.published AS TEXT), 1, 10))"
# The period of that day, spelt as ``elite.period_of`` names it.
_PERIODS = {
    "month": "substr({x}, 1, 7)",
    "year": "substr({x}, 1, 4)",
    "quarter": "substr({x}, 1, 4) || '-Q' || CAST((CAST(substr({x}, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)",
}
# Activities that are not a translation of another (of ``t``): each event counted once.
_SHOWN = "NOT EXISTS (SELECT 1 FROM activity_translations x WHERE x.text_pk = {t}.text_pk AND x.ord = {t}.ord)"
# The story ids of an activity's translation (o: its activity_translations row as the original).
_TRANSLATION = (
    "(SELECT min(d2.doc_id) FROM articles a2 JOIN documents d2 ON d2.doc_pk = a2.current_pk "
    "WHERE d2.text_pk = o.text_pk)"
)
# Where the leader's own name goes among the people of an activity: after its lists, as
# ``web.views.entity_detail`` always added it.
_ACTOR_AFTER = 1_000_000


def _selected(
    leader: str | None, start: date | None, end: date | None, wanted: Sequence[str], t: str = "t"
) -> tuple[str, list[Any]]:
    """The conditions ``activities.select`` applies, on the activity columns of ``t`` (text_activities,
    or activity_members' copy of them) of a current version ``d`` (its day, else its story's,
    compared as ISO text), and each event once (``_SHOWN``)."""
    where, params = [_SHOWN.format(t=t)], list[Any]()
    if wanted:
        where.append(f"{t}.kind IN ({marks(len(wanted))})")
        params += wanted
    if leader:
        where.append(f"(lower({t}.actor) = lower(?) OR lower({t}.actor_id) = lower(?))")
        params += [leader, leader]
    for bound, op in ((start, ">="), (end, "<=")):
        if bound is not None:
            where.append(f"{_DAY.format(t=t)} {op} ?")
            params.append(bound.isoformat())
    return " AND ".join(where), params


def activities(
    rows: Rows, leader: str | None, start: date | None, end: date | None, wanted: Sequence[str], *,
    offset: int = 0, limit: int | None = None, newest_first: bool = False,
) -> list[Activity]:
    """Leader activities of the current versions in date order (their day, else their story's; then
    the story's id and the activity's place in it), filtered as ``select``; with ``limit``, the page
    of them after ``offset`` (``newest_first``: in the reverse order): the database orders and cuts
    them, so a page of a leader's tens of thousands of activities reads only its own rows."""
    where, params = _selected(leader, start, end, wanted)
    way = " DESC" if newest_first else ""
    # Undated (no day of its own, no story day) first, as ``date.min`` sorted them.
    order = ", ".join(f"{column}{way}" for column in (f"coalesce({_DAY.format(t='t')}, '')", "d.doc_id", "t.text_pk",
                                                      "t.ord"))  # fmt: skip
    page, more = ("", []) if limit is None else (" LIMIT ? OFFSET ?", [limit, offset])
    found = rows(
        f"SELECT d.doc_id, d.published, d.title, t.attrs, {_TRANSLATION} FROM {CURRENT} "
        "JOIN text_activities t ON t.text_pk = d.text_pk "
        "LEFT JOIN activity_translations o ON o.of_text_pk = t.text_pk AND o.of_ord = t.ord "
        f"WHERE {where} ORDER BY {order}{page}",
        [*params, *more],
    )
    return [
        activity_from_attrs(str(i), stored_day(p), title, stored_json(attrs), translations=(str(tr),) if tr else ())
        for i, p, title, attrs, tr in found
    ]


def seen(rows: Rows, leader: str | None, start: date | None, end: date | None, wanted: Sequence[str]) -> list[Seen]:
    """The activities ``activities`` gives that have a day of their own, in its order, as calendars
    and timelines read them: a leader's page draws all of them, and an activity's protocol lists
    cost most of building one (docs/workbench.md, "The activity log and page")."""
    where, params = _selected(leader, start, end, wanted)
    found = rows(
        f"SELECT t.actor, t.day, t.kind, t.attrs, d.title FROM {CURRENT} JOIN text_activities t "
        f"ON t.text_pk = d.text_pk WHERE {where} AND t.day IS NOT NULL ORDER BY t.day, d.doc_id, t.text_pk, t.ord",
        params,
    )
    out = []
    for actor, day, kind, attrs, title in found:
        if (on := stored_day(day)) is not None:
            out.append(Seen(str(actor), on, str(kind), stored_json(attrs).get("target"), title))
    return out


def monthly(
    rows: Rows, leader: str | None, start: date | None, end: date | None, wanted: Sequence[str]
) -> dict[str, dict[str, Counter[str]]]:
    """``activities.monthly_counts`` of the activities ``activities`` gives, counted by the database
    (the kind and domain columns, migrations/014): a leader's months without reading his activities."""
    where, params = _selected(leader, start, end, wanted)
    day = _DAY.format(t="t")
    found = rows(
        f"SELECT substr({day}, 1, 7) AS month, t.kind, coalesce(t.domain, ''), count(*) FROM {CURRENT} "
        f"JOIN text_activities t ON t.text_pk = d.text_pk WHERE {where} AND {day} IS NOT NULL "
        "GROUP BY month, t.kind, coalesce(t.domain, '')",
        params,
    )
    out: dict[str, dict[str, Counter[str]]] = {}
    for month, kind, domain, n in found:
        counts = out.setdefault(str(month), {"kind": Counter(), "domain": Counter()})
        counts["kind"][str(kind)] += int(n)
        counts["domain"][str(domain)] += int(n)
    return dict(sorted(out.items()))


def count(rows: Rows, leader: str | None, start: date | None, end: date | None, wanted: Sequence[str]) -> int:
    """How many activities ``activities`` gives for these filters."""
    where, params = _selected(leader, start, end, wanted)
    found = rows(f"SELECT count(*) FROM {CURRENT} JOIN text_activities t ON t.text_pk = d.text_pk WHERE {where}",
                 params)  # fmt: skip
    return int(found[0][0])


def leaders(rows: Rows) -> list[tuple[str, int]]:
    """Leaders by number of activities (the name as stories give it)."""
    found = rows(
        f"SELECT t.actor, count(*) FROM {CURRENT} JOIN text_activities t ON t.text_pk = d.text_pk "
        f"WHERE t.actor IS NOT NULL AND {_SHOWN.format(t='t')} GROUP BY t.actor",
        (),
    )
    return sorted(((str(a), int(n)) for a, n in found), key=lambda r: (-r[1], r[0]))


def kinds(rows: Rows) -> list[str]:
    return sorted(str(r[0]) for r in rows("SELECT DISTINCT value FROM text_labels WHERE facet = 'kind'", ()))


def ranking(
    rows: Rows,
    *,
    leader: str | None = None,
    start: date | None = None,
    end: date | None = None,
    wanted: Sequence[str] = (),
    period: str = "year",
    top: int | None = None,
    roles: Sequence[str] = DEFAULT_ROLES,
) -> list[Standing]:
    """``elite.ranking`` of the activities ``activities(rows, leader, start, end, wanted)`` gives,
    counted by the database: appearances and positions by period and official, and the name each
    official has where first listed. Only those counts leave it (officials x periods)."""
    if period not in _PERIODS:
        raise ValueError(f"unknown period {period!r}; use month, quarter or year")
    day = _DAY.format(t="m")
    rank = "CASE m.role " + " ".join(f"WHEN ? THEN {i}" for i in range(len(roles))) + " END"
    selected, params = _selected(leader, start, end, wanted, "m")
    where, params = [f"m.role IN ({marks(len(roles))})", f"{day} IS NOT NULL", selected], [*roles, *params]
    # An official counts once an activity (a story's copy of it each), at his first place in the
    # first role asked for (``elite.listed``).
    once = f"""WITH listed AS (
        SELECT d.doc_id, m.text_pk, m.ord, m.member_id, m.name, m.position, {day} AS day,
               ROW_NUMBER() OVER (PARTITION BY d.doc_pk, m.ord, m.member_id ORDER BY {rank}, m.position) AS r
        FROM {CURRENT} JOIN activity_members m ON m.text_pk = d.text_pk WHERE {" AND ".join(where)}{{only}}),
    once AS (SELECT * FROM listed WHERE r = 1)"""
    found = rows(
        once.format(only="") + f" SELECT {_PERIODS[period].format(x='day')} AS p, member_id, count(*), sum(position), "
        f"min(name), max(name) FROM once GROUP BY {_PERIODS[period].format(x='day')}, member_id",
        [*roles, *params],
    )
    # His name is the one of the first activity that lists him: asked, in a second statement, only
    # for the few listed under several spellings (romanisations one id links), as ordering every
    # row took as long as counting them.
    spellings: dict[str, set[str]] = defaultdict(set)
    for _, pid, _, _, low, high in found:
        spellings[str(pid)] |= {str(low), str(high)}
    names = {pid: min(names) for pid, names in spellings.items()}
    several = sorted(pid for pid, names in spellings.items() if len(names) > 1)
    if several:
        names.update((str(pid), str(name)) for pid, name in rows(
            once.format(only=f" AND m.member_id IN ({marks(len(several))})") + " SELECT member_id, name FROM ("
            "SELECT member_id, name, ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY day, doc_id, text_pk, ord) "
            "AS f FROM once) n WHERE f = 1",
            [*roles, *params, *several],
        ))  # fmt: skip
    by_period: dict[str, list[tuple[str, str, int, int]]] = defaultdict(list)
    for p, pid, n, total, _, _ in found:
        by_period[str(p)].append((str(pid), names[str(pid)], int(n), int(total)))
    out: list[Standing] = []
    for p in sorted(by_period):
        ranked = sorted(by_period[p], key=lambda r: (-r[2], r[3] / r[2], r[1]))
        for i, (pid, name, n, total) in enumerate(ranked[:top] if top else ranked, 1):
            out.append(Standing(p, pid, name, n, round(total / n, 2), i))
    return out


def network(
    rows: Rows, leader: str | None, start: date | None, end: date | None, wanted: Sequence[str],
    roles: Sequence[str] = DEFAULT_ROLES,
) -> list[dict[str, Any]]:
    """``elite.network`` of the activities ``activities(rows, leader, start, end, wanted)`` gives,
    counted by the database: each pair of people in the same activity (its members in ``roles`` and
    its leader; a story's copy of it each), heaviest first, each named where first seen (the
    activities in order; in one, its leader first, then its lists in the order of ``roles``)."""
    selected, params = _selected(leader, start, end, wanted, "m")
    rank = "CASE m.role " + " ".join(f"WHEN ? THEN {i}" for i in range(len(roles))) + " END"
    key = f"coalesce({_DAY.format(t='m')}, '')"
    # Each person of an activity with a list once, with where he is first seen in it: the leader
    # (-1), else his role's place in ``roles`` and his position in that list.
    people = f"""WITH listed AS MATERIALIZED (
        SELECT d.doc_pk, d.doc_id, m.text_pk, m.ord, {key} AS day, m.member_id AS pid, m.name, {rank} AS r, m.position,
               m.actor_id, m.actor
        FROM {CURRENT} JOIN activity_members m ON m.text_pk = d.text_pk
        WHERE m.role IN ({marks(len(roles))}) AND {selected}),
    people AS MATERIALIZED (
        SELECT doc_pk, doc_id, text_pk, ord, day, pid, name, r, position FROM listed
        UNION SELECT DISTINCT doc_pk, doc_id, text_pk, ord, day, actor_id, actor, -1, 0 FROM listed
        WHERE actor_id IS NOT NULL AND actor_id <> '')"""
    args = [*roles, *roles, *params]
    edges = rows(
        f"{people} SELECT a.pid, b.pid, count(*) FROM (SELECT DISTINCT doc_pk, text_pk, ord, pid FROM people) a "
        "JOIN (SELECT DISTINCT doc_pk, text_pk, ord, pid FROM people) b "
        "ON b.doc_pk = a.doc_pk AND b.text_pk = a.text_pk AND b.ord = a.ord AND a.pid < b.pid GROUP BY a.pid, b.pid",
        args,
    )
    names = {str(pid): str(name) for pid, name in rows(
        f"{people} SELECT pid, name FROM (SELECT pid, name, ROW_NUMBER() OVER (PARTITION BY pid "
        "ORDER BY day, doc_id, text_pk, ord, r, position) AS f FROM people) n WHERE f = 1",
        args,
    )}  # fmt: skip
    found = [(str(a), str(b), int(n)) for a, b, n in edges]
    return [
        {"source": a, "target": b, "source_name": names.get(a, a), "target_name": names.get(b, b), "weight": n}
        for a, b, n in sorted(found, key=lambda e: (-e[2], e[0], e[1]))
    ]


def co_appearances(rows: Rows, entity_id: str, top: int) -> list[tuple[str, str, int]]:
    """The people most often in the same leader activities as ``entity_id`` (an entourage member or
    the leader himself), with the number of those activities: (id, name, activities), most first,
    ties in the order they first appear; each named as in the last activity they share.

    Two queries: how many activities each person shares with the entity, then where first and last
    for those who can make the first ``top`` (ties included): a leader shares tens of thousands of
    activities with hundreds of people at 1M stories, and ordering them all took a second."""
    counts = {str(p): int(n) for p, n in rows(
        f"WITH {_SHARED.format(day=_DAY.format(t='t'), only='')} "
        "SELECT pid, count(*) FROM (SELECT DISTINCT doc_pk, ord, pid FROM people) s GROUP BY pid",
        [entity_id] * 4,
    )}  # fmt: skip
    if not counts or top <= 0:
        return []
    cut = sorted(counts.values(), reverse=True)[min(top, len(counts)) - 1]
    chosen = sorted(p for p, n in counts.items() if n >= cut)
    # The shared activities numbered once in the order they happened (n), then each chosen
    # person's first and last of them by aggregates: no sort per person.
    found = rows(
        f"""WITH {_SHARED.format(day=_DAY.format(t="t"), only=f" AND pid IN ({marks(len(chosen))})")},
        numbered AS MATERIALIZED (
            SELECT doc_pk, ord, ROW_NUMBER() OVER (ORDER BY dated, day, doc_id, text_pk, ord) AS n FROM acts),
        named AS MATERIALIZED (
            SELECT p.pid, p.name, p.pos, x.n FROM people p JOIN numbered x ON x.doc_pk = p.doc_pk AND x.ord = p.ord),
        ends AS (SELECT pid, min(n) AS f, max(n) AS l FROM named GROUP BY pid)
        SELECT m.pid, m.name, m.pos, m.n, e.f, e.l FROM named m JOIN ends e ON e.pid = m.pid AND m.n IN (e.f, e.l)""",
        [*[entity_id] * 4, *chosen],
    )
    first: dict[str, tuple[int, int]] = {}  # (the first shared activity's n, his first place in it)
    last: dict[str, tuple[int, str]] = {}  # (his last place in the last shared activity, his name there)
    for pid, name, pos, n, f, final in found:
        if n == f:
            first[pid] = (int(f), min(int(pos), first.get(pid, (0, int(pos)))[1]))
        if n == final and int(pos) >= last.get(pid, (-1, ""))[0]:
            last[pid] = (int(pos), str(name))
    names = {pid: name for pid, (_, name) in last.items()}
    order = sorted(chosen, key=lambda p: (-counts[p], first[p]))
    return [(p, names[p], counts[p]) for p in order[:top]]


# The activities an entity shares (``hit``: it is in the entourage or the leader) in the current
# versions (``acts``: one a story, translations left out as ``_SHOWN`` does), and their other
# people (``people``: the entourage, then the leader; ``{only}`` may keep some of them). The
# parameters: the entity four times, then those of ``{only}``. A leader's activities without an
# entourage give no one to appear with: only those with one are read (a tenth of Kim Jong Un's at
# 1M). The entity's own rows are left out before any is sorted.
_SHARED = """hit AS MATERIALIZED (
    SELECT text_pk, ord FROM activity_members WHERE member_id = ? AND role = 'entourage'
    UNION SELECT text_pk, ord FROM activity_members WHERE actor_id = ? AND role = 'entourage'),
acts AS MATERIALIZED (
    SELECT d.doc_pk, d.doc_id, t.text_pk, t.ord, coalesce(t.actor_id, '') AS actor_id,
           coalesce(t.actor, 'None') AS actor, CASE WHEN {day} IS NULL THEN 0 ELSE 1 END AS dated,
           coalesce({day}, '') AS day
    FROM hit h JOIN text_activities t ON t.text_pk = h.text_pk AND t.ord = h.ord
    JOIN documents d ON d.text_pk = t.text_pk JOIN articles a ON a.current_pk = d.doc_pk
    WHERE NOT EXISTS (SELECT 1 FROM activity_translations x WHERE x.text_pk = t.text_pk AND x.ord = t.ord)),
people AS MATERIALIZED (
    SELECT * FROM (
        SELECT x.doc_pk, x.doc_id, x.text_pk, x.ord, x.dated, x.day, m.member_id AS pid, m.name, m.position AS pos
        FROM acts x JOIN activity_members m ON m.text_pk = x.text_pk AND m.ord = x.ord AND m.role = 'entourage'
        WHERE m.member_id <> ?
        UNION ALL SELECT doc_pk, doc_id, text_pk, ord, dated, day, actor_id, actor, """ + str(_ACTOR_AFTER) + """
        FROM acts WHERE actor_id <> ?) u
    WHERE 1 = 1{only})"""
