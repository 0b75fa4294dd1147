"""Bearer-token revocations: revoked token ids and each deputy's token version.

``(:RevokedToken {id, revokedAt, expiresAt})`` lists tokens revoked one by one (kept until
they would have expired anyway); ``Deputy.tokenVersion`` is raised to cut off every earlier
token of a deputy at once. The workflow is :mod:`graphcoord.services.tokens`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import LiteralString

from graphcoord.db import Database

__all__ = [
    "DeputyTokenState",
    "TokenState",
    "deputy_token_state",
    "raise_deputy_version",
    "revoke",
    "token_state",
]

TOKEN_STATE: LiteralString = """
OPTIONAL MATCH (r:RevokedToken {id: $tokenId})
OPTIONAL MATCH (d:Deputy {id: $deputyId})
RETURN r IS NOT NULL AS revoked, d IS NOT NULL AS deputyExists,
       coalesce(d.tokenVersion, 0) AS version, d.status AS status
"""

DEPUTY_TOKEN_STATE: LiteralString = """
MATCH (d:Deputy {id: $id})
RETURN coalesce(d.tokenVersion, 0) AS version, d.status AS status
"""

RAISE_DEPUTY_VERSION: LiteralString = """
MATCH (d:Deputy {id: $id})
SET d.tokenVersion = coalesce(d.tokenVersion, 0) + 1
RETURN d.tokenVersion AS version
"""

REVOKE: LiteralString = """
MERGE (r:RevokedToken {id: $id})
ON CREATE SET r.revokedAt = $now, r.expiresAt = $expiresAt
WITH count(*) AS done
MATCH (old:RevokedToken) WHERE old.expiresAt < $now
DELETE old
"""


@dataclass(frozen=True)
class TokenState:
    """What the database says of one token: revoked, and its deputy's version and status."""

    revoked: bool
    deputy_exists: bool
    version: int
    status: str | None


@dataclass(frozen=True)
class DeputyTokenState:
    version: int
    status: str | None


def token_state(db: Database, token_id: str, deputy_id: str | None) -> TokenState:
    """One round trip: whether ``token_id`` is revoked, and the deputy's token facts."""
    r = db.execute(TOKEN_STATE, {"tokenId": token_id, "deputyId": deputy_id})[0]
    return TokenState(bool(r["revoked"]), bool(r["deputyExists"]), int(r["version"]), r["status"])


def deputy_token_state(db: Database, deputy_id: str) -> DeputyTokenState | None:
    records = db.execute(DEPUTY_TOKEN_STATE, {"id": deputy_id})
    if not records:
        return None
    return DeputyTokenState(int(records[0]["version"]), records[0]["status"])


def raise_deputy_version(db: Database, deputy_id: str) -> int | None:
    """Raise the deputy's token version; the new version, or ``None`` (no such deputy)."""
    records = db.write(RAISE_DEPUTY_VERSION, {"id": deputy_id})
    return int(records[0]["version"]) if records else None


def revoke(db: Database, token_id: str, expires_at: dt.datetime, now: dt.datetime) -> None:
    """Record the token as revoked (and forget revocations of tokens expired by now)."""
    db.write(REVOKE, {"id": token_id, "expiresAt": expires_at, "now": now})
