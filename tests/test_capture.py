"""Capture on real inputs: the seed article, KCNA JSON Lines, AEB web pages, encodings, stdin."""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import itertools
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import KCNA, SEED, SHARED, iter_kcna, kcna_sample
from statemedia.capture import capture_html, capture_record, capture_text, read_path
from statemedia.errors import InputError
from statemedia.model import Document

AEB = SHARED / "data" / "aeb"
NEWYEAR_KO = SHARED / "data" / "newyear-ko"
SEED_TITLE = "Kim Il Sung’s Distinguished Leadership Ability Displayed in War"


def _docs(path: Path | str) -> list[Document]:
    items = list(read_path(path))
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert not errors, errors
    return [i for i in items if isinstance(i, Document)]


# --- the seed ---------------------------------------------------------------------------------


def test_seed_title_body_and_no_chrome(shared: Path) -> None:
    (doc,) = _docs(SEED)
    assert doc.title == SEED_TITLE
    assert doc.text.startswith("President Kim Il Sung strengthened")
    for chrome in ("Skip links", "cookies", "🍪", SEED_TITLE):
        assert chrome not in doc.text
    assert doc.text.endswith("courageously turned out in the fight for victory in the war.")
    assert doc.language == "en"
    assert doc.source is not None and doc.source.raw.startswith("Skip links"), "raw input kept unaltered"
    assert doc.source.location == str(SEED)
    assert doc.id.startswith("sha256:") and doc.id == capture_text(SEED.read_bytes()).id, "stable id"
    assert sorted(doc.meta["chrome_removed"]) == ["cookie banner", "skip-navigation link"]


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("Skip to content", True),
        ("Back to top", True),
        ("Share this article", True),
        ("Print", True),
        ("-0-", True),
        ("We use cookies to give you the best experience.", True),
        # Must stay: real KCNA sentences that mention the words the patterns look for.
        ("He took measures to supply fruits to soldiers fighting in the front.", False),
        ("The book was printed by the Foreign Languages Publishing House.", False),
    ],
)
def test_chrome_lines(line: str, chrome: bool) -> None:
    doc = capture_text(f"A Title\n\nFirst paragraph of the story.\n{line}\nLast paragraph.")
    assert (line not in doc.text) is chrome


