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

__all__ = ["PROJECT_ROOT", "Settings", "read_or_create_secret"]

#: The checkout holding the package, ``neo4j-server/`` and ``seeds/`` (editable installs).
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def read_or_create_secret(path: Path, nbytes: int = 24) -> str:
    """Return the secret stored at ``path``, creating it (mode 0600) on first use."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
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
    #: One log line per HTTP request. Off by default: for GraphQL each line reads
    #: ``POST /graphql 200`` with the client's address, and writing it costs ~0.2 ms a request.
    access_log: bool = False
    #: The day the workflows take as today (scheduling ahead, attendance, alarms); ``None``:
    #: today in China. Pinned for tests, demos and replaying a past day.
    today: dt.date | None = None

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
            access_log=_bool(env, "GRAPHCOORD_ACCESS_LOG", defaults.access_log),
            today=_date(env, "GRAPHCOORD_TODAY"),
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
        """The JWT signing secret: ``GRAPHCOORD_JWT_SECRET``, else a generated local one."""
        if self.jwt_secret is not None:
            return self.jwt_secret
        return read_or_create_secret(self.state_dir / "jwt-secret", nbytes=32)
