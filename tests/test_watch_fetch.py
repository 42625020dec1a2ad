"""The polite fetcher of `statemedia watch` against a site served on 127.0.0.1 by the test itself.

No request may leave 127.0.0.1: every test runs with socket connections to other hosts refused and recorded.
"""

from __future__ import annotations

import dataclasses
import itertools
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from statemedia.errors import FetchError
from statemedia.watch.fetch import Fetched, Fetcher
from statemedia.watch.options import WatchOptions, watch_options

ETAG = '"v1"'
MODIFIED = "Wed, 01 May 2024 10:00:00 GMT"
PAGE = b"<html><body><p>Respected Comrade</p></body></html>"
BIG = 20_000_000
MB = b"x" * 1_000_000


class Site:
    """A small web site on 127.0.0.1 that logs every request it is sent."""

    def __init__(self, robots: str | None = None) -> None:
        self.robots = robots
        self.log: list[tuple[float, str, dict[str, str]]] = []
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()
        self.server = _Server(self)
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def paths(self) -> list[str]:
        with self.lock:
            return [path for _, path, _ in self.log]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Server(ThreadingHTTPServer):
    def __init__(self, site: Site) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up on a huge or slow answer is what some tests are about


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        site = self.server.site
        path = self.path
        with site.lock:
            site.log.append((time.monotonic(), path, dict(self.headers)))
            site.counts[path] = site.counts.get(path, 0) + 1
            count = site.counts[path]
        if path == "/robots.txt":
            if site.robots is None:
                self._send(404, b"not found")
            else:
                self._send(200, site.robots.encode(), {"Content-Type": "text/plain"})
        elif path.startswith("/page"):
            if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == MODIFIED:
                self._send(304, headers={"ETag": ETAG})
            else:
                self._send(200, PAGE, {"ETag": ETAG, "Last-Modified": MODIFIED, "Content-Type": "text/html"})
        elif path == "/flaky":
            if count <= 2:
                self._send(503, b"busy", {"Retry-After": "0"})
            else:
                self._send(200, b"recovered")
        elif path == "/down":
            self._send(503, b"down")
        elif path == "/gone":
            self._send(404, b"gone")
        elif path == "/hop":
            self._send(301, headers={"Location": "/page"})
        elif path in ("/loop/a", "/loop/b"):
            self._send(302, headers={"Location": "/loop/b" if path == "/loop/a" else "/loop/a"})
        elif path.startswith("/chain/"):
            self._send(302, headers={"Location": f"/chain/{int(path.rsplit('/', 1)[1]) + 1}"})
        elif path == "/away":
            self._send(302, headers={"Location": "http://example.invalid/"})
        elif path == "/slow":
            time.sleep(1.2)
            self._send(200, b"late")
        elif path in ("/big", "/big-unsized"):
            # HTTP/1.0 without Content-Length: the body runs until the server closes the connection.
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            if path == "/big":
                self.send_header("Content-Length", str(BIG))
            self.end_headers()
            for _ in range(BIG // len(MB)):
                self.wfile.write(MB)
        elif path.startswith("/private") or path.startswith("/open"):
            self._send(200, b"page " + path.encode())
        elif path.startswith("http://"):  # a proxy is asked for the absolute URL
            self._send(200, b"via proxy " + path.encode())
        else:
            self._send(404, b"no such page")


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuses (and records) every connection or name lookup for a host other than 127.0.0.1."""
    attempts: list[str] = []
    connect, lookup = socket.create_connection, socket.getaddrinfo

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        if address[0] != "127.0.0.1":
            attempts.append(address[0])
            raise OSError(f"test refused a connection to {address[0]}")
        return connect(address, *args, **kwargs)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", b"127.0.0.1"):
            attempts.append(str(host))
            raise socket.gaierror(f"test refused to look up {host}")
        return lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


def options(**changes: Any) -> WatchOptions:
    base = {"host_delay": 0.0, "timeout": 0.5, "retries": 3, "backoff": 0.01, "max_redirects": 5}
    return dataclasses.replace(watch_options(), **{**base, **changes})


def fetcher(site: Site, **changes: Any) -> Fetcher:
    return Fetcher(options(**changes), allowed_hosts=[site.host])


def test_page_and_conditional_get(site: Site) -> None:
    with fetcher(site) as f:
        got = f.fetch(site.url("/page"))
        assert got.ok and got.body == PAGE and got.error is None
        assert (got.status, got.final_url, got.http_version) == (200, got.url, "HTTP/1.0")
        assert (got.etag, got.last_modified, got.content_type) == (ETAG, MODIFIED, "text/html")
        assert ("ETag", ETAG) in got.headers  # as received, case kept
        sent = dict(got.request_headers)
        assert sent["User-Agent"] == options().user_agent and "If-None-Match" not in sent
        assert got.fetched_at.endswith("Z") and len(got.fetched_at) == len("2024-05-01T10:00:00.000000Z")

        again = f.fetch(site.url("/page"), etag=got.etag)
        assert again.not_modified and not again.ok and again.body == b"" and again.error is None
        assert dict(again.request_headers)["If-None-Match"] == ETAG
        since = f.fetch(site.url("/page"), last_modified=MODIFIED)
        assert since.not_modified and dict(since.request_headers)["If-Modified-Since"] == MODIFIED
        # robots.txt (404: everything allowed) once, then the page three times
        assert site.paths() == ["/robots.txt", "/page", "/page", "/page"] and f.requests == 4


def test_retries_transient_errors_then_gives_up(site: Site) -> None:
    with fetcher(site) as f:
        flaky = f.fetch(site.url("/flaky"))
        assert flaky.ok and flaky.body == b"recovered" and site.counts["/flaky"] == 3
        down = f.fetch(site.url("/down"))
        assert (down.status, down.error, down.body) == (503, "HTTP 503 after 3 attempts", b"down")
        assert not down.ok and site.counts["/down"] == 3
        gone = f.fetch(site.url("/gone"))  # 4xx other than 429: at once, for the caller to call gone
        assert (gone.status, gone.error) == (404, None) and site.counts["/gone"] == 1


def test_follows_redirects_and_stops_loops(site: Site) -> None:
    with fetcher(site) as f:
        hop = f.fetch(site.url("/hop"))
        assert hop.ok and hop.url == site.url("/hop") and hop.final_url == site.url("/page") and hop.body == PAGE
        loop = f.fetch(site.url("/loop/a"))
        assert (loop.status, loop.error, loop.final_url) == (302, "redirect loop", site.url("/loop/b"))
        assert site.counts["/loop/a"] == 1 and site.counts["/loop/b"] == 1
        chain = f.fetch(site.url("/chain/0"))
        assert (chain.status, chain.error) == (302, "more than 5 redirects")
        assert [p for p in site.paths() if p.startswith("/chain/")] == [f"/chain/{i}" for i in range(6)]


def test_never_requests_another_host(site: Site, only_loopback: list[str]) -> None:
    with fetcher(site) as f:
        away = f.fetch(site.url("/away"))
        assert away.status is None and away.body == b"" and not away.ok
        assert away.error is not None and "host example.invalid is not a watched site" in away.error
        assert away.final_url == "http://example.invalid/"
        direct = f.fetch("http://example.invalid/page")
        assert direct.status is None and direct.error == "host example.invalid is not a watched site"
        other_port = f.fetch("http://127.0.0.1:1/page")
        assert other_port.error == "host 127.0.0.1:1 is not a watched site"
        assert f.allowed("http://example.invalid/") == "host example.invalid is not a watched site"
        assert f.allowed("ftp://" + site.host + "/x") is not None
        assert f.allowed(site.url("/page")) is None
    assert only_loopback == []
    assert "/away" in site.paths() and f.requests == 2  # robots.txt and /away, nothing else


def test_timeout_is_an_error_after_retries(site: Site) -> None:
    with fetcher(site, retries=2) as f:
        f.fetch(site.url("/robots.txt"))  # robots.txt first, so only the slow page is timed below
        began = time.monotonic()
        slow = f.fetch(site.url("/slow"))
        took = time.monotonic() - began
    assert slow.status is None and slow.body == b"" and slow.error == "timed out after 0.5 s (2 attempts)"
    assert site.counts["/slow"] == 2 and 0.9 < took < 2.0


def test_connection_refused_is_an_error() -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    with Fetcher(options(retries=2), allowed_hosts=[f"127.0.0.1:{port}"]) as f:
        got = f.fetch(f"http://127.0.0.1:{port}/page")
    assert got.status is None and got.error is not None and got.error.startswith("connection failed")
    assert got.error.endswith("(2 attempts)") and f.requests == 2 + 2  # robots.txt and the page, twice each


@pytest.mark.parametrize("path", ["/big", "/big-unsized"])
def test_huge_body_is_refused_and_never_held(site: Site, path: str) -> None:
    with fetcher(site, max_page_bytes=1_000_000) as f:
        f.fetch(site.url("/robots.txt"))
        tracemalloc.start()
        try:
            got = f.fetch(site.url(path))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert got.status == 200 and got.body == b"" and not got.ok
    assert got.error == "page over 1,000,000 bytes (not stored)"
    assert peak < 6_000_000  # the cap and a chunk (and the server's 1 MB block), not 20 MB


def test_robots_txt_is_obeyed(only_loopback: list[str]) -> None:
    site = Site(robots="User-agent: *\nDisallow: /private\n")
    try:
        with fetcher(site) as f:
            assert f.allowed(site.url("/private/x")) == f"robots.txt of {site.host} disallows it"
            refused = f.fetch(site.url("/private/x"))
            assert refused.status is None and refused.body == b"" and "robots.txt" in (refused.error or "")
            assert f.fetch(site.url("/open/x")).ok
            assert f.fetch(site.url("/open/x")).ok  # robots.txt is not asked for again
        assert site.paths() == ["/robots.txt", "/open/x", "/open/x"]  # read once; /private never asked for
    finally:
        site.close()
    assert only_loopback == []


def test_robots_txt_for_our_user_agent_and_redirect_target() -> None:
    site = Site(robots="User-agent: statemedia-watch\nDisallow: /page\n\nUser-agent: *\nDisallow:\n")
    try:
        with fetcher(site) as f:
            hop = f.fetch(site.url("/hop"))  # /hop redirects to /page, which robots.txt closes to us
        assert hop.status is None and hop.error is not None and "robots.txt" in hop.error
        assert hop.final_url == site.url("/page") and "/page" not in site.paths()
    finally:
        site.close()


def test_host_delay_spaces_requests_across_threads(site: Site) -> None:
    with fetcher(site, host_delay=0.2) as f, ThreadPoolExecutor(4) as pool:
        results = list(pool.map(f.fetch, [site.url(f"/page{i}") for i in range(4)]))
    assert all(r.ok for r in results)
    starts = sorted(t for t, _, _ in site.log)
    assert len(starts) == 5  # robots.txt and four pages
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # spaced at the client; the server sees them with some jitter, never bunched together
    assert min(gaps) > 0.12 and starts[-1] - starts[0] > 0.75, gaps


def test_hosts_do_not_wait_for_each_other() -> None:
    one, two = Site(), Site()
    try:
        with Fetcher(options(host_delay=0.4), allowed_hosts=[one.host, two.host]) as f, ThreadPoolExecutor(2) as pool:
            began = time.monotonic()
            results = list(pool.map(f.fetch, [one.url("/page"), two.url("/page")]))
            took = time.monotonic() - began
        # each host: robots.txt, 0.4 s, the page; one after the other would take 3 x 0.4 s
        assert all(r.ok for r in results) and 0.35 < took < 0.9
    finally:
        one.close()
        two.close()


def test_crawl_delay_longer_than_host_delay_is_honoured() -> None:
    site = Site(robots="User-agent: *\nCrawl-delay: 0.3\n")
    try:
        with fetcher(site, host_delay=0.0) as f:
            assert f.fetch(site.url("/page1")).ok and f.fetch(site.url("/page2")).ok
        starts = [t for t, path, _ in site.log if path.startswith("/page")]
        assert starts[1] - starts[0] > 0.2
    finally:
        site.close()


def test_proxy_is_used(site: Site) -> None:
    # The site stands in for the proxy: it is asked for the absolute URL of a host that is never resolved.
    with Fetcher(options(proxy=site.url("")), allowed_hosts=["watched.test"]) as f:
        got = f.fetch("http://watched.test/page")
    assert got.ok and got.body == b"via proxy http://watched.test/page"
    assert site.paths() == ["http://watched.test/robots.txt", "http://watched.test/page"]


def test_bad_proxy_is_a_fetch_error() -> None:
    with pytest.raises(FetchError, match="E600"):
        Fetcher(options(proxy="not a proxy"), allowed_hosts=[])


def test_transport_and_fetched_helpers() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(429 if request.url.path == "/busy" else 200, headers={"content-type": "text/plain"})

    with Fetcher(options(retries=2), allowed_hosts=["kcna.kp"], transport=httpx.MockTransport(answer)) as f:
        assert f.fetch("https://KCNA.kp/x").ok
        busy = f.fetch("https://kcna.kp/busy")
        assert (busy.status, busy.error) == (429, "HTTP 429 after 2 attempts")
        assert f.fetch("not a url").error is not None
    got = Fetched("u", "u", "t", 200, [("Content-Type", "text/html")], [], "HTTP/1.1", b"x")
    assert got.ok and got.content_type == "text/html" and got.etag is None and not got.not_modified