def test_kcna_end_marker_removed_but_juche_stamp_kept(shared: Path) -> None:
    record = next(
        json.loads(line)
        for line in (SHARED / "data" / "modern" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
        if "-0- (Juche" in line
    )
    doc = capture_record(record, location="modern")
    assert "-0-" not in doc.text and doc.text.rstrip().endswith(".)")


# --- KCNA JSON Lines ---------------------------------------------------------------------------


def test_kcna_jsonl_records(shared: Path) -> None:
    path = KCNA / "kcna-2012.jsonl.gz"
    docs = list(itertools.islice(read_path(path), 300))
    records = list(itertools.islice(iter_kcna(2012), 300))
    assert all(isinstance(d, Document) for d in docs)
    for doc, rec in zip(docs, records, strict=True):
        assert isinstance(doc, Document)
        assert doc.id == rec["id"]
        title = rec["title"] if isinstance(rec["title"], str) and rec["title"].strip() else None
        assert doc.title == title
        assert doc.published == datetime.date.fromisoformat(rec["date"])
        assert doc.outlet == "KCNA"
        assert doc.url == rec["index_url"]
        assert doc.text == rec["body"].strip()
        assert doc.meta["language_claimed"] == rec["language"]
        assert doc.source is not None and json.loads(doc.source.raw) == {
            k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()
        }


def test_language_detection_against_kcna_labels(shared: Path) -> None:
    sample = kcna_sample(400, step=29)
    detected = [capture_record(r, location=r["id"]).language for r in sample]
    agree = sum(d == r["language"] for d, r in zip(detected, sample, strict=True)) / len(sample)
    print(f"language agreement with KCNA's label: {agree:.3f} over {len(sample)} stories")
    assert set(detected) <= {"en", "es"}
    # KCNA labels some Spanish stories "en" (2011: 835 of 11,995), never the reverse: where
    # KCNA says Spanish the detector must agree, and disagreements must read as Spanish.
    for lang, rec in zip(detected, sample, strict=True):
        if rec["language"] == "es":
            assert lang == "es", rec["id"]
        elif lang != "en":
            assert re.search(r"\b(el|la|de|los|del)\b", rec["body"]), rec["id"]
    assert agree >= 0.9


@pytest.mark.parametrize(
    ("story_id", "language"),
    [("kcna-2011-06942", "es"), ("kcna-2011-06943", "es"), ("kcna-2011-03542", "en")],
)
def test_language_of_mislabelled_and_short_stories(story_id: str, language: str, shared: Path) -> None:
    rec = next(r for r in iter_kcna(2011) if r["id"] == story_id)
    assert capture_record(rec, location=story_id).language == language


# --- HTML (AEB benchmark pages) ------------------------------------------------------------------


def _tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def _f1(got: str, want: str) -> float:
    a, b = _tokens(got), _tokens(want)
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def test_html_body_token_f1(shared: Path) -> None:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    scores = []
    for page in sorted((AEB / "html").glob("*.html.gz")):
        (doc,) = _docs(page)
        assert doc.source is not None and doc.source.media_type == "text/html"
        scores.append(_f1(doc.text, truth[page.name.split(".")[0]]["articleBody"]))
    mean = sum(scores) / len(scores)
    print(f"AEB token F1: mean {mean:.3f}, min {min(scores):.3f} over {len(scores)} pages")
    # Observed 0.973 over the 60 pages (trafilatura's published 0.958 on all 181).
    assert len(scores) == 60 and mean >= 0.95


def test_html_metadata(shared: Path) -> None:
    page = AEB / "html" / "04a6711caa7c687592777718866e781e976e0fe684faebe8b3cedcef8cd0ea34.html.gz"
    doc = capture_html(gzip.decompress(page.read_bytes()), location=str(page))
    assert doc.title is not None and "Republicans Are Following Trump to Nowhere" in doc.title
    assert doc.published == datetime.date(2019, 11, 19)
    assert doc.outlet == "NYTimes" and doc.url is not None and doc.url.startswith("https://www.nytimes.com/")
    assert doc.title not in doc.text


# --- encodings ---------------------------------------------------------------------------------


def _korean() -> str:
    text = (NEWYEAR_KO / "2019.txt").read_text(encoding="utf-8")
    # EUC-KR covers KS X 1001 only: keep the paragraphs it can encode.
    paragraphs = [p for p in text.split("\n") if p.strip()]
    kept = []
    for p in paragraphs:
        try:
            p.encode("euc_kr")
        except UnicodeEncodeError:
            continue
        kept.append(p)
    return "\n\n".join(kept[:6])


# The seed without its cookie-banner line: CP1252 has no 🍪.
ENGLISH = SEED.read_text(encoding="utf-8").rsplit("\n", 1)[0] if SEED.exists() else ""


@pytest.mark.parametrize(
    ("which", "encoding", "bom"),
    [
        ("en", "utf-8", b""),
        ("en", "utf-16-le", b"\xff\xfe"),
        ("en", "cp1252", b""),
        ("ko", "utf-8", b""),
        ("ko", "euc_kr", b""),
        ("ko", "utf-16-be", b"\xfe\xff"),
    ],
)
def test_encodings_decode_to_same_text(which: str, encoding: str, bom: bytes, shared: Path) -> None:
    original = ENGLISH if which == "en" else _korean()
    assert "’" in original or which == "ko", "the CP1252 case needs curly quotes"
    doc = capture_text(bom + original.encode(encoding), location=f"{which}.{encoding}")
    reference = capture_text(original)
    assert doc.source is not None and doc.source.raw == original
    assert (doc.text, doc.title) == (reference.text, reference.title)
    assert doc.language == which


# --- read_path dispatch --------------------------------------------------------------------------


def test_directory_json_csv_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared: Path) -> None:
    records = list(itertools.islice(iter_kcna(2011), 3))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "stories.json").write_text(json.dumps(records), encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article file", encoding="utf-8")
    docs = _docs(tmp_path)
    assert [d.id for d in docs][:3] == [r["id"] for r in records], "sorted: stories.json before sub/"
    assert docs[3].title == SEED_TITLE and len(docs) == 4

    csv_path = tmp_path / "stories.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "date", "title", "body"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)
    assert [d.id for d in _docs(csv_path)] == [r["id"] for r in records]

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED.read_bytes())))
    (doc,) = _docs("-")
    assert doc.title == SEED_TITLE and doc.source is not None and doc.source.location == "<stdin>"


def test_cli_outlet_and_date_fill_missing_fields(tmp_path: Path, shared: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Pyongyang, December 31 (KCNA) -- The story of the day ends here.\n", encoding="utf-8")
    (doc,) = list(read_path(path, published=datetime.date(2013, 1, 1)))
    assert isinstance(doc, Document)
    assert doc.outlet == "KCNA", "from the dateline's agency"
    (ann,) = list(doc.spans("dateline"))
    assert ann.attrs["date"] == "2012-12-31"
    (doc,) = list(read_path(path, outlet="Rodong Sinmun"))
    assert isinstance(doc, Document) and doc.outlet == "Rodong Sinmun"
