"""Opinions that find each other: the Cypher of suggestions, reviews, merges and topics.

An issue's text-model state is kept on the ``Issue`` node: ``suggestedCategory``,
``suggestedConfidence``, ``suggestedAt``, ``categoryFlagged`` (the suggestion and the citizen's
choice disagree, see rule ``category-suggestion``), and after an organizer's review
``citizenCategory`` (the choice as submitted), ``categoryReviewedAt`` and ``categoryReviewedBy``.
A duplicate points at its original with ``(:Issue)-[:MERGED_INTO {at, by, trackers}]->(:Issue)``
and the ``mergedInto`` / ``mergedAt`` properties. The workflow is
:mod:`graphcoord.services.opinions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graphcoord.db import Database
from graphcoord.queries.issues import IssueRow, native
from graphcoord.queries.vocabulary import CLOSED_STATUSES

__all__ = [
    "CoveringDeputy",
    "IssueOpinion",
    "IssueText",
    "MergeFacts",
    "correct_category",
    "covering_deputies",
    "flagged_page",
    "issue_opinions",
    "issue_texts",
    "merge_facts",
    "merge_issue",
    "scope_texts",
    "set_suggestions",
    "training_texts",
]

#: What the text pipeline reads of an issue: its texts, its places and when it was raised.
_TEXT_MAP: LiteralString = """
i {.id, .title, .body, .category, .channel, .ticket, .status, .createdAt, .resolvedAt,
   .closedAt, .areaCode, .trackingCode, .contact,
   villageName: v.name, townshipCode: t.code, townshipName: t.name, countyName: c.name}
"""

ISSUE_TEXTS: LiteralString = (
    """
UNWIND $ids AS id
MATCH (i:Issue {id: id})
OPTIONAL MATCH (i)-[:RAISED_IN]->(v:Area)
OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
OPTIONAL MATCH (t)-[:PART_OF]->(c:Area)
RETURN """
    + _TEXT_MAP
    + """ AS issue
"""
)

#: Issues raised in one area prefix between two instants, not merged away, newest first.
SCOPE_TEXTS: LiteralString = (
    """
UNWIND $scopes AS scope
CALL (scope) {
  MATCH (i:Issue)
  WHERE i.createdAt >= scope.start AND i.createdAt < scope.end
    AND i.areaCode STARTS WITH scope.prefix AND i.mergedInto IS NULL
  WITH i ORDER BY i.createdAt DESC, i.id LIMIT $limit
  OPTIONAL MATCH (i)-[:RAISED_IN]->(v:Area)
  OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
  OPTIONAL MATCH (t)-[:PART_OF]->(c:Area)
  RETURN collect("""
    + _TEXT_MAP
    + """) AS issues
}
RETURN scope.key AS key, issues
"""
)

TRAINING_TEXTS: LiteralString = """
MATCH (i:Issue)
WHERE i.id > $after AND i.category IN $categories
  AND (i.categoryReviewedAt IS NOT NULL OR coalesce(i.categoryFlagged, false) = false)
WITH i ORDER BY i.id LIMIT $limit
OPTIONAL MATCH (i)-[:RAISED_IN]->(v:Area)
OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
RETURN i.id AS id, i.title AS title, i.body AS body, i.category AS category,
       i.categoryReviewedAt IS NOT NULL AS reviewed, v.name AS villageName,
       t.name AS townshipName
"""

ALL_TEXTS: LiteralString = """
MATCH (i:Issue) WHERE i.id > $after
WITH i ORDER BY i.id LIMIT $limit
OPTIONAL MATCH (i)-[:RAISED_IN]->(v:Area)
OPTIONAL MATCH (v)-[:PART_OF]->(t:Area)
RETURN i.id AS id, i.title AS title, i.body AS body, i.category AS category,
       i.categoryReviewedAt IS NOT NULL AS reviewed, v.name AS villageName,
       t.name AS townshipName
"""

SET_SUGGESTIONS: LiteralString = """
UNWIND $rows AS row
MATCH (i:Issue {id: row.id})
SET i.suggestedCategory = row.category, i.suggestedConfidence = row.confidence,
    i.suggestedAt = row.at,
    i.categoryFlagged = CASE WHEN i.categoryReviewedAt IS NULL THEN row.flagged ELSE false END
