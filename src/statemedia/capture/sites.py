"""The outlets' sites: where `statemedia watch` starts, which pages list articles, which are
articles (``data/sites.toml``, or an operator's file in the same shape)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

from ..errors import InputError

__all__ = ["PageKind", "Site", "load_sites", "site_for_url"]

PageKind = Literal["start", "index", "article"]
_REQUIRED = ("name", "outlet", "language", "base", "start", "article")


@dataclass(frozen=True)
class Site:
    """One outlet's edition: its host (``base``), start pages and URL patterns."""

    name: str
    outlet: str
    language: str
    base: str
    start: tuple[str, ...]
    index: tuple[re.Pattern[str], ...]
    article: tuple[re.Pattern[str], ...]
    bold_names: bool = False
    tested: bool = False

    @property
    def host(self) -> str:
        """``host[:port]`` of every page of the site."""
        return urlsplit(self.base).netloc.lower()

    def start_urls(self) -> list[str]:
        return [urljoin(self.base, path) for path in self.start]

    def kind(self, url: str) -> PageKind | None:
        """What ``url`` is on this site: an article, an index page, or nothing to fetch (another
        host, another edition, a page of neither kind)."""
        parts = urlsplit(url)
        if parts.netloc.lower() != self.host or parts.scheme not in ("http", "https"):
            return None
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if any(p.search(local) for p in self.article):
            return "article"
        if any(p.search(local) for p in self.index):
            return "index"
        return None

    def with_base(self, base: str) -> Site:
        """The same site served from ``base`` (a mirror, or a test's local server)."""
        return Site(self.name, self.outlet, self.language, base.rstrip("/"), self.start, self.index, self.article,
                    self.bold_names, self.tested)  # fmt: skip


def _patterns(values: Any, *, where: str, key: str) -> tuple[re.Pattern[str], ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputError(f"{key!r} must be a list of regular expressions", where=where)
    try:
        return tuple(re.compile(v) for v in values)
    except re.error as exc:
        raise InputError(f"{key!r} has a bad regular expression: {exc}", where=where) from exc


def _site(entry: Any, *, where: str) -> Site:
    if not isinstance(entry, dict):
        raise InputError("each [[site]] must be a table", where=where)
    missing = [k for k in _REQUIRED if k not in entry]
    if missing:
        raise InputError(f"site {entry.get('name', '?')!r} lacks {', '.join(missing)}", where=where)
    name = str(entry["name"])
    base = str(entry["base"]).rstrip("/")
    if urlsplit(base).scheme not in ("http", "https") or not urlsplit(base).netloc:
        raise InputError(f"site {name!r}: base must be an http(s) URL with a host, not {base!r}", where=where)
    start = entry["start"]
    if not isinstance(start, list) or not start or not all(isinstance(s, str) for s in start):
        raise InputError(f"site {name!r}: start must be a non-empty list of paths", where=where)
    return Site(
        name=name,
        outlet=str(entry["outlet"]),
        language=str(entry["language"]),
        base=base,
        start=tuple(start),
        index=_patterns(entry.get("index", []), where=where, key=f"{name}.index"),
        article=_patterns(entry["article"], where=where, key=f"{name}.article"),
        bold_names=bool(entry.get("bold_names", False)),
        tested=bool(entry.get("tested", False)),
    )


def load_sites(path: str | Path | None = None, *, only: Sequence[str] = ()) -> list[Site]:
    """The sites of a sources file (default: the shipped ``data/sites.toml``), those named in
    ``only`` if given. A bad file raises InputError naming it and the reason."""
    if path:
        where = str(path)
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the sources file: {exc.strerror or exc}", where=where) from exc
    else:
        where = "data/sites.toml"
        raw = resources.files("statemedia").joinpath("data", "sites.toml").read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"not a TOML sources file: {exc}", where=where) from exc
    entries = data.get("site")
    if not isinstance(entries, list) or not entries:
        raise InputError("no [[site]] tables", where=where)
    sites = [_site(e, where=where) for e in entries]
    names = [s.name for s in sites]
    if len(set(names)) != len(names):
        raise InputError("site names must be unique", where=where)
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise InputError(f"no site named {', '.join(unknown)} (sites: {', '.join(names)})", where=where)
        sites = [s for s in sites if s.name in only]
    return sites


def site_for_url(sites: Sequence[Site], url: str) -> tuple[Site, PageKind] | None:
    """The first site that knows ``url`` as an article or index page, with that kind."""
    for site in sites:
        kind = site.kind(url)
        if kind is not None:
            return site, kind
    return None
