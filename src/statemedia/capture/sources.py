"""``read_path``: any input (file, directory, ``-`` for stdin) → Documents and InputErrors.

Dispatch is by suffix (``.gz`` looks at the suffix inside), then by content for other
files and stdin. Problems are *yielded* as :class:`InputError`, never raised, so one bad
file or record never stops a batch.
"""

from __future__ import annotations

import datetime
import gzip
import os
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Document
from .decode import check_size, decode_bytes
from .html import capture_html, looks_like_html
from .options import CaptureOptions, default_options
from .records import Item, iter_csv, iter_json, iter_jsonl, iter_jsonl_lines, iter_rdata
from .text import capture_text
from .warc import iter_warc

__all__ = ["read_path"]

# What a directory contributes: article and record files (also gzipped: ``a.jsonl.gz``) and
# crawlers' WARC files, not every file lying around (CSV is left out: a folder's tables are
# seldom stories).
DIRECTORY_SUFFIXES = frozenset({".txt", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".warc"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
RDATA_SUFFIXES = frozenset({".rda", ".rdata"})


def _format(path: Path) -> str:
    """The format suffix, looking inside ``.gz`` (``a.jsonl.gz`` → ``.jsonl``)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _read_bytes(path: Path, options: CaptureOptions) -> bytes:
    where = str(path)
    try:
        check_size(path.stat().st_size, where=where, options=options)
        data = path.read_bytes()
        if path.suffix.lower() == ".gz":
            data = gzip.decompress(data)
            check_size(len(data), where=where, options=options)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(f"compressed file is damaged or cut short: {exc}", where=where) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", where=where) from exc
    return data


def _walk(root: Path) -> Iterator[tuple[Path, OSError | None]]:
    """Every file under ``root`` a directory contributes, and each folder that cannot be read
    (with its error), sorted by path: nothing is skipped without a word."""
    found: list[tuple[Path, OSError | None]] = []
    seen: set[str] = set()

    def refused(exc: OSError) -> None:
        found.append((Path(exc.filename or root), exc))

    for folder, dirs, names in os.walk(root, onerror=refused, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a link back up the tree: its files are listed already
            dirs.clear()
            continue
        seen.add(real)
        for name in names:
            file = Path(folder, name)
            if not name.startswith(".") and _format(file) in DIRECTORY_SUFFIXES and file.is_file():
                found.append((file, None))
    return iter(sorted(found, key=lambda item: item[0]))


def _one(capture: Callable[[], Any]) -> Iterator[Item]:
    try:
        yield capture()
    except InputError as err:
        yield err


def _sniffed(data: bytes, where: str, options: CaptureOptions, **defaults: Any) -> Iterator[Item]:
    """Input of unknown format: JSON (object, list or lines), HTML, else plain text."""
    try:
        text, _ = decode_bytes(data, where=where, options=options)
    except InputError as err:
        yield err
        return
    head = text.lstrip()[:1]
    if head in ("{", "["):
        lines = data.splitlines()
        # JSON Lines: several non-blank lines, the first a complete object.
        several = len([line for line in lines if line.strip()]) > 1
        if head == "{" and several and lines[0].rstrip().endswith(b"}"):
            yield from iter_jsonl_lines(lines, where, options=options, **defaults)
        else:
            yield from iter_json(Path(where), data, options=options, **defaults)
    elif looks_like_html(text):
        yield from _one(lambda: capture_html(data, location=where, options=options, **defaults))
    else:
        yield from _one(lambda: capture_text(data, location=where, options=options, **defaults))


def read_path(
    path: str | Path,
    *,
    outlet: str | None = None,
    published: datetime.date | None = None,
    options: CaptureOptions | None = None,
) -> Iterator[Document | InputError]:
    """Every Document in ``path`` (a file, a directory, or ``-`` for stdin), errors in their place."""
    options = options or default_options()
    defaults: dict[str, Any] = {"outlet": outlet, "published": published}
    if str(path) == "-":
        yield from _sniffed(sys.stdin.buffer.read(), "<stdin>", options, **defaults)
        return
    path = Path(path)
    if path.is_dir():
        for file, error in _walk(path):
            if error is not None:
                yield InputError(f"cannot read folder: {error.strerror or error}", where=str(file))
            else:
                yield from read_path(file, options=options, **defaults)
        return
    if not path.exists():
        yield InputError("no such file or directory", where=str(path))
        return
    fmt = _format(path)
    if fmt in JSONL_SUFFIXES:
        yield from iter_jsonl(path, options=options, **defaults)
        return
    if fmt in RDATA_SUFFIXES:
        yield from iter_rdata(path, options=options, **defaults)
        return
    if fmt == ".warc":  # read as a stream, record by record: a crawl's WARC runs to gigabytes
        yield from iter_warc(path, options=options, **defaults)
        return
    try:
        data = _read_bytes(path, options)
    except InputError as err:
        yield err
        return
    where = str(path)
    if fmt == ".json":
        yield from iter_json(path, data, options=options, **defaults)
    elif fmt == ".csv":
        yield from iter_csv(path, data, options=options, **defaults)
    elif fmt in HTML_SUFFIXES:
        yield from _one(lambda: capture_html(data, location=where, options=options, **defaults))
    elif fmt == ".txt":
        yield from _one(lambda: capture_text(data, location=where, options=options, **defaults))
    else:
        yield from _sniffed(data, where, options, **defaults)