RETURN count(i) AS updated
"""

ISSUE_OPINIONS: LiteralString = """
UNWIND $ids AS id
MATCH (i:Issue {id: id})
RETURN i.id AS id, i.suggestedCategory AS suggestedCategory,
       i.suggestedConfidence AS suggestedConfidence,
       coalesce(i.categoryFlagged, false) AS categoryFlagged,
       coalesce(i.citizenCategory, i.category) AS citizenCategory,
       i.categoryReviewedAt AS reviewedAt, i.categoryReviewedBy AS reviewedBy,
       i.mergedInto AS mergedInto, i.mergedAt AS mergedAt,
       [(d:Issue)-[:MERGED_INTO]->(i) | d.id] AS duplicates
"""

FLAGGED_PAGE: LiteralString = """
MATCH (i:Issue) WHERE i.categoryFlagged = true
WITH i ORDER BY i.suggestedConfidence DESC, i.createdAt DESC, i.id
WITH collect(i) AS found
RETURN size(found) AS total,
       [i IN found[$skip..$skip + $limit + 1] |
        i {.id, .title, .body, .category, .channel, .ticket, .status, .createdAt,
           .resolvedAt, .closedAt, .areaCode, .trackingCode, .contact}] AS rows
"""

CORRECT_CATEGORY: LiteralString = """
MATCH (i:Issue {id: $id})
SET i.citizenCategory = coalesce(i.citizenCategory, i.category), i.category = $category,
    i.categoryFlagged = false, i.categoryReviewedAt = $at, i.categoryReviewedBy = $by
RETURN i {.id, .title, .body, .category, .channel, .ticket, .status, .createdAt,
          .resolvedAt, .closedAt, .areaCode, .trackingCode, .contact} AS issue
"""

MERGE_FACTS: LiteralString = """
UNWIND $ids AS id
MATCH (i:Issue {id: id})
RETURN i.id AS id, i.mergedInto AS mergedInto,
       exists { (:Issue)-[:MERGED_INTO]->(i) } AS hasDuplicates
"""

MERGE_ISSUE: LiteralString = """
MATCH (d:Issue {id: $duplicate}) WHERE d.mergedInto IS NULL
MATCH (o:Issue {id: $original}) WHERE o.mergedInto IS NULL
CREATE (d)-[m:MERGED_INTO {at: $at, by: $by}]->(o)
SET d.mergedInto = o.id, d.mergedAt = $at, d.categoryFlagged = false
WITH d, o, m
CALL (d, o) {
  OPTIONAL MATCH (x:Deputy)-[t:TRACKS]->(d)
  WITH x, t WHERE x IS NOT NULL
  MERGE (x)-[:TRACKS]->(o)
  DELETE t
  RETURN collect(x.id) AS moved
}
SET m.trackers = moved
RETURN o.id AS id, moved
"""

COVERING_DEPUTIES: LiteralString = (
    """
UNWIND $codes AS code
MATCH (d:Deputy)-[:CONTACTS]->(:Area {code: code}) WHERE d.status = 'ACTIVE'
WITH d, collect(code) AS villages
RETURN d.id AS id, d.name AS name, d.level AS level, villages,
       COUNT { (d)-[:TRACKS]->(i:Issue) WHERE NOT i.status IN """
    + CLOSED_STATUSES
    + """ } AS openIssues
ORDER BY d.id
"""
)


@dataclass(frozen=True)
class IssueText:
    """An issue as the text pipeline reads it: the stored row and the names of its places."""

    row: IssueRow
    village_name: str | None
    township_code: str | None
    township_name: str | None
    county_name: str | None

    @classmethod
    def from_map(cls, value: Mapping[str, Any]) -> IssueText:
        return cls(
            row=IssueRow.from_map(value),
            village_name=value.get("villageName"),
            township_code=value.get("townshipCode"),
            township_name=value.get("townshipName"),
            county_name=value.get("countyName"),
        )


@dataclass(frozen=True)
class IssueOpinion:
    """What the text model and the organizers said of an issue's category and sameness."""

    id: str
    suggested_category: str | None
    suggested_confidence: float | None
    category_flagged: bool
    citizen_category: str | None
    reviewed_at: dt.datetime | None
    reviewed_by: str | None
    merged_into: str | None
    merged_at: dt.datetime | None
    duplicates: list[str]


