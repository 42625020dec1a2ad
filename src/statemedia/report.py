"""The analysis result as data: a JSON view of one analysed Document.

Everything here is *derived* from the document's annotations (the one representation);
``events``, ``quantities``, ``entities``, ``quotations`` and ``techniques`` are convenience
views of the ``event``, ``quantity``, ``entity``, ``quote`` and ``technique`` layers. The shape is documented
by ``schema/analysis.schema.json`` and checked by :func:`validate`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from .model import Document

__all__ = ["SCHEMA_VERSION", "analysis_schema", "document_record", "to_json", "validate"]

SCHEMA_VERSION = "1"


def document_record(doc: Document) -> dict[str, Any]:
    """The document part of the result: metadata, content hash and clean text."""
    return {
        "id": doc.id,
        "title": doc.title,
        "outlet": doc.outlet,
        "url": doc.url,
        "date": doc.published.isoformat() if doc.published else None,
        "language": doc.language,
        "content_hash": doc.content_hash,
        "text": doc.text,
    }


def _events(doc: Document) -> list[dict[str, Any]]:
    keys = ("kind", "actor", "date", "date_precision", "summary", "place", "target", "entourage", "evidence")
    out = []
    for ann in doc.spans("event"):
        event = {k: ann.attrs.get(k) for k in keys}
        event.update({k: v for k, v in ann.attrs.items() if k not in keys})
        event["source"] = ann.producer  # the activity log's entries and dated events share the list
        out.append(event)
    return out


def _quantities(doc: Document) -> list[dict[str, Any]]:
    return [
        {
            "value": a.attrs["value"],
            "unit": a.attrs.get("unit"),
            "counted": a.attrs.get("counted"),
            "qualifier": a.attrs.get("qualifier"),
            "lower": a.attrs.get("lower"),
            "upper": a.attrs.get("upper"),
            "text": doc.covered(a),
            "start": a.start,
            "end": a.end,
        }
        for a in doc.spans("quantity")
    ]


def _entities(doc: Document) -> list[dict[str, Any]]:
    grouped: dict[str, dict[str, Any]] = {}
    for ann in doc.spans("entity"):
        entry = grouped.setdefault(
            ann.attrs["id"],
            {"id": ann.attrs["id"], "name": ann.attrs["name"], "type": ann.attrs["type"], "mentions": []},
        )
        entry["mentions"].append([ann.start, ann.end])
    return sorted(grouped.values(), key=lambda e: (-len(e["mentions"]), e["name"] or ""))


def _techniques(doc: Document) -> list[dict[str, Any]]:
    return [
        {"label": a.attrs["technique"], "start": a.start, "end": a.end, "score": a.attrs.get("score")}
        for a in doc.spans("technique")
    ]


def _quotations(doc: Document) -> list[dict[str, Any]]:
    return [
        {"kind": a.attrs.get("kind"), "start": a.start, "end": a.end, "text": doc.covered(a)}
        | {k: a.attrs.get(k) for k in ("speaker", "speaker_id", "speaker_name", "verb") if k in a.attrs}
        for a in doc.spans("quote")
    ]


def to_json(doc: Document) -> dict[str, Any]:
    """The documented JSON result for one analysed document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "document": document_record(doc),
        "annotations": [a.to_dict() for a in doc.spans()],
        "events": _events(doc),
        "quantities": _quantities(doc),
        "entities": _entities(doc),
        "quotations": _quotations(doc),
        "techniques": _techniques(doc),
    }


@cache
def analysis_schema() -> dict[str, Any]:
    text = resources.files("statemedia").joinpath("schema", "analysis.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate(result: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``result`` does not follow the schema."""
    import jsonschema

    jsonschema.validate(result, analysis_schema())
