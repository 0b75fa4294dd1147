from __future__ import annotations

import doctest

import pytest

from graphcoord.analytics import peers
from graphcoord.analytics.errors import DeputyNotFound, InvalidArgument
from graphcoord.analytics.graph import GraphBuilder
from graphcoord.analytics.peers import chain_peers


def test_doctests() -> None:
    assert doctest.testmod(peers).failed == 0


def industry() -> GraphBuilder:
    """Cluster 新能源 with chains 新能源汽车 (EV) and 光伏 (PV); cluster 食品 with chain 酒 (LIQ).

    ME works on EV and observes P1 (EV, lead). A works on EV and observes P1; B observes P2
    (EV, collaborative) only; Z works on EV (ties with... nobody: id order tested with Y);
    Y works on EV; C works on PV; D observes P3 (PV, lead); E works on LIQ (other cluster);
    GONE (LEFT) works on EV.
    """
    b = GraphBuilder()
    b.cluster("NE", "新能源")
    b.cluster("FD", "食品")
    b.chain("EV", "新能源汽车", cluster_id="NE")
    b.chain("PV", "光伏", cluster_id="NE")
    b.chain("LIQ", "酒", cluster_id="FD")
    b.observation_point("P1", "EV", "观察点X", role="LEAD")
    b.observation_point("P2", "EV", "观察点Y")
    b.observation_point("P3", "PV", "观察点Z", role="LEAD")
    for deputy, level in [
        ("ME", "COUNTY"),
        ("A", "CITY"),
        ("B", "TOWNSHIP"),
        ("Y", "COUNTY"),
        ("Z", "COUNTY"),
        ("C", "PROVINCIAL"),
        ("D", "NATIONAL"),
        ("E", "CITY"),
    ]:
        b.deputy(deputy, level, f"名{deputy}")
    b.deputy("GONE", "CITY", status="LEFT")
    b.works_on("ME", "EV")
    b.observes("ME", "P1")
    b.works_on("A", "EV")
    b.observes("A", "P1")
    b.observes("B", "P2")
    b.works_on("Y", "EV")
    b.works_on("Z", "EV")
    b.works_on("C", "PV")
    b.observes("D", "P3")
    b.works_on("E", "LIQ")
    b.works_on("GONE", "EV")
    return b


def test_same_chain_peers_rank_before_same_cluster_peers() -> None:
    result = chain_peers(industry().build(), "ME")
    assert [(p.deputy_id, p.relation, p.score) for p in result] == [
        ("A", "SAME_CHAIN", 135.0),  # chain 100 + works on 20 + shared point 10 + lead 5
        ("Y", "SAME_CHAIN", 120.0),  # tie with Z broken by id
        ("Z", "SAME_CHAIN", 120.0),
        ("B", "SAME_CHAIN", 100.0),
        ("C", "SAME_CLUSTER", 14.0),
        ("D", "SAME_CLUSTER", 11.0),
    ]  # E (other cluster) and GONE (LEFT) are not peers


def test_peer_details_and_reasons() -> None:
    by_id = {p.deputy_id: p for p in chain_peers(industry().build(), "ME")}
    a = by_id["A"]
    assert (a.chains, a.works_on, a.clusters) == (("EV",), ("EV",), ("NE",))
    assert [(p.point_id, p.role, p.shared) for p in a.points] == [("P1", "LEAD", True)]
    assert a.reason == (
        "city deputy 名A (A): works on chain 新能源汽车 too; observes 观察点X (lead, as you do)"
    )
    assert by_id["B"].reason == (
        "township deputy 名B (B): observes 观察点Y (collaborative) on chain 新能源汽车 too"
    )
    d = by_id["D"]
    assert d.chains == ("PV",)
    assert d.reason == (
        "national deputy 名D (D): is on chain 光伏 of the same cluster 新能源 as your chain "
        "新能源汽车; observes 观察点Z (lead)"
    )


@pytest.mark.parametrize(
    ("limit", "expected"),
    [(0, []), (2, ["A", "Y"]), (100, ["A", "Y", "Z", "B", "C", "D"])],
    ids=["zero", "two", "more-than-available"],
)
def test_limit(limit: int, expected: list[str]) -> None:
    assert [p.deputy_id for p in chain_peers(industry().build(), "ME", limit)] == expected


def test_deputy_on_no_chain_has_no_peers() -> None:
    b = industry()
    b.deputy("LONER", "CITY")
    assert chain_peers(b.build(), "LONER") == []


def test_cluster_peers_of_another_cluster_member() -> None:
    result = chain_peers(industry().build(), "E")  # only chain of cluster 食品
    assert result == []


def test_peer_on_two_shared_chains_scores_both() -> None:
    b = industry()
    b.works_on("ME", "PV")
    result = chain_peers(b.build(), "ME")
    c = next(p for p in result if p.deputy_id == "C")
    assert c.relation == "SAME_CHAIN"
    b.works_on("A", "PV")
    a = chain_peers(b.build(), "ME")[0]
    assert a.deputy_id == "A"
    assert a.chains == ("EV", "PV")
    assert a.score == 255.0


def test_errors() -> None:
    with pytest.raises(DeputyNotFound):
        chain_peers(industry().build(), "NOPE")
    with pytest.raises(InvalidArgument):
        chain_peers(industry().build(), "ME", limit=-1)
