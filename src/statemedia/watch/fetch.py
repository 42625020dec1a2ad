"""The polite HTTP fetcher of `statemedia watch`: watched hosts only, robots.txt, per-host delay, retries, size cap.

One `Fetcher` serves a whole crawl pass from several threads. It requests URLs on the watched
hosts only (redirect targets included), reads each site's robots.txt first, spaces its requests
to one host by `host_delay` (or the site's Crawl-delay when longer), retries what may pass, and
streams each body so that a huge answer is cut off at `max_page_bytes`.

`fetch` never raises for anything the network or a site does: every outcome is a `Fetched`.

- ``status is None``: nothing came back (refused by us, connection error, timeout); `error` says why.
- 404, 410 and other 4xx but 429 come back at once with ``error=None``: the caller decides they are gone.
- 429 and 5xx still failing after `retries` attempts keep their status, headers and body and get
  ``error="HTTP 503 after 3 attempts"``.
- More than `max_redirects` hops, or a redirect back to a URL already visited: the last 3xx response
  (its status, headers and `final_url`) with ``error`` "redirect loop" or "more than N redirects".
- A body over `max_page_bytes`: the status and headers, ``body=b""`` and ``error="page over N bytes (not stored)"``.

`body` is the payload exactly as transferred, so it matches the headers in a WARC record. We ask for
``Accept-Encoding: identity`` so that it is the document itself; a server that compresses anyway says
so in its Content-Encoding header. Cookies a site sets are kept for the Fetcher's life (sites that
set a cookie and redirect to the same URL would otherwise loop).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import TracebackType

import httpx
from protego import Protego

from ..errors import FetchError
from .options import WatchOptions

__all__ = ["Fetched", "Fetcher"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ROBOTS_BYTES = 512_000  # Google reads the first 500 KiB of a robots.txt and ignores the rest
_MAX_RETRY_AFTER = 60.0  # a longer Retry-After is not waited for: the pass moves on, the next one retries
_CHUNK = 65_536


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _raw(headers: Sequence[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    # The raw list keeps the names' case and order as sent/received; HTTP headers are latin-1.
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers]


def _host_key(url: httpx.URL) -> str:
    return url.host if url.port is None else f"{url.host}:{url.port}"


@dataclass(frozen=True)
class Fetched:
    url: str
    final_url: str
    fetched_at: str
    status: int | None
    headers: list[tuple[str, str]]
    request_headers: list[tuple[str, str]]
    http_version: str
    body: bytes
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def header(self, name: str) -> str | None:
        """The first response header called `name` (any case), or None."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def etag(self) -> str | None:
        return self.header("etag")

    @property
    def last_modified(self) -> str | None:
        return self.header("last-modified")

    @property
    def content_type(self) -> str | None:
        return self.header("content-type")


def _failed(url: str, final_url: str, at: str, sent: list[tuple[str, str]], error: str) -> Fetched:
    return Fetched(url, final_url, at, None, [], sent, "", b"", error)


