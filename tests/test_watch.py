"""statemedia watch against a KCNA-shaped site on 127.0.0.1 that changes between passes:
WARC records, versions, withdrawals and restorations, faults, politeness, resuming a killed crawl."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from statemedia.capture.sites import load_sites
from statemedia.store import open_store
from statemedia.watch.crawl import run_pass
from statemedia.watch.options import WatchOptions, watch_options
from statemedia.watch.warc import read_response
from store_fixtures import STORES, make_store
from watch_site import KcnaSite, Story, hashed

STORIES = [
    ("Kim Jong Un Inspects Farm", "Kim Jong Un inspected the Migok Cooperative Farm in Sariwon City.\n"
     "He was accompanied by Jang Song Thaek and Choe Ryong Hae.", date(2024, 1, 17)),
    ("Meeting Held in Pyongyang", "A meeting was held in Pyongyang on Tuesday to mark the anniversary.\n"
     "Present there were Jang Song Thaek and Pak Pong Ju.", date(2024, 1, 16)),
    ("Delegation Leaves for China", "A delegation of the DPRK-China Joint Guidance Committee left here for Beijing.\n"
     "It was headed by Jang Song Thaek, department director of the Central Committee.", date(2024, 1, 15)),
    ("Floral Basket Sent to Veteran", "Kim Jong Un sent a floral basket to a war veteran on his 100th birthday.\n"
     "The basket was conveyed by a senior official on Monday.", date(2024, 1, 15)),
    ("Sports Games Open", "The national sports games opened at Kim Il Sung Stadium on Sunday.\n"
     "Athletes from all provinces take part in them this year.", date(2024, 1, 14)),
]  # fmt: skip


def options(tmp_path: Path, **changes: Any) -> WatchOptions:
    base = dict(archive=str(tmp_path / "warc"), host_delay=0.0, timeout=1.0, retries=3, backoff=0.01,
                withdrawn_after=1, concurrency=4)  # fmt: skip
    return replace(watch_options(), **{**base, **changes})


@pytest.fixture
def site() -> Iterator[KcnaSite]:
    s = KcnaSite()
    for title, text, day in reversed(STORIES):
        s.add(title, Story(title, text, day))
    s.start()
    yield s
    s.stop()


@pytest.fixture
def local_only(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every host a connection is attempted to; anything but 127.0.0.1 is refused."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(str(host))
        if host not in ("127.0.0.1", b"127.0.0.1"):
            raise OSError(f"test: no request may leave 127.0.0.1 (asked for {host})")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    return asked


def pass_once(store: Any, site: KcnaSite, tmp_path: Path, **changes: Any) -> Any:
    sites = load_sites(site.sources(tmp_path))
    return run_pass(store, sites, options(tmp_path, **changes))


def rows(store: Any, sql: str, *params: Any) -> list[Any]:
    return store.query(sql, params)


def test_pass_archives_and_stores_every_article(site: KcnaSite, tmp_path: Path, local_only: list[str]) -> None:
    store = open_store(tmp_path / "s.db")
    summary = pass_once(store, site, tmp_path)
    assert summary.new == len(STORIES) and summary.failed == 0
    doc = store.get(site.base + hashed("Kim Jong Un Inspects Farm"))
    assert doc is not None and doc.outlet == "KCNA" and doc.published == date(2024, 1, 17)
    # Bold-span names keep their spaces; the Juche stamp dated the story.
    assert "Kim Jong Un inspected" in doc.text and "by Jang Song Thaek and" in doc.text
    assert doc.meta["published_from"] == "juche stamp"
    # Every response is in the WARC archive, where its fetch row says, byte for byte.
    fetched = rows(store, "SELECT url, status, warc_file, warc_offset, digest FROM fetches WHERE status = 200")
    assert len(fetched) >= len(STORIES) + 2
    for url, _status, file, offset, digest in fetched:
        status, _headers, body = read_response(tmp_path / "warc", (file, offset))
        assert status == 200 and digest
        path = url.removeprefix(site.base)
        if path in site.stories:
            assert body == site.stories[path].page()
    records = 0
    for warc in (tmp_path / "warc").iterdir():
        with warc.open("rb") as fh:
            records += sum(1 for r in ArchiveIterator(fh) if r.rec_type == "response")
    assert records == len(rows(store, "SELECT 1 FROM fetches WHERE warc_file IS NOT NULL"))
    # Nothing left 127.0.0.1 (the menu links to example.invalid) and robots.txt was obeyed.
    assert set(local_only) <= {"127.0.0.1"}
    assert not [p for p, _ in site.log if p.startswith("/en/article/q/dead")]
    assert site.requested("/robots.txt") == 1


@pytest.mark.parametrize("kind", STORES)
def test_second_pass_finds_new_edited_withdrawn_and_restored(site: KcnaSite, tmp_path: Path, kind: str) -> None:
    store = make_store(kind, tmp_path)
    pass_once(store, site, tmp_path)
    farm, meeting, china = (hashed(t) for t, _, _ in STORIES[:3])
    site.add("New Story", Story("Orchestra Gives Concert", "The orchestra gave a concert in Pyongyang on Friday.\n"
                                "The audience included officials and working people.", date(2024, 1, 18)))  # fmt: skip
    edited = site.stories[farm]
    site.stories[farm] = Story(edited.title, edited.text.replace("Jang Song Thaek and ", ""), edited.day)
    site.gone |= {meeting, china}
    second = pass_once(store, site, tmp_path)
    assert (second.new, second.versions, second.withdrawn, second.restored) == (1, 1, 2, 0)
    # Unchanged stories were asked conditionally and answered 304.
    assert second.not_modified == len(STORIES) - 3
    assert any("If-None-Match" in headers for path, headers in site.log if path == hashed(STORIES[4][0]))
    versions = store.versions(site.base + farm)
    assert [v.version for v in versions] == [1, 2]
    withdrawn = rows(store, "SELECT url, withdrawn_on, restored_on FROM withdrawals ORDER BY url")
    assert {u.removeprefix(site.base) for u, _, _ in withdrawn} == {meeting, china}
    assert all(day == date.today().isoformat() and back is None for _, day, back in withdrawn)
    site.gone.discard(china)
    third = pass_once(store, site, tmp_path)
    assert (third.withdrawn, third.restored) == (0, 1)
    restored = rows(store, "SELECT url FROM withdrawals WHERE restored_on IS NOT NULL")
    assert [u.removeprefix(site.base) for (u,) in restored] == [china]


@pytest.mark.parametrize("kind", STORES)
def test_unlisted_story_is_withdrawn_only_when_older_ones_stay_listed(
    site: KcnaSite, tmp_path: Path, kind: str
) -> None:
    """A story that leaves the list while older ones stay was taken down; one pushed off the end
    of a list by newer stories was not."""
    store = make_store(kind, tmp_path)
    site.per_page = 100
    pass_once(store, site, tmp_path)
    meeting, oldest = hashed(STORIES[1][0]), hashed(STORIES[4][0])
    site.unlisted |= {meeting, oldest}
    second = pass_once(store, site, tmp_path)
    withdrawn = [u.removeprefix(site.base) for (u,) in rows(store, "SELECT url FROM withdrawals")]
    assert withdrawn == [meeting] and second.withdrawn == 1


def test_faults_are_recorded_and_survived(site: KcnaSite, tmp_path: Path, local_only: list[str]) -> None:
    store = open_store(tmp_path / "s.db")
    flaky, loop, slow, huge, broken = (hashed(k) for k in ("flaky", "loop", "slow", "huge", "broken"))
    site.add("flaky", Story("Flaky Story", "The page answered 503 twice before it answered in full.\n"
                            "Kim Jong Un sent greetings to the workers of the plant.", date(2024, 1, 10)))  # fmt: skip
    site.add("broken", Story("Broken Markup", "This page's markup is broken but its text is an article.\n"
                             "Kim Jong Un visited a factory in Pyongyang on Monday.", date(2024, 1, 9)))  # fmt: skip
    site.flaky[flaky] = 2
    site.loops.add(loop)
    site.slow[slow] = 3.0
    site.huge.add(huge)
    site.malformed.add(broken)
    summary = pass_once(store, site, tmp_path)
    assert store.get(site.base + flaky) is not None and site.requested(flaky) == 3
    assert store.get(site.base + broken) is not None
    errors = dict(
        rows(store, "SELECT url, error FROM fetches WHERE error IS NOT NULL AND error NOT LIKE ?", "refused%")
    )
    assert set(errors) == {site.base + p for p in (loop, slow, huge)}
    assert "redirect" in errors[site.base + loop]
    assert "timed out" in errors[site.base + slow]
    assert "bytes" in errors[site.base + huge]
    assert summary.failed == 3 and summary.new == len(STORIES) + 2
    # Nothing of the 20 MB page was archived.
    assert sum(f.stat().st_size for f in (tmp_path / "warc").iterdir()) < 2_000_000


def test_killed_crawl_resumes_without_losing_or_duplicating(site: KcnaSite, tmp_path: Path) -> None:
    for i in range(30):
        site.add(f"extra {i}", Story(f"Story Number {i}", f"Workers of factory number {i} overfulfilled their plan.\n"
                                     "They pledged to do better in the new year.", date(2024, 1, 1)))  # fmt: skip
    sources = site.sources(tmp_path)
    config = tmp_path / "watch.toml"
    config.write_text(f'[watch]\narchive = "{tmp_path / "warc"}"\nhost_delay = 0.15\nconcurrency = 2\n')
    db = tmp_path / "s.db"
    command = [sys.executable, "-m", "statemedia", "watch", "--once", "--db", str(db), "--sources", str(sources),
               "--config", str(config), "--no-analyze", "--no-alerts"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    crawl = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and sum(1 for p, _ in site.log if p.startswith("/en/article/")) < 12:
        time.sleep(0.05)
    crawl.send_signal(signal.SIGKILL)
    crawl.wait()
    store = open_store(db)
    assert rows(store, "SELECT count(*) FROM watch_passes WHERE finished_at IS NULL")[0][0] == 1
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "(resumed)" in done.stdout
    urls = rows(store, "SELECT url FROM fetches WHERE pass_pk = 1")
    assert len(urls) == len(set(urls))
    assert rows(store, "SELECT count(*) FROM articles")[0][0] == len(site.stories)
    assert rows(store, "SELECT max(version) FROM documents")[0][0] == 1
    # The archive holds exactly the responses the store recorded: the killed run's unrecorded tail is gone.
    recorded = {
        (f, o) for f, o in rows(store, "SELECT warc_file, warc_offset FROM fetches WHERE warc_file IS NOT NULL")
    }
    found = set()
    for warc in (tmp_path / "warc").iterdir():
        with warc.open("rb") as fh:
            iterator = ArchiveIterator(fh)
            for record in iterator:
                if record.rec_type == "response":
                    found.add((warc.name, iterator.get_record_offset()))
    assert found == recorded


def test_watch_cli_refuses_bad_usage(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[site]]\nname = 'x'\n")
    run = lambda *a: subprocess.run([sys.executable, "-m", "statemedia", "watch", *a, "--db", str(tmp_path / "s.db")],  # noqa: E731
                                    capture_output=True, text=True)  # fmt: skip
    both = run("--once", "--every", "6h")
    assert both.returncode == 2 and "--once" in both.stderr
    broken = run("--once", "--sources", str(bad))
    assert broken.returncode == 2 and "bad.toml" in broken.stderr and "lacks" in broken.stderr
    unknown = run("--once", "--site", "nowhere")
    assert unknown.returncode == 2 and "nowhere" in unknown.stderr
