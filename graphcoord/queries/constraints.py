"""Constraints and indexes of the graph model, created idempotently (``graphcoord db migrate``)."""

from __future__ import annotations

from typing import LiteralString

from graphcoord.db import Database

__all__ = ["CONSTRAINTS", "INDEXES", "LABEL_KEYS", "migrate"]

#: The business key of every label; each has a uniqueness constraint.
LABEL_KEYS: dict[str, str] = {
    "Area": "code",
    "Deputy": "id",
    "CollectionPoint": "id",
    "LiaisonStation": "id",
    "IndustryCluster": "id",
    "IndustryChain": "id",
    "ObservationPoint": "id",
    "Group": "id",
    "Activity": "id",
    "Campaign": "id",
    "Issue": "id",
    "Proposal": "id",
    "ImportRun": "id",
    "StatusChange": "id",
    "TicketCounter": "year",
    "Ticket": "number",
    "Department": "id",
    "HandlingEvent": "id",
    "ChannelName": "id",
    "Notification": "key",
    "LetterCounter": "year",
    "User": "username",
    "AuditEvent": "id",
    "RevokedToken": "id",
    "ImportLease": "id",
    "ProposalEvent": "id",
    "DeputyCode": "code",
    "BallotCode": "hash",
}

CONSTRAINTS: tuple[LiteralString, ...] = (
    "CREATE CONSTRAINT area_code IF NOT EXISTS FOR (n:Area) REQUIRE n.code IS UNIQUE",
    "CREATE CONSTRAINT deputy_id IF NOT EXISTS FOR (n:Deputy) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT collection_point_id IF NOT EXISTS "
    "FOR (n:CollectionPoint) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT liaison_station_id IF NOT EXISTS "
    "FOR (n:LiaisonStation) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT industry_cluster_id IF NOT EXISTS "
    "FOR (n:IndustryCluster) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT industry_chain_id IF NOT EXISTS "
    "FOR (n:IndustryChain) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT observation_point_id IF NOT EXISTS "
    "FOR (n:ObservationPoint) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT group_id IF NOT EXISTS FOR (n:Group) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT activity_id IF NOT EXISTS FOR (n:Activity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT campaign_id IF NOT EXISTS FOR (n:Campaign) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT issue_id IF NOT EXISTS FOR (n:Issue) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT issue_tracking_code IF NOT EXISTS "
    "FOR (n:Issue) REQUIRE n.trackingCode IS UNIQUE",
    "CREATE CONSTRAINT proposal_id IF NOT EXISTS FOR (n:Proposal) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT import_run_id IF NOT EXISTS FOR (n:ImportRun) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT status_change_id IF NOT EXISTS FOR (n:StatusChange) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT ticket_counter_year IF NOT EXISTS "
    "FOR (n:TicketCounter) REQUIRE n.year IS UNIQUE",
    "CREATE CONSTRAINT ticket_number IF NOT EXISTS FOR (n:Ticket) REQUIRE n.number IS UNIQUE",
    # One activity day per station and date (``<station id>|<date>``; other activities have none).
    "CREATE CONSTRAINT activity_station_day IF NOT EXISTS "
    "FOR (n:Activity) REQUIRE n.stationDay IS UNIQUE",
    "CREATE CONSTRAINT department_id IF NOT EXISTS FOR (n:Department) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT handling_event_id IF NOT EXISTS "
    "FOR (n:HandlingEvent) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT channel_name_id IF NOT EXISTS FOR (n:ChannelName) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT notification_key IF NOT EXISTS FOR (n:Notification) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT letter_counter_year IF NOT EXISTS "
    "FOR (n:LetterCounter) REQUIRE n.year IS UNIQUE",
    # console accounts and the audit trail (queries/users.py, queries/audit.py)
    "CREATE CONSTRAINT user_username IF NOT EXISTS FOR (n:User) REQUIRE n.username IS UNIQUE",
    "CREATE CONSTRAINT audit_event_id IF NOT EXISTS FOR (n:AuditEvent) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT revoked_token_id IF NOT EXISTS FOR (n:RevokedToken) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT import_lease_id IF NOT EXISTS FOR (n:ImportLease) REQUIRE n.id IS UNIQUE",
    # The same idempotency key (a double click, a retry) never makes a second issue.
    "CREATE CONSTRAINT issue_submission_key IF NOT EXISTS "
    "FOR (n:Issue) REQUIRE n.submissionKey IS UNIQUE",
    "CREATE CONSTRAINT proposal_event_id IF NOT EXISTS "
    "FOR (n:ProposalEvent) REQUIRE n.id IS UNIQUE",
    # A deputy's public code (/d/{code}) and a ballot code's hash (/e/{code}) are unique.
    "CREATE CONSTRAINT deputy_code_code IF NOT EXISTS FOR (n:DeputyCode) REQUIRE n.code IS UNIQUE",
    "CREATE CONSTRAINT ballot_code_hash IF NOT EXISTS FOR (n:BallotCode) REQUIRE n.hash IS UNIQUE",
)

