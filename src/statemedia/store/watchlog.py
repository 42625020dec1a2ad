"""The watch's tables beside the corpus: passes, each pass's frontier, every fetch with its
place in the WARC archive, the article URLs found, and withdrawals (migrations/003_watch.sql).

Writes take the open :class:`~statemedia.store.base.Writer` of a transaction, reads the store;
all SQL is the shared dialect (``?`` placeholders, ``ON CONFLICT``, ``RETURNING``) that SQLite
and PostgreSQL both run. The crawl that decides what to write is ``statemedia.watch.crawl``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .base import Store, Writer
from .batch import now

__all__ = [
    "FetchRecord",
    "FrontierItem",
    "Settled",
    "add_frontier",
    "finish_pass",
    "known_articles",
    "mark_answered",
    "mark_listed",
    "pending",
    "record_fetches",
    "settle",
    "start_pass",
    "unfinished_pass",
    "validators",
    "warc_end",
]

# Statuses that say an article is gone from its URL (a transient 5xx or timeout says nothing).
GONE = (404, 410)


@dataclass(frozen=True)
class FrontierItem:
    url: str
    site: str
    kind: str  # "start", "index" or "article"
    depth: int


@dataclass(frozen=True)
class FetchRecord:
    """One row of ``fetches``: what was asked, what came back, where the response is archived."""

    url: str
    fetched_at: str
    status: int | None
    error: str | None = None
    digest: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None
    doc_id: str | None = None


@dataclass(frozen=True)
class Settled:
    """What the end of a pass changed: article URLs newly withdrawn and restored (url, doc id, day)."""

    withdrawn: list[tuple[str, str, str]]
    restored: list[tuple[str, str, str]]


def start_pass(w: Writer, sites: Sequence[str]) -> int:
    row = w.sql(
        "INSERT INTO watch_passes (started_at, sites) VALUES (?, ?) RETURNING pass_pk", (now(), json.dumps(list(sites)))
    )
    return int(row[0][0])


def unfinished_pass(store: Store, sites: Sequence[str]) -> int | None:
    """The newest pass over the same sites that never finished (killed): the next run resumes it."""
    rows = store.query(
        "SELECT pass_pk FROM watch_passes WHERE finished_at IS NULL AND sites = ? ORDER BY pass_pk DESC",
        (json.dumps(list(sites)),),
    )
    return int(rows[0][0]) if rows else None


def finish_pass(w: Writer, pass_pk: int, counts: dict[str, int]) -> None:
    w.sql("UPDATE watch_passes SET finished_at = ?, counts = ? WHERE pass_pk = ?", (now(), json.dumps(counts), pass_pk))


def add_frontier(w: Writer, pass_pk: int, items: Iterable[FrontierItem]) -> None:
    """Queue URLs for the pass; one already queued (or fetched) in it is left as it is."""
    w.many(
        "INSERT INTO watch_frontier (pass_pk, url, site, kind, depth) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (pass_pk, url) DO NOTHING",
        [(pass_pk, i.url, i.site, i.kind, i.depth) for i in items],
    )


_KIND_ORDER = "CASE kind WHEN 'start' THEN 0 WHEN 'index' THEN 1 ELSE 2 END"


def pending(store: Store, pass_pk: int, limit: int) -> list[FrontierItem]:
    """The pass's URLs not yet fetched: start pages, then index pages by depth, then articles."""
    rows = store.query(
        f"SELECT url, site, kind, depth FROM watch_frontier WHERE pass_pk = ? AND done = 0 "
        f"ORDER BY {_KIND_ORDER}, depth, url LIMIT ?",
        (pass_pk, limit),
    )
    return [FrontierItem(str(u), str(s), str(k), int(d)) for u, s, k, d in rows]


def record_fetches(w: Writer, pass_pk: int | None, records: Sequence[FetchRecord]) -> None:
    """Store fetches and mark their URLs done in the pass: in the caller's transaction, with the
    articles they captured, so a killed pass resumes after the last batch it committed."""
    w.many(
        "INSERT INTO fetches (pass_pk, url, fetched_at, status, error, digest, content_type, etag, "
        "last_modified, warc_file, warc_offset, warc_length, doc_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (pass_pk, r.url, r.fetched_at, r.status, r.error, r.digest, r.content_type, r.etag, r.last_modified,
             r.warc_file, r.warc_offset, r.warc_length, r.doc_id)
            for r in records
        ],
    )  # fmt: skip
    if pass_pk is not None:
        w.many("UPDATE watch_frontier SET done = 1 WHERE pass_pk = ? AND url = ?", [(pass_pk, r.url) for r in records])


