"""The crawl's WARC archive (statemedia.watch.warc) and reading any crawler's WARC files (read_path)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from statemedia.capture import read_path
from statemedia.errors import InputError, NoArticleError
from statemedia.model import Document
from statemedia.watch.warc import WarcArchive, WarcLocation, read_response

ARTICLE_URL = "http://www.kcna.kp/en/article/q/0123456789abcdef0123456789abcdef.kcmsf"
STORY = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Kim Jong Un Inspects Kumsong Tractor Factory</title></head>
<body><div class="menu"><a href="/en">Home</a> <a href="/en/category/articles.kcmsf">Articles</a></div>
<article><h1>Kim Jong Un Inspects Kumsong Tractor Factory</h1>
<p>Pyongyang, December 2 (KCNA) -- Kim Jong Un, general secretary of the Workers' Party of Korea and president
of the State Affairs of the Democratic People's Republic of Korea, inspected the Kumsong Tractor Factory.</p>
<p>He went round the assembly shop and the newly built casting shop, and learned in detail about the production
of modern tractors and farm machines for the rural communities of the country.</p>
<p>Expressing great satisfaction over the fact that the workers had carried out the yearly plan ahead of schedule,
he set forth the tasks for boosting the production of farm machinery next year.</p>
</article></body></html>
"""
STORY_BYTES = STORY.encode("utf-8")
NO_ARTICLE = b"<html><head><title>Menu</title></head><body><a href='/en'>Home</a></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@dataclass(frozen=True)
class Fetched:
    """Stands in for statemedia.watch.fetch.Fetched (the attributes the archive reads)."""

    url: str = ARTICLE_URL
    final_url: str = ARTICLE_URL
    fetched_at: str = "2026-12-02T18:20:01.123456+00:00"
    status: int | None = 200
    headers: list[tuple[str, str]] = field(
        default_factory=lambda: [
            ("Server", "nginx"),
            ("Date", "Wed, 02 Dec 2026 18:20:01 GMT"),
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(STORY_BYTES))),
        ]
    )
    request_headers: list[tuple[str, str]] = field(
        default_factory=lambda: [("Host", "www.kcna.kp"), ("User-Agent", "statemedia-test"), ("Accept", "*/*")]
    )
    http_version: str = "HTTP/1.1"
    body: bytes = STORY_BYTES
    error: str | None = None


def _records(path: Path) -> list[tuple[str, dict[str, str], StatusAndHeaders | None, bytes, int, int]]:
    """(type, WARC headers, HTTP headers, raw payload, offset, length) of every record in ``path``."""
    out = []
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        for rec in it:
            payload = rec.raw_stream.read()
            warc = dict(rec.rec_headers.headers)
            out.append((rec.rec_type, warc, rec.http_headers, payload, it.get_record_offset(), it.get_record_length()))
    return out


def test_write_keeps_the_response_unaltered_and_linked(tmp_path: Path) -> None:
    fetched = Fetched()
    with WarcArchive(tmp_path, prefix="kcna", max_bytes=1 << 20) as archive:
        loc = archive.write(fetched)
        name, end = archive.position
    assert isinstance(loc, WarcLocation)
    assert loc.file == name == "kcna-00001.warc.gz"
    path = tmp_path / name
    assert end == path.stat().st_size == loc.offset + loc.length
    sha1 = base64.b32encode(hashlib.sha1(STORY_BYTES).digest()).decode()
    assert loc.digest == f"sha1:{sha1}"

    types = [r[0] for r in _records(path)]
    assert types == ["warcinfo", "request", "response"]
    _, req_warc, req_http, _, _, _ = _records(path)[1]
    _, resp_warc, resp_http, payload, offset, length = _records(path)[2]
    assert (offset, length) == (loc.offset, loc.length)
    assert payload == STORY_BYTES
    assert resp_http is not None and req_http is not None
    assert (resp_http.protocol, resp_http.statusline) == ("HTTP/1.1", "200 OK")
    assert resp_http.headers == fetched.headers
    assert resp_warc["WARC-Target-URI"] == req_warc["WARC-Target-URI"] == ARTICLE_URL
    assert resp_warc["WARC-Date"] == req_warc["WARC-Date"] == "2026-12-02T18:20:01.123456Z"
    assert resp_warc["WARC-Payload-Digest"] == loc.digest
    assert req_warc["WARC-Concurrent-To"] == resp_warc["WARC-Record-ID"]
    assert resp_warc["WARC-Concurrent-To"] == req_warc["WARC-Record-ID"]
    assert req_http.protocol == "GET"
    assert req_http.statusline == "/en/article/q/0123456789abcdef0123456789abcdef.kcmsf HTTP/1.1"
    assert req_http.headers == fetched.request_headers

    # The location alone finds the record: one whole gzip member, readable on its own.
    member = path.read_bytes()[loc.offset : loc.offset + loc.length]
    assert gzip.decompress(member).startswith(b"WARC/1.1\r\n")
    assert read_response(tmp_path, loc) == (200, fetched.headers, STORY_BYTES)
    assert read_response(tmp_path, (loc.file, loc.offset)) == (200, fetched.headers, STORY_BYTES)
    with pytest.raises(InputError, match="request record"):
        read_response(tmp_path, (loc.file, _records(path)[1][4]))


