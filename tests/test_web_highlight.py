"""Highlight layers over real analysed KCNA stories: lossless, escaped, one class per layer."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from statemedia.model import Annotation, Document
from statemedia.store.sqlite import SQLiteStore
from statemedia.web.highlight import LAYERS, highlighted, layer_counts, snippet_html
from web_fixtures import REVISED_ID, kcna_store_fixture, web_db_fixture  # noqa: F401

STORIES = [REVISED_ID, "kcna-2012-00651", "kcna-2012-00775"]


class _Spans(HTMLParser):
    """Rebuilds the text and, per layer, the set of character offsets marked."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.open: list[set[str]] = []
        self.marked: dict[str, set[int]] = {layer.key: set() for layer in LAYERS}
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        classes = (dict(attrs).get("class") or "").split()
        self.open.append({c.removeprefix("hl-") for c in classes if c.startswith("hl-")})

    def handle_endtag(self, tag: str) -> None:
        self.open.pop()

    def handle_data(self, data: str) -> None:
        layers = set().union(*self.open) if self.open else set()
        for i in range(len(self.text), len(self.text) + len(data)):
            for key in layers:
                self.marked[key].add(i)
        self.text += data


@pytest.fixture(scope="module")
def docs(web_db: Path) -> Iterator[list[Document]]:
    store = SQLiteStore(web_db)
    found = [store.get(doc_id) for doc_id in STORIES]
    store.close()
    yield [d for d in found if d is not None]


def test_highlighting_is_lossless_and_marks_every_span(docs: list[Document]) -> None:
    assert len(docs) == len(STORIES)
    for doc in docs:
        parsed = _Spans()
        parsed.feed(str(highlighted(doc)))
        assert parsed.text == doc.text, doc.id
        assert set(parsed.tags) <= {"span", "a"}
        counts = layer_counts(doc)
        assert counts["entity"] > 0
        for layer in LAYERS:
            wanted = {i for a in doc.annotations if a.label in layer.labels for i in range(a.start, a.end)}
            assert parsed.marked[layer.key] == wanted, (doc.id, layer.key)


@pytest.mark.parametrize(
    "payload",
    ['<script>alert(1)</script>', '<img src=x onerror="alert(1)">', "a & b < c", '" onmouseover="alert(1)'],
)
def test_text_and_tooltips_are_escaped(docs: list[Document], payload: str) -> None:
    base = docs[0]
    text = base.text[:200] + payload + base.text[200:400]
    doc = Document(id="x", text=text)
    shift = len(payload)
    # Real annotations moved past the payload, plus one whose attributes carry it too.
    doc.add(
        Annotation(a.start + (shift if a.start >= 200 else 0), a.end + (shift if a.end > 200 else 0), a.label,
                   dict(a.attrs), a.producer)
        for a in base.annotations
        if a.end <= 400 and not (a.start < 200 < a.end)
    )
    doc.add([Annotation(200, 200 + shift, "entity", {"id": payload, "name": payload, "type": "PERSON"}, "test")])
    html = str(highlighted(doc))
    assert payload not in html
    parsed = _Spans()
    parsed.feed(html)
    assert parsed.text == text
    assert set(parsed.tags) <= {"span", "a"}


def test_snippet_marks_matches_and_escapes_the_rest() -> None:
    html = str(snippet_html("…the **Kim Jong Un** <b>visited</b> **Pyongyang**…"))
    assert html.count("<mark>") == 2 and "<b>" not in html and "&lt;b&gt;visited" in html