def validators(store: Store, urls: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
    """ETag and Last-Modified of each URL's latest 200 answer whose article was stored: what a
    conditional GET sends (a 304 then means the stored version is still the page)."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for url in urls:
        rows = store.query(
            "SELECT etag, last_modified FROM fetches WHERE url = ? AND status = 200 AND doc_id IS NOT NULL "
            "ORDER BY fetch_pk DESC LIMIT 1",
            (url,),
        )
        if rows and (rows[0][0] or rows[0][1]):
            out[url] = (rows[0][0], rows[0][1])
    return out


def warc_end(store: Store, pass_pk: int) -> tuple[str, int] | None:
    """The WARC file of the pass's last recorded response and where that record ends."""
    rows = store.query(
        "SELECT warc_file, warc_offset + warc_length FROM fetches WHERE pass_pk = ? AND warc_file IS NOT NULL "
        "ORDER BY fetch_pk DESC LIMIT 1",
        (pass_pk,),
    )
    return (str(rows[0][0]), int(rows[0][1])) if rows else None


def known_articles(store: Store, sites: Sequence[str]) -> list[tuple[str, str]]:
    """(url, site) of every article URL found on these sites in earlier passes, withdrawn ones
    included (a pass refetches them: edits and restorations show only so)."""
    marks = ",".join("?" * len(sites))
    rows = store.query(f"SELECT url, site FROM watch_urls WHERE site IN ({marks}) ORDER BY url", tuple(sites))
    return [(str(u), str(s)) for u, s in rows]


def mark_listed(w: Writer, pass_pk: int, listed: Iterable[tuple[str, str, str]]) -> None:
    """Article URLs (url, site, index page) an index page of the pass lists."""
    stamp = now()
    w.many(
        "INSERT INTO watch_urls (url, site, first_seen, last_listed, listed_on) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (url) DO UPDATE SET last_listed = excluded.last_listed, listed_on = excluded.listed_on",
        [(url, site, stamp, pass_pk, page) for url, site, page in listed],
    )


def mark_answered(w: Writer, pass_pk: int, answered: Iterable[tuple[str, str, str | None]]) -> None:
    """Article URLs (url, site, doc id) that answered in the pass (200 or 304)."""
    stamp = now()
    w.many(
        "INSERT INTO watch_urls (url, site, doc_id, first_seen, last_ok) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (url) DO UPDATE SET last_ok = excluded.last_ok, "
        "doc_id = coalesce(excluded.doc_id, watch_urls.doc_id)",
        [(url, site, doc_id, stamp, pass_pk) for url, site, doc_id in answered],
    )


def _states(w: Writer, pass_pk: int, sites: Sequence[str]) -> list[Any]:
    marks = ",".join("?" * len(sites))
    return w.sql(
        "SELECT u.url, u.doc_id, u.last_listed, u.last_ok, u.missed, u.first_missed, u.withdrawn_on, u.listed_on, "
        "(SELECT max(f.status) FROM fetches f WHERE f.pass_pk = ? AND f.url = u.url AND f.status IN (404, 410)), "
        "(SELECT count(*) FROM fetches f WHERE f.pass_pk = ? AND f.url = u.listed_on AND f.status = 200) "
        f"FROM watch_urls u WHERE u.site IN ({marks}) AND u.doc_id IS NOT NULL",
        (pass_pk, pass_pk, *sites),
    )


def _aged_off(w: Writer, pass_pk: int, page: str, doc_id: str) -> bool:
    """Whether an article its index page stopped listing was only pushed off it by newer ones:
    the page no longer lists any article published on or before this one. Lists show the newest
    first, so a story that ages off takes the older ones with it; a deleted one leaves them."""
    rows = w.sql(
        "SELECT count(*) FROM watch_urls v JOIN documents d ON d.doc_id = v.doc_id AND d.is_current = ? "
        "WHERE v.listed_on = ? AND v.last_listed = ? AND d.published <= "
        "(SELECT max(o.published) FROM documents o WHERE o.doc_id = ? AND o.is_current = ?)",
        (True, page, pass_pk, doc_id, True),
    )
    return not rows or int(rows[0][0]) == 0


def settle(w: Writer, pass_pk: int, sites: Sequence[str], *, day: str, withdrawn_after: int) -> Settled:
    """After a pass: an article URL that answered 404/410, or left the index page that listed it
    (see :func:`_aged_off`), is missed once more; missed ``withdrawn_after`` passes in a row, it
    is withdrawn from the first day it was missed. One that is back (answered, listed or not
    expected to be) is present again, and restored if it was withdrawn. Index pages that failed
    this pass say nothing, so a site that is down withdraws nothing."""
    settled = Settled([], [])
    for url, doc_id, last_listed, last_ok, missed, first_missed, withdrawn_on, page, gone, page_ok in _states(
        w, pass_pk, sites
    ):
        unlisted = page is not None and last_listed != pass_pk and int(page_ok) > 0
        if unlisted and _aged_off(w, pass_pk, str(page), str(doc_id)):
            unlisted = False
        if gone is not None or unlisted:
            first = first_missed or day
            count = int(missed) + 1
            withdraw = withdrawn_on is None and count >= withdrawn_after
            w.sql(
                "UPDATE watch_urls SET missed = ?, first_missed = ?, withdrawn_on = ? WHERE url = ?",
                (count, first, first if withdraw else withdrawn_on, url),
            )
            if withdraw:
                w.sql(
                    "INSERT INTO withdrawals (url, doc_id, withdrawn_on, noticed_at) VALUES (?, ?, ?, ?)",
                    (url, doc_id, first, now()),
                )
                settled.withdrawn.append((str(url), str(doc_id), str(first)))
        elif last_ok == pass_pk:
            w.sql("UPDATE watch_urls SET missed = 0, first_missed = NULL, withdrawn_on = NULL WHERE url = ?", (url,))
            if withdrawn_on is not None:
                w.sql("UPDATE withdrawals SET restored_on = ? WHERE url = ? AND restored_on IS NULL", (day, url))
                settled.restored.append((str(url), str(doc_id), day))
    return settled
