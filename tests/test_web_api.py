"""The REST API and pages over a store of real KCNA stories (FastAPI TestClient)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import iter_kcna
from statemedia.analytics.corpus import Corpus
from statemedia.ingest import ingest
from statemedia.report import validate
from statemedia.store import open_store
from statemedia.web.app import create_app
from statemedia.web.security import CSP
from store_fixtures import write_jsonl_gz
from web_fixtures import REPRINT_ID, REVISED_ID, kcna_store_fixture, web_db_fixture  # noqa: F401

KIM = "person:kim-jong-un"


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_db, token="")) as c:
        yield c


def _text(client: TestClient, doc_id: str) -> str:
    doc = client.get(f"/api/articles/{doc_id}").json()["document"]
    return f"{doc['title'] or ''}\n{doc['text']}".lower()


@pytest.mark.parametrize("phrase", ["Kim Jong Un", "field guidance", "Korean People's Army"])
def test_search_hits_contain_the_phrase_and_facets_count_them(client: TestClient, phrase: str) -> None:
    r = client.get("/api/search", params={"q": f'"{phrase}"', "limit": 10, "facets": "true"})
    assert r.status_code == 200
    body = r.json()
    assert 0 < len(body["items"]) <= 10 and body["total"] >= len(body["items"])
    pattern = re.compile(r"\W+".join(re.findall(r"\w+", phrase.lower())))
    for hit in body["items"]:
        assert pattern.search(_text(client, hit["id"])), hit["id"]
    # Every hit is in exactly one year and one outlet bucket.
    assert sum(v["hits"] for v in body["facets"]["year"]) == body["total"]
    assert sum(v["hits"] for v in body["facets"]["outlet"]) == body["total"]


def test_person_facet_filters_to_articles_naming_the_person(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "anniversary OR visited", "facets": "true"}).json()
    persons = {v["value"]: v["hits"] for v in body["facets"]["person"]}
    assert KIM in persons
    narrowed = client.get("/api/search", params={"q": "anniversary OR visited", "person": KIM, "limit": 50}).json()
    assert narrowed["total"] == persons[KIM] < body["total"]
    for hit in narrowed["items"]:
        entities = client.get(f"/api/articles/{hit['id']}").json()["entities"]
        assert KIM in {e["id"] for e in entities}


def test_activity_kind_facet_and_filter(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": '"Kim Jong Un"', "facets": "true"}).json()
    kinds = {v["value"]: v["hits"] for v in body["facets"]["kind"]}
    assert kinds, "stories about Kim Jong Un carry leader activities"
    kind, n = max(kinds.items(), key=lambda kv: kv[1])
    narrowed = client.get("/api/search", params={"q": '"Kim Jong Un"', "kind": kind, "limit": 100}).json()
    assert narrowed["total"] == n
    # A story whose activity translates another's is listed as that activity's translation (one
    # activity per event: store/translations.py).
    sources = {i for a in _activities(client, kind) for i in (a["doc_id"], *a["translations"])}
    assert all(hit["id"] in sources for hit in narrowed["items"])


def _activities(client: TestClient, kind: str) -> list[dict[str, Any]]:
    return client.get("/api/activities", params={"kind": kind, "limit": 200}).json()["items"]


def test_pages_do_not_overlap_and_match_one_big_page(client: TestClient) -> None:
    q = {"q": "Korea"}
    big = [h["id"] for h in client.get("/api/search", params={**q, "limit": 30}).json()["items"]]
    first = [h["id"] for h in client.get("/api/search", params={**q, "limit": 15}).json()["items"]]
    second = [h["id"] for h in client.get("/api/search", params={**q, "limit": 15, "offset": 15}).json()["items"]]
    assert len(big) == 30 and first + second == big


def test_search_as_csv(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "Kim", "limit": 7, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 7 and {"id", "title", "published", "snippet"} <= set(rows[0])


def test_atom_feed_of_a_saved_search(client: TestClient) -> None:
    r = client.get("/api/search.atom", params={"q": '"Kim Jong Un"', "limit": 5})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(r.content)
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 5
    updated = [e.findtext("a:updated", namespaces=ns) for e in entries]
    assert updated == sorted(updated, reverse=True)
    for entry in entries:
        href = entry.find("a:link", ns).get("href")  # type: ignore[union-attr]
        assert "/articles/" in href and client.get(href).status_code == 200


def test_article_json_follows_the_analysis_schema(client: TestClient) -> None:
    body = client.get(f"/api/articles/{REVISED_ID}").json()
    versions, duplicates = body.pop("versions"), body.pop("duplicates")
    validate(body)
    assert [v["version"] for v in versions] == [1, 2]
    assert body["document"]["text"].endswith("This paragraph was added on correction.")
    assert {e["id"] for e in body["entities"]} >= {KIM, "person:kim-il-sung"}
    assert isinstance(duplicates, list)
    old = client.get(f"/api/articles/{REVISED_ID}", params={"version": 1}).json()
    assert "added on correction" not in old["document"]["text"]


def test_diff_between_versions(client: TestClient) -> None:
    diff = client.get(f"/api/articles/{REVISED_ID}/diff").json()
    assert (diff["old"], diff["new"]) == (1, 2)
    added = "".join(w["text"] for w in diff["words"] if w["op"] == "+")
    assert "correction." in added and "paragraph" in added
    assert any(line.startswith("-") for line in diff["unified"][2:])


def test_reprint_is_listed_as_a_near_duplicate(client: TestClient) -> None:
    reprint = client.get(f"/api/articles/{REPRINT_ID}").json()
    assert reprint["document"]["outlet"] == "Rodong Sinmun"
    assert len(reprint["duplicates"]) == 1
    original = client.get(f"/api/articles/{reprint['duplicates'][0]}").json()
    assert original["document"]["text"] == reprint["document"]["text"]
    assert REPRINT_ID in original["duplicates"]
    page = client.get(f"/articles/{REPRINT_ID}")
    assert reprint["duplicates"][0] in page.text


def test_activities_views(client: TestClient) -> None:
    log = client.get("/api/activities", params={"leader": "Kim Jong Un", "limit": 200}).json()
    # The fixture's 231 stories hold 19 Kim Jong Un activities (foreign re-reports not counted).
    assert log["total"] >= 18 and all(a["actor"] == "Kim Jong Un" for a in log["items"])
    days = [a["date"] for a in log["items"] if a["date"]]
    assert days == sorted(days)
    cal = client.get("/api/activities", params={"view": "calendar", "leader": "Kim Jong Un", "limit": 200}).json()
    gaps = [row["gap_days"] for row in cal["items"]]
    assert gaps[0] is None and all(g > 0 for g in gaps[1:])
    long = client.get("/api/activities", params={"view": "gaps", "leader": "Kim Jong Un"}).json()["items"]
    assert all(g["gap_days"] >= 14 for g in long)
    elite = client.get("/api/activities", params={"view": "elite", "period": "year"}).json()["items"]
    assert elite[0]["rank"] == 1 and elite[0]["appearances"] >= elite[-1]["appearances"]
    movers = client.get("/api/activities", params={"view": "movers", "period": "month", "limit": 200}).json()
    assert all(m["before"] < m["after"] for m in movers["items"])
    # Since issue 14 "Present there were" lists are those present, not the entourage; `roles` counts
    # both in the elite views, as `statemedia activities --roles` does.
    params = {"view": "elite", "period": "year", "limit": 200}
    alone = client.get("/api/activities", params=params).json()["items"]
    both = client.get("/api/activities", params={**params, "roles": "entourage,present"}).json()["items"]
    assert sum(r["appearances"] for r in both) > sum(r["appearances"] for r in alone)
    assert client.get("/api/activities", params={**params, "roles": "bystanders"}).status_code == 422


def test_entities_and_entity_detail(client: TestClient) -> None:
    people = client.get("/api/entities", params={"type": "PERSON", "limit": 10}).json()["items"]
    assert KIM in {p["id"] for p in people} and all(p["type"] == "PERSON" for p in people)
    detail = client.get(f"/api/entities/{KIM}").json()
    assert sum(detail["series"].values()) == detail["articles"] == sum(detail["by_year"].values())
    assert "person:kim-jong-il" in {c["id"] for c in detail["co_mentions"]}
    assert detail["co_mentions_among"] == min(detail["articles"], 2_000)  # [web] co_mention_sample
    assert detail["co_appearances"] and detail["co_appearances"][0]["activities"] > 0
    assert client.get("/api/entities/person:nobody-at-all").status_code == 404


def test_trends_of_a_person_match_the_entity_page(client: TestClient) -> None:
    rows = client.get("/api/trends", params={"person": "Kim Jong Un", "limit": 200}).json()["items"]
    detail = client.get(f"/api/entities/{KIM}").json()
    assert {r["period"]: r["value"] for r in rows if r["value"]} == detail["series"]
    share = client.get("/api/trends", params={"term": "Kim Jong Un", "share": "true", "unit": "year"}).json()
    assert all(0 < r["value"] <= 1000 for r in share["items"])
    none = client.get("/api/trends", params={"term": "zzxqv", "unit": "year"}).json()["items"]
    assert none and all(r["value"] == 0 for r in none)


def test_term_trend_counts_articles_with_the_phrase(tmp_path: Path) -> None:
    stories = [r for r, _ in zip(iter_kcna(2012), range(400), strict=False)]
    texts = [f"{r['title']}\n{r['body']}" for r in stories]
    store = open_store(tmp_path / "t.db")
    ingest(store, [write_jsonl_gz(tmp_path / "s.jsonl.gz", stories)], analyze=False)
    corpus = Corpus(store)
    expected = sum("kim jong un" in " ".join(t.lower().split()) for t in texts)
    assert sum(corpus.term_series("Kim Jong Un", "year").values()) == expected > 0
    assert sum(corpus.term_series("Kim Jong", "year").values()) >= expected


def test_quantities_filter_by_unit(client: TestClient) -> None:
    every = client.get("/api/quantities", params={"limit": 200}).json()
    units = [q["unit"] for q in every["items"] if q["unit"]]
    unit = max(set(units), key=units.count)
    some = client.get("/api/quantities", params={"unit": unit, "limit": 200}).json()
    assert some["total"] == units.count(unit) or every["total"] > 200
    assert all(q["unit"] == unit for q in some["items"])


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/search?q=Kim&year=abc", 422, "year"),
        ("/api/search?q=Kim&limit=100000", 422, "limit"),
        ("/api/search?q=Kim&from=2012-05-01&to=2012-01-01", 422, "after"),
        ('/api/search?q="field guidance', 400, "field guidance"),
        ("/api/search?q=", 400, "empty query"),
        ("/api/articles/no-such-story", 404, "no-such-story"),
        (f"/api/articles/{REVISED_ID}?version=9", 404, "version 9"),
        ("/api/articles/no-such-story/diff", 404, "no-such-story"),
        (f"/api/articles/{REVISED_ID}/diff?old=7", 400, "versions [1, 2]"),
        ("/api/activities?view=everything", 422, "view"),
        ("/api/trends", 400, "term"),
        ("/api/trends?person=Nobody+Atall", 400, "Nobody Atall"),
        ("/api/search?q=Kim&format=xml", 422, "format"),
    ],
)
def test_bad_parameters_get_a_message(client: TestClient, url: str, status: int, message: str) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert message in r.json()["detail"]


def test_bad_query_on_a_page_is_a_400_page(client: TestClient) -> None:
    r = client.get("/search", params={"q": '"unterminated'})
    assert r.status_code == 400 and "text/html" in r.headers["content-type"]
    assert "unterminated" in r.text


def test_openapi_schema_lists_the_api(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/search", "/api/search.atom", "/api/articles", "/api/activities", "/api/entities",
                 "/api/quantities", "/api/techniques", "/api/trends", "/api/ingest"):
        assert path in paths
    assert not any(p in paths for p in ("/", "/search", "/trends"))  # pages are not API


@pytest.mark.parametrize("url", ["/", "/search?q=Kim", f"/articles/{REVISED_ID}", "/activities", "/trends?terms=Japan",
                                 "/entities", f"/entities/{KIM}", "/api/search?q=Kim", "/static/app.js", "/nowhere"])
def test_every_response_carries_the_csp(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"


def test_pages_link_no_outside_assets(client: TestClient) -> None:
    for url in ("/", "/search?q=Kim", f"/articles/{REVISED_ID}", "/activities", "/trends?terms=Japan"):
        html = client.get(url).text
        assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', html), url
        assert "<script>" not in html and " style=" not in html


def test_writes_are_off_without_a_token(client: TestClient) -> None:
    r = client.post("/api/ingest", content=b'{"id": "x", "title": "t", "body": "b"}\n')
    assert r.status_code == 403 and "STATEMEDIA_TOKEN" in r.json()["detail"]
    assert client.put("/api/search?q=Kim").status_code == 405


def test_ingest_needs_the_operators_token(web_db: Path) -> None:
    record = {"id": "web-upload-1", "outlet": "KCNA", "date": "2012-12-01", "language": "en",
              "title": "Uploaded Through the Workbench", "body": "Pyongyang, December 1 (KCNA) -- A zxqvbn story."}
    body = (json.dumps(record) + "\n").encode()
    with TestClient(create_app(web_db, token="s3cret")) as c:
        assert c.post("/api/ingest", content=body).status_code == 401
        assert c.post("/api/ingest", content=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
        r = c.post("/api/ingest?analyze=false", content=body, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 200 and r.json()["summary"]["new"] == 1
        hits = c.get("/api/search", params={"q": "zxqvbn"}).json()["items"]
        assert [h["id"] for h in hits] == ["web-upload-1"]
        bad = c.post("/api/ingest?analyze=false", content=b"not json\n", headers={"Authorization": "Bearer s3cret"})
        assert bad.status_code == 200 and bad.json()["rejects"] and bad.json()["summary"]["rejected"] == 1
        assert bad.json()["rejects"][0]["where"] == "upload:line 1"  # not the server's temporary path


def test_serve_command_reads_the_token_from_the_environment(web_db: Path, tmp_path: Path) -> None:
    missing = subprocess.run([sys.executable, "-m", "statemedia", "serve", "--db", str(tmp_path / "none.db")],
                             capture_output=True, timeout=60)
    assert missing.returncode == 2 and b"no database" in missing.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "STATEMEDIA_TOKEN": "from-env"}
    proc = subprocess.Popen([sys.executable, "-m", "statemedia", "serve", "--db", str(web_db), "--port", str(port)],
                            env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/api/search?q=Kim&limit=3", timeout=5) as r:
                    assert len(json.loads(r.read())["items"]) == 3
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        post = urllib.request.Request(base + "/api/ingest", data=b"", method="POST",
                                      headers={"Authorization": "Bearer from-env"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(post, timeout=10)
        assert refused.value.code == 400  # authorised, but the body is empty
    finally:
        proc.terminate()
        proc.wait(10)
    assert b"read-write" in (proc.stderr.read() if proc.stderr else b"")
