"""The message catalogs: every action of the audit trail reads in Chinese on the console, and
the committed ``.mo`` files hold what their ``.po`` sources say (a clean checkout has no build
step, so a catalog edited without ``scripts/i18n compile`` would show stale words)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import graphcoord
from graphcoord.i18n import gettext, has_translation
from graphcoord.model import AuditAction

LOCALE = Path(graphcoord.__file__).parent / "locale"


@pytest.mark.parametrize("action", list(AuditAction), ids=str)
def test_every_audit_action_reads_in_chinese(action: AuditAction) -> None:
    assert has_translation(action.value, "zh_CN")
    assert gettext(action.value, "zh_CN") != action.value


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_compiled_catalog_matches_its_source(locale: str) -> None:
    folder = LOCALE / locale / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as handle:
        source = {m.id: m.string for m in read_po(handle) if m.id and m.string}
    with (folder / "messages.mo").open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id and m.string}
    assert compiled == source
