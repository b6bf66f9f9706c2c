"""In Chromium: an admin declares a day off and applies it to the appointments already issued (each dossier
gets form 04, opened from the message); a supervisor sees the online submissions the desk answered late.
Fails on any 5xx or console error. Screenshots under test-artifacts/screenshots/."""
from __future__ import annotations

from tests.applicant_helpers import Applicant
from tests.browser.watch import Watch, log_in
from tests.procedures.drive import new_dossier, step


def test_a_day_off_moves_issued_appointments_with_form_04_and_late_answers_show_in_supervision(
        chromium, live_server, app, session, clock, screenshot):
    base, watch = live_server, Watch()
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")  # due 23/03/2026 09:00
    clock.set(2026, 3, 6, 14)
    waiting = Applicant(app).submit_birth()  # the desk never answers it
    clock.set(2026, 3, 10, 9)

    admin = log_in(chromium, base, "admin1", watch)
    admin.goto(f"{base}/admin/calendar?year=2026&unit=H26.70")
    admin.fill("#day", "2026-03-16")
    admin.select_option("#kind", "off")
    admin.fill("#note", "Nghỉ theo thông báo của Thành phố")
    admin.check("#issued-extend")
    screenshot(admin, "calendar-01-apply-to-issued")
    admin.click("form:has(#issued-extend) button[type=submit]")
    message = admin.inner_text(".alert-success")
    assert "Đã gia hạn 1 hồ sơ" in message and dossier.code in message and "24/03/2026" in message
    screenshot(admin, "calendar-02-extended")
    desk = log_in(chromium, base, "desk1", watch)  # the desk prints form 04 from the dossier
    desk.goto(f"{base}/dossiers/{dossier.code}/forms/04")
    text = desk.inner_text("body")
    assert "xin lỗi" in text.lower() and "24/03/2026" in text
    screenshot(desk, "calendar-03-form-04")

    supervisor = log_in(chromium, base, "supervisor1", watch)
    supervisor.goto(f"{base}/supervision?unit=H26&quarter=2026-Q1")
    assert supervisor.inner_text("[data-metric=online_answer_late]").strip() == "1"
    screenshot(supervisor, "supervision-01-online-answer-card")
    supervisor.click("[data-metric=online_answer_late] a")
    assert waiting in supervisor.inner_text("main")
    screenshot(supervisor, "supervision-02-online-answer-list")
    watch.check()
