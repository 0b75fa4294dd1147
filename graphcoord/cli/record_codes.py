"""``graphcoord qr --deputies`` and ``graphcoord qr --ballots``: the printed codes of the
deputies' pages and of report-back ballots (the command line acts as an admin)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from graphcoord.auth import Principal
from graphcoord.config import Settings
from graphcoord.db import Database

__all__ = ["ballot_codes", "deputy_codes"]

console = Console()
OPERATOR = Principal(role="admin")


def deputy_codes(settings: Settings, area: str, out: Path, sheets: bool) -> None:
    """The code of every ACTIVE deputy of AREA (issued where missing), printed."""
    from graphcoord.printouts.record_qr import DeputyQr, write_deputy_qr_codes
    from graphcoord.rules import require_area_code
    from graphcoord.services.deputy_pages import codes_for_area
    from graphcoord.services.directory import deputies_by_id

    require_area_code(area)
    db = Database(settings)
    try:
        codes = codes_for_area(db, area_code=area)
        rows = deputies_by_id(db, [c.deputy_id for c in codes])
    finally:
        db.close()
    printed = [
        DeputyQr(
            c.deputy_id, str(rows[c.deputy_id].get("name")), rows[c.deputy_id]["level"], c.code
        )
        for c in codes
    ]
    write_deputy_qr_codes(printed, settings.public_base_url, out, sheets=sheets)
    console.print(
        f"{len(printed)} 位代表的二维码已写入 [bold]{out}[/] → {settings.public_base_url}/d/<代表码>；"
        f"打印 {out}/deputies-A4.pdf，代表码见 {out}/index.csv",
        highlight=False,
    )


def ballot_codes(settings: Settings, meeting: str, count: int, out: Path) -> None:
    """COUNT new one-time ballots of MEETING, printed (the codes exist only in OUT)."""
    from graphcoord.printouts.record_qr import write_ballot_qr_codes
    from graphcoord.services.report_backs import get_meeting, issue_ballots

    db = Database(settings)
    try:
        codes = issue_ballots(db, OPERATOR, meeting, count)
        m = get_meeting(db, meeting)
    finally:
        db.close()
    pdf = write_ballot_qr_codes(meeting, m.deputy_name, codes, settings.public_base_url, out)
    console.print(
        f"{len(codes)} 张述职评议选票已写入 [bold]{out}[/]（本次共发出 {m.ballots_issued} 张）；"
        f"打印 {pdf}。选票码只保存在这里，请妥善保管。",
        highlight=False,
    )
