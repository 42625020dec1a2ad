"""Atom feeds of saved searches: any search URL under /api/search.atom is a subscription."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from urllib.parse import quote

from ..store import Hit

__all__ = ["atom"]

_NS = "http://www.w3.org/2005/Atom"


def _stamp(day: date | None) -> str:
    return datetime.combine(day or date(1970, 1, 1), time(0), UTC).isoformat().replace("+00:00", "Z")


def atom(hits: Sequence[Hit], *, title: str, self_url: str, base_url: str) -> bytes:
    """An Atom 1.0 feed: one entry per hit, newest first, linking to the article page.
    ElementTree escapes every text and attribute value."""
    ET.register_namespace("", _NS)
    feed = ET.Element(f"{{{_NS}}}feed")
    ordered = sorted(hits, key=lambda h: (h.published or date.min, h.id), reverse=True)
    ET.SubElement(feed, f"{{{_NS}}}title").text = title
    ET.SubElement(feed, f"{{{_NS}}}id").text = self_url
    ET.SubElement(feed, f"{{{_NS}}}updated").text = _stamp(ordered[0].published if ordered else None)
    ET.SubElement(feed, f"{{{_NS}}}link", {"rel": "self", "href": self_url})
    ET.SubElement(ET.SubElement(feed, f"{{{_NS}}}author"), f"{{{_NS}}}name").text = "statemedia"
    for hit in ordered:
        url = f"{base_url.rstrip('/')}/articles/{quote(hit.id, safe='')}"
        entry = ET.SubElement(feed, f"{{{_NS}}}entry")
        ET.SubElement(entry, f"{{{_NS}}}title").text = hit.title or hit.id
        ET.SubElement(entry, f"{{{_NS}}}id").text = url
        ET.SubElement(entry, f"{{{_NS}}}link", {"rel": "alternate", "href": url})
        ET.SubElement(entry, f"{{{_NS}}}updated").text = _stamp(hit.published)
        ET.SubElement(entry, f"{{{_NS}}}summary").text = hit.snippet.replace("**", "")
        if hit.outlet:
            ET.SubElement(entry, f"{{{_NS}}}category", {"term": hit.outlet})
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body
