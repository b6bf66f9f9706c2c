"""A ward's working day in Chromium, every official in turn, failing on any 5xx or console error (CSP too):

the desk checks the ID, receives one dossier and refuses another at the counter; the specialist
appraises; the leader reads the proposal, tries to send back without a note, sends back with one; the
specialist appraises again; the leader approves; the desk returns the result; the leader extends a
building permit with an apology (form 04); the supervisor opens the dashboard, a list and the reports,
and the public opens the unit's indicators. Screenshots under test-artifacts/screenshots/.
"""
from __future__ import annotations

import re

from tests.browser.watch import Watch, log_in
from tests.procedures.drive import APPLICANT
from tests.web.test_desk_pages import required_documents


def open_step(page, code: str) -> None:
    page.click(f"tr:has-text('{code}') >> text=Xử lý")
    page.wait_for_url(re.compile(r".*/tasks/\d+$"))
    page.wait_for_load_state("load")
    page.wait_for_selector("form[data-visibility-url][data-visibility-ready='1'] button[type=submit]:has-text('Hoàn thành')")


def complete(page, base: str, said: str = "Đã hoàn thành") -> None:
    page.click("button[type=submit]:has-text('Hoàn thành')")
    page.wait_for_url(f"{base}/worklist")
    assert said in page.inner_text(".alert-success")


def receive(desk, base: str, procedure: str, decision: str = "receive", reason: str = "") -> str:
    desk.goto(f"{base}/desk/new/{procedure}")
    desk.fill("#name", APPLICANT["name"])
    desk.fill("#id_number", APPLICANT["id_number"])
    desk.click("button:has-text('Đối chiếu CSDL quốc gia về dân cư')")
    desk.wait_for_selector("[data-identity=match]")
    desk.fill("#phone", APPLICANT["phone"])
    if decision == "receive":
        for index in required_documents(procedure):
            desk.check(f"#doc_{index}")
    else:
        desk.check(f"#decision_{decision}")
        desk.fill("#refuse_reason", reason)
    desk.click("button:has-text('Ghi nhận')")
    desk.wait_for_load_state()
    if desk.query_selector("[data-warning=duplicate]"):  # the same applicant has an open dossier of this procedure
        desk.check("#confirm_duplicate")
        desk.click("button:has-text('Ghi nhận')")
    desk.wait_for_url(re.compile(r".*/(desk/receipt|forms)/.*"))
    return re.search(r"H26\.70-\d{6}-\d{4}", desk.url).group(0)


def test_a_wards_working_day(chromium, live_server, app, screenshot):
    base = live_server
    app.config["POPULATION_URL"] = f"{base}/simulators/population"
    watch = Watch()

    desk = log_in(chromium, base, "desk1", watch)
    code = receive(desk, base, "1.001193")
    screenshot(desk, "day-01-receipt")
    refused = receive(desk, base, "1.001193", "refuse", "Hồ sơ không thuộc thẩm quyền của phường")
    screenshot(desk, "day-02-refusal-form-03")
    permit = receive(desk, base, "1.013225")
    desk.goto(f"{base}/desk/in-progress")
    assert code in desk.inner_text("main") and refused not in desk.inner_text("main")
    screenshot(desk, "day-03-desk-in-progress")

    specialist = log_in(chromium, base, "specialist1", watch)
    assert code in specialist.inner_text("table")
    screenshot(specialist, "day-04-specialist-worklist")
    open_step(specialist, code)
    specialist.check("input[name=appraisal_decision][value=propose_approve]")
    specialist.fill("textarea[name=appraisal_opinion]", "Hồ sơ đầy đủ, hợp lệ; đề nghị phê duyệt.")
    complete(specialist, base)

    leader = log_in(chromium, base, "leader1", watch)
    open_step(leader, code)
    assert "Đề xuất của chuyên viên: Đề xuất phê duyệt" in leader.inner_text("[data-proposal]")
    leader.check("input[name=approval_decision][value=send_back]")
    leader.click("button[type=submit]:has-text('Hoàn thành')")
    leader.wait_for_selector(".invalid-feedback, .alert-danger")
    assert "ý kiến chỉ đạo" in leader.inner_text("main").lower()
    screenshot(leader, "day-05-send-back-needs-a-note")
    leader.check("input[name=approval_decision][value=send_back]")
    leader.fill("textarea[name=approval_note]", "Đối chiếu lại giấy chứng sinh với bản chính.")
    complete(leader, base, said="để thẩm định lại")  # sent back, not "completed"

    specialist.goto(f"{base}/worklist?tab=sent_back")
    assert code in specialist.inner_text("table")
    screenshot(specialist, "day-06-sent-back-tab")
    open_step(specialist, code)
    specialist.check("input[name=appraisal_decision][value=propose_approve]")
    specialist.fill("textarea[name=appraisal_opinion]", "Đã đối chiếu bản chính; đề nghị phê duyệt.")
    complete(specialist, base)

    leader.goto(f"{base}/worklist")
    open_step(leader, code)
    screenshot(leader, "day-07-approval-with-proposal")
    leader.check("input[name=approval_decision][value=approve]")
    complete(leader, base)

    desk.goto(f"{base}/worklist")
    open_step(desk, code)
    desk.check("input[name=return_method][value=desk]")
    desk.fill("input[name=receiver_name]", APPLICANT["name"])
    complete(desk, base)
    desk.goto(f"{base}/dossiers/{code}")
    history = desk.inner_text("main")
    assert "Đã trả kết quả" in history and "Trả tại Bộ phận Một cửa" in history
    assert not re.search(r"\b(dossier|task)\.[a-z_]+", history)
    screenshot(desk, "day-08-dossier-returned")

    leader.goto(f"{base}/dossiers/{permit}")
    leader.click("text=Gia hạn, xin lỗi và hẹn lại (mẫu 04)")
    leader.fill("#reason", "Chờ ý kiến của Sở Xây dựng")
    leader.fill("#new_due_at", "2026-06-30")
    leader.click("button:has-text('Gia hạn và in phiếu (mẫu 04)')")
    leader.wait_for_url(re.compile(r".*/forms/04.*"))
    assert "Chờ ý kiến của Sở Xây dựng" in leader.inner_text("body")
    screenshot(leader, "day-09-form-04")

    supervisor = log_in(chromium, base, "supervisor1", watch)
    for unit in ("H26.70", "H26"):
        supervisor.goto(f"{base}/supervision?unit={unit}&quarter=2026-Q1")
        assert "Từ chối tiếp nhận" in supervisor.inner_text("main")
    screenshot(supervisor, "day-10-supervision-city")
    supervisor.goto(f"{base}/supervision/list/refused_at_intake?unit=H26.70&quarter=2026-Q1")
    assert refused in supervisor.inner_text("main")
    for fmt in ("xlsx", "pdf"):
        assert supervisor.request.get(f"{base}/supervision/report.{fmt}?unit=H26&quarter=2026-Q1").status == 200
    public = watch.attach(chromium.new_context(locale="vi-VN").new_page())
    public.goto(f"{base}/chi-so/H26.70?quarter=2026-Q1")
    assert "Từ chối tiếp nhận" in public.inner_text("main")
    watch.check()
