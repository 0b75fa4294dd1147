"""The command line's own errors: a wrong option or value is a usage message, never a traceback."""

from __future__ import annotations

import pytest

from graphcoord.config import Settings
from tests.conftest import run_cli

USAGE_ERRORS = {
    "unknown option": (("--bogus",), "No such option: --bogus"),
    "missing option": (("token", "create"), "Missing option '--role'"),
    "value of the wrong type": (("serve", "--port", "abc"), "Invalid value for '--port'"),
    "option without its value": (("schema", "export", "--check"), "requires an argument"),
}


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_errors_exit_2_with_a_message(
    settings: Settings, args: tuple[str, ...], message: str
) -> None:
    result = run_cli(settings, *args)
    assert result.returncode == 2, result.stderr
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
