"""Mutated real KCNA records for the fuzz suites (issue 17).

One generator drives both the seeded bulk runs and hypothesis: ``pick(n)`` chooses an index in
``range(n)`` (``random.Random.randrange``, or a hypothesis draw). Each generated entry carries
the id of the good record it holds, or None when it is malformed and must be rejected.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from conftest import iter_kcna

Pick = Callable[[int], int]
Record = dict[str, Any]

# A few hundred real stories, seeded; the longest are left out (capture time grows with the text).
_POOL = sorted(itertools.islice(iter_kcna(2012), 600), key=lambda r: len(r["body"]))[:500]
REAL: list[Record] = random.Random(17).sample(_POOL, 300)
DEEP = "[" * 1000 + "]" * 1000


def _nested(depth: int) -> Any:
    return json.loads("[" * depth + "]" * depth)


def _set(**fields: Any) -> Callable[[Record], Any]:
    return lambda rec: dict(rec, **fields)


def _drop(*names: str) -> Callable[[Record], Any]:
    return lambda rec: {k: v for k, v in rec.items() if k not in names}


# Malformed as a record (any JSON input: a JSON Lines line, an item of a JSON array, a .json file).
BAD_RECORDS: list[Callable[[Record], Any]] = [
    _set(id=[1, 2]),
    _set(id={"k": "v"}),
    _set(id=True),
    _set(id=False),
    _set(id=2.5),
    _set(id=[None]),
    _set(body=["a", "b"]),
    _set(body=3.14),
    _set(body={"text": "x"}),
    _set(body=True),
    _set(body=""),
    _set(body="   \n\t "),
    _set(body="Kim \ud800 farm"),
    _set(body="\x00\x01\x02\x03" * 50),
    _set(body="Pyongyang (KCNA) -- a farm \x00 visited"),
    _set(title=12),
    _set(title=["x"]),
    _set(title="A \udc80 title"),
    _set(date="2012-01-01garbage"),
    _set(date="2012-02-30"),
    _set(date="2012-13-01"),
    _set(date="0000-01-01"),
    _set(date="yesterday"),
    _set(date=20120101),
    _set(date=["2012-01-01"]),
    _set(url=["http://x"]),
    _set(outlet={"name": "KCNA"}),
    _set(language=["en"]),
    _set(extra="\ud83d"),
    _set(n=_nested(150)),
    _drop("body"),
    lambda rec: {f"key \udc00{k}": v for k, v in rec.items()},
    lambda rec: [rec],
    lambda rec: "just a string",
    lambda rec: 42,
    lambda rec: None,
    lambda rec: True,
]

_FORMULAS = ("=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0")


def _huge(rec: Record) -> Record:
    """A body of a few hundred kB: far beyond a real story, well within the 50 MB limit."""
    return dict(rec, body=(rec["body"] + "\n\n") * (300_000 // (len(rec["body"]) + 2) + 1))


# Unusual but acceptable: still good records.
GOOD_RECORDS: list[Callable[[Record], Record]] = [
    lambda rec: rec,
    lambda rec: rec,
    lambda rec: dict(rec, date=rec["date"] + "T09:00:00"),
    lambda rec: dict(rec, date=rec["date"] + "T09:00:00+09:00"),
    lambda rec: dict(rec, extra=[1, {"nested": [2]}], n=_nested(40)),
    _drop("title", "date", "index_url"),
    lambda rec: dict(rec, body="  " + rec["body"] + "\n\n"),
    lambda rec: dict(rec, body=rec["body"] + '\nHe said: "long live, the ""party""",\r\nand left.'),
    lambda rec: dict(rec, title=_FORMULAS[len(rec["body"]) % len(_FORMULAS)], body="=" + rec["body"]),
    lambda rec: dict(rec, body=rec["body"] + " \u2028\u00a0\u200b 조선중앙통신 \U0001f600"),
    lambda rec: dict(rec, body=rec["body"] + "\f"),  # one stray control character is still text
    _huge,
]


