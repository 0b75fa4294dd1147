"""Settings, read once from the environment with documented defaults.

Secrets never live in the repository: the Neo4j password and the JWT signing secret come from
the environment or, for a local set-up, are generated on first use into the state folder with
mode 0600.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from graphcoord.errors import BadInput

__all__ = [
    "MIN_SECRET_BYTES",
    "PROJECT_ROOT",
    "ROLE_NAMES",
    "Settings",
    "read_or_create_secret",
    "secure_state_dir",
]

#: The checkout holding the package, ``neo4j-server/`` and ``seeds/`` (editable installs).
PROJECT_ROOT = Path(__file__).resolve().parents[1]


#: A JWT signing secret shorter than this (in UTF-8 bytes) is refused: HS256 keys of fewer than
#: 256 bits can be brute-forced from one token (RFC 7518, 3.2).
MIN_SECRET_BYTES = 32
#: The roles whose query-cost budget is a setting (``GRAPHCOORD_MAX_COST_<ROLE>``).
ROLE_NAMES = ("public", "deputy", "planner", "organizer", "admin")


def secure_state_dir(path: Path) -> Path:
    """Create the state folder with mode 0700, or check the existing one: it holds the Neo4j
    store, the generated password and the JWT secret. A folder of ours that others may read is
    narrowed to 0700; one owned by another user is refused (:class:`BadInput`)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.stat()
    if info.st_mode & 0o077:
        if info.st_uid != os.getuid():
            raise BadInput(
                f"the state folder {path} belongs to another user and others may read it; "
                "use a folder of your own (GRAPHCOORD_STATE_DIR)"
            )
        path.chmod(0o700)
    return path


