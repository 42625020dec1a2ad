"""Structured inputs → Documents: JSON, JSON Lines (optionally gzipped), CSV and R data files.

Readers yield an :class:`InputError` for each bad record (naming ``file:line N`` or
``file:row N``) and go on, so one broken line never costs the good ones; a problem with
the whole file (truncated gzip) is yielded after the records read before it.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import json
import math
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import BadRecordError, InputError
from ..model import Document, Source
from .decode import check_text, decode_bytes
from .options import CaptureOptions, default_options
from .text import build_document

__all__ = [
    "capture_record",
    "iter_csv",
    "iter_json",
    "iter_jsonl",
    "iter_jsonl_lines",
    "iter_rdata",
]

# Field names accepted for each Document field, in order of preference (the KCNA jsonl
# uses body/date/index_url; other exports say text/published/url).
BODY_FIELDS = ("body", "text", "content", "article")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("date", "published", "pub_date")
URL_FIELDS = ("url", "index_url", "link")

Item = Document | InputError


def _field(record: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    """The first present, non-blank, non-NA value among ``names``, as a string."""
    for name in names:
        value = record.get(name)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        text = str(value).strip()
        if text:
            return text
    return None


def _date(value: str | None, *, where: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise BadRecordError(f"date {value!r} is not an ISO date (YYYY-MM-DD)", where=where) from None


def capture_record(
    record: Mapping[str, Any],
    *,
    location: str,
    outlet: str | None = None,
    published: datetime.date | None = None,
    options: CaptureOptions | None = None,
) -> Document:
    """A Document from one JSON/CSV/R record; ``outlet``/``published`` fill fields the record lacks."""
    options = options or default_options()
    if not isinstance(record, Mapping):
        raise BadRecordError(f"a record must be an object, not {type(record).__name__}", where=location)
    body = _field(record, BODY_FIELDS)
    if body is None:
        raise BadRecordError(f"no text: none of the fields {', '.join(BODY_FIELDS)}", where=location)
    check_text(body, where=location, options=options)
    raw = json.dumps(dict(record), ensure_ascii=False, default=str)
    claimed = _field(record, ("language",))
    return build_document(
        body,
        source=Source(raw, "application/json", "utf-8", location),
        options=options,
        doc_id=_field(record, ("id",)),
        outlet=_field(record, ("outlet",)) or outlet,
        published=_date(_field(record, DATE_FIELDS), where=location) or published,
        url=_field(record, URL_FIELDS),
        title=_field(record, TITLE_FIELDS),
        infer_title=False,
        meta={"language_claimed": claimed} if claimed else None,
    )


def _capture_each(
    records: Iterator[tuple[str, Any]], defaults: dict[str, Any], options: CaptureOptions
) -> Iterator[Item]:
    for where, record in records:
        try:
            yield capture_record(record, location=where, options=options, **defaults)
        except InputError as err:
            yield err


def iter_json(
    path: Path, data: bytes, *, options: CaptureOptions | None = None, **defaults: Any
) -> Iterator[Item]:
    """One JSON record, or a list of them (``file:item N``)."""
    options = options or default_options()
    try:
        text, _ = decode_bytes(data, where=str(path), options=options)
        parsed = json.loads(text)
    except InputError as err:
        yield err
        return
    except json.JSONDecodeError as exc:
        yield BadRecordError(f"not JSON: {exc}", where=str(path))
        return
    if isinstance(parsed, list):
        items = ((f"{path}:item {i}", record) for i, record in enumerate(parsed, 1))
        yield from _capture_each(items, defaults, options)
    else:
        yield from _capture_each(iter([(str(path), parsed)]), defaults, options)


def iter_jsonl_lines(
    lines: Iterable[bytes], where: str, *, options: CaptureOptions | None = None, **defaults: Any
) -> Iterator[Item]:
    """One record per line of ``lines`` (``where:line N``)."""
    options = options or default_options()
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        at = f"{where}:line {line_no}"
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            yield BadRecordError(f"not a JSON record: {exc}", where=at)
            continue
        yield from _capture_each(iter([(at, record)]), defaults, options)


def iter_jsonl(path: Path, *, options: CaptureOptions | None = None, **defaults: Any) -> Iterator[Item]:
    """A JSON Lines file; ``.gz`` files are read as a stream, a cut-short one ends in an error."""
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rb") as fh:
            yield from iter_jsonl_lines(fh, str(path), options=options, **defaults)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield InputError(f"compressed file is damaged or cut short: {exc}", where=str(path))
    except OSError as exc:
        yield InputError(f"cannot read: {exc.strerror or exc}", where=str(path))


def iter_csv(
    path: Path, data: bytes, *, options: CaptureOptions | None = None, **defaults: Any
) -> Iterator[Item]:
    """A header row, then one record per row (``file:row N``, the header being row 1)."""
    options = options or default_options()
    try:
        text, _ = decode_bytes(data, where=str(path), options=options)
    except InputError as err:
        yield err
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        row_no = 1
        for row_no, row in enumerate(reader, 2):
            where = f"{path}:row {row_no}"
            if len(row) != len(header):
                yield BadRecordError(f"{len(row)} fields where the header has {len(header)}", where=where)
                continue
            yield from _capture_each(iter([(where, dict(zip(header, row, strict=True)))]), defaults, options)
    except csv.Error as exc:
        yield BadRecordError(f"malformed CSV: {exc}", where=f"{path}:row {row_no + 1}")
    except StopIteration:
        yield BadRecordError("no header row", where=str(path))


def iter_rdata(path: Path, *, options: CaptureOptions | None = None, **defaults: Any) -> Iterator[Item]:
    """Records of the first data.frame in an .rda/.RData file that has a text column."""
    import pyreadr  # imported here: reading R data is rare and pyreadr loads pandas

    options = options or default_options()
    try:
        tables = pyreadr.read_r(str(path))
    except (pyreadr.custom_errors.PyreadrError, OSError, ValueError) as exc:
        yield InputError(f"cannot read R data: {exc}", where=str(path))
        return
    name = next((n for n, df in tables.items() if any(c in df.columns for c in BODY_FIELDS)), None)
    if name is None:
        yield BadRecordError(
            f"no data.frame with a text column ({', '.join(BODY_FIELDS)}); "
            f"tables: {', '.join(tables) or 'none'}",
            where=str(path),
        )
        return
    frame = tables[name]
    rows = ((f"{path}:{name} row {i}", rec) for i, rec in enumerate(frame.to_dict("records"), 1))
    yield from _capture_each(rows, defaults, options)