def _base(pick: Pick, n: int, prefix: str) -> Record:
    return dict(REAL[pick(len(REAL))], id=f"{prefix}-{n}")


def _good(pick: Pick, n: int, prefix: str) -> Record:
    rec = GOOD_RECORDS[pick(len(GOOD_RECORDS))](_base(pick, n, prefix))
    if pick(4) == 0:
        rec["id"] = int.from_bytes(prefix.encode()[:3], "big") * 100_000 + n  # integer ids are ids too
    return rec


def _bad(pick: Pick, n: int, prefix: str) -> Any:
    return BAD_RECORDS[pick(len(BAD_RECORDS))](_base(pick, n, prefix))


def _dumps(value: Any, pick: Pick, *, ascii_only: bool = False) -> bytes:
    """JSON text; ensure_ascii writes a lone surrogate as the escape "\\ud800", as a hostile file
    would, and without it the surrogate's bytes are not UTF-8. A whole .json file is only ever
    written ASCII: a file with non-UTF-8 bytes is decoded in another charset, which is right."""
    return json.dumps(value, ensure_ascii=ascii_only or bool(pick(2))).encode("utf-8", "surrogatepass")


# Malformed as a line of bytes (JSON Lines only).
BAD_LINES: list[Callable[[Record, Pick], bytes]] = [
    lambda rec, pick: _dumps(rec, pick)[: -1 - pick(40)],  # cut short
    lambda rec, pick: _dumps(rec, pick)[: pick(30) + 1],
    lambda rec, pick: DEEP.encode(),
    lambda rec, pick: b'{"id": "deep", "body": "text", "n": ' + DEEP.encode() + b"}",
    lambda rec, pick: b'{"id": 1' + b"0" * 5000 + b', "body": "an integer too long to read"}',
    lambda rec, pick: b"\xff\xfe not UTF-8 \x80\x81",
    lambda rec, pick: bytes(random.Random(pick(1000)).randrange(256) for _ in range(200)).replace(b"\n", b""),
    lambda rec, pick: b"\x00" * 64,
    lambda rec, pick: b"\xef\xbb\xbf" + _dumps(rec, pick),  # a byte-order mark inside the file
    lambda rec, pick: b"{'id': 'single quotes'}",
    lambda rec, pick: b"NaN",
]


@dataclass
class Case:
    """One input: its entries, and per entry the good record's id (None: must be rejected)."""

    chunks: list[bytes] = field(default_factory=list)
    expected: list[str | None] = field(default_factory=list)

    @property
    def good(self) -> list[str]:
        return [e for e in self.expected if e]

    @property
    def bad(self) -> int:
        return sum(e is None for e in self.expected)


def jsonl_case(pick: Pick, n: int, prefix: str = "jl") -> Case:
    """JSON Lines: good records, malformed records and lines, and empty lines between them."""
    case = Case()
    for i in range(n):
        roll = pick(10)
        if roll < 4:
            rec = _good(pick, i, prefix)
            case.chunks.append(_dumps(rec, pick))
            case.expected.append(str(rec["id"]))
        elif roll < 8:
            case.chunks.append(_dumps(_bad(pick, i, prefix), pick))
            case.expected.append(None)
        else:
            case.chunks.append(BAD_LINES[pick(len(BAD_LINES))](_base(pick, i, prefix), pick))
            case.expected.append(None)
        if pick(8) == 0:
            case.chunks.append(b"   " if pick(2) else b"")
            case.expected.append("")  # an empty line: neither read nor rejected
    return case


