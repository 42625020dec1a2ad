"""One pass over the outlets' sites: fetch → WARC → capture → store, then withdrawals.

A pass starts from each site's start pages, follows index pages ``index_depth`` links deep,
and fetches every article URL they list plus every article URL found before (withdrawn ones
too: an edit to an old story, or a restoration, shows only so; a conditional GET keeps that
cheap). Fetches run on a thread pool (the fetcher spaces requests per host); archiving,
capture and writing happen here, one batch per transaction: the batch's fetch rows, the
articles captured from them and the URLs they queued commit together. The pass's frontier
lives in the store, so a killed pass is resumed by the next run from its last committed
batch, and the WARC file is cut back to the last record the store knows
(:meth:`~statemedia.watch.warc.WarcArchive.resume`): nothing is lost or stored twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..capture.html import capture_html
from ..capture.options import CaptureOptions, default_options
from ..capture.sites import Site
from ..errors import InputError
from ..model import Document
from ..store.base import PutStatus, Store
from ..store.batch import now
from ..store.watchlog import (
    FetchRecord,
    FrontierItem,
    add_frontier,
    finish_pass,
    known_articles,
    mark_answered,
    mark_listed,
    pending,
    record_fetches,
    settle,
    start_pass,
    unfinished_pass,
    validators,
    warc_end,
)
from .fetch import Fetched, Fetcher
from .options import WatchOptions
from .warc import WarcArchive, WarcLocation

__all__ = ["PassSummary", "Progress", "run_pass"]

# Progress: (URLs done in the pass, URLs queued in it so far).
Progress = Callable[[int, int], None]


@dataclass
class PassSummary:
    pass_pk: int = 0
    resumed: bool = False
    fetched: int = 0  # responses archived
    failed: int = 0  # no usable answer: timeout, too large, 5xx after retries, redirect loop
    refused: int = 0  # never asked: robots.txt disallows it
    not_modified: int = 0
    new: int = 0
    versions: int = 0
    unchanged: int = 0
    no_article: int = 0  # an article URL whose page held no article (capture refused it)
    withdrawn: int = 0
    restored: int = 0
    errors: list[str] = field(default_factory=list)  # "url: reason" of each failure

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if isinstance(v, int) and not isinstance(v, bool)}


def links(page: bytes, base_url: str) -> list[str]:
    """The absolute href of every link on an HTML page, in page order, once each; a page
    lxml cannot parse at all has none."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.fromstring(page, base_url=base_url)
    except (ParserError, ValueError):
        return []
    tree.make_links_absolute(base_url, resolve_base_href=True, handle_failures="discard")
    found = (
        link.split("#", 1)[0] for element, attr, link, _ in tree.iterlinks() if element.tag == "a" and attr == "href"
    )
    return list(dict.fromkeys(found))