def test_transfer_encoding_undone_by_the_fetcher_is_kept_renamed(tmp_path: Path) -> None:
    squeezed = gzip.compress(STORY_BYTES)  # as transferred: the server compressed, the fetcher kept it so
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Content-Length", "321"),
               ("Transfer-Encoding", "chunked"), ("ETag", '"abc"')]  # fmt: skip
    with WarcArchive(tmp_path, prefix="t", max_bytes=1 << 20) as archive:
        loc = archive.write(Fetched(headers=headers, body=squeezed))
    assert loc is not None
    status, kept, body = read_response(tmp_path, loc)
    assert (status, body) == (200, squeezed)
    assert kept == [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                    ("X-Statemedia-Original-Content-Length", "321"),
                    ("X-Statemedia-Original-Transfer-Encoding", "chunked"), ("ETag", '"abc"')]  # fmt: skip
    assert read_response(tmp_path, loc, decode=True)[2] == STORY_BYTES
    # Readers that decode by the headers (warcio, replay tools, read_path) get the page.
    with open(tmp_path / loc.file, "rb") as fh:
        fh.seek(loc.offset)
        assert next(iter(ArchiveIterator(fh))).content_stream().read() == STORY_BYTES
    docs = [d for d in read_path(tmp_path) if isinstance(d, Document)]
    assert [(d.url, d.outlet, d.meta["warc"]["offset"]) for d in docs] == [(ARTICLE_URL, "KCNA", loc.offset)]


def test_a_body_cut_off_is_marked_truncated(tmp_path: Path) -> None:
    cut = Fetched(body=b"", error="page over 10 bytes (not stored)")
    with WarcArchive(tmp_path, prefix="t", max_bytes=1 << 20) as archive:
        loc = archive.write(cut)
    assert loc is not None and read_response(tmp_path, loc) == (200, cut.headers, b"")
    assert _records(tmp_path / loc.file)[2][1]["WARC-Truncated"] == "length"


def test_no_response_writes_nothing(tmp_path: Path) -> None:
    with WarcArchive(tmp_path, prefix="t", max_bytes=1 << 20) as archive:
        assert archive.write(Fetched(status=None, headers=[], body=b"", error="connection refused")) is None
        assert archive.position == ("t-00001.warc.gz", 0)
    assert list(tmp_path.iterdir()) == []


def test_a_new_part_once_the_file_is_full(tmp_path: Path) -> None:
    with WarcArchive(tmp_path, prefix="t", max_bytes=500) as archive:  # one fetch fills a part
        first = archive.write(Fetched())
        second = archive.write(Fetched(final_url=ARTICLE_URL + "?2"))
        assert first is not None and second is not None
        assert (first.file, second.file) == ("t-00001.warc.gz", "t-00002.warc.gz")
        assert archive.position == ("t-00002.warc.gz", (tmp_path / "t-00002.warc.gz").stat().st_size)
    for loc in (first, second):
        assert [r[0] for r in _records(tmp_path / loc.file)] == ["warcinfo", "request", "response"]
        assert read_response(tmp_path, loc)[2] == STORY_BYTES
    # A new writer never appends to a file whose end the store may not know: it starts a part.
    with WarcArchive(tmp_path, prefix="t", max_bytes=1 << 20) as archive:
        assert archive.position == ("t-00003.warc.gz", 0)


def test_resume_cuts_off_what_a_killed_writer_left(tmp_path: Path) -> None:
    with WarcArchive(tmp_path, prefix="t", max_bytes=1 << 20) as archive:
        first = archive.write(Fetched())
        name, end = archive.position  # what the store recorded
        archive.write(Fetched(final_url=ARTICLE_URL + "?unrecorded"))
    path = tmp_path / name
    whole = path.read_bytes()
    path.write_bytes(whole + b"\x1f\x8b\x08\x00half a record")  # killed mid-record
    with WarcArchive(tmp_path, prefix="t", max_bytes=1 << 20) as archive:
        archive.resume(name, end)
        assert archive.position == (name, end)
        second = archive.write(Fetched(final_url=ARTICLE_URL + "?2"))
    assert first is not None and second is not None
    assert second.file == name and second.offset > end
    records = _records(path)
    assert [r[0] for r in records] == ["warcinfo", "request", "response", "request", "response"]
    assert [r[1]["WARC-Target-URI"] for r in records[1:]] == [ARTICLE_URL] * 2 + [ARTICLE_URL + "?2"] * 2
    assert read_response(tmp_path, second)[2] == STORY_BYTES
    with pytest.raises(InputError, match="recorded"):
        WarcArchive(tmp_path, prefix="t", max_bytes=1 << 20).resume(name, path.stat().st_size + 1)


