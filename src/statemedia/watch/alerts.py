"""Watchlists and their alerts: saved searches and entity watchlists with rules, evaluated
after each crawl pass (``statemedia watch``) or on demand (``statemedia alerts check``).

A rule is a JSON object with a ``kind``:

* ``{"kind": "match", "query": Q, "person": P?, "outlet": O?}``: an article stored since the
  last check matches the search;
* ``{"kind": "removed", "person": P}``: P (entity id or name) was edited out of an article or
  was in one that was withdrawn;
* ``{"kind": "unseen", "person": P, "days": N}``: no article published within N days of today
  mentions P (once per last-seen date);
* ``{"kind": "activity", "activity": K, "leader": L?}``: a new leader activity of kind K.

An alert is raised once per watchlist and key (the table's unique constraint), so evaluating
again raises nothing twice. All SQL is the shared dialect (``?`` placeholders, timestamps as
ISO text compared as text) so it runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ..analytics._columns import stored_day
from ..errors import InputError, QueryError
from ..store import Query, Store

__all__ = [
    "ALERT_COLUMNS", "RULE_KINDS", "Alert", "Watchlist", "add_watchlist", "alert_from_row", "check_rule",
    "evaluate", "get_watchlist", "now_stamp", "recent_alerts", "remove_watchlist", "watchlists",
]

# Each kind's required and optional fields: anything else is a typo the analyst should hear about.
_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "match": (frozenset({"query"}), frozenset({"person", "outlet"})),
    "removed": (frozenset({"person"}), frozenset()),
    "unseen": (frozenset({"person", "days"}), frozenset()),
    "activity": (frozenset({"activity"}), frozenset({"leader"})),
}
RULE_KINDS = tuple(_FIELDS)
# Names travel in URLs (/watchlists/NAME.atom) and e-mail subjects: letters, digits, . _ -
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+")
# Matches read per search: matches come newest-stored first, so new articles are among the first.
_MATCH_CAP = 10_000
_ACTIVITY_PRODUCER = "activities"


def now_stamp() -> str:
    """The current time as the store writes it (UTC ISO, microseconds): comparable as text."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Watchlist:
    """A saved set of rules and where their alerts go."""

    name: str
    rules: list[dict[str, Any]]
    channels: dict[str, Any]
    created_at: str
    checked_at: str | None

    @property
    def webhook(self) -> str | None:
        url = self.channels.get("webhook")
        return str(url) if url else None

    @property
    def emails(self) -> list[str]:
        return [str(a) for a in self.channels.get("email") or ()]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "rules": self.rules, "channels": self.channels,
                "created_at": self.created_at, "checked_at": self.checked_at}


@dataclass(frozen=True)
class Alert:
    """One alert a watchlist's rule raised; ``delivered`` maps channel -> when it was sent."""

    watchlist: str
    rule: str
    key: str
    title: str
    payload: dict[str, Any]
    raised_at: str
    alert_pk: int | None = None
    delivered: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.alert_pk, "watchlist": self.watchlist, "rule": self.rule, "key": self.key,
                "title": self.title, "raised_at": self.raised_at, "payload": self.payload,
                "delivered": self.delivered}


# --- validation -----------------------------------------------------------------------------


def _text_field(rule: Mapping[str, Any], name: str, where: str) -> str:
    value = rule.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > 500:
        raise InputError(f"{name!r} must be a non-empty string of at most 500 characters", where=where)
    return value.strip()


