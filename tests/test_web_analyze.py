"""Pasting an article into the workbench (/analyze): analysed with the corpus pipeline, shown
with its highlights and findings, never stored; bad or oversized input gets a clear answer."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from conftest import SEED
from statemedia.web.app import create_app
from web_fixtures import kcna_store_fixture, web_db_fixture  # noqa: F401


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_db, token="")) as c:
        yield c


def _seed_body() -> str:
    return SEED.read_text(encoding="utf-8")  # chrome and all, as copied from the page


def test_pasted_seed_is_highlighted_and_its_findings_listed(client: TestClient) -> None:
    stored = client.get("/api/articles").json()["total"]
    r = client.post("/analyze", data={"title": "Pasted", "date": "2023-07-20", "text": _seed_body()})
    assert r.status_code == 200, r.text[:500]
    page = r.text
    assert page.count("hl-entity") > 5
    # The reported order in the seed: "He told the commander that the officers should show deep care".
    quotations = re.search(r'<table class="dense" id="quotations">(.*?)</table>', page, re.S)
    assert quotations is not None
    assert "Kim Il Sung" in quotations.group(1) and "the officers should show deep care" in quotations.group(1)
    assert 'id="entities"' in page and "/entities/person%3Akim-il-sung" in page
    assert client.get("/api/articles").json()["total"] == stored  # nothing was stored


def test_pasted_markup_is_shown_as_text(client: TestClient) -> None:
    payload = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
    text = f"Pyongyang, July 20 (KCNA) -- Kim Jong Un visited the Ryongsong Machine Complex {payload} on Monday."
    r = client.post("/analyze", data={"text": text})
    assert r.status_code == 200
    assert "<script>window.__xss" not in r.text and "<img src=x" not in r.text
    assert str(escape(payload)) in r.text  # echoed in the form as text


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"text": "   "}, 422, "paste the text"),
        ({"text": "Kim Jong Un visited a farm.", "date": "20 July"}, 422, "is not YYYY-MM-DD"),
        ({"text": "x " * 600_000}, 413, "over the limit"),
    ],
)
def test_bad_pastes_get_a_clear_answer(client: TestClient, form: dict[str, str], status: int, message: str) -> None:
    r = client.post("/analyze", data=form)
    assert r.status_code == status
    assert message in html.unescape(r.text)


def test_the_form_is_linked_from_every_page(client: TestClient) -> None:
    assert 'href="/analyze"' in client.get("/").text
    form = client.get("/analyze")
    assert form.status_code == 200 and '<form class="paste" id="paste" action="/analyze" method="post">' in form.text
