from __future__ import annotations

import doctest
import random
from itertools import islice, pairwise

import networkx as nx
import pytest

from graphcoord.analytics import escalation
from graphcoord.analytics.errors import (
    AreaNotFound,
    DeputyNotFound,
    InvalidArgument,
    NoEscalationPath,
)
from graphcoord.analytics.escalation import (
    build_hop_graph,
    default_target_level,
    escalation_paths,
)
from graphcoord.analytics.graph import GraphBuilder
from graphcoord.analytics.tests.synthetic import synthetic_city


def test_doctests() -> None:
    assert doctest.testmod(escalation).failed == 0


def liaison_ladder() -> GraphBuilder:
    """Village V contacted by township T1 and county K1; K1 liaised by city C1; C1 by
    provincial P1; P1 by national N1. K1 and C2 share group G; T1 and C3 share chain CH."""
    b = GraphBuilder()
    b.area("V", "张庄村")
    b.area("W", "李庄村")  # nobody contacts W
    b.deputy("T1", "TOWNSHIP", "唐一")
    b.deputy("K1", "COUNTY", "张三")
    b.deputy("C1", "CITY", "李四")
    b.deputy("C2", "CITY", "王五", open_issues=4)
    b.deputy("C3", "CITY", "赵六")
    b.deputy("P1", "PROVINCIAL", "钱七")
    b.deputy("N1", "NATIONAL", "孙八")
    b.contact("T1", "V")
    b.contact("K1", "V")
    b.liaison("C1", "K1")
    b.liaison("P1", "C1")
    b.liaison("N1", "P1")
    b.group("G", "沭阳县协同联动组3")
    b.member("K1", "G")
    b.member("C2", "G")
    b.chain("CH", "新能源汽车")
    b.works_on("T1", "CH")
    b.works_on("C3", "CH")
    return b


def test_k_best_paths_to_city_in_cost_order() -> None:
    paths = escalation_paths(liaison_ladder().build(), village_code="V", target_level="CITY", k=5)
    got = [(p.deputy_ids, p.cost) for p in paths]
    assert got == [
        (("K1", "C1"), 2.0),  # contact 1 + liaison 1
        (("K1", "C2"), pytest.approx(3.4)),  # contact 1 + group 2 + 0.1 * 4 open issues
        (("T1", "C3"), 4.0),  # contact 1 + chain 3
    ]
    first = paths[0]
    assert first.start_kind == "village"
    assert first.target_deputy_id == "C1"
    assert [(h.from_id, h.to_id, h.relation, h.via) for h in first.hops] == [
        ("V", "K1", "CONTACTS", None),
        ("K1", "C1", "LIAISON_UP", None),
    ]
    assert first.hops[1].reason == "county deputy 张三 (K1) is liaised by city deputy 李四 (C1)"
    group_hop = paths[1].hops[1]
    assert (group_hop.relation, group_hop.via) == ("SHARED_GROUP", "G")
    assert group_hop.reason == (
        "county deputy 张三 (K1) and city deputy 王五 (C2) are both members of group "
        "沭阳县协同联动组3 (王五 has 4 open issues)"
    )
    assert paths[2].hops[1].reason.endswith("are both on industry chain 新能源汽车")


def test_paths_stop_at_the_first_deputy_of_the_target_level() -> None:
    paths = escalation_paths(
        liaison_ladder().build(), village_code="V", target_level="NATIONAL", k=10
    )
    assert [p.deputy_ids for p in paths] == [("K1", "C1", "P1", "N1")]
    assert paths[0].cost == 4.0
    # from a deputy: down the liaison chain
    down = escalation_paths(liaison_ladder().build(), deputy_id="N1", target_level="COUNTY")
    assert [p.deputy_ids for p in down] == [("N1", "P1", "C1", "K1")]
    assert [h.relation for h in down[0].hops] == ["LIAISON_DOWN"] * 3
    assert (
        down[0].hops[0].reason
        == "national deputy 孙八 (N1) is liaison for provincial deputy 钱七 (P1)"
    )


def test_start_deputy_is_never_its_own_target() -> None:
    paths = escalation_paths(liaison_ladder().build(), deputy_id="C1", target_level="CITY", k=3)
    # C1 -> K1 (liaison down) -> C2 via group; C1 -> K1 -> V? no: villages are only starts
    assert [p.deputy_ids for p in paths] == [("C1", "K1", "C2")]