def check_rule(rule: Any, where: str = "rule") -> dict[str, Any]:
    """The rule, normalised (strings stripped, optional fields dropped when empty); raises
    InputError naming the rule (``where``) and what is wrong with it."""
    if not isinstance(rule, Mapping):
        raise InputError(f"a rule is a JSON object, not {type(rule).__name__}", where=where)
    kind = rule.get("kind")
    if kind not in _FIELDS:
        raise InputError(f"unknown kind {kind!r}; kinds are {', '.join(RULE_KINDS)}", where=where)
    where = f"{where} ({kind})"
    required, optional = _FIELDS[kind]
    unknown = sorted(set(rule) - required - optional - {"kind"})
    if unknown:
        raise InputError(f"unknown field(s) {', '.join(unknown)}; a {kind} rule takes "
                         f"{', '.join(sorted(required | optional))}", where=where)
    clean: dict[str, Any] = {"kind": kind}
    for name in sorted(required - {"days"}):
        clean[name] = _text_field(rule, name, where)
    for name in sorted(optional):
        if rule.get(name) not in (None, ""):
            clean[name] = _text_field(rule, name, where)
    if kind == "unseen":
        days = rule.get("days")
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 36_500:
            raise InputError(f"'days' must be a whole number of days from 1 to 36500, not {days!r}", where=where)
        clean["days"] = days
    if kind == "activity":
        from ..extract.activity_model import KINDS  # the kinds the extractor logs

        if clean["activity"] not in KINDS:
            raise InputError(f"unknown activity kind {clean['activity']!r}; kinds are {', '.join(KINDS)}",
                             where=where)
    return clean


def _check_channels(webhook: str | None, emails: Sequence[str]) -> dict[str, Any]:
    channels: dict[str, Any] = {}
    if webhook:
        if not re.match(r"https?://[^\s/]+", webhook) or any(c.isspace() for c in webhook):
            raise InputError(f"webhook {webhook!r} is not an http:// or https:// URL", where="channels")
        channels["webhook"] = webhook
    for address in emails:
        if not _EMAIL.fullmatch(address):
            raise InputError(f"e-mail address {address!r} is not name@host", where="channels")
    if emails:
        channels["email"] = list(dict.fromkeys(emails))
    return channels


# --- watchlists -----------------------------------------------------------------------------


def _watchlist(row: Sequence[Any]) -> Watchlist:
    return Watchlist(str(row[0]), json.loads(row[1]), json.loads(row[2]), str(row[3]),
                     None if row[4] is None else str(row[4]))


_WATCHLIST_COLUMNS = "name, rules, channels, created_at, checked_at"


def watchlists(store: Store) -> list[Watchlist]:
    """Every watchlist, by name."""
    return [_watchlist(r) for r in store.query(f"SELECT {_WATCHLIST_COLUMNS} FROM watchlists ORDER BY name")]


def get_watchlist(store: Store, name: str) -> Watchlist | None:
    rows = store.query(f"SELECT {_WATCHLIST_COLUMNS} FROM watchlists WHERE name = ?", (name,))
    return _watchlist(rows[0]) if rows else None


def add_watchlist(
    store: Store, name: str, rules: Iterable[Any], *, webhook: str | None = None, emails: Sequence[str] = (),
    now: str | None = None,
) -> Watchlist:
    """Create a watchlist; raises InputError for a bad name, rule or channel, or a taken name.
    Its first check looks at what was stored after it was created."""
    if not _NAME.fullmatch(name):
        raise InputError("a watchlist name is 1-64 letters, digits, '.', '_' or '-', starting with a letter "
                         "or digit", where=f"watchlist {name!r}")
    checked = [check_rule(rule, f"rule {i}") for i, rule in enumerate(rules, 1)]
    if not checked:
        raise InputError("a watchlist needs at least one rule", where=f"watchlist {name!r}")
    for i, rule in enumerate(checked, 1):
        if rule["kind"] == "match":
            try:  # a query FTS cannot parse is refused now, not at every pass
                store.matches(Query(text=rule["query"]), 1)
            except QueryError as exc:
                raise InputError(f"bad query {rule['query']!r}: {exc.reason}", where=f"rule {i} (match)") from None
    channels = _check_channels(webhook, emails)
    if get_watchlist(store, name) is not None:
        raise InputError("a watchlist of that name exists: remove it first", where=f"watchlist {name!r}")
    stamp = now or now_stamp()
    with store.transaction() as w:
        w.sql("INSERT INTO watchlists (name, rules, channels, created_at, checked_at) VALUES (?, ?, ?, ?, NULL)",
              (name, json.dumps(checked, ensure_ascii=False), json.dumps(channels, ensure_ascii=False), stamp))
    return Watchlist(name, checked, channels, stamp, None)


