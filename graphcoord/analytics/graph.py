"""The shape of the coordination graph that every analytics function takes.

``graphcoord/services/projections.py`` reads a scope of the Neo4j graph and builds this
NetworkX ``DiGraph``; tests build it by hand with :class:`GraphBuilder`. Analytics never
talk to the database, so this module is the whole contract between the two sides.

Nodes are keyed ``"<type>:<business key>"`` (``area:321302001001``, ``deputy:D0001``) so that
keys of different labels never collide, and carry ``type`` plus the properties below.

==========  ==================================================================================
type        attributes
==========  ==================================================================================
area        code, name, kind (PROVINCE/CITY/COUNTY/TOWNSHIP/VILLAGE/COMMUNITY), parent (code|None)
deputy      id, name, level (NATIONAL…TOWNSHIP), status (ACTIVE/LEFT), electedIn (area code|None),
            baseArea (area code of home or work|None), openIssues (int), occupation, workUnit
group       id, name, kind (COLLABORATIVE/SUPERVISION/DEPUTY_TEAM), areaCode (code|None), room,
            activityDates (list of ISO dates ``YYYY-MM-DD``)
chain       id, name
cluster     id, name
obs         id, name, enterprise, role (LEAD/COLLABORATIVE)  -- an observation point
==========  ==================================================================================

Edges carry ``rel`` (the Neo4j relationship type) and its properties:

=====================  ==============================================  ================
rel                    direction                                       attributes
=====================  ==============================================  ================
PART_OF                area -> parent area
CONTACTS               deputy -> village/community area                basis
LIAISON_FOR            higher-level deputy -> lower-level deputy
MEMBER_OF              deputy -> group                                 role (CONVENER/MEMBER)
WORKS_ON               deputy -> chain
OBSERVES               deputy -> obs                                   role
ON_CHAIN               obs -> chain
IN_CLUSTER             chain -> cluster
=====================  ==============================================  ================
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from graphcoord.model import VILLAGE_KINDS as MODEL_VILLAGE_KINDS
from graphcoord.model import Level, basis_for_level

__all__ = [
    "LEVELS",
    "LEVEL_RANK",
    "VILLAGE_KINDS",
    "GraphBuilder",
    "area_node",
    "chain_node",
    "cluster_node",
    "deputy_node",
    "group_node",
    "key_of",
    "nodes_of_type",
    "obs_node",
]

#: The five levels, highest first (:class:`graphcoord.model.Level`, as plain strings).
LEVELS: tuple[str, ...] = tuple(level.value for level in Level)
#: Rank of a level: 0 for NATIONAL … 4 for TOWNSHIP (a lower number is a higher level).
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}
#: Area kinds that are contact units (:data:`graphcoord.model.VILLAGE_KINDS`).
VILLAGE_KINDS: frozenset[str] = frozenset(MODEL_VILLAGE_KINDS)


def area_node(code: str) -> str:
    return f"area:{code}"


def deputy_node(deputy_id: str) -> str:
    return f"deputy:{deputy_id}"


def group_node(group_id: str) -> str:
    return f"group:{group_id}"


def chain_node(chain_id: str) -> str:
    return f"chain:{chain_id}"


def cluster_node(cluster_id: str) -> str:
    return f"cluster:{cluster_id}"


def obs_node(point_id: str) -> str:
    return f"obs:{point_id}"


def key_of(node: str) -> str:
    """Return the business key of a node (``"deputy:D1"`` -> ``"D1"``)."""
    return node.split(":", 1)[1]


def nodes_of_type(G: nx.DiGraph, node_type: str) -> Iterator[str]:
    """Yield the nodes of ``G`` whose ``type`` attribute is ``node_type``."""
    return (n for n, t in G.nodes(data="type") if t == node_type)


class GraphBuilder:
    """Build a coordination graph node by node, with the attribute names above.

    Used by the Neo4j projection and by tests, so both produce exactly the same shape.
    """

    def __init__(self) -> None:
        self.G: nx.DiGraph = nx.DiGraph()

    def area(
        self, code: str, name: str = "", kind: str = "VILLAGE", parent: str | None = None
    ) -> str:
        node = area_node(code)
        self.G.add_node(node, type="area", code=code, name=name or code, kind=kind, parent=parent)
        if parent is not None:
            self.G.add_edge(node, area_node(parent), rel="PART_OF")
        return node

    def deputy(
        self,
        deputy_id: str,
        level: str,
        name: str = "",
        *,
        status: str = "ACTIVE",
        elected_in: str | None = None,
        base_area: str | None = None,
        open_issues: int = 0,
        occupation: str = "",
        work_unit: str = "",
    ) -> str:
        node = deputy_node(deputy_id)
        self.G.add_node(
            node,
            type="deputy",
            id=deputy_id,
            name=name or deputy_id,
            level=level,
            status=status,
            electedIn=elected_in,
            baseArea=base_area,
            openIssues=open_issues,
            occupation=occupation,
            workUnit=work_unit,
        )
        return node

    def contact(self, deputy_id: str, area_code: str, basis: str | None = None) -> None:
        if basis is None:
            basis = basis_for_level(self.G.nodes[deputy_node(deputy_id)]["level"]).value
        self.G.add_edge(deputy_node(deputy_id), area_node(area_code), rel="CONTACTS", basis=basis)

    def liaison(self, upper_id: str, lower_id: str) -> None:
        self.G.add_edge(deputy_node(upper_id), deputy_node(lower_id), rel="LIAISON_FOR")

    def group(
        self,
        group_id: str,
        name: str = "",
        kind: str = "COLLABORATIVE",
        area_code: str | None = None,
        room: str | None = None,
        activity_dates: Iterable[str] = (),
    ) -> str:
        node = group_node(group_id)
        self.G.add_node(
            node,
            type="group",
            id=group_id,
            name=name or group_id,
            kind=kind,
            areaCode=area_code,
            room=room,
            activityDates=sorted(activity_dates),
        )
        return node

    def member(self, deputy_id: str, group_id: str, role: str = "MEMBER") -> None:
        self.G.add_edge(deputy_node(deputy_id), group_node(group_id), rel="MEMBER_OF", role=role)

    def cluster(self, cluster_id: str, name: str = "") -> str:
        node = cluster_node(cluster_id)
        self.G.add_node(node, type="cluster", id=cluster_id, name=name or cluster_id)
        return node

    def chain(self, chain_id: str, name: str = "", cluster_id: str | None = None) -> str:
        node = chain_node(chain_id)
        self.G.add_node(node, type="chain", id=chain_id, name=name or chain_id)
        if cluster_id is not None:
            self.G.add_edge(node, cluster_node(cluster_id), rel="IN_CLUSTER")
        return node

    def observation_point(
        self,
        point_id: str,
        chain_id: str,
        name: str = "",
        enterprise: str = "",
        role: str = "COLLABORATIVE",
    ) -> str:
        node = obs_node(point_id)
        self.G.add_node(
            node, type="obs", id=point_id, name=name or point_id, enterprise=enterprise, role=role
        )
        self.G.add_edge(node, chain_node(chain_id), rel="ON_CHAIN")
        return node

    def works_on(self, deputy_id: str, chain_id: str) -> None:
        self.G.add_edge(deputy_node(deputy_id), chain_node(chain_id), rel="WORKS_ON")

    def observes(self, deputy_id: str, point_id: str, role: str | None = None) -> None:
        point = obs_node(point_id)
        self.G.add_edge(
            deputy_node(deputy_id),
            point,
            rel="OBSERVES",
            role=role or self.G.nodes[point]["role"],
        )

    def build(self) -> nx.DiGraph:
        return self.G


def node_attrs(G: nx.DiGraph, node: str) -> dict[str, Any]:
    """The attribute dict of ``node`` (a small helper for readability)."""
    return dict(G.nodes[node])