def test_hop_graph_can_be_reused() -> None:
    G = liaison_ladder().build()
    H = build_hop_graph(G)
    a = escalation_paths(G, village_code="V", target_level="CITY", hop_graph=H)
    b = escalation_paths(G, village_code="V", target_level="CITY")
    assert a == b
    assert escalation_paths(G, village_code="V", target_level="CITY", k=1, hop_graph=H) == a[:1]


def test_group_is_modelled_as_a_star_not_a_clique() -> None:
    b = GraphBuilder()
    b.group("BIG")
    for i in range(300):
        b.deputy(f"D{i}", "COUNTY")
        b.member(f"D{i}", "BIG")
    H = build_hop_graph(b.build())
    assert H.number_of_edges() == 300 * 2 + 300  # member arcs both ways + target arcs


def test_left_deputies_are_not_on_paths() -> None:
    b = liaison_ladder()
    b.G.nodes["deputy:C1"]["status"] = "LEFT"
    paths = escalation_paths(b.build(), village_code="V", target_level="CITY", k=3)
    assert [p.deputy_ids for p in paths] == [("K1", "C2"), ("T1", "C3")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"village_code": "W", "target_level": "CITY"},
            "village 李庄村 (W) has no contacting deputy",
        ),
        (
            {"village_code": "V", "target_level": "NATIONAL", "_drop": "P1"},
            "no ACTIVE deputy of level NATIONAL is reachable from village 张庄村 (V) over "
            "contacts, liaison, groups or chains: the 5 reachable deputies are of level CITY, "
            "COUNTY, TOWNSHIP",
        ),
        (
            {"village_code": "V", "target_level": "PROVINCIAL", "_drop": "P1"},
            "there is no ACTIVE deputy of level PROVINCIAL in the graph",
        ),
        (
            {"deputy_id": "N1", "target_level": "NATIONAL"},
            "no ACTIVE deputy of level NATIONAL",
        ),
        (
            {"deputy_id": "C2", "target_level": "TOWNSHIP", "_isolate": "C2"},
            "it has no liaison, group or chain link to any other deputy",
        ),
    ],
    ids=["no-contact", "missing-liaison", "no-deputy-of-level", "only-self", "isolated"],
)
def test_no_path_names_the_missing_link(kwargs: dict[str, str], message: str) -> None:
    b = liaison_ladder()
    if "_drop" in kwargs:
        b.G.nodes[f"deputy:{kwargs.pop('_drop')}"]["status"] = "LEFT"
    if "_isolate" in kwargs:
        node = f"deputy:{kwargs.pop('_isolate')}"
        b.G.remove_edges_from(list(b.G.out_edges(node)))
    with pytest.raises(NoEscalationPath, match=message.replace("(", r"\(").replace(")", r"\)")):
        escalation_paths(b.build(), **kwargs)  # type: ignore[arg-type]


