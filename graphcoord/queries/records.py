"""The performance record (履职档案) of deputies for a year, counted by Neo4j in one statement.

Per deputy and calendar year (China time; what each figure means is docs/records.md):

- *villagesContacted*: villages and communities the deputy contacts (``CONTACTS``);
- *visits*: activities of the year the deputy attended (``ATTENDED``, any kind);
- *activityDaysOnDuty*: station activity days of the year on the duty roster (``ON_DUTY``);
- *missedDuty*: days of the year on the roster, before today, that the deputy did not attend;
- *receptions*: station activity days of the year attended (进站接待, ``HOLDS`` by a station);
- *supervisionActivities*: activities of the year attended that a supervision group held;
- *reportBacks*: report-back meetings (述职) of the year attended;
- *issuesTracked* / *issuesResolved* / *onTime* / *due*: citizens' issues received in the
  year that the deputy tracks, those resolved, and those finished within their limit among
  those whose finish date has come (the on-time rate of queries/rates.py);
- *proposalsSponsored* / *proposalsCoSigned* / *proposalsContributed*: proposals of the year
  (submitted, else drafted) led, co-signed, or contributed to across levels;
- *voted…*: the ballots of the deputy's report-back meetings of the year that have closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database

__all__ = ["RECORDS", "RecordRow", "record_rows"]

RECORDS: LiteralString = """
UNWIND $keys AS key
MATCH (d:Deputy {id: key.id})
WITH d, key,
     date({year: key.year, month: 1, day: 1}) AS first,
     date({year: key.year + 1, month: 1, day: 1}) AS stop,
     datetime({year: key.year, month: 1, day: 1, timezone: '+08:00'}) AS start,
     datetime({year: key.year + 1, month: 1, day: 1, timezone: '+08:00'}) AS end
CALL {
  WITH d, start, end
  OPTIONAL MATCH (d)-[:TRACKS]->(i:Issue) WHERE i.createdAt >= start AND i.createdAt < end
  RETURN count(i) AS issuesTracked,
         count(CASE WHEN i.outcome = 'RESOLVED'
                      OR (i.outcome IS NULL AND i.status = 'RESOLVED') THEN 1 END)
           AS issuesResolved,
         count(CASE WHEN i.finishedLate = 0 THEN 1 END) AS onTime,
         count(CASE WHEN i.finishedLate IS NOT NULL
                      OR (i.outcome IS NULL AND i.finishDue < $redBefore) THEN 1 END) AS due
}
CALL {
  WITH d, start, end
  OPTIONAL MATCH (d)-[s:SPONSORED|CONTRIBUTED_TO]->(p:Proposal)
  WHERE coalesce(p.submittedAt, p.createdAt) >= start
    AND coalesce(p.submittedAt, p.createdAt) < end
  RETURN count(CASE WHEN type(s) = 'SPONSORED' AND s.role = 'LEAD' THEN 1 END)
           AS proposalsSponsored,
         count(CASE WHEN type(s) = 'SPONSORED' AND s.role = 'CO' THEN 1 END)
           AS proposalsCoSigned,
         count(CASE WHEN type(s) = 'CONTRIBUTED_TO' THEN 1 END) AS proposalsContributed
}
CALL {
  WITH d, first, stop
  OPTIONAL MATCH (d)-[:REPORTS_AT]->(m:ReportBack {status: 'CLOSED'})
  WHERE m.date >= first AND m.date < stop
  RETURN coalesce(sum(m.satisfied), 0) AS votedSatisfied,
         coalesce(sum(m.basicallySatisfied), 0) AS votedBasicallySatisfied,
         coalesce(sum(m.dissatisfied), 0) AS votedDissatisfied
}
RETURN d.id AS id, key.year AS year,
       COUNT { (d)-[:CONTACTS]->(:Area) } AS villagesContacted,
       COUNT { (d)-[:ATTENDED]->(a:Activity) WHERE a.date >= first AND a.date < stop } AS visits,
       COUNT { (d)-[:ON_DUTY]->(a:Activity) WHERE a.date >= first AND a.date < stop }
         AS activityDaysOnDuty,
       COUNT { (d)-[:ON_DUTY]->(a:Activity)
               WHERE a.date >= first AND a.date < stop AND a.date < $today
                 AND NOT (d)-[:ATTENDED]->(a) } AS missedDuty,
       COUNT { (d)-[:ATTENDED]->(a:Activity)<-[:HOLDS]-(:LiaisonStation)
               WHERE a.date >= first AND a.date < stop } AS receptions,
       COUNT { (d)-[:ATTENDED]->(a:Activity)<-[:HELD]-(:Group {kind: 'SUPERVISION'})
               WHERE a.date >= first AND a.date < stop } AS supervisionActivities,
       COUNT { (d)-[:ATTENDED]->(a:Activity {kind: $reportBack})
               WHERE a.date >= first AND a.date < stop } AS reportBacks,
       issuesTracked, issuesResolved, onTime, due,
       proposalsSponsored, proposalsCoSigned, proposalsContributed,
       votedSatisfied, votedBasicallySatisfied, votedDissatisfied
