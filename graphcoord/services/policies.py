"""Handling policies: the working-day limits per kind of work, from ``handling.toml``.

The file lives in the state folder (``$GRAPHCOORD_STATE_DIR/handling.toml``); without it the
documented defaults of :data:`graphcoord.deadlines.DEFAULT_POLICIES` apply. A table per kind of
work (``ISSUE``, ``REHANDLING``) may set any of its three limits; ``yellow_within`` sets when an
item turns yellow::

    yellow_within = 2          # working days before a due date

    [ISSUE]                    # a citizen's issue (群众意见)
    claim_within = 1           # 签收
    reply_within = 5           # first reply (答复)
    finish_within = 15         # 办结

    [REHANDLING]               # after a 不满意 verdict (重新办理)
    finish_within = 10

The policy that applied is stored with each issue (its key and due dates), so editing the file
changes the clocks started afterwards, never those already running. A file that does not
parse, names an unknown kind or key, or sets an impossible limit is refused with its path.
"""

from __future__ import annotations

import dataclasses
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphcoord.deadlines import DEFAULT_POLICIES, DEFAULT_YELLOW_WITHIN, Policy
from graphcoord.errors import BadInput
from graphcoord.model import WorkKind

__all__ = ["POLICY_FILE", "Policies", "default_toml", "load_policies"]

POLICY_FILE = "handling.toml"
_LIMITS = ("claim_within", "reply_within", "finish_within")


@dataclass(frozen=True)
class Policies:
    """The policies in force and where they come from (a file, or ``defaults``)."""

    policies: dict[str, Policy]
    yellow_within: int = DEFAULT_YELLOW_WITHIN
    source: str = "defaults"

    def for_kind(self, kind: WorkKind | str) -> Policy:
        return self.policies[WorkKind(kind)]


DEFAULTS = Policies(dict(DEFAULT_POLICIES))

_cache: dict[Path, tuple[int, Policies]] = {}
_lock = threading.Lock()


def load_policies(state_dir: Path) -> Policies:
    """The policies of ``state_dir/handling.toml``, or the defaults when there is no file.

    The file is read again when it changes (its modification time), so an office edits it
    without restarting the server.
    """
    path = state_dir / POLICY_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return DEFAULTS
    with _lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    policies = parse_policies(path.read_text(encoding="utf-8"), str(path))
    with _lock:
        _cache[path] = (stamp, policies)
    return policies


def parse_policies(text: str, source: str) -> Policies:
    """Policies from a TOML text (``source`` names it in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BadInput(f"{source}: not valid TOML: {error}") from None
    yellow = data.pop("yellow_within", DEFAULT_YELLOW_WITHIN)
    if not isinstance(yellow, int) or isinstance(yellow, bool) or not 0 <= yellow <= 30:
        raise BadInput(f"{source}: yellow_within must be 0-30 working days, got {yellow!r}")
    policies = dict(DEFAULT_POLICIES)
    for kind, table in data.items():
        if kind not in WorkKind.__members__:
            known = ", ".join(WorkKind)
            raise BadInput(f"{source}: unknown kind of work [{kind}] (known: {known})")
        if not isinstance(table, dict):
            raise BadInput(f"{source}: [{kind}] must be a table of limits")
        policies[kind] = _policy(policies[kind], table, f"{source} [{kind}]")
    return Policies(policies, yellow, source)


def _policy(base: Policy, table: dict[str, Any], where: str) -> Policy:
    unknown = set(table) - set(_LIMITS)
    if unknown:
        raise BadInput(f"{where}: unknown keys {', '.join(sorted(unknown))} (known: {_LIMITS})")
    for key, value in table.items():
        if not isinstance(value, int) or isinstance(value, bool):
            raise BadInput(f"{where}: {key} must be a whole number of working days")
    try:
        return dataclasses.replace(base, **table)
    except BadInput as error:
        raise BadInput(f"{where}: {error}") from None


def default_toml() -> str:
    """The defaults as a ``handling.toml`` an office can start from."""
    lines = [
        "# graphcoord handling policies: limits in working days (工作日), counted from the",
        "# day of receipt; a limit of N ends on the Nth working day after it.",
        f"yellow_within = {DEFAULT_YELLOW_WITHIN}  # turn yellow this many working days before",
    ]
    for kind, policy in DEFAULT_POLICIES.items():
        lines += ["", f"[{kind}]"]
        lines += [f"{key} = {getattr(policy, key)}" for key in _LIMITS]
    return "\n".join(lines) + "\n"