def read_or_create_secret(path: Path, nbytes: int = 24) -> str:
    """Return the secret stored at ``path``, creating it (mode 0600) on first use."""
    secure_state_dir(path.parent)
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    value = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadInput(f"{name} must be an integer, got {raw!r}") from None


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name, "").strip().lower() or default
    if raw not in choices:
        raise BadInput(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise BadInput(f"{name} must be a number, got {raw!r}") from None


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise BadInput(f"{name} must be 1/true/yes/on or 0/false/no/off, got {raw!r}")


def _date(env: Mapping[str, str], name: str) -> dt.date | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadInput(f"{name} must be a date like 2024-11-30, got {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    """Every setting of graphcoord; see the README's configuration table."""

    state_dir: Path = field(default_factory=lambda: Path(".graphcoord").resolve())
    #: An external Neo4j (Aura, a cluster, a server you run); ``None`` = the local one.
    neo4j_uri: str | None = None
    neo4j_username: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"
    bolt_host: str = "127.0.0.1"
    bolt_port: int = 7687
    #: How to reach the local server: ``bolt`` (direct) or ``neo4j`` (routing, as a cluster).
    bolt_scheme: str = "bolt"
    neo4j_heap: str = "1g"
    neo4j_pagecache: str = "512m"
    launcher_dir: Path = PROJECT_ROOT / "neo4j-server"
    start_timeout: float = 120.0
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    public_base_url: str = "http://127.0.0.1:8000"
    jwt_secret: str | None = None
    query_max_depth: int = 12
    query_max_aliases: int = 30
    query_max_tokens: int = 2000
    page_max: int = 500
    page_default: int = 50
    import_batch_size: int = 5000
    rate_limit_per_minute: int = 10
    #: Where rate-limit counters live: ``memory://`` (one process) or a storage every worker
    #: reaches (``redis://host:6379``, ``redis+unix:///path.sock``); see services/ratelimit.py.
    rate_limit_storage: str = "memory://"
    #: One log line per HTTP request. Off by default: for GraphQL each line reads
    #: ``POST /graphql 200`` with the client's address, and writing it costs ~0.2 ms a request.
    access_log: bool = False
    #: The day the workflows take as today (scheduling ahead, attendance, alarms); ``None``:
    #: today in China. Pinned for tests, demos and replaying a past day.
    today: dt.date | None = None
    #: Body limits, in bytes, enforced while the body streams in (chunked bodies too).
    max_graphql_body: int = 1 << 20
    max_form_body: int = 64 << 10
    max_upload: int = 200 << 20
    #: Query-cost budgets per role (``GRAPHCOORD_MAX_COST_<ROLE>``), see docs/hardening.md.
    max_cost: tuple[tuple[str, int], ...] = (
        ("public", 1_000),
        ("deputy", 10_000),
        ("planner", 100_000),
        ("organizer", 100_000),
        ("admin", 200_000),
    )
    #: Requests per minute of one bearer token (signed-in roles).
    token_rate_limit_per_minute: int = 600
    #: Public submissions per village per hour, whatever the address.
    village_rate_limit_per_hour: int = 60
    #: Addresses (or networks) of reverse proxies whose ``X-Forwarded-For`` is believed.
    trusted_proxies: tuple[str, ...] = ()
    #: The longest lifetime a bearer token may have (``token create --ttl``), in seconds.
    token_max_ttl: int = 30 * 86400
    #: Seconds a token's revocation state is kept before it is read again.
    revocation_refresh: float = 2.0
    #: Seconds between two passes of the dispatch retry loop of ``serve`` (0: no loop).
    dispatch_retry_seconds: float = 60.0
    #: ``serve`` reads the escalation projection at start only up to this many deputies (a
    #: city's or a province's roll; the national one takes minutes and gigabytes).
    warm_max_deputies: int = 100_000
    #: GraphiQL in a browser at ``/graphql``, and introspection (both off in production).
    graphiql: bool = True
    introspection: bool = True
    #: Seconds an import's lease lasts without a heartbeat before another import may take it.
    import_lease_seconds: float = 60.0

    def cost_budget(self, role: str) -> int:
        """The query-cost budget of ``role``."""
        return dict(self.max_cost).get(role, dict(self.max_cost)["public"])

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``env`` (default: ``os.environ``)."""
        env = os.environ if env is None else env
        defaults = cls()
        state_dir = Path(env.get("GRAPHCOORD_STATE_DIR", str(defaults.state_dir))).resolve()
        http_port = _int(env, "GRAPHCOORD_PORT", defaults.http_port)
        http_host = env.get("GRAPHCOORD_HOST", defaults.http_host)
        return cls(
            state_dir=state_dir,
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_username=env.get("NEO4J_USERNAME", defaults.neo4j_username),
            neo4j_password=env.get("NEO4J_PASSWORD") or None,
            neo4j_database=env.get("NEO4J_DATABASE", defaults.neo4j_database),
            bolt_host=env.get("GRAPHCOORD_BOLT_HOST", defaults.bolt_host),
            bolt_port=_int(env, "GRAPHCOORD_BOLT_PORT", defaults.bolt_port),
            bolt_scheme=_choice(
                env, "GRAPHCOORD_BOLT_SCHEME", defaults.bolt_scheme, ("bolt", "neo4j")
            ),
            neo4j_heap=env.get("GRAPHCOORD_NEO4J_HEAP", defaults.neo4j_heap),
            neo4j_pagecache=env.get("GRAPHCOORD_NEO4J_PAGECACHE", defaults.neo4j_pagecache),
            launcher_dir=Path(env.get("GRAPHCOORD_LAUNCHER_DIR", str(defaults.launcher_dir))),
            start_timeout=float(env.get("GRAPHCOORD_START_TIMEOUT", defaults.start_timeout)),
            http_host=http_host,
            http_port=http_port,
            public_base_url=env.get(
                "GRAPHCOORD_PUBLIC_BASE_URL", f"http://{http_host}:{http_port}"
            ).rstrip("/"),
            jwt_secret=env.get("GRAPHCOORD_JWT_SECRET") or None,
            query_max_depth=_int(env, "GRAPHCOORD_MAX_DEPTH", defaults.query_max_depth),
            query_max_aliases=_int(env, "GRAPHCOORD_MAX_ALIASES", defaults.query_max_aliases),
            query_max_tokens=_int(env, "GRAPHCOORD_MAX_TOKENS", defaults.query_max_tokens),
            import_batch_size=_int(env, "GRAPHCOORD_BATCH_SIZE", defaults.import_batch_size),
            rate_limit_per_minute=_int(
                env, "GRAPHCOORD_RATE_LIMIT", defaults.rate_limit_per_minute
            ),
            rate_limit_storage=env.get("GRAPHCOORD_RATE_LIMIT_STORAGE", "").strip()
            or defaults.rate_limit_storage,
            access_log=_bool(env, "GRAPHCOORD_ACCESS_LOG", defaults.access_log),
            today=_date(env, "GRAPHCOORD_TODAY"),
            max_graphql_body=_int(env, "GRAPHCOORD_MAX_BODY", defaults.max_graphql_body),
            max_form_body=_int(env, "GRAPHCOORD_MAX_FORM", defaults.max_form_body),
            max_upload=_int(env, "GRAPHCOORD_MAX_UPLOAD", defaults.max_upload),
            max_cost=tuple(
                (role, _int(env, f"GRAPHCOORD_MAX_COST_{role.upper()}", budget))
                for role, budget in defaults.max_cost
            ),
            token_rate_limit_per_minute=_int(
                env, "GRAPHCOORD_TOKEN_RATE_LIMIT", defaults.token_rate_limit_per_minute
            ),
            village_rate_limit_per_hour=_int(
                env, "GRAPHCOORD_VILLAGE_RATE_LIMIT", defaults.village_rate_limit_per_hour
            ),
            trusted_proxies=tuple(
                part.strip()
                for part in env.get("GRAPHCOORD_TRUSTED_PROXIES", "").split(",")
                if part.strip()
            ),
            token_max_ttl=_int(env, "GRAPHCOORD_TOKEN_MAX_TTL", defaults.token_max_ttl),
            revocation_refresh=_float(
                env, "GRAPHCOORD_REVOCATION_REFRESH", defaults.revocation_refresh
            ),
            dispatch_retry_seconds=_float(
                env, "GRAPHCOORD_DISPATCH_RETRY", defaults.dispatch_retry_seconds
            ),
            warm_max_deputies=_int(env, "GRAPHCOORD_WARM_MAX_DEPUTIES", defaults.warm_max_deputies),
            graphiql=_bool(env, "GRAPHCOORD_GRAPHIQL", defaults.graphiql),
            introspection=_bool(env, "GRAPHCOORD_INTROSPECTION", defaults.introspection),
            import_lease_seconds=_float(
                env, "GRAPHCOORD_IMPORT_LEASE", defaults.import_lease_seconds
            ),
        )

    def with_(self, **changes: object) -> Settings:
        """A copy with some settings changed (tests use it)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def is_local(self) -> bool:
        """True when graphcoord runs its own Neo4j (no ``NEO4J_URI``)."""
        return self.neo4j_uri is None

    @property
    def uri(self) -> str:
        return self.neo4j_uri or f"{self.bolt_scheme}://{self.bolt_host}:{self.bolt_port}"

    @property
    def password(self) -> str:
        """The Neo4j password: ``NEO4J_PASSWORD``, else the local server's generated one."""
        if self.neo4j_password is not None:
            return self.neo4j_password
        if not self.is_local:
            raise ValueError("NEO4J_PASSWORD must be set when NEO4J_URI names an external server")
        return read_or_create_secret(self.state_dir / "neo4j-password")

    @property
    def signing_secret(self) -> str:
        """The JWT signing secret: ``GRAPHCOORD_JWT_SECRET``, else a generated local one.

        A secret shorter than :data:`MIN_SECRET_BYTES` is refused (:class:`BadInput`), so a
        server never starts, nor a token is signed, with a key that can be guessed.
        """
        if self.jwt_secret is None:
            return read_or_create_secret(self.state_dir / "jwt-secret", nbytes=32)
        if len(self.jwt_secret.encode()) < MIN_SECRET_BYTES:
            raise BadInput(
                f"GRAPHCOORD_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes long "
                f"(it has {len(self.jwt_secret.encode())}); e.g. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
            )
        return self.jwt_secret
