"""Danh sách bàn giao hồ sơ: the list of paper dossiers handed over in one batch, signed by both sides.

Not one of the numbered forms of Circular 03/2025/TT-VPCP; it is laid out like them (same header,
fonts and print path) so that the desk files it with the control slips (form 06) it feeds.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from forms.printing.contexts import header, signature
from forms.printing.model import Agency
from forms.printing.text import clock_text, short_text, upper

FORM = "BG"
TITLE = "Danh sách bàn giao hồ sơ"


@dataclass(frozen=True)
class HandoverRow:
    """One dossier of the batch as the list prints it."""

    code: str
    applicant: str
    procedure: str
    papers: str = ""
    due_at: datetime | None = None
    note: str = ""


def handover_list(agency: Agency, *, number: str, direction: str, source: str, target: str,
                  rows: list[HandoverRow], created_at: datetime, handed_by: str, received_by: str,
                  received_at: datetime | None, note: str = "") -> dict:
    """The context of formBG.html: who hands what to whom, when, with both signatures."""
    return {"form": FORM, "title": upper(TITLE), "code": number, "header": header(agency, number, created_at, desk=False),
            "direction": direction, "source": source, "target": target, "note": note,
            "created_at": clock_text(created_at), "received_at": clock_text(received_at),
            "rows": [{"index": i, "code": r.code, "applicant": r.applicant, "procedure": r.procedure,
                      "papers": r.papers, "due_at": short_text(r.due_at), "note": r.note}
                     for i, r in enumerate(rows, 1)],
            "signatures": [signature("Người giao", handed_by), signature("Người nhận", received_by)]}