class _Pass:
    """The state of one pass while it runs."""

    def __init__(self, store: Store, sites: Sequence[Site], options: WatchOptions, capture: CaptureOptions) -> None:
        self.store, self.options, self.capture = store, options, capture
        self.sites = {s.name: s for s in sites}
        self.names = [s.name for s in sites]
        self.summary = PassSummary()

    def open(self) -> WarcArchive:
        """Start a new pass, or resume the one a killed run left; the archive to write to."""
        store, summary = self.store, self.summary
        resumed = unfinished_pass(store, self.names)
        if resumed is None:
            with store.transaction() as w:
                summary.pass_pk = start_pass(w, self.names)
                starts = [FrontierItem(u, s.name, "start", 0) for s in self.sites.values() for u in s.start_urls()]
                add_frontier(w, summary.pass_pk, starts)
                known = known_articles(store, self.names)
                add_frontier(w, summary.pass_pk, [FrontierItem(u, site, "article", 0) for u, site in known])
        else:
            summary.pass_pk, summary.resumed = resumed, True
        archive = WarcArchive(
            Path(self.options.archive), prefix=f"watch-{summary.pass_pk:06d}", max_bytes=self.options.warc_max_bytes
        )
        end = warc_end(store, summary.pass_pk)
        if end is not None:
            archive.resume(*end)
        return archive

    def fetch(self, fetcher: Fetcher, pool: ThreadPoolExecutor, batch: list[FrontierItem]) -> list[Fetched | str]:
        """Each item's answer, or why it may not be asked (robots.txt), fetched on the pool."""
        checks = validators(self.store, [i.url for i in batch if i.kind == "article"])

        def get(url: str) -> Fetched | str:
            refused = fetcher.allowed(url)
            if refused is not None:
                return refused
            etag, modified = checks.get(url, (None, None))
            return fetcher.fetch(url, etag=etag, last_modified=modified)

        return list(pool.map(get, [i.url for i in batch]))

    def write(self, archive: WarcArchive, batch: list[FrontierItem], answers: list[Fetched | str]) -> None:
        """Archive, capture and store one batch of answers, in one transaction."""
        summary = self.summary
        records: list[FetchRecord] = []
        docs: list[Document] = []
        listed: list[tuple[str, str, str]] = []
        answered: list[tuple[str, str, str | None]] = []
        queued: list[FrontierItem] = []
        for item, got in zip(batch, answers, strict=True):
            site = self.sites[item.site]
            if isinstance(got, str):
                summary.refused += 1
                records.append(FetchRecord(url=item.url, fetched_at=now(), status=None, error=f"refused: {got}"))
                continue
            where = archive.write(got) if got.status is not None else None
            summary.fetched += where is not None
            error, doc_id = got.error, None
            if got.ok and item.kind == "article":
                doc_id, error = self._capture(site, item.url, got, where, docs)
            elif got.ok:
                for link in links(got.body, got.final_url):
                    kind = site.kind(link)
                    if kind == "article":
                        listed.append((link, site.name, item.url))
                        queued.append(FrontierItem(link, site.name, "article", item.depth + 1))
                    elif kind == "index" and item.depth < self.options.index_depth:
                        queued.append(FrontierItem(link, site.name, "index", item.depth + 1))
            summary.not_modified += got.not_modified
            if got.error is not None:
                summary.failed += 1
                summary.errors.append(f"{item.url}: {got.error}")
            if item.kind == "article" and got.status in (200, 304) and got.error is None:
                answered.append((item.url, site.name, doc_id))
            records.append(_record(item.url, got, where, error, doc_id))
        with self.store.transaction() as w:
            for put in w.put_many([(doc, None) for doc in docs]):
                summary.new += put.status is PutStatus.NEW
                summary.versions += put.status is PutStatus.VERSION
                summary.unchanged += put.status is PutStatus.UNCHANGED
            record_fetches(w, summary.pass_pk, records)
            mark_listed(w, summary.pass_pk, listed)
            mark_answered(w, summary.pass_pk, answered)
            add_frontier(w, summary.pass_pk, queued)

    def _capture(
        self, site: Site, url: str, got: Fetched, where: WarcLocation | None, docs: list[Document]
    ) -> tuple[str | None, str | None]:
        """(doc id, None) for an article captured from the page, or (None, why not)."""
        try:
            doc = capture_html(
                got.body, location=url, url=url, outlet=site.outlet, options=self.capture, bold_names=site.bold_names
            )
        except InputError as exc:
            self.summary.no_article += 1
            return None, f"{exc.code} {exc.reason}"
        doc.meta["watch"] = {"site": site.name, "fetched_at": got.fetched_at}
        if where is not None:
            doc.meta["watch"]["warc"] = {"file": where.file, "offset": where.offset}
        docs.append(doc)
        return doc.id, None

    def finish(self, day: str) -> None:
        summary = self.summary
        with self.store.transaction() as w:
            settled = settle(w, summary.pass_pk, self.names, day=day, withdrawn_after=self.options.withdrawn_after)
            summary.withdrawn, summary.restored = len(settled.withdrawn), len(settled.restored)
            finish_pass(w, summary.pass_pk, summary.counts())


def _record(url: str, got: Fetched, where: WarcLocation | None, error: str | None, doc_id: str | None) -> FetchRecord:
    return FetchRecord(
        url=url,
        fetched_at=got.fetched_at,
        status=got.status,
        error=error,
        digest=where.digest if where is not None else None,
        content_type=got.content_type,
        etag=got.etag,
        last_modified=got.last_modified,
        warc_file=where.file if where is not None else None,
        warc_offset=where.offset if where is not None else None,
        warc_length=where.length if where is not None else None,
        doc_id=doc_id,
    )


def _queued(store: Store, pass_pk: int) -> tuple[int, int]:
    row = store.query("SELECT count(*), sum(done) FROM watch_frontier WHERE pass_pk = ?", (pass_pk,))[0]
    return int(row[1] or 0), int(row[0])


def run_pass(
    store: Store,
    sites: Sequence[Site],
    options: WatchOptions,
    *,
    capture: CaptureOptions | None = None,
    progress: Progress | None = None,
    day: str | None = None,
    batch_size: int = 64,
) -> PassSummary:
    """Crawl ``sites`` once (or finish the pass a killed run left) into ``store``; ``day`` (ISO
    date, default today in UTC) dates what the pass finds withdrawn or restored."""
    run = _Pass(store, sites, options, capture or default_options())
    archive = run.open()
    hosts = {s.host for s in sites}
    with archive, Fetcher(options, allowed_hosts=hosts) as fetcher, ThreadPoolExecutor(options.concurrency) as pool:
        while batch := pending(store, run.summary.pass_pk, batch_size):
            run.write(archive, batch, run.fetch(fetcher, pool, batch))
            if progress is not None:
                progress(*_queued(store, run.summary.pass_pk))
    run.finish(day or datetime.now(UTC).date().isoformat())
    return run.summary
