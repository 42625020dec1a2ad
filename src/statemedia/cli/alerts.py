"""``statemedia alerts``: watchlists (saved searches, watched people, leader activities) and
their alerts: add, list, show, remove, check now, and each watchlist's Atom feed."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from ..errors import StatemediaError
from ..watch import alerts as model
from ..watch.deliver import atom_feed, run_alerts
from ..watch.options import alert_options
from . import app
from ._common import EXIT_PARTIAL, err, fail, out, parse_day
from ._db import DbOption, open_db

alerts_app = typer.Typer(
    name="alerts", help="Watchlists and their alerts: add, list, show, remove, check, feed.", no_args_is_help=True
)
app.add_typer(alerts_app, name="alerts")

Name = Annotated[str, typer.Argument(metavar="NAME", help="watchlist name (letters, digits, . _ -)")]


def _rule_text(rule: dict[str, Any]) -> str:
    """A rule in one line, as the options that make it."""
    kind = rule["kind"]
    if kind == "match":
        extra = "".join(f" --{k} {rule[k]!r}" for k in ("person", "outlet") if rule.get(k))
        return f"match {rule['query']!r}{extra}"
    if kind == "unseen":
        return f"unseen {rule['person']!r} for over {rule['days']} days"
    if kind == "activity":
        return f"activity {rule['activity']}" + (f" by {rule['leader']!r}" if rule.get("leader") else "")
    return f"{kind} {rule.get('person')!r}"


def _rules(
    match: list[str], person: str | None, outlet: str | None, removed: list[str], unseen: list[str],
    days: int | None, activity: list[str], leader: str | None, raw: list[str],
) -> list[Any]:
    if (person or outlet) and not match:
        fail("--person and --outlet narrow a --match rule: give --match too")
    if unseen and days is None:
        fail("--unseen needs --days N (how long without a mention raises the alert)")
    if days is not None and not unseen:
        fail("--days goes with --unseen PERSON")
    if leader and not activity:
        fail("--leader narrows an --activity rule: give --activity too")
    rules: list[Any] = [{"kind": "match", "query": q, "person": person, "outlet": outlet} for q in match]
    rules += [{"kind": "removed", "person": p} for p in removed]
    rules += [{"kind": "unseen", "person": p, "days": days} for p in unseen]
    rules += [{"kind": "activity", "activity": k, "leader": leader} for k in activity]
    for i, text in enumerate(raw, 1):
        try:
            rules.append(json.loads(text))
        except json.JSONDecodeError as exc:
            fail(f"--rule {i} is not JSON: {exc}")
    if not rules:
        fail("give at least one rule: --match Q, --removed PERSON, --unseen PERSON --days N, --activity KIND or --rule")
    return rules


@alerts_app.command("add")
def add(
    name: Name,
    match: Annotated[list[str], typer.Option("--match", help="alert on new articles matching this search")] = [],  # noqa: B006
    person: Annotated[str | None, typer.Option(help="--match: only articles naming this person (id or name)")] = None,
    outlet: Annotated[str | None, typer.Option(help="--match: only articles of this outlet")] = None,
    removed: Annotated[
        list[str], typer.Option("--removed", help="alert when this person is edited out of an article or withdrawn")
    ] = [],  # noqa: B006
    unseen: Annotated[list[str], typer.Option("--unseen", help="alert when no article mentions this person...")] = [],  # noqa: B006
    days: Annotated[int | None, typer.Option(help="...published within this many days (with --unseen)")] = None,
    activity: Annotated[
        list[str], typer.Option("--activity", help="alert on a new leader activity of this kind (field_guidance, ...)")
    ] = [],  # noqa: B006
    leader: Annotated[str | None, typer.Option(help="--activity: only this leader's (id or name)")] = None,
    rule: Annotated[list[str], typer.Option("--rule", help='a rule as JSON: {"kind": "match", "query": ...}')] = [],  # noqa: B006
    webhook: Annotated[str | None, typer.Option(help="POST each pass's alerts as JSON to this URL")] = None,
    email: Annotated[list[str], typer.Option("--email", help="send an e-mail digest to this address")] = [],  # noqa: B006
    db: DbOption = None,
) -> None:
    """Create a watchlist with one or more rules. Exit status: 0 created; 2 a bad rule, channel or name."""
    rules = _rules(match, person, outlet, removed, unseen, days, activity, leader, rule)
    store = open_db(db)
    try:
        wl = model.add_watchlist(store, name, rules, webhook=webhook, emails=email)
    except StatemediaError as exc:
        fail(exc)
    finally:
        store.close()
    out.print(f"watchlist {wl.name}: {len(wl.rules)} rule(s)", markup=False)
    for r in wl.rules:
        out.print(f"  {_rule_text(r)}", markup=False)


@alerts_app.command("list")
def list_(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the watchlists as JSON")] = False,
) -> None:
    """List the watchlists. Exit status: 0 some; 1 none."""
    store = open_db(db, read_only=True)
    try:
        found = model.watchlists(store)
    finally:
        store.close()
    if as_json:
        out.print(json.dumps([w.to_dict() for w in found], ensure_ascii=False, indent=1), markup=False)
    for wl in [] if as_json else found:
        channels = ", ".join([*(["webhook"] if wl.webhook else []), *wl.emails]) or "feed only"
        out.print(f"{wl.name}  {'; '.join(_rule_text(r) for r in wl.rules)}  [{channels}]  "
                  f"checked {wl.checked_at[:19] if wl.checked_at else 'never'}", markup=False)
    if not found:
        err.print("no watchlists: add one with `statemedia alerts add`", markup=False)
        raise typer.Exit(EXIT_PARTIAL)


@alerts_app.command("show")
def show(
    name: Name,
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="recent alerts listed")] = 20,
) -> None:
    """A watchlist's rules, channels and recent alerts. Exit status: 0 ok; 2 no such watchlist."""
    store = open_db(db, read_only=True)
    try:
        wl = model.get_watchlist(store, name)
        if wl is None:
            fail(f"no watchlist named {name!r}")
        recent = model.recent_alerts(store, name, limit)
    finally:
        store.close()
    out.print(f"watchlist {wl.name} (created {wl.created_at[:19]}, checked "
              f"{wl.checked_at[:19] if wl.checked_at else 'never'})", markup=False)
    for r in wl.rules:
        out.print(f"  rule: {_rule_text(r)}", markup=False)
    out.print(f"  webhook: {wl.webhook or '-'}", markup=False)
    out.print(f"  e-mail: {', '.join(wl.emails) or '-'}", markup=False)
    out.print(f"recent alerts: {len(recent)}", markup=False)
    for a in recent:
        sent = ", ".join(k for k in a.delivered if not k.endswith("_error")) or "-"
        out.print(f"  {a.raised_at[:19]}  {a.rule:8s}  {a.title}  (delivered: {sent})", markup=False)


