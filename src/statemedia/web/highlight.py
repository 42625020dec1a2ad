"""Article text with highlight layers, built from standoff annotations.

Annotations of different layers overlap (a date inside an event, an entity inside a
technique span), so the text is cut at every span boundary into flat segments, each
tagged with the layers covering it. Every segment and every tooltip is escaped on its
own: the markup around them is the only HTML that is not article text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from ..model import Annotation, Document

__all__ = ["LAYERS", "Layer", "highlighted", "layer_counts", "snippet_html"]


@dataclass(frozen=True)
class Layer:
    key: str  # CSS class suffix and toggle name
    title: str  # legend text
    labels: tuple[str, ...]  # annotation labels shown in this layer


LAYERS: tuple[Layer, ...] = (
    Layer("entity", "Entities", ("entity",)),
    Layer("date", "Dates", ("date", "juche_year")),
    Layer("quantity", "Quantities", ("quantity",)),
    Layer("event", "Events", ("event",)),
    Layer("quote", "Quotations", ("quote",)),
    Layer("technique", "Techniques", ("technique",)),
)
_LAYER_OF = {label: layer.key for layer in LAYERS for label in layer.labels}


def _tip(ann: Annotation) -> str:
    a: Mapping[str, Any] = ann.attrs
    if ann.label == "entity":
        return f"entity: {a.get('name')} ({a.get('type')})"
    if ann.label == "date":
        return f"date: {a.get('value')} ({a.get('precision')})"
    if ann.label == "juche_year":
        return f"Juche {a.get('juche')} = {a.get('year')}"
    if ann.label == "quantity":
        unit = f" {a['unit']}" if a.get("unit") else ""
        counted = f" {a['counted']}" if a.get("counted") else ""
        return f"quantity: {a.get('value')}{unit}{counted}"
    if ann.label == "event":
        parts = [str(a.get("kind")), str(a.get("actor") or ""), str(a.get("date") or "")]
        return "event: " + " · ".join(p for p in parts if p)
    if ann.label == "quote":
        speaker = a.get("speaker_name") or a.get("speaker")
        return f"quote: {a.get('kind')}" + (f" · {speaker} ({a.get('verb')})" if speaker else "")
    score = a.get("score")
    return f"technique: {a.get('technique')}" + (f" ({float(score):.2f})" if score is not None else "")


def layer_counts(doc: Document) -> dict[str, int]:
    counts = {layer.key: 0 for layer in LAYERS}
    for ann in doc.annotations:
        key = _LAYER_OF.get(ann.label)
        if key is not None:
            counts[key] += 1
    return counts


def highlighted(doc: Document) -> Markup:
    """The text as HTML: a ``<span class="hl hl-LAYER...">`` (or an entity link) per covered segment."""
    spans = [a for a in doc.annotations if a.label in _LAYER_OF and a.end > a.start]
    cuts = sorted({0, len(doc.text), *(a.start for a in spans), *(a.end for a in spans)})
    by_start = sorted(spans, key=lambda a: a.start)
    active: list[Annotation] = []
    nxt = 0
    out: list[str] = []
    for left, right in pairwise(cuts):
        while nxt < len(by_start) and by_start[nxt].start <= left:
            active.append(by_start[nxt])
            nxt += 1
        active = [a for a in active if a.end > left]
        piece = escape(doc.text[left:right])
        if not active:
            out.append(piece)
            continue
        layers = sorted({_LAYER_OF[a.label] for a in active}, key=[x.key for x in LAYERS].index)
        classes = " ".join(f"hl-{k}" for k in layers)
        tip = escape(" | ".join(dict.fromkeys(_tip(a) for a in active)))
        entity = next((a for a in active if a.label == "entity" and a.attrs.get("id")), None)
        if entity is not None:
            href = escape("/entities/" + quote(str(entity.attrs["id"]), safe=""))
            out.append(f'<a class="hl {classes}" href="{href}" title="{tip}">{piece}</a>')
        else:
            out.append(f'<span class="hl {classes}" title="{tip}">{piece}</span>')
    return Markup("".join(out))


def snippet_html(snippet: str) -> Markup:
    """A search snippet (FTS5 marks matches ``**like this**``) with each match in ``<mark>``."""
    parts = snippet.split("**")
    return Markup("".join(f"<mark>{escape(p)}</mark>" if i % 2 else str(escape(p)) for i, p in enumerate(parts)))