def remove_watchlist(store: Store, name: str) -> bool:
    """Delete a watchlist and its alerts; False if there was none of that name."""
    if get_watchlist(store, name) is None:
        return False
    with store.transaction() as w:
        w.sql("DELETE FROM alerts WHERE watchlist = ?", (name,))
        w.sql("DELETE FROM watchlists WHERE name = ?", (name,))
    return True


def alert_from_row(row: Sequence[Any]) -> Alert:
    return Alert(watchlist=str(row[1]), rule=str(row[3]), key=str(row[4]), title=str(row[5]),
                 payload=json.loads(row[6]), raised_at=str(row[2]), alert_pk=int(row[0]),
                 delivered=json.loads(row[7]))


ALERT_COLUMNS = "alert_pk, watchlist, raised_at, rule, key, title, payload, delivered"


def recent_alerts(store: Store, name: str | None = None, limit: int = 50) -> list[Alert]:
    """The newest alerts, of one watchlist or of all, newest first."""
    where, params = ("WHERE watchlist = ? ", [name]) if name is not None else ("", [])
    rows = store.query(f"SELECT {ALERT_COLUMNS} FROM alerts {where}ORDER BY alert_pk DESC LIMIT ?", (*params, limit))
    return [alert_from_row(r) for r in rows]


# --- evaluation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    rule: str
    key: str
    title: str
    payload: dict[str, Any]


def _new_documents(store: Store, since: str, until: str) -> list[Sequence[Any]]:
    # Current versions first stored in the window: new articles and new versions (keys dedupe those).
    return store.query(
        "SELECT d.doc_id, d.title, d.outlet, d.published, d.first_seen FROM articles a "
        "JOIN documents d ON d.doc_pk = a.current_pk WHERE d.first_seen > ? AND d.first_seen <= ? "
        "ORDER BY d.doc_pk", (since, until))


def _document(row: Sequence[Any]) -> dict[str, Any]:
    day = stored_day(row[3])
    return {"doc_id": row[0], "title": row[1], "outlet": row[2], "published": day.isoformat() if day else None,
            "stored_at": str(row[4])}


def _match(store: Store, rule: Mapping[str, Any], new: list[Sequence[Any]]) -> list[_Found]:
    if not new:
        return []
    query = Query(text=rule["query"], person=rule.get("person"), outlet=rule.get("outlet"))
    hits = set(store.matches(query, _MATCH_CAP))
    return [
        _Found("match", f"match:{row[0]}", f"New article matching {rule['query']}: {row[1] or row[0]}",
               {**_document(row), "query": rule["query"]})
        for row in new if row[0] in hits
    ]


def _activity(store: Store, rule: Mapping[str, Any], since: str, until: str) -> list[_Found]:
    from ..analytics.activities import activities, select

    rows = store.query(
        "SELECT d.doc_id, d.title, d.outlet, d.published, d.first_seen, n.attrs FROM articles a "
        "JOIN documents d ON d.doc_pk = a.current_pk JOIN annotations n ON n.text_pk = d.text_pk "
        "WHERE d.first_seen > ? AND d.first_seen <= ? AND n.label = 'event' AND n.producer = ? "
        "ORDER BY d.doc_pk", (since, until, _ACTIVITY_PRODUCER))
    found: list[_Found] = []
    for row in rows:
        attrs = json.loads(row[5]) if isinstance(row[5], str) else row[5]  # PostgreSQL decodes json itself
        doc = _document(row)
        # The activity read model's own records and filter (leader by name or id, any case).
        item = {"document": {"id": row[0], "title": row[1], "date": doc["published"]},
                "annotations": [{"label": "event", "producer": _ACTIVITY_PRODUCER, "attrs": attrs}]}
        for act in select(activities([item]), leader=rule.get("leader"), kinds=[rule["activity"]]):
            key = f"activity:{act.doc_id}:{act.kind}:{act.actor_id or act.actor}:{act.target or ''}"
            title = f"{act.actor}: {act.kind.replace('_', ' ')}" + (f" at {act.target}" if act.target else "")
            found.append(_Found("activity", key, f"{title} ({row[1] or row[0]})", {**doc, "activity": act.to_dict()}))
    return found


