"""Where alerts go: an Atom feed per watchlist (always there), a JSON webhook and an e-mail
digest (each optional), and the one call the crawler makes after a pass (:func:`run_alerts`).

Each alert records per channel when it was delivered (``alerts.delivered``: ``{"webhook": ts,
"email": ts}``); a failed channel records ``<channel>_error`` instead and is tried again at
the next delivery. Delivery never raises: a dead webhook must not stop the crawl.
"""

from __future__ import annotations

import json
import smtplib
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from urllib.parse import quote

import httpx

from ..store import Store
from .alerts import ALERT_COLUMNS, Alert, Watchlist, alert_from_row, evaluate, now_stamp, watchlists
from .options import AlertOptions

__all__ = ["AlertRun", "Delivery", "atom_feed", "deliver", "digest", "run_alerts"]

_NS = "http://www.w3.org/2005/Atom"
# Undelivered alerts sent per watchlist and channel at once: a webhook down for weeks sends
# its backlog in parts, not one giant request.
_BATCH = 500
CHANNELS = ("webhook", "email")


@dataclass
class Delivery:
    """Messages sent (a webhook POST or an e-mail digest, each carrying many alerts) and failed."""

    delivered: int = 0
    failed: int = 0
    errors: list[str] | None = None


@dataclass(frozen=True)
class AlertRun:
    """What one evaluation and delivery did: alerts raised, messages delivered and failed."""

    raised: int
    delivered: int
    failed: int
    errors: tuple[str, ...] = ()
    alerts: tuple[Alert, ...] = ()  # the new alerts, in the order raised


def atom_feed(name: str, alerts: Sequence[Alert], *, self_url: str, base_url: str = "") -> bytes:
    """An Atom 1.0 feed of a watchlist's alerts, newest first; entries link to their article
    (relative to ``base_url``). ElementTree escapes every text and attribute value."""
    ET.register_namespace("", _NS)
    feed = ET.Element(f"{{{_NS}}}feed")
    ordered = sorted(alerts, key=lambda a: (a.raised_at, a.alert_pk or 0), reverse=True)
    ET.SubElement(feed, f"{{{_NS}}}title").text = f"statemedia watchlist: {name}"
    ET.SubElement(feed, f"{{{_NS}}}id").text = f"urn:statemedia:watchlist:{quote(name, safe='')}"
    ET.SubElement(feed, f"{{{_NS}}}updated").text = ordered[0].raised_at if ordered else "1970-01-01T00:00:00+00:00"
    ET.SubElement(feed, f"{{{_NS}}}link", {"rel": "self", "href": self_url})
    ET.SubElement(ET.SubElement(feed, f"{{{_NS}}}author"), f"{{{_NS}}}name").text = "statemedia"
    for alert in ordered:
        entry = ET.SubElement(feed, f"{{{_NS}}}entry")
        ET.SubElement(entry, f"{{{_NS}}}title").text = alert.title
        ET.SubElement(entry, f"{{{_NS}}}id").text = (
            f"urn:statemedia:alert:{quote(name, safe='')}:{quote(alert.key, safe='')}")
        ET.SubElement(entry, f"{{{_NS}}}updated").text = alert.raised_at
        doc_id = alert.payload.get("doc_id")
        if doc_id:
            url = f"{base_url.rstrip('/')}/articles/{quote(str(doc_id), safe='')}"
            ET.SubElement(entry, f"{{{_NS}}}link", {"rel": "alternate", "href": url})
        ET.SubElement(entry, f"{{{_NS}}}summary").text = json.dumps(alert.payload, ensure_ascii=False, default=str)
        ET.SubElement(entry, f"{{{_NS}}}category", {"term": alert.rule})
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


def digest(options: AlertOptions, wl: Watchlist, alerts: Sequence[Alert]) -> EmailMessage:
    """The e-mail digest of a watchlist's alerts: one line per alert, the article id under it."""
    msg = EmailMessage()
    msg["From"] = options.smtp_from
    msg["To"] = ", ".join(wl.emails)
    msg["Subject"] = f"statemedia: {len(alerts)} alert{'s' if len(alerts) != 1 else ''} on watchlist {wl.name}"
    lines = [f"Watchlist {wl.name}: {len(alerts)} new alert(s).", ""]
    for alert in alerts:
        lines.append(f"* {alert.title}")
        if alert.payload.get("doc_id"):
            lines.append(f"  article {alert.payload['doc_id']} ({alert.rule}, raised {alert.raised_at[:19]})")
    msg.set_content("\n".join(lines) + "\n")
    return msg