@dataclass(frozen=True)
class MergeFacts:
    id: str
    merged_into: str | None
    has_duplicates: bool


@dataclass(frozen=True)
class CoveringDeputy:
    """An ACTIVE deputy who contacts some of the villages asked about."""

    id: str
    name: str
    level: str
    villages: list[str]
    open_issues: int


def issue_texts(db: Database, ids: Sequence[str]) -> dict[str, IssueText]:
    return {
        r["issue"]["id"]: IssueText.from_map(r["issue"])
        for r in db.execute(ISSUE_TEXTS, {"ids": list(ids)})
    }


def scope_texts(
    db: Database, scopes: Sequence[Mapping[str, Any]], limit: int
) -> dict[str, list[IssueText]]:
    """Per scope (``key``, area ``prefix``, ``start`` included, ``end`` excluded): its issues,
    at most ``limit`` of them, newest first; one round trip for every scope."""
    return {
        r["key"]: [IssueText.from_map(m) for m in r["issues"]]
        for r in db.execute(SCOPE_TEXTS, {"scopes": list(scopes), "limit": limit})
    }


def training_texts(
    db: Database, categories: Sequence[str], *, after: str, limit: int, every: bool = False
) -> list[dict[str, Any]]:
    """A page of issues (by id, after ``after``) to fit on, or with ``every`` all issues."""
    statement = ALL_TEXTS if every else TRAINING_TEXTS
    return [
        dict(r)
        for r in db.execute(
            statement, {"after": after, "limit": limit, "categories": list(categories)}
        )
    ]


def set_suggestions(db: Database, rows: Sequence[Mapping[str, Any]]) -> int:
    if not rows:
        return 0
    return int(db.write(SET_SUGGESTIONS, {"rows": list(rows)})[0]["updated"])


def issue_opinions(db: Database, ids: Sequence[str]) -> dict[str, IssueOpinion]:
    return {
        r["id"]: IssueOpinion(
            id=r["id"],
            suggested_category=r["suggestedCategory"],
            suggested_confidence=r["suggestedConfidence"],
            category_flagged=bool(r["categoryFlagged"]),
            citizen_category=r["citizenCategory"],
            reviewed_at=native(r["reviewedAt"]),
            reviewed_by=r["reviewedBy"],
            merged_into=r["mergedInto"],
            merged_at=native(r["mergedAt"]),
            duplicates=sorted(r["duplicates"]),
        )
        for r in db.execute(ISSUE_OPINIONS, {"ids": list(ids)})
    }


def flagged_page(db: Database, *, skip: int, limit: int) -> tuple[int, list[IssueRow]]:
    """Issues whose suggestion disagrees with the citizen's choice, most confident first."""
    record = db.execute(FLAGGED_PAGE, {"skip": skip, "limit": limit})[0]
    return int(record["total"]), [IssueRow.from_map(r) for r in record["rows"]]


def correct_category(
    db: Database, issue_id: str, category: str, at: dt.datetime, by: str
) -> IssueRow | None:
    records = db.write(CORRECT_CATEGORY, {"id": issue_id, "category": category, "at": at, "by": by})
    return IssueRow.from_map(records[0]["issue"]) if records else None


def merge_facts(db: Database, ids: Sequence[str]) -> dict[str, MergeFacts]:
    return {
        r["id"]: MergeFacts(r["id"], r["mergedInto"], bool(r["hasDuplicates"]))
        for r in db.execute(MERGE_FACTS, {"ids": list(ids)})
    }


def merge_issue(
    db: Database, duplicate: str, original: str, at: dt.datetime, by: str
) -> list[str] | None:
    """Merge; return the deputies whose tracking moved, ``None`` if either changed meanwhile."""
    records = db.write(
        MERGE_ISSUE, {"duplicate": duplicate, "original": original, "at": at, "by": by}
    )
    return list(records[0]["moved"]) if records else None


def covering_deputies(db: Database, codes: Sequence[str]) -> list[CoveringDeputy]:
    """ACTIVE deputies contacting any of the villages ``codes``, with which ones."""
    return [
        CoveringDeputy(r["id"], r["name"], r["level"], sorted(r["villages"]), int(r["openIssues"]))
        for r in db.execute(COVERING_DEPUTIES, {"codes": list(codes)})
    ]