def _is_person(person: str, entity_id: str, name: str) -> bool:
    want = person.casefold()
    return want in (entity_id.casefold(), name.casefold())


def _removed(store: Store, rule: Mapping[str, Any], since: str, until: str) -> list[_Found]:
    from ..analytics.changes import removals

    found: list[_Found] = []
    for r in removals(store, since=since):
        if r.at > until or not _is_person(rule["person"], r.entity.id, r.entity.name):
            continue
        day = r.day.isoformat() if r.day else None
        key = f"removed:{r.entity.id}:{r.doc_id}:{r.how}"
        verb = "edited out of" if r.how == "edited" else "in a withdrawn article:"
        found.append(_Found("removed", key, f"{r.entity.name} {verb} {r.title or r.doc_id}",
                            {"doc_id": r.doc_id, "title": r.title, "how": r.how, "day": day, "recorded_at": r.at,
                             "entity": {"id": r.entity.id, "name": r.entity.name, "type": r.entity.type}}))
    return found


def _unseen(store: Store, rule: Mapping[str, Any], today: date) -> list[_Found]:
    person, days = rule["person"], int(rule["days"])
    rows = store.query(
        "SELECT max(d.published) FROM articles a JOIN documents d ON d.doc_pk = a.current_pk "
        "JOIN text_entities e ON e.text_pk = d.text_pk "
        "WHERE e.type = 'PERSON' AND (e.entity_id = ? OR lower(e.name) = lower(?))", (person, person))
    last = stored_day(rows[0][0]) if rows else None
    if last is not None and (today - last).days <= days:
        return []
    since = f"last mentioned in an article of {last.isoformat()}" if last else "not mentioned in any article"
    return [_Found("unseen", f"unseen:{person.casefold()}:{last.isoformat() if last else 'never'}",
                   f"{person} unseen for over {days} days ({since})",
                   {"person": person, "days": days, "last_seen": last.isoformat() if last else None,
                    "today": today.isoformat()})]


def _findings(store: Store, wl: Watchlist, until: str, today: date) -> list[_Found]:
    since = wl.checked_at or wl.created_at
    new: list[Sequence[Any]] | None = None
    found: list[_Found] = []
    for rule in wl.rules:
        kind = rule["kind"]
        if kind == "match":
            new = new if new is not None else _new_documents(store, since, until)
            found += _match(store, rule, new)
        elif kind == "activity":
            found += _activity(store, rule, since, until)
        elif kind == "removed":
            found += _removed(store, rule, since, until)
        elif kind == "unseen":
            found += _unseen(store, rule, today)
    return found


def evaluate(store: Store, *, now: str | None = None, today: date | None = None) -> list[Alert]:
    """Evaluate every watchlist over what changed since its last check (up to ``now``), insert
    the alerts not raised before, advance each check time; the new alerts, in order."""
    until = now or now_stamp()
    day = today or date.fromisoformat(until[:10])
    raised: list[Alert] = []
    for wl in watchlists(store):
        found = _findings(store, wl, until, day)
        with store.transaction() as w:
            for f in found:
                payload = json.dumps(f.payload, ensure_ascii=False, default=str)
                # ON CONFLICT, not a read first: a crawl pass and `alerts check` may evaluate at once.
                rows = w.sql(
                    "INSERT INTO alerts (watchlist, raised_at, rule, key, title, payload, delivered) "
                    "VALUES (?, ?, ?, ?, ?, ?, '{}') ON CONFLICT (watchlist, key) DO NOTHING RETURNING alert_pk",
                    (wl.name, until, f.rule, f.key, f.title, payload))
                if rows:
                    raised.append(Alert(wl.name, f.rule, f.key, f.title, f.payload, until, int(rows[0][0])))
            if wl.checked_at is None or wl.checked_at < until:
                w.sql("UPDATE watchlists SET checked_at = ? WHERE name = ?", (until, wl.name))
    return raised