def _post(url: str, wl: Watchlist, alerts: Sequence[Alert], options: AlertOptions, stamp: str) -> str | None:
    """POST the alerts as one JSON body; the error (None on a 2xx)."""
    body = {"watchlist": wl.name, "sent_at": stamp, "alerts": [a.to_dict() for a in alerts]}
    try:
        response = httpx.post(url, json=body, timeout=options.webhook_timeout, follow_redirects=False)
    except Exception as exc:  # any failure (DNS, refused, bad URL, timeout) waits for the next pass
        return f"{type(exc).__name__}: {exc}"
    if not 200 <= response.status_code < 300:
        return f"HTTP {response.status_code}"
    return None


def _mail(wl: Watchlist, alerts: Sequence[Alert], options: AlertOptions) -> str | None:
    """Send the digest; the error (None when the server took it)."""
    try:
        with smtplib.SMTP(options.smtp_host, options.smtp_port, timeout=options.webhook_timeout) as smtp:
            if options.smtp_starttls:
                smtp.starttls()
            smtp.send_message(digest(options, wl, alerts))
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _pending(store: Store, wl: Watchlist, channel: str, only: set[int] | None) -> list[Alert]:
    # LIKE narrows the read to alerts this channel has not delivered ('"webhook": "' is the JSON
    # of a delivery time; '"webhook_error"' does not match it); the check in Python is the rule.
    rows = store.query(
        f"SELECT {ALERT_COLUMNS} FROM alerts WHERE watchlist = ? AND delivered NOT LIKE ? ORDER BY alert_pk LIMIT ?",
        (wl.name, f'%"{channel}": "%', _BATCH))
    pending = [alert_from_row(r) for r in rows]
    return [a for a in pending if channel not in a.delivered and (only is None or a.alert_pk in only)]


def deliver(
    store: Store, options: AlertOptions, *, alerts: Sequence[Alert] | None = None, now: str | None = None
) -> Delivery:
    """Send each watchlist's undelivered alerts (or only ``alerts``) on its channels and record
    when; failures are recorded and retried next time, never raised. E-mail is off while
    [alerts] smtp_host is empty."""
    only = None if alerts is None else {a.alert_pk for a in alerts if a.alert_pk is not None}
    result = Delivery(errors=[])
    for wl in watchlists(store):
        updates: dict[int, dict[str, object]] = {}
        on = {"webhook": bool(wl.webhook), "email": bool(wl.emails and options.smtp_host)}
        for channel in CHANNELS:
            if not on[channel]:
                continue
            pending = _pending(store, wl, channel, only)
            if not pending:
                continue
            stamp = now or now_stamp()
            error = _post(wl.webhook or "", wl, pending, options, stamp) if channel == "webhook" \
                else _mail(wl, pending, options)
            for alert in pending:
                assert alert.alert_pk is not None
                record = updates.setdefault(alert.alert_pk, dict(alert.delivered))
                if error is None:
                    record[channel] = stamp
                    record.pop(f"{channel}_error", None)
                else:
                    record[f"{channel}_error"] = f"{stamp} {error}"
            if error is None:
                result.delivered += 1
            else:
                result.failed += 1
                assert result.errors is not None
                result.errors.append(f"watchlist {wl.name}: {channel}: {error}")
        if updates:
            with store.transaction() as w:
                for pk, record in updates.items():
                    w.sql("UPDATE alerts SET delivered = ? WHERE alert_pk = ?",
                          (json.dumps(record, ensure_ascii=False), pk))
    return result


def run_alerts(
    store: Store, options: AlertOptions, *, now: str | None = None, today: date | None = None
) -> AlertRun:
    """Evaluate every watchlist, then deliver what is undelivered (new alerts and earlier
    failures): what the crawler calls after each pass."""
    raised = evaluate(store, now=now, today=today)
    sent = deliver(store, options, now=now)
    return AlertRun(len(raised), sent.delivered, sent.failed, tuple(sent.errors or ()), tuple(raised))
