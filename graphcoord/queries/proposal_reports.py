"""The figures of a session's proposals: counts, on-time replies, A/B/C, satisfaction,
re-handling; overall, per handling unit and per deputy.

Definitions (the same in every statement; docs/proposals.md):

- *replied*: the lead unit gave its first reply (``firstReplyAt``);
- *due*: replied (and timed), or not replied while its first reply date lies before
  ``$redBefore`` (the last working day on or before the report's day);
- *on time*: first reply within its due date (``replyLate = 0``); the rate is on time ÷ due;
- *A/B/C*: the class of the latest reply; shares are of the replied proposals;
- *rated* / *satisfied*: a verdict is given; it is one of ``$satisfied`` (满意, 基本满意);
- *re-handled*: sent back by a 不满意 verdict (round 2 or later).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database

__all__ = ["DeputyCounts", "ProposalCounts", "by_deputy", "by_unit", "overall", "tallies"]

#: Counts over ``ps``, the proposals of a group (``key``, ``label``, ``kind`` set before).
_COUNTS: LiteralString = """
RETURN key, label, kind, size(ps) AS total,
       size([p IN ps WHERE p.kind = 'MOTION']) AS motions,
       size([p IN ps WHERE p.status <> 'DRAFT']) AS submitted,
       size([p IN ps WHERE p.assignedAt IS NOT NULL]) AS assigned,
       size([p IN ps WHERE p.firstReplyAt IS NOT NULL]) AS replied,
       size([p IN ps WHERE p.firstReplyAt IS NOT NULL AND p.replyLate = 0]) AS onTime,
       size([p IN ps WHERE (p.firstReplyAt IS NOT NULL AND p.replyLate IS NOT NULL)
                        OR (p.firstReplyAt IS NULL AND p.replyDue < $redBefore)]) AS due,
       size([p IN ps WHERE p.replyCategory = 'A']) AS a,
       size([p IN ps WHERE p.replyCategory = 'B']) AS b,
       size([p IN ps WHERE p.replyCategory = 'C']) AS c,
       size([p IN ps WHERE p.satisfaction IS NOT NULL]) AS rated,
       size([p IN ps WHERE p.satisfaction = 'SATISFIED']) AS satisfiedFully,
       size([p IN ps WHERE p.satisfaction IN $satisfied]) AS satisfied,
       size([p IN ps WHERE p.satisfaction = 'DISSATISFIED']) AS dissatisfied,
       size([p IN ps WHERE coalesce(p.round, 1) > 1]) AS rehandled,
       size([p IN ps WHERE p.supervisedAt IS NOT NULL]) AS supervised
"""

OVERALL: LiteralString = (
    """
MATCH (p:Proposal {session: $session})
WITH 'ALL' AS key, $session AS label, 'SESSION' AS kind, collect(p) AS ps
"""
    + _COUNTS
)

#: Per lead unit (主办), busiest first.
BY_UNIT: LiteralString = (
    """
MATCH (p:Proposal {session: $session})-[:HANDLED_BY {role: 'LEAD'}]->(d:Department)
WITH d.id AS key, d.name AS label, d.kind AS kind, collect(p) AS ps
"""
    + _COUNTS
    + """
ORDER BY total DESC, key
SKIP $skip LIMIT $limit
"""
)

UNIT_COUNT: LiteralString = """
MATCH (p:Proposal {session: $session})-[:HANDLED_BY {role: 'LEAD'}]->(d:Department)
RETURN count(DISTINCT d) AS n
"""

#: Counts of the session's proposals by kind, level and status.
TALLIES: LiteralString = """
CALL () {
  MATCH (p:Proposal {session: $session})
  WITH p.kind AS k, count(*) AS n ORDER BY k
  RETURN collect([k, n]) AS kinds
}
CALL () {
  MATCH (p:Proposal {session: $session})
  WITH p.congressLevel AS k, count(*) AS n ORDER BY k
  RETURN collect([k, n]) AS levels
}
CALL () {
  MATCH (p:Proposal {session: $session})
  WITH p.status AS k, count(*) AS n ORDER BY k
  RETURN collect([k, n]) AS statuses
}
RETURN kinds, levels, statuses
"""

#: Per deputy: proposals of the session led, co-signed and contributed to; most first.
BY_DEPUTY: LiteralString = """
MATCH (p:Proposal {session: $session})<-[r:SPONSORED|CONTRIBUTED_TO]-(d:Deputy)
WITH d, sum(CASE WHEN type(r) = 'SPONSORED' AND r.role = 'LEAD' THEN 1 ELSE 0 END) AS led,
     sum(CASE WHEN type(r) = 'SPONSORED' AND r.role = 'CO' THEN 1 ELSE 0 END) AS cosigned,
     sum(CASE WHEN type(r) = 'CONTRIBUTED_TO' THEN 1 ELSE 0 END) AS contributed
