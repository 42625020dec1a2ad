"""A site shaped like kcna.kp, served on 127.0.0.1 by the test itself, that changes between passes.

Its pages have the shapes of the real site (tests use the shipped ``kcna-en`` definition
with only its host changed): a home page with menus, a paged article list
(/en/category/articles.kcmsf?page=N) and a section list, hashed article URLs
(/en/article/q/<96 hex>.kcmsf), names set in bold spans glued to their neighbours, and the
date as a Juche stamp. A test edits, withdraws and restores stories, makes pages fail
(503s that recover, redirect loops, slow, malformed, huge pages) and reads the request log.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from statemedia.capture.sites import load_sites

# Names the site sets in bold (the leaders and, here, the officials a test edits out).
BOLD = ("Kim Jong Un", "Kim Jong Il", "Kim Il Sung", "Jang Song Thaek")
SECTION = "/en/category/articles/q/" + "5" * 32 + ".kcmsf"


def hashed(key: str) -> str:
    """A kcna.kp-style article path: 96 hex digits."""
    digest = hashlib.sha384(key.encode()).hexdigest()
    return f"/en/article/q/{digest}.kcmsf"


@dataclass
class Story:
    title: str
    text: str  # paragraphs separated by blank lines
    day: date

    def page(self) -> bytes:
        paragraphs = [p.strip() for p in self.text.split("\n") if p.strip()]
        body = "".join(f"<p>{_bold(html.escape(p))}</p>\n" for p in paragraphs)
        stamp = f"Juche{self.day.year - 1911}.{self.day.month}.{self.day.day}."
        return _frame(
            f"<h1 class='article-main-title'>{html.escape(self.title)}</h1>\n"
            f"<div class='publish-time'>[{stamp}]</div>\n<div class='content-wrapper'>{body}</div>"
        ).encode()


def _bold(text: str) -> str:
    """Names in bold spans with the spaces around them gone, as kcna.kp's text shows them."""
    for name in BOLD:
        text = re.sub(rf"\s?{re.escape(name)}\s?", f"<span style='font-weight:bold'>{name}</span>", text)
    return text


def _frame(main: str) -> str:
    menu = (
        "<ul class='menu'><li><a href='/en'>Home</a></li>"
        "<li><a href='/en/category/articles.kcmsf'>News</a></li>"
        f"<li><a href='{SECTION}'>Supreme Leader</a></li>"
        "<li><a href='http://example.invalid/en/article/q/" + "a" * 96 + ".kcmsf'>Elsewhere</a></li></ul>"
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>KCNA</title></head><body>"
        f"<div class='header'>{menu}</div><div class='main'>{main}</div>"
        "<div class='footer'>Copyright Korean Central News Agency</div></body></html>"
    )


