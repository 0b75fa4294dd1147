"""Private helpers shared by the analytics modules: lookups, validation, area ancestry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from graphcoord.analytics.errors import (
    AreaNotFound,
    DeputyNotFound,
    GroupNotFound,
    InvalidArgument,
)
from graphcoord.analytics.graph import (
    LEVELS,
    VILLAGE_KINDS,
    area_node,
    deputy_node,
    group_node,
    key_of,
)
from graphcoord.model import AREA_KIND_BY_CODE_LENGTH, significant_length

#: Level names as they read in a sentence ("county deputy 张三").
LEVEL_WORD: dict[str, str] = {
    "NATIONAL": "national",
    "PROVINCIAL": "provincial",
    "CITY": "city",
    "COUNTY": "county",
    "TOWNSHIP": "township",
}
#: Levels whose deputies are elected directly in a constituency.
CONSTITUENCY_LEVELS: frozenset[str] = frozenset({"COUNTY", "TOWNSHIP"})


def is_active(attrs: dict[str, Any]) -> bool:
    """A deputy counts unless its status is ``LEFT`` (a missing status counts as ACTIVE)."""
    return attrs.get("status", "ACTIVE") != "LEFT"


def check_level(level: str | None, *, allow_none: bool = True) -> str | None:
    """Normalise a level name (accepts enum members) or raise :class:`InvalidArgument`."""
    if level is None:
        if allow_none:
            return None
        raise InvalidArgument("a level is required")
    name = str(getattr(level, "value", level)).upper()
    if name not in LEVELS:
        raise InvalidArgument(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    return name


def require_area(G: nx.DiGraph, code: str) -> str:
    node = area_node(code)
    if node not in G or G.nodes[node].get("type") != "area":
        raise AreaNotFound(code)
    return node


def require_village(G: nx.DiGraph, code: str) -> str:
    node = require_area(G, code)
    kind = G.nodes[node].get("kind")
    if kind not in VILLAGE_KINDS:
        raise InvalidArgument(f"area {code!r} is a {kind}, not a village or community")
    return node


def require_deputy(G: nx.DiGraph, deputy_id: str) -> str:
    node = deputy_node(deputy_id)
    if node not in G or G.nodes[node].get("type") != "deputy":
        raise DeputyNotFound(deputy_id)
    return node


def require_group(G: nx.DiGraph, group_id: str) -> str:
    node = group_node(group_id)
    if node not in G or G.nodes[node].get("type") != "group":
        raise GroupNotFound(group_id)
    return node


def as_id_list(ids: str | Iterable[str]) -> list[str]:
    """Accept one id or an iterable of ids; keep order, drop duplicates."""
    items = [ids] if isinstance(ids, str) else list(ids)
    return list(dict.fromkeys(items))


def area_kind(G: nx.DiGraph, code: str) -> str:
    """Kind of the area ``code``; from the code's shape when the node is not in ``G``."""
    node = area_node(code)
    if node in G:
        kind = G.nodes[node].get("kind")
        if kind:
            return str(kind)
    if len(code) == 12 and code.isdigit():
        return AREA_KIND_BY_CODE_LENGTH[significant_length(code)].value
    return "UNKNOWN"


def area_name(G: nx.DiGraph, code: str) -> str:
    node = area_node(code)
    if node in G:
        return str(G.nodes[node].get("name") or code)
    return code


class Ancestry:
    """Memoised ancestor chains of areas: ``chain(code)`` is ``(code, parent, grandparent…)``.

    A parent that is missing from a projected sub-graph still appears in the chain by its
    code (the ``parent`` attribute), so constituency checks work on partial projections.
    """

    def __init__(self, G: nx.DiGraph) -> None:
        self.G = G
        self._chains: dict[str, tuple[str, ...]] = {}

    def chain(self, code: str) -> tuple[str, ...]:
        cached = self._chains.get(code)
        if cached is not None:
            return cached
        node = area_node(code)
        parent: str | None = None
        if node in self.G:
            parent = self.G.nodes[node].get("parent")
            if parent is None:
                for succ, rel in self.G.succ[node].items():
                    if rel.get("rel") == "PART_OF":
                        parent = key_of(succ)
                        break
        result = (code,) if parent is None or parent == code else (code, *self.chain(parent))
        self._chains[code] = result
        return result


def scope_areas(G: nx.DiGraph, area_code: str | None) -> tuple[list[str], set[str] | None]:
    """Village nodes in scope (sorted by code) and the codes of every area in scope.

    The area set is ``None`` when ``area_code`` is ``None`` (everything is in scope).
    """
    if area_code is None:
        villages = sorted(
            n
            for n, attrs in G.nodes(data=True)
            if attrs.get("type") == "area" and attrs.get("kind") in VILLAGE_KINDS
        )
        return villages, None
    root = require_area(G, area_code)
    seen = {root}
    stack = [root]
    while stack:
        node = stack.pop()
        for pred, rel in G.pred[node].items():
            if pred not in seen and rel.get("rel") == "PART_OF":
                seen.add(pred)
                stack.append(pred)
    nodes = G.nodes
    villages = sorted(n for n in seen if nodes[n].get("kind") in VILLAGE_KINDS)
    return villages, {key_of(n) for n in seen}


def active_contacts(G: nx.DiGraph, village: str) -> list[str]:
    """Deputy nodes (ACTIVE only) with a CONTACTS edge into ``village``, sorted."""
    nodes = G.nodes
    return sorted(
        d
        for d, rel in G.pred[village].items()
        if rel.get("rel") == "CONTACTS" and is_active(nodes[d])
    )


def describe_deputy(G: nx.DiGraph, node: str) -> str:
    """``"county deputy 张三 (D1)"``."""
    attrs = G.nodes[node]
    word = LEVEL_WORD.get(str(attrs.get("level")), str(attrs.get("level", "")).lower())
    name = attrs.get("name") or key_of(node)
    ident = key_of(node)
    label = f"{name} ({ident})" if name != ident else ident
    return f"{word} deputy {label}"


def describe_area(G: nx.DiGraph, code: str) -> str:
    """``"张庄村 (321322101001)"``."""
    name = area_name(G, code)
    return f"{name} ({code})" if name != code else code
