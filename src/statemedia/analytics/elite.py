"""Elite standing read from protocol order: who accompanies the leader, how often, how high up.

KCNA lists a leader's companions in protocol order, so an official's position in those
lists (1 = first named) tracks his rank, and its change between periods tracks his rise
or fall. Who appears with whom forms a co-appearance network.

Which protocol lists count is the caller's choice (``roles``): the entourage alone by
default, or also those present and the hosts who greeted him (``extract.entourage``). An
official named in several of one activity's lists counts once, in the first role asked for,
at his position in that role's list.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations, pairwise
from typing import Any

from ..csv_cells import safe_cell
from .activities import PROTOCOL_ROLES, Activity

__all__ = [
    "DEFAULT_ROLES",
    "Move",
    "Standing",
    "co_appearances",
    "edges_csv",
    "graphml",
    "listed",
    "movers",
    "network",
    "parse_roles",
    "period_of",
    "ranking",
]

# The lists that make the elite ranking unless the user asks for more: those who accompanied him.
DEFAULT_ROLES: tuple[str, ...] = ("entourage",)


def parse_roles(text: str) -> tuple[str, ...]:
    """``"entourage,present"`` → ``("entourage", "present")``; unknown or no roles raise ValueError."""
    roles = tuple(dict.fromkeys(r.strip() for r in text.split(",") if r.strip()))
    unknown = [r for r in roles if r not in PROTOCOL_ROLES]
    if unknown or not roles:
        raise ValueError(f"roles {text!r}: choose from {', '.join(PROTOCOL_ROLES)} (comma-separated)")
    return roles


def listed(act: Activity, roles: Sequence[str] = DEFAULT_ROLES) -> list[tuple[Mapping[str, Any], int]]:
    """The people of one activity's lists in ``roles``, each once: (member, position in its list)."""
    seen: set[str] = set()
    out: list[tuple[Mapping[str, Any], int]] = []
    for role in roles:
        for position, member in enumerate(act.members(role), 1):
            pid = str(member["id"])
            if pid not in seen:
                seen.add(pid)
                out.append((member, position))
    return out


def period_of(unit: str) -> Callable[[date], str]:
    """A function naming the period of a day: ``month`` (2012-05), ``quarter`` (2012-Q2) or ``year``."""
    if unit == "month":
        return lambda d: f"{d:%Y-%m}"
    if unit == "quarter":
        return lambda d: f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    if unit == "year":
        return lambda d: str(d.year)
    raise ValueError(f"unknown period {unit!r}; use month, quarter or year")


@dataclass(frozen=True, slots=True)
class Standing:
    """An official's standing in one period: appearances and mean position in the lists (1 = first)."""

    period: str
    id: str
    name: str
    appearances: int
    mean_position: float
    rank: int


def ranking(
    items: Iterable[Activity],
    *,
    period: str = "year",
    top: int | None = None,
    roles: Sequence[str] = DEFAULT_ROLES,
) -> list[Standing]:
    """Officials by period: most appearances in the ``roles`` lists first, ties broken by higher mean position."""
    name_of: dict[str, str] = {}
    positions: dict[tuple[str, str], list[int]] = defaultdict(list)
    naming = period_of(period)
    for act in items:
        day = act.day or act.published
        if day is None:
            continue
        for member, position in listed(act, roles):
            pid = str(member["id"])
            name_of.setdefault(pid, str(member["name"]))
            positions[(naming(day), pid)].append(position)
    by_period: dict[str, list[tuple[str, list[int]]]] = defaultdict(list)
    for (p, pid), pos in positions.items():
        by_period[p].append((pid, pos))
    out: list[Standing] = []
    for p in sorted(by_period):
        rows = sorted(by_period[p], key=lambda r: (-len(r[1]), sum(r[1]) / len(r[1]), name_of[r[0]]))
        for rank, (pid, pos) in enumerate(rows[:top] if top else rows, 1):
            out.append(Standing(p, pid, name_of[pid], len(pos), round(sum(pos) / len(pos), 2), rank))
    return out