INDEXES: tuple[LiteralString, ...] = (
    "CREATE INDEX deputy_level IF NOT EXISTS FOR (n:Deputy) ON (n.level)",
    "CREATE INDEX deputy_status IF NOT EXISTS FOR (n:Deputy) ON (n.status)",
    "CREATE TEXT INDEX deputy_name IF NOT EXISTS FOR (n:Deputy) ON (n.name)",
    "CREATE INDEX area_kind IF NOT EXISTS FOR (n:Area) ON (n.kind)",
    "CREATE INDEX issue_status IF NOT EXISTS FOR (n:Issue) ON (n.status)",
    "CREATE INDEX issue_created IF NOT EXISTS FOR (n:Issue) ON (n.createdAt)",
    "CREATE INDEX issue_ticket IF NOT EXISTS FOR (n:Issue) ON (n.ticket)",
    "CREATE INDEX activity_date IF NOT EXISTS FOR (n:Activity) ON (n.date)",
    "CREATE INDEX group_kind IF NOT EXISTS FOR (n:Group) ON (n.kind)",
    "CREATE INDEX import_run_hash IF NOT EXISTS FOR (n:ImportRun) ON (n.fileHash)",
    "CREATE INDEX import_undo_run IF NOT EXISTS FOR (n:ImportUndo) ON (n.run)",
    # the organizers' category review (queries/opinions.py)
    "CREATE INDEX issue_category_flagged IF NOT EXISTS FOR (n:Issue) ON (n.categoryFlagged)",
    "CREATE INDEX station_area IF NOT EXISTS FOR (n:LiaisonStation) ON (n.areaCode)",
    "CREATE INDEX collection_point_area IF NOT EXISTS FOR (n:CollectionPoint) ON (n.areaCode)",
    "CREATE INDEX issue_outcome IF NOT EXISTS FOR (n:Issue) ON (n.outcome)",
    "CREATE INDEX department_area IF NOT EXISTS FOR (n:Department) ON (n.areaCode)",
    "CREATE INDEX notification_status IF NOT EXISTS FOR (n:Notification) ON (n.status)",
    "CREATE INDEX notification_recipient IF NOT EXISTS FOR (n:Notification) ON (n.recipient)",
    "CREATE INDEX audit_event_at IF NOT EXISTS FOR (n:AuditEvent) ON (n.at)",
    # The dispatch outbox: issues stored but not yet handed to 12345.
    "CREATE INDEX issue_dispatch IF NOT EXISTS FOR (n:Issue) ON (n.dispatch)",
    # proposals of a session, by status (queries/proposals.py, the session report)
    "CREATE INDEX proposal_session IF NOT EXISTS FOR (n:Proposal) ON (n.session)",
    "CREATE INDEX proposal_status IF NOT EXISTS FOR (n:Proposal) ON (n.status)",
    # The directory's pages by key (queries/pages.py): a level's deputies in id order, and the
    # deputies elected in an area (a prefix of its code).
    "CREATE INDEX deputy_level_id IF NOT EXISTS FOR (n:Deputy) ON (n.level, n.id)",
    "CREATE INDEX deputy_elected_in IF NOT EXISTS FOR (n:Deputy) ON (n.electedIn)",
)


AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes($seconds)"


def migrate(db: Database, wait_seconds: int = 300) -> int:
    """Create every constraint and index that is missing, and wait (up to ``wait_seconds``)
    until they are all online; return how many statements ran."""
    for statement in (*CONSTRAINTS, *INDEXES):
        db.write(statement)
    db.write(AWAIT_INDEXES, {"seconds": wait_seconds})
    return len(CONSTRAINTS) + len(INDEXES)
