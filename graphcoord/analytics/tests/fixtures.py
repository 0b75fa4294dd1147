"""Small hand-built coordination graphs with known answers, shared by the analytics tests."""

from __future__ import annotations

import networkx as nx

from graphcoord.analytics.graph import GraphBuilder


def county_graph() -> nx.DiGraph:
    """A city with two counties.

    ::

        C (CITY)
        ├── K1 (COUNTY)
        │   ├── T1: V11, V12, V13
        │   └── T2: V21 (community), V22
        └── K2 (COUNTY)
            ├── T3: V31
            └── T4: (no villages)

    Contacts (LEFT deputies in brackets): DT1 (TOWNSHIP, elected T1) -> V11, V12; DT2 (TOWNSHIP,
    elected T2) -> V21; DK1 (COUNTY, elected T1) -> V11, V22; DC (CITY, based in T1) -> V12, V21;
    [DL (TOWNSHIP, elected T1) -> V13]; DN (NATIONAL) and DK2 (COUNTY, elected T3) contact
    nothing.
    """
    b = GraphBuilder()
    b.area("C", "宿迁市", kind="CITY")
    b.area("K1", "沭阳县", kind="COUNTY", parent="C")
    b.area("K2", "泗阳县", kind="COUNTY", parent="C")
    b.area("T1", "马厂镇", kind="TOWNSHIP", parent="K1")
    b.area("T2", "胡集镇", kind="TOWNSHIP", parent="K1")
    b.area("T3", "众兴镇", kind="TOWNSHIP", parent="K2")
    b.area("T4", "空镇", kind="TOWNSHIP", parent="K2")
    for code in ("V11", "V12", "V13"):
        b.area(code, f"村{code}", parent="T1")
    b.area("V21", "社区V21", kind="COMMUNITY", parent="T2")
    b.area("V22", "村V22", parent="T2")
    b.area("V31", "村V31", parent="T3")
    b.deputy("DT1", "TOWNSHIP", "张一", elected_in="T1")
    b.deputy("DT2", "TOWNSHIP", "张二", elected_in="T2")
    b.deputy("DK1", "COUNTY", "李一", elected_in="T1")
    b.deputy("DK2", "COUNTY", "李二", elected_in="T3")
    b.deputy("DC", "CITY", "王城", base_area="T1")
    b.deputy("DL", "TOWNSHIP", "赵离", elected_in="T1", status="LEFT")
    b.deputy("DN", "NATIONAL", "钱国")
    for deputy, village in [
        ("DT1", "V11"),
        ("DT1", "V12"),
        ("DT2", "V21"),
        ("DK1", "V11"),
        ("DK1", "V22"),
        ("DC", "V12"),
        ("DC", "V21"),
        ("DL", "V13"),
    ]:
        b.contact(deputy, village)
    return b.build()
