"""Peers for a draft: who could co-sign it, who could contribute, and how to carry it up.

- **Co-sponsors** (同级联名): ACTIVE deputies of the draft's congress (its level and congress
  area) who do not sponsor it yet and who contact the villages of its origin issues, are on
  the industry chains those issues concern, or are the lead's chain peers
  (:func:`graphcoord.services.analysis.peers`: same chain, then same cluster).
- **Contributors** (跨层级协同): ACTIVE deputies of other levels (or other congresses) who
  track the origin issues — often the deputy who found the problem — contact their villages
  or work on their chains.
- **Escalation**: when the level that can act is above the draft's (given, or the level whose
  congress holds every origin village, :func:`graphcoord.rules.best_placed_level`), the best
  explained paths from the lead to a deputy of that level
  (:func:`graphcoord.services.analysis.escalate`).

Every suggestion says why, in Chinese (deputies read it); ranked by what links them (tracking
an origin issue 4, each village 3, each chain 2, a lead's chain peer 1), then by fewer open
issues, then id.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphcoord.db import Database
from graphcoord.errors import BadInput, GraphcoordError, NotFound
from graphcoord.model import LEVEL_NAMES, Level, congress_area
from graphcoord.queries import proposal_peers as queries
from graphcoord.queries.proposal_peers import Candidate, DraftFacts
from graphcoord.queries.proposals import deputy_facts
from graphcoord.rules import best_placed_level
from graphcoord.services import analysis

__all__ = ["DraftPeers", "PeerSuggestion", "draft_peers"]

#: Candidates read at most per draft (deputies linked to its villages, chains and issues).
MAX_CANDIDATES = 2000
_TRACKS, _VILLAGE, _CHAIN, _PEER = 4.0, 3.0, 2.0, 1.0


@dataclass(frozen=True)
class PeerSuggestion:
    """A deputy suggested for a draft, how strongly, and why."""

    deputy_id: str
    name: str
    level: str
    score: float
    reasons: list[str]
    open_issues: int


@dataclass(frozen=True)
class DraftPeers:
    """What the engine suggests for a draft."""

    proposal_id: str
    level: str
    target_level: str | None
    cosponsors: list[PeerSuggestion]
    contributors: list[PeerSuggestion]
    escalation: analysis.Escalation | None = None
    escalation_note: str | None = None


def _names(codes: list[str], names: dict[str, str], limit: int = 5) -> str:
    shown = "、".join(names.get(c) or c for c in codes[:limit])
    return shown + (f"等{len(codes)}个" if len(codes) > limit else "")


def _score(
    c: Candidate,
    facts: DraftFacts,
    chain_peers: dict[str, tuple[str, list[str]]],
) -> tuple[float, list[str]]:
    reasons: list[str] = []
    score = 0.0
    if c.tracks:
        score += _TRACKS * len(c.tracks)
        reasons.append(f"跟踪原始意见{'、'.join(c.tracks[:5])}")
    if c.villages:
        score += _VILLAGE * len(c.villages)
        reasons.append(
            f"联系原始意见所在的{len(c.villages)}个村（社区）：{_names(c.villages, facts.villages)}"
        )
    if c.chains:
        score += _CHAIN * len(c.chains)
        reasons.append(f"在原始意见涉及的产业链上：{_names(c.chains, facts.chains)}")
    peer = chain_peers.get(c.id)
    if peer is not None:
        relation, chains = peer
        score += _PEER
        names = {**facts.lead_chains, **facts.chains}
        if relation == "SAME_CHAIN":
            reasons.append(f"与领衔代表同在产业链：{_names(chains, names)}")
        else:
            reasons.append(f"与领衔代表的产业链同属一个产业集群：{_names(chains, names)}")
    return score, reasons


def _ranked(found: list[PeerSuggestion], limit: int) -> list[PeerSuggestion]:
    found.sort(key=lambda s: (-s.score, s.open_issues, s.deputy_id))
    return found[:limit]


def draft_peers(
    db: Database, proposal_id: str, *, target_level: str | None = None, limit: int = 10, k: int = 3
) -> DraftPeers:
    """Suggested co-sponsors and contributors of a proposal (at most ``limit`` each) and, when
    the level that can act is above it, the ``k`` best escalation paths from its lead."""
    if not 1 <= limit <= 50:
        raise BadInput("limit must be between 1 and 50")
    if not 1 <= k <= 10:
        raise BadInput("k must be between 1 and 10")
    facts = queries.draft_facts(db, proposal_id)
    if facts is None:
        raise NotFound("proposal", proposal_id)
    chain_ids = sorted(set(facts.chains) | set(facts.lead_chains))
    found = queries.candidates(
        db,
        villages=sorted(facts.villages),
        chains=chain_ids,
        issues=facts.issues,
        limit=MAX_CANDIDATES,
    )
    by_id = {c.id: c for c in found}
    chain_peers: dict[str, tuple[str, list[str]]] = {}
    if facts.lead_id is not None:
        for peer in analysis.peers(db, facts.lead_id, limit=200):
            if peer.level == facts.level:
                chain_peers[peer.deputy_id] = (peer.relation, list(peer.chains))
                if peer.deputy_id not in by_id:
                    by_id[peer.deputy_id] = Candidate(peer.deputy_id, peer.name, peer.level, None)
    taken = set(facts.sponsors) | set(facts.contributors)
    missing = [d for d, c in by_id.items() if c.elected_in is None and d in chain_peers]
    elected = _elected_in(db, missing) if missing else {}
    cosponsors: list[PeerSuggestion] = []
    contributors: list[PeerSuggestion] = []
    for c in by_id.values():
        if c.id in taken:
            continue
        score, reasons = _score(c, facts, chain_peers)
        if not reasons:
            continue
        suggestion = PeerSuggestion(c.id, c.name, c.level, score, reasons, c.load)
        area = c.elected_in or elected.get(c.id)
        same_congress = c.level == facts.level and congress_area(c.level, area) == facts.congress
        if same_congress:
            cosponsors.append(suggestion)
        else:
            why = [f"{LEVEL_NAMES.get(c.level, c.level)}（跨层级协同）", *reasons]
            contributors.append(PeerSuggestion(c.id, c.name, c.level, score, why, c.load))
    target = target_level or _default_target(facts)
    escalation, note = _escalation(db, facts, target, k)
    return DraftPeers(
        proposal_id=proposal_id,
        level=facts.level,
        target_level=target,
        cosponsors=_ranked(cosponsors, limit),
        contributors=_ranked(contributors, limit),
        escalation=escalation,
        escalation_note=note,
    )


def _elected_in(db: Database, ids: list[str]) -> dict[str, str | None]:
    return {d: f.elected_in for d, f in deputy_facts(db, ids).items()}


def _default_target(facts: DraftFacts) -> str | None:
    """The level whose congress holds every origin village, when it is above the draft's."""
    if not facts.villages:
        return None
    best = best_placed_level(facts.villages)
    return best.value if best.rank < Level(facts.level).rank else None


def _escalation(
    db: Database, facts: DraftFacts, target: str | None, k: int
) -> tuple[analysis.Escalation | None, str | None]:
    if target is None:
        return None, "本级人大可以处理：无需跨层级提出"
    if Level(target).rank >= Level(facts.level).rank:
        return None, f"目标层级{LEVEL_NAMES[target]}不高于本建议的层级：无需跨层级提出"
    if facts.lead_id is None:
        return None, "没有领衔代表：无法查找跨层级路径"
    try:
        return analysis.escalate(db, deputy_id=facts.lead_id, level=target, k=k), None
    except GraphcoordError as error:  # no path, or the lead left the graph's active part
        return None, f"未找到通往{LEVEL_NAMES[target]}的联系路径：{error.translated('zh_CN')}"