@dataclass(frozen=True, slots=True)
class Move:
    """How an official's rank changed from one period to the next (positive = up)."""

    id: str
    name: str
    before: str
    after: str
    rank_before: int | None
    rank_after: int | None
    change: int | None


def movers(standings: Iterable[Standing]) -> list[Move]:
    """Rank changes between consecutive periods; entering or leaving the lists has no change number."""
    table: dict[str, dict[str, Standing]] = defaultdict(dict)
    for s in standings:
        table[s.period][s.id] = s
    periods = sorted(table)
    out: list[Move] = []
    for before, after in pairwise(periods):
        for pid in sorted(set(table[before]) | set(table[after])):
            b, a = table[before].get(pid), table[after].get(pid)
            name = a.name if a else table[before][pid].name
            change = b.rank - a.rank if a and b else None
            out.append(Move(pid, name, before, after, b.rank if b else None, a.rank if a else None, change))
    return sorted(out, key=lambda m: (m.before, -(m.change or 0), m.name))


def co_appearances(
    items: Iterable[Activity], *, include_actor: bool = True, roles: Sequence[str] = DEFAULT_ROLES
) -> Counter[tuple[str, str]]:
    """How often two people appear in the same activity (the leader included), by (id, id) sorted."""
    pairs: Counter[tuple[str, str]] = Counter()
    for act in items:
        people = [str(m["id"]) for m, _ in listed(act, roles)]
        if include_actor and act.actor_id:
            people.append(act.actor_id)
        for a, b in combinations(sorted(set(people)), 2):
            pairs[(a, b)] += 1
    return pairs


def _names(items: Iterable[Activity], roles: Sequence[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for act in items:
        names.setdefault(act.actor_id, act.actor)
        for m, _ in listed(act, roles):
            names.setdefault(str(m["id"]), str(m["name"]))
    return names


def network(
    items: Iterable[Activity], *, min_weight: int = 1, roles: Sequence[str] = DEFAULT_ROLES
) -> list[dict[str, Any]]:
    """The co-appearance network's edges, heaviest first: source, target, their names, weight."""
    acts = list(items)
    names = _names(acts, roles)
    return [
        {"source": a, "target": b, "source_name": names.get(a, a), "target_name": names.get(b, b), "weight": weight}
        for (a, b), weight in sorted(co_appearances(acts, roles=roles).items(), key=lambda kv: (-kv[1], kv[0]))
        if weight >= min_weight
    ]


def edges_csv(items: Iterable[Activity], *, min_weight: int = 1, roles: Sequence[str] = DEFAULT_ROLES) -> str:
    """The co-appearance network (``network``) as CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "target", "source_name", "target_name", "weight"])
    for edge in network(items, min_weight=min_weight, roles=roles):
        writer.writerow([safe_cell(c) for c in edge.values()])
    return buffer.getvalue()


def graphml(items: Iterable[Activity], *, min_weight: int = 1, roles: Sequence[str] = DEFAULT_ROLES) -> str:
    """The co-appearance network as GraphML (nodes: people with a name; edges: weight)."""
    acts = list(items)
    names = _names(acts, roles)
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    for key_id, target, attr in (("name", "node", "name"), ("weight", "edge", "weight")):
        ET.SubElement(
            root,
            f"{{{ns}}}key",
            {"id": key_id, "for": target, "attr.name": attr, "attr.type": "int" if key_id == "weight" else "string"},
        )
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"id": "co-appearances", "edgedefault": "undirected"})
    edges = {pair: w for pair, w in co_appearances(acts, roles=roles).items() if w >= min_weight}
    for pid in sorted({p for pair in edges for p in pair}):
        node = ET.SubElement(graph, f"{{{ns}}}node", {"id": pid})
        ET.SubElement(node, f"{{{ns}}}data", {"key": "name"}).text = names.get(pid, pid)
    for (a, b), weight in sorted(edges.items()):
        edge = ET.SubElement(graph, f"{{{ns}}}edge", {"source": a, "target": b})
        ET.SubElement(edge, f"{{{ns}}}data", {"key": "weight"}).text = str(weight)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
