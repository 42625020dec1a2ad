"""The crawl's archive: every HTTP response `statemedia watch` receives, kept in WARC files.

Each fetch is a ``request`` record then a ``response`` record (WARC/1.1, one gzip member per
record, so any record can be read alone from its offset). Files are ``{prefix}-{part:05d}.warc.gz``
in one folder; a new part begins once the current one reaches ``max_bytes``. One writer owns a
prefix at a time.

Every record is flushed to the file as it is written (not fsync'd: that costs a disk round trip
per page), so the offsets the store records are real. A crash can still leave a half-written or
an unrecorded record at the end of the current file: :meth:`WarcArchive.resume` truncates the file
to the end the store recorded last, so the archive holds exactly what the store knows of.
"""

from __future__ import annotations

import datetime
import io
import re
import zlib
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Protocol
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParserException
from warcio.warcwriter import WARCWriter

from .. import __version__
from ..errors import InputError

__all__ = ["FetchedLike", "WarcArchive", "WarcLocation", "read_response"]

# The fetcher's body is the payload as transferred (``fetch.py``: iter_raw, Content-Encoding kept, so
# a gzipped body stays gzipped and matches its header), except for Transfer-Encoding: the HTTP
# library always de-chunks. Keeping that header under its own name would be a lie that breaks
# readers (warcio, pywb would de-chunk the body again); dropping it would lose what the server
# sent. So it is kept, value and place unchanged, renamed with RENAMED_PREFIX, and so is a
# Content-Length beside it that disagrees with the body. Every other header is kept as received.
DECODED_HEADERS = frozenset({"transfer-encoding"})
RENAMED_PREFIX = "X-Statemedia-Original-"


class FetchedLike(Protocol):
    """What the archive needs of one fetch (``statemedia.watch.fetch.Fetched``)."""

    @property
    def url(self) -> str: ...
    @property
    def final_url(self) -> str: ...
    @property
    def fetched_at(self) -> str: ...
    @property
    def status(self) -> int | None: ...
    @property
    def headers(self) -> list[tuple[str, str]]: ...
    @property
    def request_headers(self) -> list[tuple[str, str]]: ...
    @property
    def http_version(self) -> str: ...
    @property
    def body(self) -> bytes: ...
    @property
    def error(self) -> str | None: ...


@dataclass(frozen=True)
class WarcLocation:
    """Where one response record lies: its file (a name in the archive folder), byte offset and
    length (of its gzip member), and its WARC-Payload-Digest (``sha1:BASE32``)."""

    file: str
    offset: int
    length: int
    digest: str


class _WireHeaders(StatusAndHeaders):  # type: ignore[misc]  # warcio is untyped
    """HTTP headers written as ISO-8859-1 bytes, the encoding HTTP clients decode header bytes
    with, so each byte goes back as received; warcio itself would %-encode non-ASCII values."""

    def compute_headers_buffer(self, header_filter: Any = None) -> None:
        text = self.to_str(header_filter)
        try:
            self.headers_buff = text.encode("latin-1") + b"\r\n"
        except UnicodeEncodeError:  # a value the fetcher decoded as UTF-8
            self.headers_buff = text.encode("utf-8") + b"\r\n"


def warc_date(fetched_at: str) -> str:
    """``2026-12-02T18:20:01.123456+00:00`` → ``2026-12-02T18:20:01.123456Z`` (WARC 1.1 allows
    fractions of a second; a time without a zone is taken as UTC)."""
    when = datetime.datetime.fromisoformat(fetched_at)
    if when.tzinfo is not None:
        when = when.astimezone(datetime.UTC)
    fraction = f".{when.microsecond:06d}" if when.microsecond else ""
    return when.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def archived_headers(headers: list[tuple[str, str]], body: bytes) -> list[tuple[str, str]]:
    """The response headers as archived with ``body`` (see DECODED_HEADERS)."""
    dechunked = any(name.lower() in DECODED_HEADERS for name, _ in headers)
    kept: list[tuple[str, str]] = []
    for name, value in headers:
        lower = name.lower()
        recounted = dechunked and lower == "content-length" and value.strip() != str(len(body))
        kept.append((RENAMED_PREFIX + name, value) if lower in DECODED_HEADERS or recounted else (name, value))
    return kept


def _cut_short(headers: list[tuple[str, str]], body: bytes) -> bool:
    """Whether the body is shorter than the Content-Length the server announced (the fetcher
    stopped at its size limit, or the connection dropped)."""
    for name, value in headers:
        if name.lower() == "content-length" and value.strip().isdigit():
            return int(value) > len(body)
    return False


