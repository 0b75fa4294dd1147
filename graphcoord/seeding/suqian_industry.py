"""Suqian's industry side: 6 clusters, 15 key chains, 10 lead + 31 collaborative observation
points in enterprises, chain workers and observers.

The article gives only the counts; the cluster and chain names are Suqian's published
priorities (绿色食品, 高端纺织, 光电, 新材料, 机电装备, 电商物流) and the enterprises are
synthetic.
"""

from __future__ import annotations

import random
from typing import Any

from graphcoord.model import Dataset, ObservationRole
from graphcoord.seeding.names import firm
from graphcoord.seeding.places import Places

__all__ = ["CLUSTERS", "COLLABORATIVE_POINTS", "LEAD_POINTS", "build_industry"]

#: Cluster name -> its chains as (chain name, enterprise trade suffix).
CLUSTERS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("绿色食品", (("酒类", "酒业"), ("休闲食品", "食品"), ("粮油加工", "粮油"))),
    ("高端纺织", (("功能性纤维", "化纤"), ("家纺服装", "家纺"))),
    ("光电", (("光伏", "光伏科技"), ("新型显示", "光电科技"), ("LED照明", "照明科技"))),
    ("新材料", (("功能性薄膜", "薄膜材料"), ("高性能复合材料", "复合材料"))),
    ("机电装备", (("智能装备", "智能装备"), ("汽车零部件", "汽车部件"), ("电子元器件", "电子"))),
    ("电商物流", (("电子商务", "电子商务"), ("现代物流", "供应链管理"))),
)
LEAD_POINTS = 10
COLLABORATIVE_POINTS = 31
#: Occupations whose holders work in an enterprise and so join an industry chain.
_ENTERPRISE_JOBS = {"企业负责人", "企业职工", "科技人员", "电商从业者", "食品企业质检员"}


def build_industry(rng: random.Random, places: Places, deputies: list[dict[str, Any]]) -> Dataset:
    """Clusters, chains, observation points, chainWorkers and observers.

    Every deputy in an enterprise job works on one chain (its work unit becomes an enterprise of
    that chain). Each point has one LEAD observer from its own chain and two to four
    COLLABORATIVE observers from other chains of the same cluster (or any chain).
    """
    clusters: list[dict[str, Any]] = []
    chains: list[dict[str, Any]] = []
    trades: dict[str, str] = {}
    for c, (cluster, members) in enumerate(CLUSTERS, start=1):
        clusters.append({"id": f"SQ-IC{c}", "name": f"{cluster}产业集群"})
        for chain_name, trade in members:
            chain_id = f"SQ-CH{len(chains) + 1:02d}"
            chains.append({"id": chain_id, "name": f"{chain_name}产业链", "clusterId": f"SQ-IC{c}"})
            trades[chain_id] = trade
    workers: dict[str, list[str]] = {ch["id"]: [] for ch in chains}
    chain_workers = []
    for deputy in deputies:
        if deputy["occupation"] not in _ENTERPRISE_JOBS:
            continue
        chain_id = _chain_for(rng, deputy, chains)
        place = places.name(deputy["baseArea"])
        deputy["workUnit"] = f"{place}{firm(rng)}{trades[chain_id]}有限公司"
        workers[chain_id].append(deputy["id"])
        chain_workers.append({"deputyId": deputy["id"], "chainId": chain_id})
    points: list[dict[str, Any]] = []
    observers: list[dict[str, Any]] = []
    roles = [ObservationRole.LEAD] * LEAD_POINTS + [ObservationRole.COLLABORATIVE] * (
        COLLABORATIVE_POINTS
    )
    for n, role in enumerate(roles):
        chain = chains[n % len(chains)]
        township = rng.choice(places.townships)
        enterprise = (
            f"{places.name(places.parent(township))[:2]}{firm(rng)}{trades[chain['id']]}有限公司"
        )
        point_id = f"SQ-OP{n + 1:02d}"
        label = "牵头观察点" if role is ObservationRole.LEAD else "协同观察点"
        points.append(
            {
                "id": point_id,
                "name": f"{enterprise}人大代表经济运行{label}",
                "enterprise": enterprise,
                "role": role.value,
                "chainId": chain["id"],
                "areaCode": township,
            }
        )
        observers += _observers(rng, point_id, chain, chains, workers)
    return {
        "clusters": clusters,
        "chains": chains,
        "observationPoints": points,
        "chainWorkers": chain_workers,
        "observers": observers,
    }


def _chain_for(rng: random.Random, deputy: dict[str, Any], chains: list[dict[str, Any]]) -> str:
    """Food inspectors go to food chains, e-commerce workers to e-commerce; others anywhere."""
    if deputy["occupation"] == "食品企业质检员":
        return str(rng.choice(chains[:3])["id"])
    if deputy["occupation"] == "电商从业者":
        return str(chains[13]["id"])
    return str(rng.choice(chains)["id"])


def _observers(
    rng: random.Random,
    point_id: str,
    chain: dict[str, Any],
    chains: list[dict[str, Any]],
    workers: dict[str, list[str]],
) -> list[dict[str, Any]]:
    """One LEAD observer of the chain, two to four COLLABORATIVE ones of related chains."""
    lead = rng.choice(workers[chain["id"]])
    related = [
        w
        for ch in chains
        if ch["clusterId"] == chain["clusterId"] and ch["id"] != chain["id"]
        for w in workers[ch["id"]]
    ] or [w for ch in chains for w in workers[ch["id"]] if w != lead]
    rows = [{"deputyId": lead, "pointId": point_id, "role": ObservationRole.LEAD.value}]
    for deputy_id in rng.sample(related, rng.randint(2, 4)):
        rows.append(
            {
                "deputyId": deputy_id,
                "pointId": point_id,
                "role": ObservationRole.COLLABORATIVE.value,
            }
        )
    return rows