"""


@dataclass(frozen=True)
class RecordRow:
    """One deputy's counts for one year (see the module's docstring)."""

    deputy_id: str
    year: int
    villages_contacted: int
    visits: int
    activity_days_on_duty: int
    missed_duty: int
    receptions: int
    supervision_activities: int
    report_backs: int
    issues_tracked: int
    issues_resolved: int
    on_time: int
    due: int
    proposals_sponsored: int
    proposals_co_signed: int
    proposals_contributed: int
    voted_satisfied: int
    voted_basically_satisfied: int
    voted_dissatisfied: int

    @property
    def on_time_rate(self) -> float | None:
        """Issues finished in time among those whose finish date has come (``None``: none)."""
        return self.on_time / self.due if self.due else None

    @property
    def ballots(self) -> int:
        return self.voted_satisfied + self.voted_basically_satisfied + self.voted_dissatisfied

    @property
    def satisfaction_rate(self) -> float | None:
        """满意 and 基本满意 among the ballots of closed meetings (``None``: no ballot)."""
        if not self.ballots:
            return None
        return (self.voted_satisfied + self.voted_basically_satisfied) / self.ballots

    @classmethod
    def from_record(cls, r: Any) -> RecordRow:
        return cls(
            deputy_id=r["id"],
            year=int(r["year"]),
            villages_contacted=int(r["villagesContacted"]),
            visits=int(r["visits"]),
            activity_days_on_duty=int(r["activityDaysOnDuty"]),
            missed_duty=int(r["missedDuty"]),
            receptions=int(r["receptions"]),
            supervision_activities=int(r["supervisionActivities"]),
            report_backs=int(r["reportBacks"]),
            issues_tracked=int(r["issuesTracked"]),
            issues_resolved=int(r["issuesResolved"]),
            on_time=int(r["onTime"]),
            due=int(r["due"]),
            proposals_sponsored=int(r["proposalsSponsored"]),
            proposals_co_signed=int(r["proposalsCoSigned"]),
            proposals_contributed=int(r["proposalsContributed"]),
            voted_satisfied=int(r["votedSatisfied"]),
            voted_basically_satisfied=int(r["votedBasicallySatisfied"]),
            voted_dissatisfied=int(r["votedDissatisfied"]),
        )


def record_rows(
    db: Database,
    keys: Sequence[tuple[str, int]],
    *,
    red_before: Any,
    today: dt.date,
    report_back: str,
) -> list[RecordRow]:
    """The records of ``(deputy id, year)`` pairs in one round trip (unknown ids left out)."""
    rows = db.execute(
        RECORDS,
        {
            "keys": [{"id": i, "year": y} for i, y in keys],
            "redBefore": red_before,
            "today": today,
            "reportBack": report_back,
        },
    )
    return [RecordRow.from_record(r) for r in rows]