WITH collect({id: d.id, name: d.name, level: d.level, led: led, cosigned: cosigned,
              contributed: contributed}) AS rows
WITH size(rows) AS total, rows
UNWIND rows AS row
WITH total, row
ORDER BY row.led + row.cosigned + row.contributed DESC, row.led DESC, row.id
RETURN total, collect(row)[$skip..$skip + $limit + 1] AS rows
"""


@dataclass(frozen=True)
class ProposalCounts:
    """The figures of one group of proposals (see the module's notes)."""

    key: str
    label: str
    kind: str
    total: int
    motions: int
    submitted: int
    assigned: int
    replied: int
    on_time: int
    due: int
    a: int
    b: int
    c: int
    rated: int
    satisfied_fully: int
    satisfied: int
    dissatisfied: int
    rehandled: int
    supervised: int

    @property
    def suggestions(self) -> int:
        return self.total - self.motions

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None

    def share(self, category: str) -> float | None:
        """The share of replied proposals whose latest reply is of ``category`` (A/B/C)."""
        count = {"A": self.a, "B": self.b, "C": self.c}[category]
        return count / self.replied if self.replied else None

    @classmethod
    def from_record(cls, r: Mapping[str, Any]) -> ProposalCounts:
        return cls(
            key=r["key"],
            label=r["label"] or r["key"],
            kind=r["kind"] or "",
            total=int(r["total"]),
            motions=int(r["motions"]),
            submitted=int(r["submitted"]),
            assigned=int(r["assigned"]),
            replied=int(r["replied"]),
            on_time=int(r["onTime"]),
            due=int(r["due"]),
            a=int(r["a"]),
            b=int(r["b"]),
            c=int(r["c"]),
            rated=int(r["rated"]),
            satisfied_fully=int(r["satisfiedFully"]),
            satisfied=int(r["satisfied"]),
            dissatisfied=int(r["dissatisfied"]),
            rehandled=int(r["rehandled"]),
            supervised=int(r["supervised"]),
        )


@dataclass(frozen=True)
class DeputyCounts:
    """A deputy's proposals of a session: led (领衔), co-signed (联名), contributed to."""

    id: str
    name: str
    level: str
    led: int
    cosigned: int
    contributed: int


def overall(db: Database, params: Mapping[str, Any]) -> ProposalCounts:
    (record,) = db.execute(OVERALL, dict(params))
    return ProposalCounts.from_record(record)


def by_unit(
    db: Database, params: Mapping[str, Any], *, skip: int, limit: int
) -> tuple[int, list[ProposalCounts]]:
    """How many lead units the session has, and a page of them (``limit + 1`` read)."""
    total = int(db.execute(UNIT_COUNT, {"session": params["session"]})[0]["n"])
    records = db.execute(BY_UNIT, {**params, "skip": skip, "limit": limit + 1})
    return total, [ProposalCounts.from_record(r) for r in records]


def by_deputy(
    db: Database, session: str, *, skip: int, limit: int
) -> tuple[int, list[DeputyCounts]]:
    """How many deputies sponsor or contribute to the session's proposals, and a page of them
    (``limit + 1`` read), most involved first."""
    records = db.execute(BY_DEPUTY, {"session": session, "skip": skip, "limit": limit})
    if not records:
        return 0, []
    rows = [
        DeputyCounts(
            r["id"], r["name"] or r["id"], r["level"], r["led"], r["cosigned"], r["contributed"]
        )
        for r in records[0]["rows"]
    ]
    return int(records[0]["total"]), rows


def tallies(db: Database, session: str) -> dict[str, dict[str, int]]:
    """Counts by kind, level and status of the session's proposals."""
    records = db.execute(TALLIES, {"session": session})
    if not records:
        return {"kinds": {}, "levels": {}, "statuses": {}}
    r = records[0]
    return {name: {k: int(n) for k, n in r[name]} for name in ("kinds", "levels", "statuses")}
