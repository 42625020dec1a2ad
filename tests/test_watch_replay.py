"""December 2013 replayed from real text: KCNA stories of 2012 that name Jang Song Thaek are
served by a KCNA-shaped site; on the next pass his name is edited out of some and others are
withdrawn. `statemedia watch` must report exactly those, on the changes page and in the alert
of a watchlist on him."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from statemedia.analytics.changes import changes
from statemedia.capture.sites import load_sites
from statemedia.config import load_config
from statemedia.store import open_store
from statemedia.watch.alerts import add_watchlist, recent_alerts
from statemedia.watch.options import watch_options
from statemedia.watch.run import watch_once
from statemedia.web.app import create_app
from watch_site import KcnaSite, Story, hashed

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "kcna"
NAME = "Jang Song Thaek"
# His name in a list of officials: what KCNA cut in December 2013 ("..., Jang Song Thaek, ...").
IN_LIST = re.compile(rf", {NAME}(?=,| and )|{NAME}, ")

pytestmark = pytest.mark.slow


def _stories() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """English 2012 stories (not reserved, under 3,000 characters) that name him, and as many
    that name no one of his rank, in corpus order."""
    reserved = set((SHARED / "reserved-ids.txt").read_text().split())
    naming: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    with gzip.open(SHARED / "kcna-2012.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["id"] in reserved or len(record["body"]) > 3000 or record.get("language", "en") != "en":
                continue
            if NAME in record["body"]:
                naming.append(record)
            elif len(others) < 6 and "Kim" not in record["body"] and record["id"].endswith("7"):
                others.append(record)
    return naming, others


@pytest.fixture
def site() -> Iterator[KcnaSite]:
    s = KcnaSite(per_page=50)
    s.start()
    yield s
    s.stop()


def test_december_2013_replayed(
    site: KcnaSite, tmp_path: Path, receiver: tuple[str, Any], smtp: tuple[int, Any]
) -> None:
    naming, others = _stories()
    assert len(naming) >= 10, "the 2012 file should hold a dozen short stories naming him"
    for record in [*others, *naming]:
        day = date.fromisoformat(record["date"])
        site.add(record["id"], Story(record["title"], record["body"], day))
    store = open_store(tmp_path / "s.db")
    hook, handler = receiver
    port, inbox = smtp
    add_watchlist(store, "jang", [{"kind": "removed", "person": NAME}], webhook=hook, emails=["desk@example.org"])
    sites = load_sites(site.sources(tmp_path))
    options = replace(watch_options(), archive=str(tmp_path / "warc"), host_delay=0.0, withdrawn_after=1)
    config = load_config()
    config["alerts"].update(smtp_host="127.0.0.1", smtp_port=port)
    run = lambda day: watch_once(store, sites, options, config=config, n_process=1, day=day)  # noqa: E731
    first = run("2013-12-08")
    assert first.summary.new == len(naming) + len(others) and first.alerts_raised == 0

    edited = [r for r in naming if IN_LIST.search(r["body"])][:4]
    withdrawn = [r for r in naming if r not in edited][:2]
    assert len(edited) == 4
    for record in edited:
        path = hashed(record["id"])
        story = site.stories[path]
        site.stories[path] = Story(story.title, IN_LIST.sub("", story.text, count=1), story.day)
    site.gone |= {hashed(r["id"]) for r in withdrawn}
    second = run("2013-12-09")
    assert (second.summary.versions, second.summary.withdrawn) == (4, 2)

    url = lambda record: site.base + hashed(record["id"])  # noqa: E731
    report = changes(store, removed=NAME)
    (person,) = report.people
    assert person.entity.id == "person:jang-song-thaek"
    assert sorted(person.edited_out_of) == sorted(url(r) for r in edited)
    assert sorted(person.withdrawn) == sorted(url(r) for r in withdrawn)
    assert person.line().startswith(f"{NAME}: removed from 4 articles, 2 articles withdrawn")
    # The edits removed him and no one else.
    everything = changes(store)
    assert {e.doc_id for e in everything.edits} == {url(r) for r in edited}
    assert all([x.name for x in e.removed] == [NAME] for e in everything.edits)
    # His watchlist alerted on exactly those six stories, in its feed, by webhook and by e-mail.
    expected = sorted(url(r) for r in [*edited, *withdrawn])
    alerts = recent_alerts(store, "jang")
    assert sorted(a.payload["doc_id"] for a in alerts) == expected
    assert second.alerts_raised == 6 and second.alerts_delivered == 2
    [posted] = handler.bodies
    assert sorted(a["payload"]["doc_id"] for a in posted["alerts"]) == expected
    [(_sender, recipients, mail)] = inbox.messages
    body = message_from_bytes(mail, policy=policy.default).get_body()
    assert recipients == ["desk@example.org"] and body is not None
    assert sorted(re.findall(r"article (\S+)", body.get_content())) == expected
    feed = TestClient(create_app(tmp_path / "s.db")).get("/watchlists/jang.atom")
    assert feed.status_code == 200 and all(u in feed.text for u in expected)
    # The changes page says the same.
    page = TestClient(create_app(tmp_path / "s.db")).get("/changes", params={"removed": NAME})
    assert page.status_code == 200
    cells = r'</a></td><td class="muted">PERSON</td><td class="num">(\d+)</td><td class="num">(\d+)</td>'
    row = re.search(NAME + cells, page.text)
    assert row is not None and row.groups() == ("4", "2")
    for record in [*edited, *withdrawn]:
        assert record["title"].replace("'", "&#39;").replace('"', "&#34;") in page.text
