"""Watchlists and alerts: each rule kind over a small store (on each store), delivery to a
webhook and an SMTP server on 127.0.0.1, the Atom feed, `statemedia alerts`, and the web page,
feed and API."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from alert_sinks import Inbox
from statemedia.cli import alerts as alerts_cli  # noqa: F401  (registers `statemedia alerts`)
from statemedia.cli import app
from statemedia.errors import InputError
from statemedia.model import Annotation, Document
from statemedia.store import Store, open_store
from statemedia.watch.alerts import add_watchlist, evaluate, get_watchlist, recent_alerts, remove_watchlist
from statemedia.watch.deliver import atom_feed, deliver, run_alerts
from statemedia.watch.options import AlertOptions
from statemedia.web.app import create_app
from store_fixtures import STORES, make_store, named_doc

JANG = ("person:jang-song-thaek", "Jang Song Thaek", "PERSON")
KIM = ("person:kim-jong-un", "Kim Jong Un", "PERSON")
CHOE = ("person:choe-ryong-hae", "Choe Ryong Hae", "PERSON")
T0 = "2026-01-01T00:00:00.000000+00:00"  # watchlists created
T1 = "2026-01-02T00:00:00.000000+00:00"  # first batch stored
C1 = "2026-01-02T12:00:00.000000+00:00"  # first check
T2 = "2026-01-03T00:00:00.000000+00:00"  # second batch stored
C2 = "2026-01-03T12:00:00.000000+00:00"  # second check
NO_MAIL = AlertOptions(smtp_host="", smtp_port=25, smtp_from="statemedia@test", smtp_starttls=False,
                       webhook_timeout=5.0)


def _activity(kind: str, actor: tuple[str, str, str], target: str, day: str) -> dict[str, Any]:
    """The attrs of an activity as extract/activities.py writes them."""
    return {"kind": kind, "direction": None, "item": None, "actor": actor[1], "actor_id": actor[0], "date": day,
            "date_precision": "day", "date_source": "dateline", "summary": f"gave field guidance to {target}",
            "place": None, "target": target, "stops": [], "entourage": [], "present": [], "hosts": [],
            "domain": "economic", "score": 0.9, "evidence": {"start": 0, "end": 10}}


def _doc(doc_id: str, names: list[tuple[str, str, str]], *, words: str = "attended the meeting",
         published: date = date(2026, 1, 1), title: str | None = None,
         events: list[dict[str, Any]] = ()) -> Document:  # type: ignore[assignment]
    activities = [Annotation(0, 10, "event", attrs, producer="activities") for attrs in events]
    return named_doc(doc_id, names, words=words, published=published, title=title, extra=activities)


def _put(store: Store, doc: Document, seen: str) -> None:
    with store.transaction() as w:
        put = w.put(doc, pipeline_version="test")
        w.sql("UPDATE documents SET first_seen = ? WHERE doc_id = ? AND version = ?", (seen, doc.id, put.version))


def _keys(alerts: list[Any]) -> list[tuple[str, str]]:
    return sorted((a.watchlist, a.key) for a in alerts)


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = make_store(request.param, tmp_path)
    yield s
    s.close()


def test_match_rule_raises_new_matching_articles_once(store: Store) -> None:
    _put(store, _doc("old", [KIM], words="inspected the fertilizer factory"), "2025-12-01T00:00:00+00:00")
    add_watchlist(store, "fert", [{"kind": "match", "query": "fertilizer"}], now=T0)
    add_watchlist(store, "fert-kim", [{"kind": "match", "query": "fertilizer", "person": "Kim Jong Un"}], now=T0)
    _put(store, _doc("a1", [KIM], words="inspected the fertilizer factory"), T1)
    _put(store, _doc("a2", [CHOE], words="spoke of fertilizer"), T1)
    _put(store, _doc("a3", [KIM], words="watched a concert"), T1)
    raised = evaluate(store, now=C1)
    assert _keys(raised) == [("fert", "match:a1"), ("fert", "match:a2"), ("fert-kim", "match:a1")]
    a1 = next(a for a in raised if a.watchlist == "fert-kim")
    assert a1.payload["doc_id"] == "a1" and a1.payload["published"] == "2026-01-01" and "Story a1" in a1.title
    assert evaluate(store, now=C1) == []
    # A new version of a1 (stored after the check) is no new alert; a new article is.
    _put(store, _doc("a1", [KIM, CHOE], words="inspected the fertilizer factory"), T2)
    _put(store, _doc("a4", [CHOE], words="fertilizer"), T2)
    assert _keys(evaluate(store, now=C2)) == [("fert", "match:a4")]
    wl = get_watchlist(store, "fert")
    assert wl is not None and wl.checked_at == C2


def test_removed_rule_after_an_edit_and_a_withdrawal(store: Store) -> None:
    _put(store, _doc("k1", [KIM, JANG]), "2025-12-01T00:00:00+00:00")
    _put(store, _doc("k2", [JANG]), "2025-12-01T00:00:00+00:00")
    add_watchlist(store, "purge", [{"kind": "removed", "person": "jang song thaek"}], now=T0)
    add_watchlist(store, "choe", [{"kind": "removed", "person": CHOE[0]}], now=T0)
    assert evaluate(store, now=C1) == []
    _put(store, _doc("k1", [KIM]), T2)  # Jang edited out of k1
    with store.transaction() as w:
        w.sql("INSERT INTO withdrawals (url, doc_id, withdrawn_on, noticed_at, restored_on) VALUES (?, ?, ?, ?, NULL)",
              ("http://kcna.kp/k2", "k2", "2026-01-03", T2))
    raised = evaluate(store, now=C2)
    assert sorted((a.watchlist, a.payload["doc_id"], a.payload["how"]) for a in raised) == [
        ("purge", "k1", "edited"), ("purge", "k2", "withdrawn")]
    assert all(a.payload["entity"]["id"] == JANG[0] for a in raised)
    assert any(a.title == "Jang Song Thaek edited out of Story k1" for a in raised)
    assert evaluate(store, now=C2) == [] and evaluate(store, now="2026-01-04T00:00:00+00:00") == []


def test_unseen_rule_once_per_last_seen_date(store: Store) -> None:
    _put(store, _doc("c1", [CHOE], published=date(2026, 1, 1)), "2025-12-01T00:00:00+00:00")
    _put(store, _doc("c0", [CHOE], published=date(2025, 11, 1)), "2025-12-01T00:00:00+00:00")
    add_watchlist(store, "choe", [{"kind": "unseen", "person": "Choe Ryong Hae", "days": 10}], now=T0)
    add_watchlist(store, "ghost", [{"kind": "unseen", "person": "person:nobody", "days": 10}], now=T0)
    assert _keys(evaluate(store, now=C1, today=date(2026, 1, 11))) == [("ghost", "unseen:person:nobody:never")]
    raised = evaluate(store, now=C1, today=date(2026, 1, 12))
    assert _keys(raised) == [("choe", "unseen:choe ryong hae:2026-01-01")]
    assert raised[0].payload["last_seen"] == "2026-01-01"
    assert evaluate(store, now=C2, today=date(2026, 1, 20)) == []
    # Seen again, then gone again: a new alert for the new last-seen date.
    _put(store, _doc("c2", [CHOE], published=date(2026, 1, 25)), T2)
    assert evaluate(store, now=C2, today=date(2026, 1, 30)) == []
    assert _keys(evaluate(store, now=C2, today=date(2026, 2, 10))) == [("choe", "unseen:choe ryong hae:2026-01-25")]


def test_activity_rule_raises_new_activities_of_the_kind(store: Store) -> None:
    fg = _activity("field_guidance", KIM, "the Pyongyang Fertilizer Factory", "2026-01-01")
    _put(store, _doc("old", [KIM], events=[fg]), "2025-12-01T00:00:00+00:00")
    add_watchlist(store, "fg", [{"kind": "activity", "activity": "field_guidance"}], now=T0)
    add_watchlist(store, "fg-choe", [{"kind": "activity", "activity": "field_guidance", "leader": "Choe Ryong Hae"}],
                  now=T0)
    add_watchlist(store, "insp", [{"kind": "activity", "activity": "inspection", "leader": KIM[0]}], now=T0)
    two = [fg, _activity("field_guidance", KIM, "a farm", "2026-01-01")]
    _put(store, _doc("e1", [KIM], events=two), T1)
    _put(store, _doc("e2", [KIM], events=[_activity("inspection", KIM, "a unit", "2026-01-02")]), T1)
    _put(store, _doc("e3", [KIM], events=[_activity("performance", KIM, "a concert", "2026-01-02")]), T1)
    raised = evaluate(store, now=C1)
    assert _keys(raised) == [
        ("fg", "activity:e1:field_guidance:person:kim-jong-un:a farm"),
        ("fg", "activity:e1:field_guidance:person:kim-jong-un:the Pyongyang Fertilizer Factory"),
        ("insp", "activity:e2:inspection:person:kim-jong-un:a unit"),
    ]
    insp = next(a for a in raised if a.watchlist == "insp")
    assert insp.payload["activity"]["kind"] == "inspection" and insp.title.startswith("Kim Jong Un: inspection at")
    assert evaluate(store, now=C2) == []


@pytest.mark.parametrize(("rule", "reason"), [
    ({"kind": "shout"}, "unknown kind 'shout'"),
    ({"kind": "match"}, "'query' must be a non-empty string"),
    ({"kind": "match", "query": "x", "persn": "y"}, "unknown field(s) persn"),
    ({"kind": "unseen", "person": "Kim", "days": 0}, "'days' must be a whole number"),
    ({"kind": "unseen", "person": "Kim", "days": "7"}, "'days' must be a whole number"),
    ({"kind": "activity", "activity": "dancing"}, "unknown activity kind 'dancing'"),
    ({"kind": "match", "query": '"unbalanced'}, "bad query"),
    ("match", "a rule is a JSON object"),
])
def test_bad_rules_are_refused_naming_rule_and_reason(tmp_path: Path, rule: Any, reason: str) -> None:
    store = open_store(tmp_path / "s.db")
    with pytest.raises(InputError) as caught:
        add_watchlist(store, "w", [{"kind": "removed", "person": "Kim"}, rule])
    assert reason in str(caught.value) and "rule 2" in str(caught.value)
    for name, kwargs in [("bad name!", {}), ("w", {"webhook": "ftp://x"}), ("w", {"emails": ["nobody"]})]:
        with pytest.raises(InputError):
            add_watchlist(store, name, [{"kind": "removed", "person": "Kim"}], **kwargs)  # type: ignore[arg-type]
    add_watchlist(store, "w", [{"kind": "removed", "person": "Kim"}])
    with pytest.raises(InputError, match="exists"):
        add_watchlist(store, "w", [{"kind": "removed", "person": "Kim"}])
    assert remove_watchlist(store, "w") and not remove_watchlist(store, "w")
    store.close()


# --- delivery ---------------------------------------------------------------------------------


def _sqlite_with_matches(tmp_path: Path, **channels: Any) -> Store:
    store = open_store(tmp_path / "d.db")
    add_watchlist(store, "fert", [{"kind": "match", "query": "fertilizer"}], now=T0, **channels)
    _put(store, _doc("a1", [KIM], words="inspected the fertilizer factory", title="Fertilizer <script>x</script>"), T1)
    _put(store, _doc("a2", [CHOE], words="spoke of fertilizer"), T1)
    return store


def test_webhook_delivers_json_and_retries_a_failure(tmp_path: Path, receiver: tuple[str, Any]) -> None:
    url, handler = receiver
    store = _sqlite_with_matches(tmp_path, webhook=url)
    handler.statuses.append(500)
    run = run_alerts(store, NO_MAIL, now=C1)
    assert (run.raised, run.delivered, run.failed) == (2, 0, 1) and "HTTP 500" in run.errors[0]
    assert handler.bodies == []
    assert all("webhook" not in a.delivered and "HTTP 500" in a.delivered["webhook_error"]
               for a in recent_alerts(store, "fert"))
    sent = deliver(store, NO_MAIL, now=C2)  # the next pass retries
    assert (sent.delivered, sent.failed) == (1, 0)
    [body] = handler.bodies
    assert body["watchlist"] == "fert" and body["sent_at"] == C2
    assert sorted(a["payload"]["doc_id"] for a in body["alerts"]) == ["a1", "a2"]
    assert {a["rule"] for a in body["alerts"]} == {"match"}
    assert all(a.delivered == {"webhook": C2} for a in recent_alerts(store, "fert"))
    assert deliver(store, NO_MAIL).delivered == 0  # nothing left to send
    store.close()


def test_unreachable_webhook_never_raises(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    store = _sqlite_with_matches(tmp_path, webhook=f"http://127.0.0.1:{port}/")
    run = run_alerts(store, NO_MAIL, now=C1)
    assert (run.raised, run.delivered, run.failed) == (2, 0, 1)
    store.close()


def test_email_digest_to_a_local_smtp_server(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        store = _sqlite_with_matches(tmp_path, emails=["analyst@example.org", "desk@example.org"])
        options = AlertOptions(smtp_host="127.0.0.1", smtp_port=port, smtp_from="statemedia@test",
                               smtp_starttls=False, webhook_timeout=5.0)
        run = run_alerts(store, options, now=C1)
        assert (run.raised, run.delivered, run.failed) == (2, 1, 0)
        assert run_alerts(store, options, now=C2).delivered == 0
    finally:
        controller.stop()
    [(sender, recipients, content)] = inbox.messages
    assert sender == "statemedia@test" and recipients == ["analyst@example.org", "desk@example.org"]
    msg = message_from_bytes(content)
    assert msg["Subject"] == "statemedia: 2 alerts on watchlist fert"
    payload = msg.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode()
    assert "* New article matching fertilizer: Fertilizer <script>x</script>" in body and "article a2" in body
    assert all(a.delivered == {"email": C1} for a in recent_alerts(store, "fert"))
    store.close()


def test_atom_feed_parses_and_escapes(tmp_path: Path) -> None:
    store = _sqlite_with_matches(tmp_path)
    evaluate(store, now=C1)
    body = atom_feed("fert", recent_alerts(store, "fert"), self_url="http://x/watchlists/fert.atom",
                     base_url="http://x/")
    assert b"<script>" not in body and b"&lt;script&gt;" in body
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(body)
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert "New article matching fertilizer: Fertilizer <script>x</script>" in titles and len(titles) == 2
    links = [str(e.find("a:link", ns).get("href")) for e in root.findall("a:entry", ns)]  # type: ignore[union-attr]
    assert sorted(links) == ["http://x/articles/a1", "http://x/articles/a2"]
    store.close()


# --- the command ------------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["alerts", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_add_list_show_check_feed_remove(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    open_store(db).close()
    assert _cli("list", "--db", db)[0] == 1
    code, out, _ = _cli("add", "kim", "--match", "fertilizer", "--person", "Kim Jong Un",
                        "--removed", "Jang Song Thaek", "--unseen", "Choe Ryong Hae", "--days", "30",
                        "--activity", "field_guidance", "--db", db)
    assert code == 0 and "4 rule(s)" in out and "unseen 'Choe Ryong Hae' for over 30 days" in out
    code, _, err = _cli("add", "bad", "--activity", "dancing", "--db", db)
    assert code == 2 and "unknown activity kind 'dancing'" in err and "rule 1 (activity)" in err
    code, _, err = _cli("add", "bad", "--unseen", "X", "--db", db)
    assert code == 2 and "--days" in err
    code, _, err = _cli("add", "bad", "--rule", '{"kind": "unseen", "person": "X", "days": -1}', "--db", db)
    assert code == 2 and "'days'" in err
    assert _cli("add", "kim", "--removed", "X", "--db", db)[0] == 2
    store = open_store(db)
    _put(store, _doc("a1", [KIM], words="inspected the fertilizer factory", published=date.today()), "9999-01-01")
    store.close()
    code, out, err = _cli("check", "--db", db)  # a1 was stored "after" now: not new yet; Choe never seen
    assert code == 0 and out.splitlines() == ["kim  unseen  Choe Ryong Hae unseen for over 30 days "
                                              "(not mentioned in any article)"]
    assert "raised 1 alert(s)" in err
    assert _cli("check", "--db", db)[0] == 1  # nothing new
    code, out, _ = _cli("list", "--db", db)
    assert code == 0 and out.startswith("kim  match 'fertilizer' --person 'Kim Jong Un'")
    code, out, _ = _cli("show", "kim", "--db", db)
    assert code == 0 and "rule: removed 'Jang Song Thaek'" in out and "recent alerts: 1" in out
    assert _cli("show", "nope", "--db", db)[0] == 2
    code, out, _ = _cli("feed", "kim", "--db", db, "--base-url", "http://w")
    assert code == 0 and ET.fromstring(out.encode()).tag == "{http://www.w3.org/2005/Atom}feed"
    assert _cli("feed", "nope", "--db", db)[0] == 2
    assert _cli("remove", "kim", "--db", db)[0] == 0
    assert _cli("remove", "kim", "--db", db)[0] == 2
    assert _cli("list", "--db", str(tmp_path / "missing.db"))[0] == 2


# --- the web ----------------------------------------------------------------------------------


def test_web_page_feed_api_and_token(tmp_path: Path) -> None:
    store = _sqlite_with_matches(tmp_path)
    evaluate(store, now=C1)
    store.close()
    with TestClient(create_app(tmp_path / "d.db", token="t")) as c:
        page = c.get("/watchlists")
        assert page.status_code == 200 and 'href="/watchlists/fert.atom"' in page.text
        assert "&lt;script&gt;x" in page.text and "<script>x" not in page.text
        assert 'href="/watchlists"' in c.get("/").text  # the nav link
        feed = c.get("/watchlists/fert.atom")
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
        assert len(ET.fromstring(feed.content).findall("{http://www.w3.org/2005/Atom}entry")) == 2
        assert c.get("/watchlists/nope.atom").status_code == 404
        [wl] = c.get("/api/watchlists").json()["watchlists"]
        assert wl["name"] == "fert" and len(wl["alerts"]) == 2 and wl["rules"][0]["query"] == "fertilizer"
        form = {"name": "purge", "removed": "Jang Song Thaek", "unseen": "Choe Ryong Hae", "days": "10"}
        assert c.post("/watchlists", data=form).status_code == 401
        assert c.post("/watchlists", data={**form, "token": "wrong"}).status_code == 401
        r = c.post("/watchlists", data={**form, "token": "t"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/watchlists"
        r = c.post("/watchlists", data={**form, "name": "x", "days": "0", "token": "t"})
        assert r.status_code == 422 and "days" in r.text
        rule = {"kind": "activity", "activity": "inspection"}
        assert c.post("/api/watchlists", json={"name": "api", "rules": [rule]}).status_code == 401
        auth = {"Authorization": "Bearer t"}
        r = c.post("/api/watchlists", json={"name": "api", "rules": [rule], "email": ["a@b.org"]}, headers=auth)
        assert r.status_code == 201 and r.json()["channels"] == {"email": ["a@b.org"]}
        bad = c.post("/api/watchlists", json={"name": "b", "rules": [{"kind": "nope"}]}, headers=auth)
        assert bad.status_code == 422 and "unknown kind" in bad.text
        assert [w["name"] for w in c.get("/api/watchlists").json()["watchlists"]] == ["api", "fert", "purge"]
        assert c.delete("/api/watchlists/api").status_code == 401
        assert c.delete("/api/watchlists/api", headers=auth).status_code == 200
        assert c.post("/watchlists/purge/remove", data={"token": "wrong"}).status_code == 401
        assert c.post("/watchlists/purge/remove", data={"token": "t"}, follow_redirects=False).status_code == 303
        assert [w["name"] for w in c.get("/api/watchlists").json()["watchlists"]] == ["fert"]
    with TestClient(create_app(tmp_path / "d.db", token="")) as c:
        assert c.post("/watchlists", data={**form, "token": "t"}).status_code == 403
