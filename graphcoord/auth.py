"""Bearer tokens (JWT, HS256) and the roles they carry.

Roles: ``admin``, ``organizer``, ``planner``, ``deputy`` and ``public`` (no token). A deputy
token is bound to one deputy id and carries the deputy's token version (``ver``): raising the
version in the database cuts off every earlier token of that deputy. Every token has an id
(``jti``) by which it can be revoked, and lives at most :data:`MAX_TTL_SECONDS` (a token
issued for longer is refused). Revocations are checked against the database by
:mod:`graphcoord.services.tokens`; this module only signs and verifies. The signing secret
comes from settings (environment or a generated 0600 file), never from the repository.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass

import jwt

from graphcoord.caching import BoundedCache
from graphcoord.errors import BadInput, Unauthenticated

__all__ = [
    "AUTHENTICATED",
    "MAX_TTL_SECONDS",
    "ORGANIZING",
    "PLANNING",
    "PRIVATE_READERS",
    "PUBLIC",
    "ROLES",
    "IssuedToken",
    "Principal",
    "VerifiedTokens",
    "create_token",
    "decode_token",
    "issue_token",
    "parse_ttl",
    "principal_from_header",
]

ROLES = ("admin", "organizer", "planner", "deputy")
AUTHENTICATED = frozenset(ROLES)
#: Who may see phone numbers and citizens' contact details.
PRIVATE_READERS = frozenset({"organizer", "admin"})
#: Who may change contacts (close gaps).
PLANNING = frozenset({"planner", "admin"})
#: Who may run groups (conveners, activities) and handle any issue.
ORGANIZING = frozenset({"organizer", "admin"})

ALGORITHM = "HS256"
ISSUER = "graphcoord"
_TTL = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
#: The longest lifetime of a token (30 days): ``token create`` refuses more, and a token whose
#: ``exp`` is further from its ``iat`` is refused.
MAX_TTL_SECONDS = 30 * 86400


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role and, for a deputy, their id."""

    role: str = "public"
    deputy_id: str | None = None
    #: The console account (``None`` for a bearer token made on the command line).
    username: str | None = None
    #: The token's id (``jti``): what ``graphcoord token revoke`` names.
    token_id: str | None = None
    #: A deputy token's version of the deputy's tokens (``ver``).
    version: int = 0

    @property
    def authenticated(self) -> bool:
        return self.role in AUTHENTICATED

    @property
    def who(self) -> str:
        """How the audit trail names the caller: ``user:<name>``, else the token's role (and
        deputy)."""
        if self.username:
            return f"user:{self.username}"
        return f"token:{self.role}" + (f":{self.deputy_id}" if self.deputy_id else "")


PUBLIC = Principal()


def parse_ttl(text: str) -> int:
    """``"8h"`` -> 28800 seconds."""
    match = _TTL.match(text.strip())
    if not match:
        raise BadInput(f"ttl {text!r} is not like 30m, 8h or 7d")
    return int(match.group(1)) * _UNITS[match.group(2)]


@dataclass(frozen=True)
class IssuedToken:
    """A new token, its id (to revoke it) and when it expires (Unix time)."""

    token: str
    token_id: str
    expires: int


def issue_token(
    secret: str,
    role: str,
    *,
    deputy_id: str | None = None,
    ttl_seconds: int = 8 * 3600,
    version: int = 0,
    max_ttl: int = MAX_TTL_SECONDS,
) -> IssuedToken:
    """A signed token for ``role`` (and ``deputy_id``, at token ``version``, for a deputy)."""
    if role not in ROLES:
        raise BadInput(f"role {role!r} is not one of {', '.join(ROLES)}")
    if role == "deputy" and not deputy_id:
        raise BadInput("a deputy token needs --deputy-id")
    if ttl_seconds > max_ttl:
        raise BadInput(
            f"a token may live at most {max_ttl // 86400} days ({max_ttl} s); "
            f"asked for {ttl_seconds} s"
        )
    now = int(time.time())
    token_id = uuid.uuid4().hex
    claims: dict[str, object] = {
        "iss": ISSUER,
        "role": role,
        "iat": now,
        "exp": now + ttl_seconds,
        "jti": token_id,
    }
    if deputy_id:
        claims["sub"] = deputy_id
        claims["ver"] = version
    return IssuedToken(jwt.encode(claims, secret, algorithm=ALGORITHM), token_id, now + ttl_seconds)


def create_token(
    secret: str,
    role: str,
    *,
    deputy_id: str | None = None,
    ttl_seconds: int = 8 * 3600,
    version: int = 0,
) -> str:
    """A signed token for ``role`` (and ``deputy_id`` when the role is deputy)."""
    return issue_token(
        secret, role, deputy_id=deputy_id, ttl_seconds=ttl_seconds, version=version
    ).token


def decode_token(secret: str, token: str, *, max_ttl: int = MAX_TTL_SECONDS) -> Principal:
    """Verify a token; raise :class:`Unauthenticated` saying why it is refused."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "jti"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("the bearer token has expired; ask for a new one") from None
    except jwt.InvalidTokenError as error:
        raise Unauthenticated(f"the bearer token is not valid ({error})") from None
    role = claims.get("role")
    if role not in ROLES:
        raise Unauthenticated(f"the bearer token carries an unknown role {role!r}")
    lifetime = int(claims["exp"]) - int(claims["iat"])
    if lifetime > max_ttl:
        raise Unauthenticated(
            f"the bearer token was issued for {lifetime // 86400} days, more than the "
            f"{max_ttl // 86400} days a token may live; ask for a new one"
        )
    deputy_id = claims.get("sub")
    if role == "deputy" and not deputy_id:
        raise Unauthenticated("a deputy token must name its deputy")
    version = claims.get("ver", 0)
    if not isinstance(version, int):
        raise Unauthenticated("the bearer token's version (ver) is not a number")
    return Principal(role=role, deputy_id=deputy_id, token_id=str(claims["jti"]), version=version)


def principal_from_header(
    secret: str, header: str | None, *, max_ttl: int = MAX_TTL_SECONDS
) -> Principal:
    """The caller named by an ``Authorization`` header; no header is the public."""
    if not header:
        return PUBLIC
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    return decode_token(secret, token.strip(), max_ttl=max_ttl)


class VerifiedTokens:
    """The principals of tokens verified before, until each token expires.

    Clients send the same bearer token with every request; checking its signature again costs
    more than a ``{ __typename }`` request spends in GraphQL (0.11 ms). A token's signature
    verified once with this secret stays valid until its ``exp``, so the principal is kept
    until then; refused tokens are not kept and are refused again, with their reason.
    Revocation is a separate, database-backed check (:mod:`graphcoord.services.tokens`).
    """

    def __init__(self, secret: str, maxsize: int = 1024, max_ttl: int = MAX_TTL_SECONDS) -> None:
        self.secret = secret
        self.max_ttl = max_ttl
        self._known: BoundedCache[str, tuple[float, Principal]] = BoundedCache(
            maxsize, expires=lambda _header, known, _now: known[0], timer=time.time
        )

    def principal(self, header: str | None) -> Principal:
        if not header:
            return PUBLIC
        known = self._known.get(header)
        if known is not None:
            return known[1]
        principal = principal_from_header(self.secret, header, max_ttl=self.max_ttl)
        token = header.partition(" ")[2].strip()
        expires = float(jwt.decode(token, options={"verify_signature": False})["exp"])
        self._known.put(header, (expires, principal))
        return principal