class WarcArchive:
    """Writes fetches to ``{folder}/{prefix}-{part:05d}.warc.gz``; see the module's docstring."""

    def __init__(self, folder: str | Path, *, prefix: str, max_bytes: int) -> None:
        if not prefix or "/" in prefix or "\\" in prefix:
            raise ValueError(f"a WARC file prefix is a plain name, not {prefix!r}")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self._name = self._part_name(self._next_part())
        self._fh: IO[bytes] | None = None  # opened at the first write: no empty files

    def _part_name(self, part: int) -> str:
        return f"{self.prefix}-{part:05d}.warc.gz"

    def _next_part(self) -> int:
        """One past the highest part of this prefix in the folder: never append to a file whose
        end the store may not know (use :meth:`resume` for that)."""
        shape = re.compile(re.escape(self.prefix) + r"-(\d{5,})\.warc\.gz")
        parts = [int(m.group(1)) for p in self.folder.iterdir() if (m := shape.fullmatch(p.name))]
        return max(parts, default=0) + 1

    @property
    def position(self) -> tuple[str, int]:
        """The current file's name and size: the end the caller records after a write."""
        if self._fh is not None:
            return self._name, self._fh.tell()
        path = self.folder / self._name
        return self._name, path.stat().st_size if path.exists() else 0

    def _writer(self) -> WARCWriter:
        """The writer of the file to append to, a new part first if the current one is full."""
        if 0 < self.position[1] >= self.max_bytes:
            self.close()
            self._name = self._part_name(self._next_part())
        if self._fh is None:
            self._fh = open(self.folder / self._name, "ab")  # noqa: SIM115  # held until close()
        writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")
        if self._fh.tell() == 0:  # a new file opens with what wrote it, as wget and Heritrix do
            info = {"software": f"statemedia/{__version__} (statemedia watch)", "format": "WARC File Format 1.1"}
            writer.write_record(writer.create_warcinfo_record(self._name, info))
        return writer

    def write(self, fetched: FetchedLike) -> WarcLocation | None:
        """Archive one fetch (request, then response); None, and nothing written, when no
        response came (``status`` None: a refused connection, a timeout)."""
        if fetched.status is None:
            return None
        writer = self._writer()
        assert self._fh is not None
        date = warc_date(fetched.fetched_at)
        uri = fetched.final_url or fetched.url
        protocol = fetched.http_version or "HTTP/1.1"
        try:
            phrase = HTTPStatus(fetched.status).phrase
        except ValueError:
            phrase = ""
        # The fetch result holds no reason phrase: the status code's standard one stands in.
        statusline = f"{fetched.status} {phrase}".rstrip()
        response_headers = _WireHeaders(statusline, archived_headers(fetched.headers, fetched.body), protocol=protocol)
        warc_fields = {"WARC-Date": date}
        if _cut_short(fetched.headers, fetched.body):
            warc_fields["WARC-Truncated"] = "length"
        response = writer.create_warc_record(
            uri, "response", payload=io.BytesIO(fetched.body), length=len(fetched.body),
            warc_headers_dict=warc_fields, http_headers=response_headers,
        )  # fmt: skip
        parts = urlsplit(uri)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # The fetcher only sends GETs; warcio splits the method off the request line.
        request_line = f"GET {target} {protocol}"
        request_headers = _WireHeaders(request_line, list(fetched.request_headers), is_http_request=True)
        request = writer.create_warc_record(
            uri, "request", payload=io.BytesIO(b""), length=0, http_headers=request_headers,
            warc_headers_dict={"WARC-Date": date,
                               "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
        )  # fmt: skip
        response.rec_headers.add_header("WARC-Concurrent-To", request.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(request)  # each write_record ends with a flush of the file
        offset = self._fh.tell()
        writer.write_record(response)
        end = self._fh.tell()
        digest = str(response.rec_headers.get_header("WARC-Payload-Digest"))
        return WarcLocation(self._name, offset, end - offset, digest)

    def resume(self, file: str, end: int) -> None:
        """Go on appending to ``file`` after its first ``end`` bytes (the end of the last record
        the store recorded), cutting off whatever a killed writer left after them."""
        if Path(file).name != file or not file:
            raise ValueError(f"a WARC file is named within the archive folder, not {file!r}")
        path = self.folder / file
        size = path.stat().st_size if path.exists() else 0
        if end < 0 or size < end:
            raise InputError(f"the store recorded {end} bytes but the file holds {size}", where=str(path))
        self.close()
        with open(path, "r+b" if path.exists() else "wb") as fh:
            fh.truncate(end)
        self._name = file

    def close(self) -> None:
        """Close the current file (the next write opens it again, or a new part)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def read_response(
    folder: str | Path, location: WarcLocation | tuple[str, int], *, decode: bool = False
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and payload of the response record at ``location`` (a WarcLocation, or a
    file name and offset): the bytes as archived, or with ``decode`` its Content-Encoding (gzip,
    deflate, br) undone, as a page's text is read."""
    file, offset = (location.file, location.offset) if isinstance(location, WarcLocation) else location
    path = Path(folder) / file
    where = f"{path}#{offset}"
    with open(path, "rb") as fh:
        fh.seek(offset)
        try:
            record = next(iter(ArchiveIterator(fh)), None)
        except (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, zlib.error) as exc:
            raise InputError(f"no WARC record here: {exc}", where=where) from exc
        if record is None or record.rec_type != "response" or not record.http_headers:
            kind = "nothing" if record is None else f"a {record.rec_type} record"
            raise InputError(f"no HTTP response record here ({kind})", where=where)
        payload = (record.content_stream() if decode else record.raw_stream).read()
        return int(record.http_headers.get_statuscode()), list(record.http_headers.headers), payload