@dataclass
class KcnaSite:
    """The site's state: stories (newest first), which are listed or gone, and faults."""

    stories: dict[str, Story] = field(default_factory=dict)  # path -> story
    order: list[str] = field(default_factory=list)  # newest first
    unlisted: set[str] = field(default_factory=set)
    gone: set[str] = field(default_factory=set)
    flaky: dict[str, int] = field(default_factory=dict)  # path -> 503s still to answer
    slow: dict[str, float] = field(default_factory=dict)  # path -> seconds before answering
    loops: set[str] = field(default_factory=set)
    huge: set[str] = field(default_factory=set)
    malformed: set[str] = field(default_factory=set)
    robots: str = "User-agent: *\nDisallow: /en/article/q/dead\n"
    per_page: int = 8
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, key: str, story: Story, *, path: str | None = None) -> str:
        path = path or hashed(key)
        self.stories[path] = story
        self.order.insert(0, path)
        return path

    def listing(self, extra: list[str]) -> list[str]:
        return [p for p in self.order if p not in self.unlisted and p not in self.gone] + extra

    def sources(self, folder: Path) -> Path:
        """A sources file: the shipped kcna-en definition served from this site."""
        site = load_sites(only=["kcna-en"])[0]
        path = folder / "sites.toml"
        # TOML literal strings: the patterns' backslashes stay as they are.
        quoted = lambda values: "[" + ", ".join(f"'{v}'" for v in values) + "]"  # noqa: E731
        path.write_text(
            "[[site]]\n"
            f'name = "kcna-en"\noutlet = "{site.outlet}"\nlanguage = "en"\nbase = "{self.base}"\n'
            f"start = {quoted(site.start)}\nindex = {quoted(p.pattern for p in site.index)}\n"
            f"article = {quoted(p.pattern for p in site.article)}\nbold_names = true\n",
            encoding="utf-8",
        )
        return path

    def requested(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)

    def start(self) -> KcnaSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                with site.lock:
                    site.log.append((self.path, dict(self.headers.items())))
                site._answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    # --- answers ---------------------------------------------------------------------------
    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        path = parts.path
        full = h.path
        if full in self.slow:
            time.sleep(self.slow[full])
        with self.lock:
            if self.flaky.get(full, 0) > 0:
                self.flaky[full] -= 1
                return self._send(h, 503, b"busy", "text/plain")
        if path in self.loops:  # A -> A?again -> A -> ...
            h.send_response(302)
            h.send_header("Location", path if parts.query else path + "?again")
            h.send_header("Content-Length", "0")
            h.end_headers()
            return None
        if path == "/robots.txt":
            return self._send(h, 200, self.robots.encode(), "text/plain")
        if full in self.huge:
            return self._huge(h)
        if path in ("/en", "/en/"):
            items = "".join(f"<li><a href='{p}'>{html.escape(self.stories[p].title)}</a></li>"
                            for p in self.listing([])[:3] if p in self.stories)  # fmt: skip
            return self._send(h, 200, _frame(f"<ul class='latest'>{items}</ul>").encode())
        if path in ("/en/category/articles.kcmsf", SECTION):
            return self._list(h, parts.query)
        if full in self.malformed and path in self.stories:
            # Unclosed paragraphs, divs turned into stray tables: browsers (and lxml) still read it.
            page = self.stories[path].page().replace(b"</p>", b"").replace(b"</div>", b"<table><tr><td>")
            return self._send(h, 200, page)
        if path in self.stories and path not in self.gone:
            return self._story(h, self.stories[path])
        return self._send(h, 404, b"<html><body>Not found</body></html>")

    def _list(self, h: BaseHTTPRequestHandler, query: str) -> None:
        page = int(parse_qs(query).get("page", ["1"])[0])
        extra = sorted(self.slow) + sorted(self.loops) + sorted(self.huge) + sorted(self.malformed)
        extra += [p for p in self.flaky if p.startswith("/en/article/")] + ["/en/article/q/dead" + "0" * 92 + ".kcmsf"]
        paths = self.listing([p for p in dict.fromkeys(extra) if p.startswith("/en/article/")])
        shown = paths[(page - 1) * self.per_page : page * self.per_page]
        items = "".join(f"<li><a href='{p}'>{html.escape(self.stories[p].title if p in self.stories else p)}</a></li>"
                        for p in shown)  # fmt: skip
        more = (
            f"<a class='next' href='/en/category/articles.kcmsf?page={page + 1}'>Next</a>"
            if len(paths) > page * self.per_page
            else ""
        )
        self._send(h, 200, _frame(f"<ul class='article-list'>{items}</ul>{more}").encode())

    def _story(self, h: BaseHTTPRequestHandler, story: Story) -> None:
        body = story.page()
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        if h.headers.get("If-None-Match") == etag:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        self._send(h, 200, body, extra={"ETag": etag})

    def _huge(self, h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(20_000_000))
        h.end_headers()
        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
        try:
            for _ in range(20_000_000 // len(chunk) + 1):
                h.wfile.write(chunk)
        except OSError:
            pass  # the crawler hung up at its size limit

    @staticmethod
    def _send(
        h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
        extra: dict[str, str] | None = None,
    ) -> None:  # fmt: skip
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.end_headers()
        with contextlib.suppress(OSError):
            h.wfile.write(body)
