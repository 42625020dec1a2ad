"""Numeric claims across articles: the read model (on each store), `statemedia claims`, the
/claims page and /api/claims — over hand-built stories with exact quantity annotations (the
grouping and statuses) and real KCNA stories of 2012 analysed by the pipeline."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import statemedia.cli.claims  # noqa: F401  (registers the command; not the other commands' modules)
from statemedia.analytics.claims import Claim, claims, normalise
from statemedia.cli import app
from statemedia.model import Annotation, Document
from statemedia.store import Store, open_store
from statemedia.web.app import create_app
from store_fixtures import STORES, make_store

KCNA = Path(__file__).resolve().parents[2] / "shared" / "data" / "kcna" / "kcna-2012.jsonl.gz"
# Short 2012 stories, each stating a growth or jobless rate "percent" about one country.
REAL = ("kcna-2012-00180", "kcna-2012-00237", "kcna-2012-00238", "kcna-2012-00244")
SUNCHON = ("org:sunchon-cement", "Sunchon Cement Complex", "ORG")
KANGDONG = ("org:kangdong-hog-farm", "Kangdong Hog Farm", "ORG")
PYONGYANG = ("gpe:pyongyang", "Pyongyang", "GPE")
KAESONG = ("gpe:kaesong", "Kaesong", "GPE")
EVIL = "<script>alert(1)</script> shells"
Sentence = tuple[str, str, str, dict[str, Any], tuple[str, str, str] | None]


def _q(value: float, unit: str, counted: str, qualifier: str | None = None) -> dict[str, Any]:
    return {"value": value, "unit": unit, "counted": counted, "qualifier": qualifier,
            "lower": value, "upper": None if qualifier else value}  # fmt: skip


def _story(doc_id: str, day: date, *sentences: Sentence) -> Document:
    """One story of ``(before, figure, after, quantity attrs, entity in before)`` sentences, each
    annotated as the pipeline would: sentence (its subject: the entity, else the words before), entity, quantity."""
    text, annotations = "", []
    for before, stated, after, attrs, entity in sentences:
        start = len(text)
        subject = [start, start + len(before.rstrip())] if before.strip() else None
        if entity is not None:
            e0 = start + before.index(entity[1])
            subject = [e0, e0 + len(entity[1])]
            attrs_e = dict(zip(("id", "name", "type"), entity, strict=True))
            annotations.append(Annotation(e0, subject[1], "entity", attrs_e, producer="entities"))
        text += f"{before}{stated}{after}. "
        annotations.append(Annotation(start, len(text) - 1, "sentence", {"subject": subject}, producer="linguistic"))
        q0 = start + len(before)
        annotations.append(Annotation(q0, q0 + len(stated), "quantity", attrs, producer="quantities"))
    return Document(doc_id, text, title=f"Story {doc_id}", outlet="KCNA", url=f"http://kcna.kp/{doc_id}",
                    published=day, annotations=annotations)  # fmt: skip


def _cement(value: int, qualifier: str | None = None) -> Sentence:
    words = f"{qualifier} " if qualifier else ""
    return ("The Sunchon Cement Complex produced ", f"{words}{value:,} tons", " of cement", _q(value, "t", "cement",
            qualifier), SUNCHON)  # fmt: skip


def _pigs(value: int) -> Sentence:
    return ("The Kangdong Hog Farm raised ", f"{value:,} pigs", " this year", _q(value, "pigs", "pigs"), KANGDONG)


def _trees(place: tuple[str, str, str]) -> Sentence:
    return (f"Working people in {place[1]} planted ", "2 000 trees", " on the day", _q(2000, "trees", "trees"), place)


HAND = [
    _story("c1", date(2012, 1, 5), _cement(500_000), _trees(PYONGYANG), _pigs(3_000)),
    _story("c2", date(2012, 2, 5), _cement(500_000), _trees(KAESONG)),
    _story("c3", date(2012, 3, 5), _cement(500_000, "more than"), _pigs(3_000)),
    _story("c4", date(2012, 4, 5), _pigs(3_000), _trees(PYONGYANG)),
    _story("c5", date(2012, 8, 1), _cement(650_000)),  # revised
    _story("c6", date(2012, 9, 1), ("The new greenhouses", " grew 30 percent", "", _q(30, "%", "share"), None)),
    _story("c7", date(2012, 9, 3), ("", "12 " + EVIL, " were fired", _q(12, "shells", EVIL), None)),
]


@cache
def _real() -> list[Document]:
    """The REAL stories analysed by the pipeline up to quantities (spaCy loads once)."""
    from statemedia.analysis import analyze_text
    from statemedia.registry import build_pipeline

    if not KCNA.is_file():
        pytest.skip(f"no KCNA data at {KCNA}")
    pipeline = build_pipeline(names=["numbers", "juche", "dates", "acronyms", "linguistic", "entities", "quantities"])
    docs = []
    with gzip.open(KCNA, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["id"] in REAL:
                doc = analyze_text(r["body"], title=r["title"], outlet="KCNA", published=date.fromisoformat(r["date"]),
                                   url=f"http://kcna.kp/{r['id']}", pipeline=pipeline)  # fmt: skip
                docs.append(doc)
    assert len(docs) == len(REAL)
    return docs


def build(store: Store) -> Store:
    with store.transaction() as w:
        for doc in HAND + _real():
            w.put(doc, pipeline_version="test")
    return store


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = build(make_store(request.param, tmp_path))
    yield s
    s.close()


def _by(found: list[Claim]) -> dict[tuple[str, str, str], Claim]:
    return {(c.counted, c.unit, c.subject.id if c.subject else ""): c for c in found}


def test_normalise_keys() -> None:
    assert normalise("the new Cars") == normalise("new car") == "new car"
    assert normalise("its factories") == "factory" and normalise("%") == "%" and normalise("glass") == "glass"


def test_grouping_and_statuses(store: Store) -> None:
    found = claims(store, limit=100)
    by = _by(found.items)
    assert found.as_of == date(2012, 9, 3) and found.total == len(found.items)
    cement = by["cement", "t", SUNCHON[0]]
    assert cement.status == "revised" and cement.stories == 4 and cement.values == [500_000, 650_000]
    assert [s.doc_id for s in cement.statements] == ["c1", "c2", "c3", "c5"]
    third = cement.statements[2]
    assert third.qualifier == "more than" and third.stated == "more than 500,000 tons"
    assert third.evidence == "The Sunchon Cement Complex produced more than 500,000 tons of cement."
    pigs = by["pig", "pig", KANGDONG[0]]  # three stories in 3 months, then silent for 5 months
    assert pigs.status == "dropped" and pigs.since == date(2012, 4, 5) and pigs.stories == 3
    assert by["tree", "tree", PYONGYANG[0]].status == "repeated"  # the same count by two subjects: two claims
    assert by["tree", "tree", KAESONG[0]].status == "single" and by["tree", "tree", KAESONG[0]].stories == 1
    greenhouses = by["share", "%", "subject:new greenhouse"]  # no entity: the sentence's grammatical subject
    assert greenhouses.subject is not None and greenhouses.subject.type == "subject"
    # Real stories: four countries' percentages, each its own claim about the country named with it.
    real = {k[2]: c for k, c in by.items() if k[:2] == ("share", "%") and c.subject and c.subject.type == "GPE"}
    assert set(real) == {"gpe:vietnam", "gpe:uganda", "gpe:singapore", "gpe:germany"}
    assert real["gpe:vietnam"].values == [5.89] and "5.89 percent" in real["gpe:vietnam"].statements[0].evidence
    assert all(c.status == "single" for c in real.values())


def test_filters_sort_and_pages(store: Store) -> None:
    assert [c.counted for c in claims(store, counted="Cements").items] == ["cement"]
    assert {c.subject.id for c in claims(store, counted="tree").items if c.subject} == {PYONGYANG[0], KAESONG[0]}
    assert [c.subject.id for c in claims(store, subject="kaesong").items if c.subject] == [KAESONG[0]]
    assert [c.subject.id for c in claims(store, subject=SUNCHON[0]).items if c.subject] == [SUNCHON[0]]
    assert {c.counted for c in claims(store, unit="pigs").items} == {"pig"}
    assert [c.status for c in claims(store, min_stories=3).items] == ["revised", "dropped"]
    assert [c.counted for c in claims(store, status="dropped").items] == ["pig"]
    early = _by(claims(store, date_to=date(2012, 3, 31)).items)  # the window ends before the silence and revision
    assert early["cement", "t", SUNCHON[0]].status == early["pig", "pig", KANGDONG[0]].status == "repeated"
    assert claims(store, date_from=date(2012, 9, 2)).total == 1
    assert claims(store, outlet="Rodong Sinmun").total == 0
    everything = claims(store, sort="latest", limit=100).items
    assert everything[0].counted == normalise(EVIL) and everything[0].last == date(2012, 9, 3)
    page = claims(store, sort="counted", limit=2, offset=2)
    assert page.total == len(everything) and len(page.items) == 2
    assert [c.key for c in page.items] == [c.key for c in claims(store, sort="counted", limit=100).items[2:4]]
    with pytest.raises(ValueError):
        claims(store, status="forgotten")


def test_sqlite_and_postgresql_agree(tmp_path: Path) -> None:
    found = {}
    for kind in STORES:
        s = build(make_store(kind, tmp_path / kind if kind == "sqlite" else tmp_path))
        try:
            found[kind] = json.dumps(claims(s, limit=100).to_dict(), default=str, sort_keys=True)
        finally:
            s.close()
    assert found["sqlite"] == found["postgresql"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("claims") / "s.db"
    build(open_store(path)).close()
    return path


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["claims", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_formats_and_exit_codes(db: Path) -> None:
    code, out, _ = _cli("--db", str(db), "--counted", "cement")
    assert code == 0 and out.split()[:4] == ["status", "stories", "counted", "unit"]
    code, out, _ = _cli("--db", str(db), "--counted", "cement", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 1 and rows[0]["status"] == "revised" and rows[0]["stories"] == "4"
    assert rows[0]["subject"] == "Sunchon Cement Complex" and (rows[0]["counted"], rows[0]["unit"]) == ("cement", "t")
    assert rows[0]["values"] == "2012-01-05 500,000; 2012-02-05 500,000; 2012-03-05 500,000; 2012-08-01 650,000"
    code, out, _ = _cli("--db", str(db), "--status", "dropped", "--format", "json")
    body = json.loads(out)
    assert code == 0 and [c["counted"] for c in body["items"]] == ["pig"] and body["as_of"] == "2012-09-03"
    code, out, _ = _cli("--db", str(db), "--min-stories", "2", "--format", "csv", "--limit", "1")
    assert code == 0 and len(out.splitlines()) == 2
    code, _, err = _cli("--db", str(db), "--counted", "warheads")
    assert code == 1 and "no claims" in err
    code, _, err = _cli("--db", str(db), "--from", "2012-12-31", "--to", "2012-01-01")
    assert code == 2 and "after" in err
    assert _cli("--db", str(db), "--from", "yesterday")[0] == 2
    assert _cli("--db", str(db), "--status", "forgotten")[0] == 2
    assert _cli("--db", str(db.parent / "missing.db"))[0] == 2


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, token="")) as c:
        yield c


def test_page_shows_series_and_escapes(client: TestClient) -> None:
    page = client.get("/claims", params={"min_stories": 2})
    assert page.status_code == 200 and 'href="/claims"' in page.text
    assert "Sunchon Cement Complex" in page.text and "650,000" in page.text and 'data-status="dropped"' in page.text
    assert "Kaesong" not in page.text  # a single story
    evil = client.get("/claims", params={"counted": "script"})
    assert evil.status_code == 200 and "&lt;script&gt;alert(1)&lt;/script&gt;" in evil.text
    assert "<script>alert" not in evil.text
    assert client.get("/claims", params={"status": "forgotten"}).status_code == 422
    assert client.get("/claims", params={"from": "2012-12-01", "to": "2012-01-01"}).status_code == 422
    assert "next →" in client.get("/claims", params={"limit": 2}).text


def test_api_pages_the_read_model(client: TestClient) -> None:
    body = client.get("/api/claims", params={"limit": 2, "offset": 1, "sort": "counted"}).json()
    assert body["offset"] == 1 and body["limit"] == 2 and len(body["items"]) == 2 and body["total"] > 3
    assert body["as_of"] == "2012-09-03"
    cement = client.get("/api/claims", params={"counted": "cement", "subject": "Sunchon"}).json()["items"]
    assert [c["status"] for c in cement] == ["revised"] and cement[0]["values"] == [500_000, 650_000]
    assert cement[0]["statements"][0] | {"evidence": ""} == {
        "published": "2012-01-05", "value": 500_000, "qualifier": None, "lower": 500_000, "upper": 500_000,
        "doc_id": "c1", "title": "Story c1", "outlet": "KCNA", "stated": "500,000 tons", "evidence": "",
    }  # fmt: skip
    table = client.get("/api/claims", params={"format": "csv", "status": "dropped"})
    assert table.status_code == 200 and table.text.splitlines()[0].startswith("key,counted,unit,subject,status")
    assert client.get("/api/claims", params={"min_stories": 0}).status_code == 422