class Fetcher:
    """Fetches URLs of the watched hosts politely; safe to share between threads."""

    def __init__(
        self, options: WatchOptions, *, allowed_hosts: Collection[str], transport: httpx.BaseTransport | None = None
    ) -> None:
        self.options = options
        self.requests = 0
        self._hosts = frozenset(h.strip().lower() for h in allowed_hosts)
        try:
            self._client = httpx.Client(
                transport=transport,
                proxy=options.proxy or None,
                timeout=httpx.Timeout(options.timeout),
                follow_redirects=False,  # each hop is checked against the watched hosts and robots.txt
                trust_env=False,  # the proxy is [watch] proxy, not whatever the environment holds
                headers={"User-Agent": options.user_agent, "Accept-Encoding": "identity"},
            )
        except (ValueError, httpx.InvalidURL) as exc:
            raise FetchError(f"cannot use proxy {options.proxy!r}: {exc}", where="[watch] proxy") from exc
        self._lock = threading.Lock()  # guards the dicts below and the request counter
        self._robots: dict[str, Protego | None] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._next_start: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            start = httpx.URL(url)
        except httpx.InvalidURL as exc:
            return _failed(url, url, _now(), [], f"not a valid URL ({exc})")
        return self._follow(url, start, headers, robots=True, cap=self.options.max_page_bytes, truncate=False)

    def allowed(self, url: str) -> str | None:
        """None if `url` may be fetched, else why not (fetches the host's robots.txt on first use)."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            return f"not a valid URL ({exc})"
        return self._refusal(parsed) or self._robots_refusal(parsed)

    # -- which URLs may be requested ---------------------------------------------------------

    def _refusal(self, url: httpx.URL) -> str | None:
        if url.scheme not in _DEFAULT_PORTS:
            return f"{url} is not an http(s) URL"
        key = _host_key(url)
        if key in self._hosts or (url.port is None and f"{url.host}:{_DEFAULT_PORTS[url.scheme]}" in self._hosts):
            return None
        return f"host {key} is not a watched site"

    def _robots_refusal(self, url: httpx.URL) -> str | None:
        rules = self._robots_for(url)
        if rules is None or rules.can_fetch(str(url), self.options.user_agent):
            return None
        return f"robots.txt of {_host_key(url)} disallows it"

    def _robots_for(self, url: httpx.URL) -> Protego | None:
        origin = f"{url.scheme}://{_host_key(url)}"
        with self._lock:
            if origin in self._robots:
                return self._robots[origin]
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:  # one thread asks the site; the others for that site wait for its answer
            with self._lock:
                if origin in self._robots:
                    return self._robots[origin]
            got = self._follow(
                f"{origin}/robots.txt",
                httpx.URL(f"{origin}/robots.txt"),
                {},
                robots=False,
                cap=_ROBOTS_BYTES,
                truncate=True,
            )
            # Missing (404), forbidden or unreachable: the common convention is that everything is allowed.
            rules = Protego.parse(got.body.decode("utf-8", "replace")) if got.status == 200 else None
            delay = rules.crawl_delay(self.options.user_agent) if rules is not None else None
            with self._lock:
                self._robots[origin] = rules
                if delay:
                    key = _host_key(url)
                    self._crawl_delay[key] = max(float(delay), self._crawl_delay.get(key, 0.0))
        return rules

    # -- requests ------------------------------------------------------------------------------

    def _follow(
        self, url: str, current: httpx.URL, headers: dict[str, str], *, robots: bool, cap: int, truncate: bool
    ) -> Fetched:
        """GET `current`, following redirects ourselves so that each hop is checked before it is requested."""
        limit = self.options.max_redirects
        seen = {str(current.copy_with(fragment=None))}
        for hop in range(limit + 1):
            reason = self._refusal(current) or (self._robots_refusal(current) if robots else None)
            if reason:
                return _failed(url, str(current), _now(), [], f"redirected to {current}: {reason}" if hop else reason)
            got = self._attempts(url, current, headers, cap, truncate)
            location = got.header("location")
            if got.status not in _REDIRECTS or not location or got.error:
                return got
            try:
                target = current.join(location)
            except httpx.InvalidURL:
                return replace(got, error=f"redirected to an invalid URL {location!r}")
            key = str(target.copy_with(fragment=None))
            # A hop that sets a cookie may rightly come back to a URL already seen (cookie check pages).
            if key in seen and got.header("set-cookie") is None:
                return replace(got, error="redirect loop")
            if hop == limit:
                return replace(got, error=f"more than {limit} redirects")
            seen.add(key)
            current = target
        raise AssertionError("unreachable")  # the loop returns on its last hop

    def _attempts(self, url: str, current: httpx.URL, headers: dict[str, str], cap: int, truncate: bool) -> Fetched:
        attempts = max(1, self.options.retries)
        for n in range(attempts):
            got, transient, retry_after = self._once(url, current, headers, cap, truncate)
            if not transient:
                return got
            if n < attempts - 1:
                wait = self.options.backoff * 2**n
                if retry_after is not None and retry_after < _MAX_RETRY_AFTER:
                    wait = max(wait, retry_after)
                time.sleep(wait)
        tries = f"{attempts} attempt{'s' if attempts > 1 else ''}"
        if got.status is not None:
            return replace(got, error=f"HTTP {got.status} after {tries}")
        return replace(got, error=f"{got.error} ({tries})")

    def _once(
        self, url: str, current: httpx.URL, headers: dict[str, str], cap: int, truncate: bool
    ) -> tuple[Fetched, bool, float | None]:
        """One request: (what came of it, whether it may pass on a retry, the Retry-After in seconds)."""
        self._wait_turn(_host_key(current))
        request = self._client.build_request("GET", current, headers=headers)
        sent = _raw(request.headers.raw)
        at = _now()
        with self._lock:
            self.requests += 1
        final = str(current)
        try:
            response = self._client.send(request, stream=True)
            try:
                body, error = _read(response, cap, truncate)
            finally:
                response.close()  # unread bytes of a refused body are dropped with the connection
        except httpx.TimeoutException:
            return _failed(url, final, at, sent, f"timed out after {self.options.timeout:g} s"), True, None
        except httpx.UnsupportedProtocol as exc:
            return _failed(url, final, at, sent, f"cannot fetch: {exc}"), False, None
        except httpx.TransportError as exc:
            return _failed(url, final, at, sent, f"connection failed: {exc or type(exc).__name__}"), True, None
        status = response.status_code
        got = Fetched(url, final, at, status, _raw(response.headers.raw), sent, response.http_version, body, error)
        retry_after = response.headers.get("retry-after", "").strip()
        return got, status == 429 or status >= 500, float(retry_after) if retry_after.isdigit() else None

    def _wait_turn(self, host: str) -> None:
        """Sleep until `host_delay` (or the site's Crawl-delay) has passed since the last request to `host` began."""
        with self._lock:
            delay = max(self.options.host_delay, self._crawl_delay.get(host, 0.0))
            if delay <= 0:
                return
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:  # held while sleeping, so that the threads waiting for one host go one at a time
            now = time.monotonic()
            start = max(now, self._next_start.get(host, now))
            if start > now:
                time.sleep(start - now)
            self._next_start[host] = start + delay


def _read(response: httpx.Response, cap: int, truncate: bool) -> tuple[bytes, str | None]:
    """The body, read no further than `cap` bytes: cut there (`truncate`) or refused as (b"", why)."""
    over = f"page over {cap:,} bytes (not stored)"
    declared = response.headers.get("content-length", "")
    if not truncate and declared.isdigit() and int(declared) > cap:
        return b"", over  # refused without reading a byte of it
    chunks: list[bytes] = []
    size = 0
    # A transport that reads the whole answer itself (httpx.MockTransport in tests) leaves nothing to stream.
    stream = [response.content] if response.is_stream_consumed else response.iter_raw(_CHUNK)
    for chunk in stream:
        if size + len(chunk) > cap:
            if not truncate:
                return b"", over
            chunks.append(chunk[: cap - size])
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), None