def test_village_whose_contacts_left() -> None:
    b = liaison_ladder()
    b.deputy("GONE", "TOWNSHIP", status="LEFT")
    b.contact("GONE", "W")
    with pytest.raises(NoEscalationPath, match="its only contacting deputies have left"):
        escalation_paths(b.build(), village_code="W", target_level="CITY")
    with pytest.raises(NoEscalationPath, match="has left"):
        escalation_paths(b.build(), deputy_id="GONE", target_level="CITY")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"village_code": "NOPE", "target_level": "CITY"}, AreaNotFound),
        ({"deputy_id": "NOPE", "target_level": "CITY"}, DeputyNotFound),
        ({"village_code": "V", "deputy_id": "K1", "target_level": "CITY"}, InvalidArgument),
        ({"target_level": "CITY"}, InvalidArgument),
        ({"village_code": "V", "target_level": "MAYOR"}, InvalidArgument),
        ({"village_code": "V", "target_level": "CITY", "k": 0}, InvalidArgument),
        ({"village_code": "V", "target_level": "CITY", "hop_graph": nx.DiGraph()}, InvalidArgument),
    ],
    ids=[
        "unknown-village",
        "unknown-deputy",
        "two-starts",
        "no-start",
        "bad-level",
        "k0",
        "bad-hop",
    ],
)
def test_bad_arguments(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        escalation_paths(liaison_ladder().build(), **kwargs)  # type: ignore[arg-type]


def test_start_area_must_be_a_village() -> None:
    b = liaison_ladder()
    b.area("T", kind="TOWNSHIP")
    with pytest.raises(InvalidArgument, match="not a village"):
        escalation_paths(b.build(), village_code="T", target_level="CITY")


def test_ties_are_deterministic() -> None:
    b = GraphBuilder()
    b.area("V")
    b.deputy("K", "COUNTY")
    b.contact("K", "V")
    for upper in ("C9", "C1", "C5"):
        b.deputy(upper, "CITY")
        b.liaison(upper, "K")
    runs = {
        tuple(
            p.deputy_ids for p in escalation_paths(b.build(), village_code="V", target_level="CITY")
        )
        for _ in range(3)
    }
    assert len(runs) == 1
    (only,) = runs
    assert sorted(only) == [("K", "C1"), ("K", "C5"), ("K", "C9")]


@pytest.mark.parametrize(
    ("scope", "level"),
    [
        ("VILLAGE", "TOWNSHIP"),
        ("COMMUNITY", "TOWNSHIP"),
        ("TOWNSHIP", "COUNTY"),
        ("COUNTY", "CITY"),
        ("city", "PROVINCIAL"),
        ("PROVINCE", "NATIONAL"),
        ("NATIONAL", "NATIONAL"),
    ],
    ids=["village", "community", "township", "county", "lowercase-city", "province", "national"],
)
def test_default_target_level(scope: str, level: str) -> None:
    assert default_target_level(scope) == level


def test_default_target_level_rejects_unknown_scope() -> None:
    with pytest.raises(InvalidArgument):
        default_target_level("GALAXY")


def test_yen_matches_networkx_shortest_simple_paths() -> None:
    """The A*-guided Yen gives the same path costs as networkx's own implementation."""
    G = synthetic_city(
        3,
        counties=2,
        townships_per_county=3,
        villages_per_township=4,
        deputies={"NATIONAL": 3, "PROVINCIAL": 6, "CITY": 20, "COUNTY": 60, "TOWNSHIP": 150},
        groups=4,
    )
    H = build_hop_graph(G)
    levels = H.graph["levels"]
    rng = random.Random(5)
    villages = sorted(v for v in H if v.startswith("area:") and H.succ[v])
    for village in rng.sample(villages, 8):
        for level in ("COUNTY", "CITY", "NATIONAL"):
            tnode = f"target:{level}"

            def weight(
                u: str, v: str, d: dict[str, float], level: str = level, tnode: str = tnode
            ) -> float | None:
                if v == tnode:
                    return 0.0
                return None if levels.get(u) == level else d["weight"]

            ours = list(
                islice(escalation._yen(H, village, tnode, weight, H.graph["to_target"][level]), 6)
            )
            theirs = list(islice(nx.shortest_simple_paths(H, village, tnode, weight=weight), 6))

            def cost(path: list[str], weight: escalation.WeightFn = weight) -> float:
                steps = (weight(u, v, H[u][v]) or 0.0 for u, v in pairwise(path))
                return round(sum(steps), 6)

            assert [cost(p) for p in ours] == [cost(p) for p in theirs]


def test_synthetic_city_returns_k_paths() -> None:
    """Behaviour at city scale (~7,700 deputies, 1,440 villages, 30 groups); no timing."""
    G = synthetic_city(7)
    deputies = sum(1 for _, t in G.nodes(data="type") if t == "deputy")
    villages = sum(1 for _, a in G.nodes(data=True) if a.get("kind") == "VILLAGE")
    assert (deputies, villages) == (7700, 1440)
    H = build_hop_graph(G)
    rng = random.Random(11)
    contacted = sorted(v for v in H if v.startswith("area:") and H.succ[v])
    for village in rng.sample(contacted, 20):
        for level in ("TOWNSHIP", "CITY", "NATIONAL"):
            paths = escalation_paths(
                G, village_code=village[5:], target_level=level, k=3, hop_graph=H
            )
            assert len(paths) == 3
            costs = [p.cost for p in paths]
            assert costs == sorted(costs)
            assert len({p.deputy_ids for p in paths}) == 3
            for path in paths:
                assert G.nodes[f"deputy:{path.target_deputy_id}"]["level"] == level
                assert path.hops[0].relation == "CONTACTS"