def jsonl_bytes(case: Case, *, bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + b"".join(chunk + b"\n" for chunk in case.chunks)


def jsonl_locations(case: Case, where: str) -> list[str]:
    return [f"{where}:line {n}" for n, e in enumerate(case.expected, 1) if e is None]


def json_array_case(pick: Pick, n: int, prefix: str = "ja") -> tuple[list[Any], Case]:
    """A JSON array of records, good and malformed (``file:item N``)."""
    items: list[Any] = []
    case = Case()
    for i in range(n):
        if pick(5) < 2:
            rec = _good(pick, i, prefix)
            items.append(rec)
            case.expected.append(str(rec["id"]))
        else:
            items.append(_bad(pick, i, prefix))
            case.expected.append(None)
    return items, case


# Whole .json files that cannot be read as one record.
_BAD_OBJECTS = [m for m in BAD_RECORDS if not isinstance(m(REAL[0]), list)]  # a list is an array of records
BAD_FILES: list[Callable[[Record, Pick], bytes]] = [
    lambda rec, pick: _dumps(_BAD_OBJECTS[pick(len(_BAD_OBJECTS))](rec), pick, ascii_only=True),
    lambda rec, pick: _dumps(rec, pick, ascii_only=True)[: -1 - pick(40)],
    lambda rec, pick: b"",
    lambda rec, pick: b"  \n",
    lambda rec, pick: b"\x00\x01\x02binary\xff" * 20,
    lambda rec, pick: b'{"id": "deep", "n": ' + DEEP.encode() + b"}",
    lambda rec, pick: b"[" + _dumps(rec, pick, ascii_only=True),
]


def json_file(pick: Pick, n: int, prefix: str = "jf") -> tuple[bytes, str | None]:
    """A .json file holding one record: good (sometimes after a byte-order mark), or malformed."""
    if pick(2):
        rec = _good(pick, n, prefix)
        return (b"\xef\xbb\xbf" if pick(3) == 0 else b"") + _dumps(rec, pick, ascii_only=True), str(rec["id"])
    return BAD_FILES[pick(len(BAD_FILES))](_base(pick, n, prefix), pick), None


CSV_COLUMNS = ("id", "date", "title", "body", "index_url")
_HEADER_STYLES: list[Callable[[str], str]] = [str, str.upper, str.title, lambda h: f" {h.title()} "]


def _row(rec: Record) -> list[str]:
    return [str(rec.get(c, "")) for c in CSV_COLUMNS]


BAD_ROWS: list[Callable[[Record], list[str]]] = [
    lambda rec: _row(dict(rec, body="")),
    lambda rec: _row(dict(rec, body="  \n ")),
    lambda rec: _row(dict(rec, body="\x01\x02\x03\x04" * 40)),
    lambda rec: _row(dict(rec, body="binary \x00 junk \x00")),
    lambda rec: _row(dict(rec, date="2012-02-30")),
    lambda rec: _row(dict(rec, date="31/12/2012")),
    lambda rec: _row(dict(rec, date="=NOW()")),
    lambda rec: _row(rec)[:-1],  # a column missing
    lambda rec: [*_row(rec), "an extra cell"],
    lambda rec: [str(rec["id"])],
]


def csv_case(pick: Pick, n: int, prefix: str = "cs") -> tuple[bytes, Case]:
    """A CSV file: a header in some case and spacing, then good and malformed rows (``file:row N``)."""
    style = _HEADER_STYLES[pick(len(_HEADER_STYLES))]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow([style(c) for c in CSV_COLUMNS])
    case = Case()
    for i in range(n):
        if pick(5) < 2:
            rec = _good(pick, i, prefix)
            writer.writerow(_row(rec))
            case.expected.append(str(rec["id"]))
        else:
            writer.writerow(BAD_ROWS[pick(len(BAD_ROWS))](_base(pick, i, prefix)))
            case.expected.append(None)
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data if pick(3) == 0 else data), case


def csv_locations(case: Case, where: str) -> list[str]:
    return [f"{where}:row {n}" for n, e in enumerate(case.expected, 2) if e is None]


def csv_without_body(pick: Pick, n: int, prefix: str = "cn") -> tuple[bytes, int]:
    """A CSV whose header lacks every text column: each of its ``n`` rows is rejected."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(["ID", "Date", "Title"])
    for i in range(n):
        rec = _base(pick, i, prefix)
        writer.writerow([rec["id"], rec["date"], rec["title"]])
    return buf.getvalue().encode("utf-8"), n


def seeded(seed: int) -> Pick:
    return random.Random(seed).randrange
