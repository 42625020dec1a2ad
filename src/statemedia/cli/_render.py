"""Rich rendering of one analysed document: header, timeline, claims, entities, quotations."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..model import Document
from ..report import to_json


def render_report(console: Console, doc: Document) -> None:
    result = to_json(doc)
    meta = result["document"]
    header = Text()
    header.append(meta["title"] or "(untitled)", style="bold")
    header.append(
        f"\n{meta['outlet'] or 'unknown outlet'} · {meta['date'] or 'undated'} · "
        f"{meta['language'] or '?'} · {meta['id']}",
        style="dim",
    )
    console.print(Panel(header, expand=False))

    timeline = Table(title="Timeline", show_lines=False, title_justify="left")
    for column in ("date", "kind", "actor", "what happened", "with"):
        timeline.add_column(column, overflow="fold")
    for ev in result["events"]:
        entourage = ", ".join(member["name"] for member in ev["entourage"])
        timeline.add_row(ev["date"] or "?", ev["kind"], ev["actor"] or "", ev["summary"] or "", entourage)
    console.print(timeline)

    claims = Table(title="Numeric claims", title_justify="left")
    for column in ("value", "unit", "counted", "qualifier", "as written"):
        claims.add_column(column, overflow="fold")
    for q in result["quantities"]:
        claims.add_row(f"{q['value']:,}", q["unit"] or "", q["counted"] or "", q["qualifier"] or "", q["text"])
    console.print(claims)

    people = Table(title="People and organisations", title_justify="left")
    for column in ("name", "type", "id", "mentions"):
        people.add_column(column, overflow="fold")
    for ent in result["entities"]:
        people.add_row(ent["name"] or "", ent["type"], ent["id"], str(len(ent["mentions"])))
    console.print(people)

    speech = [q for q in result["quotations"] if q["kind"] in ("direct", "indirect", "quoted")]
    if speech:
        quotes = Table(title="Quotations", title_justify="left")
        for column in ("kind", "speaker", "words"):
            quotes.add_column(column, overflow="fold")
        for q in speech:
            words = q["text"] if len(q["text"]) <= 160 else q["text"][:160].rsplit(" ", 1)[0] + " …"
            quotes.add_row(q["kind"], q.get("speaker_name") or q.get("speaker") or "", words)
        console.print(quotes)

    if result["techniques"]:
        counts = Counter(t["label"] for t in result["techniques"])
        console.print("Persuasion techniques: " + ", ".join(f"{k} ×{v}" for k, v in counts.most_common()))
