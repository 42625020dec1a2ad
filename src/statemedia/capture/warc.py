"""WARC files (``.warc``, ``.warc.gz``) → Documents: the article pages any crawler archived.

Reads what `statemedia watch` writes and what other crawlers write (``wget --warc-file``,
Heritrix, Browsertrix). Each ``response`` record with HTTP status 200 and an HTML page becomes a
Document located at ``file#offset``; every other record (requests, metadata, redirects, 404s,
images) is passed over without a word, since a crawl is mostly such records. A page without an
article yields its InputError in its place; a damaged or cut-short file yields one InputError at
the offset where reading stopped, after the Documents read before it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from ..errors import InputError
from ..model import Document
from .html import capture_html, looks_like_html
from .options import CaptureOptions, default_options
from .sites import Site, load_sites, site_for_url

__all__ = ["iter_warc"]

Item = Document | InputError


class _Damaged(Exception):
    """The file stops being a readable WARC at ``end`` (warcio itself reads on past some damage)."""

    def __init__(self, reason: str, end: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.end = end


HTML_TYPES = ("text/html", "application/xhtml+xml")


@cache
def _sites() -> tuple[Site, ...]:
    """The shipped sites (read once: a crawl holds thousands of pages)."""
    return tuple(load_sites())


def _outlet(url: str) -> str | None:
    """The outlet of a known site's page: the site that knows the URL's pattern, else the first
    site on its host (an old or unlisted page of a known outlet is still that outlet's)."""
    known = site_for_url(_sites(), url)
    if known is not None:
        return known[0].outlet
    host = urlsplit(url).netloc.lower()
    return next((site.outlet for site in _sites() if site.host == host), None)


def _is_html_200(record: Any) -> bool:
    """A response record of an HTTP 200 whose declared type is HTML (or, declaring none, that
    looks like HTML: decided once the payload is read)."""
    if record.rec_type != "response" or not record.http_headers:
        return False
    if record.http_headers.get_statuscode() != "200":
        return False
    declared = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return not declared or declared in HTML_TYPES


class _Page(NamedTuple):
    """One HTML 200 response as read from the file."""

    offset: int
    url: str | None
    date: str | None
    typed: bool  # whether the response declared its Content-Type
    payload: bytes


def _pages(path: Path, max_bytes: int) -> Iterator[_Page]:
    """The file's HTML 200 responses; raises _Damaged where the file stops being readable."""
    # Imported here: warcio is needed only when a WARC is read, not by every reader process.
    from warcio.archiveiterator import ArchiveIterator

    end = 0  # where the last whole record ended: a damaged file is reported from there
    with open(path, "rb") as fh:
        try:
            records = ArchiveIterator(fh)
            for record in records:
                # warcio reads any line of words as an ARC record: in a .warc, that is not a WARC.
                if record.format != "warc":
                    raise _Damaged("not a WARC record", end)
                # Both are mandatory: a header without them was cut short (warcio reads it as a record).
                if not record.rec_headers.get_header("WARC-Type") or not record.rec_headers.get_header(
                    "Content-Length"
                ):
                    raise _Damaged("a record header without WARC-Type or Content-Length", end)
                wanted = _is_html_200(record)
                # One byte over the limit is enough to refuse the page (capture checks the size).
                payload = record.content_stream().read(max_bytes + 1) if wanted else b""
                offset = records.get_record_offset()  # reads the record to its end
                # warcio ends a cut-short record quietly: bytes its Content-Length promised are missing.
                if getattr(record.raw_stream, "limit", 0) > 0:
                    raise _Damaged("the last record ends early", end)
                records.get_record_length()
                end = records.offset  # the next record's start: past the blank lines that end this one
                if wanted:
                    typed = bool(record.http_headers.get_header("Content-Type"))
                    headers = record.rec_headers
                    yield _Page(offset, headers.get_header("WARC-Target-URI") or None,
                                headers.get_header("WARC-Date"), typed, payload)  # fmt: skip
            # warcio also ends quietly where a record's header is cut short: the rest of the file is unread.
            if end < os.fstat(fh.fileno()).st_size:
                raise _Damaged("the file ends inside a record", end)
        except (_Damaged, OSError):
            raise
        except Exception as exc:  # warcio raises what it meets on damaged input (ValueError, AttributeError, ...)
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise _Damaged(reason, end) from exc


def _document(page: _Page, path: Path, options: CaptureOptions, defaults: dict[str, Any]) -> Document | None:
    """The page's Document; None for an untyped payload that is not HTML after all."""
    if not page.typed and not looks_like_html(page.payload[:2048].decode("latin-1")):
        return None
    fields = dict(defaults)
    # The caller's outlet (``ingest --outlet``) wins, then the known site's; with neither,
    # capture_html names the outlet from the page itself.
    fields["outlet"] = fields.get("outlet") or (_outlet(page.url) if page.url else None)
    doc = capture_html(page.payload, location=f"{path}#{page.offset}", url=page.url, options=options, **fields)
    doc.meta = {**doc.meta, "warc": {"file": path.name, "offset": page.offset, "date": page.date}}
    return doc


def iter_warc(path: Path, *, options: CaptureOptions | None = None, **defaults: Any) -> Iterator[Item]:
    """The article pages of one WARC file (gzipped or not), errors in their place."""
    options = options or default_options()
    try:
        for page in _pages(path, options.max_bytes):
            try:
                doc = _document(page, path, options, defaults)
            except InputError as err:
                yield err
                continue
            if doc is not None:
                yield doc
    except _Damaged as exc:
        yield InputError(f"WARC file is damaged or cut short: {exc.reason}", where=f"{path}#{exc.end}")
    except OSError as exc:
        yield InputError(f"cannot read: {exc.strerror or exc}", where=str(path))