@alerts_app.command("remove")
def remove(name: Name, db: DbOption = None) -> None:
    """Delete a watchlist and its alerts. Exit status: 0 removed; 2 no such watchlist."""
    store = open_db(db, read_only=True)
    try:
        gone = model.remove_watchlist(store, name)
    finally:
        store.close()
    if not gone:
        fail(f"no watchlist named {name!r}")
    out.print(f"removed watchlist {name}", markup=False)


@alerts_app.command("check")
def check(
    db: DbOption = None,
    today: Annotated[str | None, typer.Option(help="the day 'unseen' rules count back from [default: today]")] = None,
) -> None:
    """Evaluate every watchlist now and deliver what is undelivered; print the new alerts.
    Exit status: 0 alerts raised and delivery went through; 1 nothing new, or a delivery failed."""
    day = parse_day(today, "--today")
    store = open_db(db, read_only=True)
    try:
        run = run_alerts(store, alert_options(), today=day)
    except StatemediaError as exc:
        fail(exc)
    finally:
        store.close()
    for a in run.alerts:
        out.print(f"{a.watchlist}  {a.rule}  {a.title}", markup=False)
    err.print(f"raised {run.raised} alert(s); delivered {run.delivered} message(s), {run.failed} failed", markup=False)
    for line in run.errors:
        err.print(f"  {line}", markup=False)
    if not run.raised or run.failed:
        raise typer.Exit(EXIT_PARTIAL)


@alerts_app.command("feed")
def feed(
    name: Name,
    db: DbOption = None,
    base_url: Annotated[str, typer.Option(help="the workbench's address, for links to articles")] = "",
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="alerts in the feed")] = 100,
) -> None:
    """Print a watchlist's Atom feed. Exit status: 0 ok; 2 no such watchlist."""
    store = open_db(db, read_only=True)
    try:
        if model.get_watchlist(store, name) is None:
            fail(f"no watchlist named {name!r}")
        recent = model.recent_alerts(store, name, limit)
    finally:
        store.close()
    self_url = f"{base_url.rstrip('/')}/watchlists/{name}.atom"
    out.print(atom_feed(name, recent, self_url=self_url, base_url=base_url).decode("utf-8"), markup=False)