def _foreign_warc(path: Path, *, gz: bool) -> list[int]:
    """A WARC as another crawler writes it; returns the offsets of its records."""
    offsets = []
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz, warc_version="1.0")

        def response(url: str, status: str, ctype: str, body: bytes, extra: tuple[tuple[str, str], ...] = ()) -> None:
            http = StatusAndHeaders(status, [("Content-Type", ctype), *extra], protocol="HTTP/1.1")
            offsets.append(fh.tell())
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))

        offsets.append(fh.tell())
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "Wget/1.21"}))
        request = StatusAndHeaders("GET /en HTTP/1.1", [("Host", "www.kcna.kp")], is_http_request=True)
        offsets.append(fh.tell())
        writer.write_record(writer.create_warc_record(ARTICLE_URL, "request", http_headers=request))
        response(ARTICLE_URL, "200 OK", "text/html; charset=UTF-8", STORY_BYTES)
        response("http://www.kcna.kp/en/article/q/" + "f" * 32 + ".kcmsf", "404 Not Found", "text/html", STORY_BYTES)
        response("http://www.kcna.kp/photo/1.png", "200 OK", "image/png", PNG)
        response("http://www.kcna.kp/en", "200 OK", "text/html", NO_ARTICLE)
        # As wget keeps it: the body gzipped and chunked, as it came off the wire.
        squeezed = gzip.compress(STORY_BYTES)
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(squeezed), squeezed)
        response("https://example.org/story.html", "200 OK", "text/html",
                 chunked, (("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")))  # fmt: skip
    return offsets


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
def test_read_path_reads_another_crawlers_warc(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"crawl{suffix}"
    offsets = _foreign_warc(path, gz=suffix.endswith(".gz"))
    items = list(read_path(path))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [d.url for d in docs] == [ARTICLE_URL, "https://example.org/story.html"]
    kcna, other = docs
    assert kcna.outlet == "KCNA" and other.outlet != "KCNA"
    assert "Kumsong Tractor Factory" in kcna.text and kcna.title == "Kim Jong Un Inspects Kumsong Tractor Factory"
    assert kcna.text == other.text  # the gzipped, chunked body decoded
    assert kcna.source is not None and kcna.source.location == f"{path}#{offsets[2]}"
    assert kcna.meta["warc"]["file"] == path.name and kcna.meta["warc"]["offset"] == offsets[2]
    assert kcna.meta["warc"]["date"]
    assert other.meta["warc"]["offset"] == offsets[6]
    assert len(errors) == 1 and isinstance(errors[0], NoArticleError)
    assert errors[0].where == f"{path}#{offsets[5]}"
    assert items.index(errors[0]) == 1  # in its place, and reading went on
    # The caller's outlet wins over the site's; a folder contributes its WARC files.
    (tmp_path / "notes.md").write_text("not an input")
    again = [i for i in read_path(tmp_path, outlet="Rodong Sinmun") if isinstance(i, Document)]
    assert [d.outlet for d in again] == ["Rodong Sinmun"] * 2


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
def test_a_cut_short_warc_ends_in_an_error_naming_it(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"crawl{suffix}"
    offsets = _foreign_warc(path, gz=suffix.endswith(".gz"))
    whole = path.read_bytes()
    cut = offsets[6] + (len(whole) - offsets[6]) // 2  # in the middle of the last record
    path.write_bytes(whole[:cut])
    items = list(read_path(path))
    assert [d.url for d in items if isinstance(d, Document)] == [ARTICLE_URL]
    last = items[-1]
    assert isinstance(last, InputError) and not isinstance(last, NoArticleError)
    assert last.where == f"{path}#{offsets[6]}" and "cut short" in last.reason
    # Cut inside the first record's header: nothing read, and still not silence.
    path.write_bytes(whole[:10])
    assert [(type(i), getattr(i, "where", None)) for i in read_path(path)] == [(InputError, f"{path}#0")]


def test_a_file_that_is_no_warc_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not a WARC file\n" * 3)
    items = list(read_path(path))
    assert len(items) == 1 and isinstance(items[0], InputError) and items[0].where == f"{path}#0"
