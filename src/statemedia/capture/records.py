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
from .decode import check_size, check_text, decode_bytes
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
# A story record is flat; one nested deeper than this is refused whatever Python's recursion
# limit (json reads ~1,000 levels, then raises RecursionError), so the outcome never varies.
MAX_NESTING = 100
_TOO_DEEP = f"nested too deeply (JSON arrays/objects over {MAX_NESTING} levels deep)"


def _missing(value: Any) -> bool:
    """None, or a table's NA (NaN, NaT): the field is absent."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NaTType"


def _text(record: Mapping[str, Any], names: tuple[str, ...], *, where: str) -> str | None:
    """The first present, non-blank value among ``names``; a value that is not text is refused
    (a list or a number as a body or title would be stored as its Python repr)."""
    for name in names:
        value = record.get(name)
        if _missing(value):
            continue
        if not isinstance(value, str):
            raise BadRecordError(f"field {name!r} must be text, not {_kind(value)}", where=where)
        _no_nul(name, value, where=where)
        text = value.strip()
        if text:
            return text
    return None


def _kind(value: Any) -> str:
    return f"{type(value).__name__} {_short(value)}"


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _id(record: Mapping[str, Any], *, where: str) -> str | None:
    """The record's own id: text or an integer (an integral float from a table column reads as one).
    Anything else is refused: ``str([1, 2])`` would make unrelated stories versions of one."""
    value = record.get("id")
    if _missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadRecordError(f"id must be text or an integer, not {_kind(value)}", where=where)
    _no_nul("id", str(value), where=where)
    return str(value).strip() or None


def _no_nul(name: str, value: str, *, where: str) -> None:
    # No text holds a NUL: it is binary debris, and PostgreSQL refuses it in text columns.
    if "\x00" in value:
        raise BadRecordError(f"field {name!r} holds a NUL character (\\x00), which no text has", where=where)


def _date(record: Mapping[str, Any], *, where: str) -> datetime.date | None:
    """The publication date: an ISO date, optionally with a time (``2012-01-05T08:30:00+09:00``),
    or a date object from a table; anything else, or an impossible date, is refused."""
    present = (n for n in DATE_FIELDS if not _missing(record.get(n)) and record[n] != "")
    name = next(present, None)
    if name is None:
        return None
    value = record[name]
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        raise BadRecordError(f"{name} {_short(value)} is not an ISO date (YYYY-MM-DD)", where=where)
    text = value.strip()
    if not text:
        return None
    try:
        if len(text) <= 10:
            return datetime.date.fromisoformat(text)
        return datetime.datetime.fromisoformat(text).date()
    except ValueError:
        raise BadRecordError(
            f"{name} {_short(value)} is not an ISO date, or not a possible one (YYYY-MM-DD, optionally with a time)",
            where=where,
        ) from None


def _too_deep(record: Any) -> bool:
    """Whether ``record`` nests lists/objects over MAX_NESTING levels (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(record, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        if isinstance(value, Mapping):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, Mapping | list))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, Mapping | list))
    return False


def _raw(record: Mapping[str, Any], *, where: str) -> str:
    """The record as JSON, as stored with the Document: it must be encodable as UTF-8, so a
    lone surrogate (JSON allows ``"\\ud800"``; no UTF-8 text can hold it) in any field is refused."""
    raw = json.dumps(dict(record), ensure_ascii=False, default=str)
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        field = next(
            (str(k) for k, v in record.items() if bad in json.dumps({k: v}, ensure_ascii=False, default=str)), "?"
        )
        raise BadRecordError(
            f"field {_short(field)} holds a lone surrogate ({bad!a}), not encodable as UTF-8", where=where
        ) from None
    return raw


def capture_record(
    record: Mapping[str, Any],
    *,
    location: str,
    outlet: str | None = None,
    published: datetime.date | None = None,
    options: CaptureOptions | None = None,
) -> Document:
    """A Document from one JSON/CSV/R record; ``outlet``/``published`` fill fields the record lacks.

    A record that is not what it claims is refused with the reason (:class:`BadRecordError`):
    an id that is not text or an integer, a body or title that is not text, an impossible
    date, a lone surrogate anywhere in it."""
    options = options or default_options()
    if not isinstance(record, Mapping):
        raise BadRecordError(f"a record must be an object, not {type(record).__name__}", where=location)
    if _too_deep(record):
        raise BadRecordError(_TOO_DEEP, where=location)
    raw = _raw(record, where=location)
    body = _text(record, BODY_FIELDS, where=location)
    if body is None:
        raise BadRecordError(f"no text: none of the fields {', '.join(BODY_FIELDS)}", where=location)
    check_text(body, where=location, options=options)
    claimed = _text(record, ("language",), where=location)
    return build_document(
        body,
        source=Source(raw, "application/json", "utf-8", location),
        options=options,
        doc_id=_id(record, where=location),
        outlet=_text(record, ("outlet",), where=location) or outlet,
        published=_date(record, where=location) or published,
        url=_text(record, URL_FIELDS, where=location),
        title=_text(record, TITLE_FIELDS, where=location),
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
        except RecursionError:
            yield BadRecordError(_TOO_DEEP, where=where)


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
    except RecursionError:
        yield BadRecordError(_TOO_DEEP, where=str(path))
        return
    except ValueError as exc:  # JSONDecodeError, or an integer too long to convert
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
            # A byte-order mark may open the file (utf-8-sig reads it as nothing).
            record = json.loads(line.decode("utf-8-sig" if line_no == 1 else "utf-8"))
        except RecursionError:
            yield BadRecordError(_TOO_DEEP, where=at)
            continue
        except ValueError as exc:  # UnicodeDecodeError, JSONDecodeError, an integer too long
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


def _csv_text(data: bytes, *, where: str, options: CaptureOptions) -> str:
    """The text of a CSV file. Valid UTF-8 skips the whole-file binary check: each row's text is
    checked on its own (:func:`check_text`), so a NUL or control characters in one row cost that
    row only, not every good row of the file."""
    check_size(len(data), where=where, options=options)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return decode_bytes(data, where=where, options=options)[0]


def iter_csv(
    path: Path, data: bytes, *, options: CaptureOptions | None = None, **defaults: Any
) -> Iterator[Item]:
    """A header row, then one record per row (``file:row N``, the header being row 1)."""
    options = options or default_options()
    try:
        text = _csv_text(data, where=str(path), options=options)
    except InputError as err:
        yield err
        return
    # csv's default 128 KiB field limit would end the file at one long (but allowed) story, losing
    # every row after it; no field can be longer than the file, which max_bytes already bounds.
    csv.field_size_limit(max(csv.field_size_limit(), options.max_bytes))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        # Headers in any case and spacing: "Body", " title " are the fields body, title.
        header = [name.strip().lower() for name in next(reader)]
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
