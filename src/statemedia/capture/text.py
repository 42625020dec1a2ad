"""Plain text → Document: newlines, chrome, glued names, title, Juche stamp, dateline, language, id.

Every capture path (text, HTML, records) ends here, so a Document is always built
the same way. The title is kept in ``Document.title`` and *not* repeated in the text.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from typing import Any

from ..errors import EmptyInputError
from ..model import Document, Source, content_hash
from .chrome import strip_chrome
from .dateline import find_dateline
from .decode import read_text
from .glue import repair_glued_names
from .language import detect_language
from .options import CaptureOptions, default_options
from .stamps import stamp_date, title_stamp

__all__ = ["build_document", "capture_text", "clean_text", "document_id"]

_BLANK_RUNS = re.compile(r"\n{3,}")
# A line ending like a sentence (or a clause) is body text, not a title.
_SENTENCE_END = (".", ",", ";", ":")


def clean_text(text: str) -> tuple[str, list[str]]:
    """Unix newlines, no chrome, lines trimmed, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, removed = strip_chrome(text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    # The substring test first: re's sub scans the whole text even with nothing to replace
    # (a visible share of a KCNA story's capture, the ``in`` test a fraction of it, and no story
    # has a run: docs/performance.md, "Capture").
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip(), removed


def _repair(text: str, options: CaptureOptions) -> tuple[str, Counter[str]]:
    return repair_glued_names(text, min_tail=options.glue_min_tail, min_word=options.glue_min_word)


def _split_title(text: str, title: str | None, *, infer: bool, max_chars: int) -> tuple[str | None, str]:
    """(title, body). A given title is dropped from the body's first line if repeated there."""
    first, _, rest = text.partition("\n")
    first = first.strip()
    if title is not None:
        same = " ".join(first.split()) == " ".join(title.split())
        return title, rest.strip() if same else text
    looks_like_title = (
        bool(rest.strip())
        and len(first) <= max_chars
        and not first.endswith(_SENTENCE_END)
        and find_dateline(first) is None
    )
    if infer and looks_like_title:
        return first, rest.strip()
    return None, text


def document_id(doc_id: str | None, url: str | None, text: str) -> str:
    """The record's id, else its URL, else a stable id from the clean text."""
    return doc_id or url or "sha256:" + content_hash(text)[:16]


def build_document(
    text: str,
    *,
    source: Source,
    options: CaptureOptions,
    doc_id: str | None = None,
    outlet: str | None = None,
    published: datetime.date | None = None,
    url: str | None = None,
    title: str | None = None,
    infer_title: bool = True,
    meta: dict[str, Any] | None = None,
) -> Document:
    """The Document for already-decoded article ``text`` (title line optional).

    The clean text every later component reads: chrome removed (``meta["chrome_removed"]``),
    names glued to their neighbours parted (``meta["glue_repaired"]``: spaces put back, by name).
    A Juche stamp ending the title is cut off it; without a ``published`` date, a stamp in
    the title or text gives it (``meta["published_from"] = "juche stamp"``).
    """
    cleaned, removed = clean_text(text)
    glued: Counter[str] = Counter()
    if options.glue_repair:
        cleaned, glued = _repair(cleaned, options)
        if title is not None:
            title, title_glued = _repair(title, options)
            glued += title_glued
    title, body = _split_title(cleaned, title, infer=infer_title, max_chars=options.max_title_chars)
    if not body:
        raise EmptyInputError(
            "no article text (only whitespace, a title or page chrome)", where=source.location
        )
    stamped = None
    if title is not None:
        title, stamped = title_stamp(title)
    from_stamp = False
    if published is None:
        published = stamped or stamp_date(body)
        from_stamp = published is not None
    dateline = find_dateline(body, published)
    if dateline is not None and outlet is None:
        outlet = dateline.outlet
    doc = Document(
        id=document_id(doc_id, url, body),
        text=body,
        title=title or None,
        outlet=outlet,
        url=url,
        published=published,
        language=detect_language(body[: options.language_sample_chars], options.languages),
        source=source,
        meta=dict(meta or {}),
    )
    if removed:
        doc.meta["chrome_removed"] = removed
    if glued:
        doc.meta["glue_repaired"] = dict(glued)
    if from_stamp:
        doc.meta["published_from"] = "juche stamp"
    if dateline is not None:
        doc.add([dateline.annotation()])
    return doc


def capture_text(
    data: bytes | str,
    *,
    location: str = "<text>",
    doc_id: str | None = None,
    outlet: str | None = None,
    published: datetime.date | None = None,
    url: str | None = None,
    title: str | None = None,
    options: CaptureOptions | None = None,
) -> Document:
    """A Document from a plain-text article (first line taken as title when it looks like one)."""
    options = options or default_options()
    raw, encoding = read_text(data, where=location, options=options)
    return build_document(
        raw,
        source=Source(raw, "text/plain", encoding, location),
        options=options,
        doc_id=doc_id,
        outlet=outlet,
        published=published,
        url=url,
        title=title,
    )
