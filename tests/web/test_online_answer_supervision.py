"""The 8-working-hour rule counted in supervision, and the two "released" moments in the reports."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from engine.dossier.lifecycle import get_dossier
from tests.applicant_helpers import Applicant
from tests.pdfs import pdf_text
from tests.procedures.drive import step


def _cells(workbook_bytes: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(workbook_bytes))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def test_online_submissions_answered_late_or_not_at_all_are_counted_listed_and_reported(app, browser, session, clock):
    clock.set(2026, 3, 6, 14)  # Friday 14:00: the desk must answer by Monday 9/3 14:00
    prompt, answered_late, waiting = (Applicant(app, email=f"{n}@example.vn").submit_birth()
                                      for n in ("an", "binh", "chi"))
    clock.set(2026, 3, 9, 10)
    step(session, clock, get_dossier(session, prompt), "Task_Intake", "receive")          # in time
    clock.set(2026, 3, 9, 15)
    step(session, clock, get_dossier(session, answered_late), "Task_Intake", "receive")   # an hour late
    clock.set(2026, 3, 10, 9)                                                              # `waiting` still waits
    supervisor = browser("supervisor1")
    page = supervisor.get("/supervision?unit=H26&quarter=2026-Q1").get_data(as_text=True)
    assert 'data-metric="online_answer_late"' in page and "quá 8 giờ làm việc" in page
    card = page.split('data-metric="online_answer_late"', 1)[1][:300]
    assert ">2<" in card
    listing = supervisor.get("/supervision/list/online_answer_late?unit=H26&quarter=2026-Q1").get_data(as_text=True)
    assert answered_late in listing and waiting in listing and prompt not in listing
    sheets = _cells(supervisor.get("/supervision/report.xlsx?unit=H26&quarter=2026-Q1").data)
    summary = dict((row[0], row[1]) for row in sheets["Tổng hợp"] if row and row[0])
    assert summary["Trực tuyến xử lý chậm quá 8 giờ làm việc"] == 2
    late = {row[0]: row for row in sheets["Trực tuyến quá 8 giờ"][1:] if row and row[0]}
    assert set(late) & {prompt, answered_late, waiting} == {answered_late, waiting}
    assert late[waiting][-1] == "Chưa xử lý"
    text = pdf_text(supervisor.get("/supervision/report.pdf?unit=H26&quarter=2026-Q1").data)
    assert "8 giờ làm việc" in text and waiting in text


def test_the_reports_show_the_processing_end_and_the_hand_over_apart(app, browser, session, clock):
    from tests.procedures.drive import new_dossier

    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")            # due 23/03/2026 09:00
    clock.set(2026, 3, 24, 10)
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    step(session, clock, dossier, "Task_Consult", "consult")
    step(session, clock, dossier, "Task_Approve", "approve")           # processing ends late: 24/03 10:00
    clock.set(2026, 3, 26, 9)
    step(session, clock, dossier, "Task_Return", "return")             # handed over 26/03 09:00
    session.refresh(dossier)
    assert dossier.lateness == "late"
    supervisor = browser("supervisor1")
    listing = supervisor.get("/supervision/list/late?unit=H26&quarter=2026-Q1").get_data(as_text=True)
    assert "Kết thúc xử lý" in listing and "Trả kết quả" in listing
    row = listing.split(dossier.code, 1)[1]
    assert row.index("10:00 24/03/2026") < row.index("09:00 26/03/2026")
    sheets = _cells(supervisor.get("/supervision/report.xlsx?unit=H26&quarter=2026-Q1").data)
    late = sheets["Hồ sơ quá hạn"]
    headings = next(r for r in late if r and "Mã hồ sơ" in r)
    line = next(r for r in late if r and r[0] == dossier.code)
    released, returned = (line[headings.index(h)] for h in ("Kết thúc xử lý (có kết quả)", "Trả kết quả cho người nộp"))
    assert (released.day, released.hour, returned.day, returned.hour) == (24, 10, 26, 9)
    desk = browser("desk1")
    book = _cells(desk.get("/units/H26.70/tracking-book.xlsx?from=2026-03-01&to=2026-03-31").data)
    rows = next(iter(book.values()))
    headings = next(r for r in rows if r and "STT" in r)
    line = next(r for r in rows if r and dossier.code in r)
    assert "Ngày, giờ có kết quả (kết thúc xử lý)" in headings
    assert line[headings.index("Ngày, giờ có kết quả (kết thúc xử lý)")] != line[headings.index(
        "Ngày, giờ trả kết quả cho người nộp")]
