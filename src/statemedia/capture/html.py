"""HTML page → Document: trafilatura for the article body and metadata, htmldate as date fallback."""

from __future__ import annotations

import datetime
import re

from ..errors import NoArticleError
from ..model import Document, Source
from .decode import read_text
from .options import CaptureOptions, default_options
from .stamps import STAMP
from .text import build_document

__all__ = ["capture_html", "looks_like_html", "space_bold"]

_SENTENCE_ENDS = (".", "!", "?", '"', "”", "’", ")")
# Sentence boundaries: after final punctuation (and closing quotes) before space, and line breaks.
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?][\"”’)])\s+|(?<=[.!?])\s+|\n")
_HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>")


# Bold markup: <b>, <strong>, and spans whose attributes say bold (kcna.kp's names).
_BOLD_TAG = re.compile(r"<(/?)(b|strong|span)\b([^>]*)>", re.IGNORECASE)


def space_bold(html: str) -> str:
    """``html`` with a space put between a bold element and a letter or digit touching it
    outside ("Comrade<b>Kim Jong Un</b>visited" → "Comrade <b>Kim Jong Un</b> visited"): sites
    that set names in bold spans rely on CSS for the gap, which text extraction loses.
    Nothing else changes: punctuation after a name ("</b>'s", "</b>,") stays attached."""
    out: list[str] = []
    spans: list[bool] = []  # per open <span>: whether it is bold
    pos = 0
    for m in _BOLD_TAG.finditer(html):
        closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3).lower()
        if name == "span":
            bold = spans.pop() if closing and spans else ("bold" in attrs and not closing)
            if not closing:
                spans.append(bold)
        else:
            bold = True
        out.append(html[pos : m.start()])
        before = html[m.start() - 1] if m.start() else ""
        after = html[m.end()] if m.end() < len(html) else ""
        if bold and not closing and before.isalnum():
            out.append(" ")
        out.append(m.group(0))
        if bold and closing and after.isalnum():
            out.append(" ")
        pos = m.end()
    out.append(html[pos:])
    return "".join(out)


def looks_like_html(text: str) -> bool:
    """Whether decoded input is an HTML page rather than plain text (sniffing stdin and odd suffixes)."""
    head = text.lstrip()[:2048].lower()
    return head.startswith("<") and any(marker in head for marker in _HTML_MARKERS)


def _has_sentence(text: str, min_words: int) -> bool:
    return any(
        len(chunk.split()) >= min_words and chunk.rstrip().endswith(_SENTENCE_ENDS)
        for chunk in _SENTENCE_SPLIT.split(text)
    )


def _iso_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def capture_html(
    data: bytes | str,
    *,
    location: str = "<html>",
    doc_id: str | None = None,
    outlet: str | None = None,
    published: datetime.date | None = None,
    url: str | None = None,
    options: CaptureOptions | None = None,
    bold_names: bool = False,
) -> Document:
    """A Document from a web page's article; a page without one raises NoArticleError.
    ``bold_names``: the site sets names in bold with no spaces around them (:func:`space_bold`)."""
    # Imported here, not at module level: trafilatura and htmldate are slow to import
    # (docs/performance.md, "Capture"), which every corpus reader (JSONL, CSV, R data; the
    # ingest reader process) would pay for nothing.
    import htmldate
    import trafilatura
    from trafilatura.settings import Document as Extracted

    options = options or default_options()
    raw, encoding = read_text(data, where=location, options=options)
    # Comments are readers' text, not the outlet's: leave them out of the article.
    extracted = trafilatura.bare_extraction(
        space_bold(raw) if bold_names else raw, url=url, with_metadata=True, include_comments=False
    )
    body = extracted.text if isinstance(extracted, Extracted) else None
    if not isinstance(extracted, Extracted) or not body or not _has_sentence(body, options.min_article_words):
        raise NoArticleError(
            f"no article in the page (no sentence of {options.min_article_words}+ words)", where=location
        )
    # A kcna.kp Juche stamp ("(Juche113.1.2.)") is the site's own date: build_document reads it. It
    # wins over trafilatura's and htmldate's dates, which may be guesses from dates in the story.
    stamped = STAMP.search(body) or STAMP.search(extracted.title or "")
    if published is None and not stamped:
        published = _iso_date(extracted.date) or _iso_date(htmldate.find_date(raw, url=url))
    return build_document(
        body,
        source=Source(raw, "text/html", encoding, location),
        options=options,
        doc_id=doc_id,
        outlet=outlet or extracted.sitename or None,
        published=published,
        url=url or extracted.url or None,
        title=extracted.title or None,
        infer_title=False,
    )
