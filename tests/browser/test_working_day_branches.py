"""The branches of a working day that tests/browser/test_working_day.py does not play, in Chromium, as each
demo official: a supplement at intake and during appraisal, a refusal proposed and decided, a stop (form 05),
a building permit with its fee paid at the desk and the construction department consulted, and results
returned electronically and by post. Every page's links are followed as its viewer; the test fails on any
5xx, any console error (CSP too) and any link that leads its viewer to 403. Screenshots under
test-artifacts/screenshots/ (branch-*)."""
from __future__ import annotations

import re

import pytest

from tests.browser.test_working_day import complete, open_step, receive
from tests.browser.watch import Watch, log_in
from tests.procedures.drive import APPLICANT
from tests.web.test_desk_pages import required_documents

pytestmark = pytest.mark.slow


def step(page, base: str, code: str, watch: Watch, *, check=(), fill=None, lands: str = "") -> None:
    """Open the dossier's step from the worklist, tick/choose `check`, fill `fill`, complete it (and land on
    the worklist, or on the page `lands` matches: receiving at the step gives the receipt, form 01)."""
    page.goto(f"{base}/worklist")
    watch.links(page)
    open_step(page, code)
    watch.links(page)
    for selector in check:
        page.check(selector)
    for selector, value in (fill or {}).items():
        page.fill(selector, value)
    try:
        if lands:
            page.click("button[type=submit]:has-text('Hoàn thành')")
            page.wait_for_url(re.compile(lands))
        else:
            complete(page, base)
    except Exception as err:  # say what the page said, not only that the worklist did not come
        shown = page.inner_text("main") if page.query_selector("main") else page.content()
        raise AssertionError(f"{code} at {page.url}: {shown[:800]}") from err


def dossier_text(page, base: str, code: str, watch: Watch) -> str:
    page.goto(f"{base}/dossiers/{code}")
    watch.links(page)
    text = page.inner_text("main")
    assert not re.search(r"\b(dossier|task|handover)\.[a-z_]+", text), "a raw event code on the dossier page"
    return text


def test_the_branches_of_a_working_day(chromium, live_server, app, screenshot):
    base = live_server
    app.config["POPULATION_URL"] = f"{base}/simulators/population"
    watch = Watch()
    desk = log_in(chromium, base, "desk1", watch)
    specialist = log_in(chromium, base, "specialist1", watch)
    leader = log_in(chromium, base, "leader1", watch)
    consult = log_in(chromium, base, "consult1", watch)

    # 1. Supplement at intake: form 02 at the counter; the papers come; the desk receives.
    desk.goto(f"{base}/desk/new/1.001193")
    desk.fill("#name", APPLICANT["name"])
    desk.fill("#id_number", APPLICANT["id_number"])
    desk.click("button:has-text('Đối chiếu CSDL quốc gia về dân cư')")
    desk.wait_for_selector("[data-identity=match]")
    desk.check("#decision_supplement")
    desk.fill("#supplement_items", "Bản sao Giấy chứng sinh")
    desk.click("button:has-text('Ghi nhận')")
    desk.wait_for_url(re.compile(r".*/forms/02.*"))
    birth = re.search(r"H26\.70-\d{6}-\d{4}", desk.url).group(0)
    assert "Bản sao Giấy chứng sinh" in desk.inner_text("article")
    screenshot(desk, "branch-01-supplement-at-intake-form-02")
    step(desk, base, birth, watch, check=["input[name=supplement_received]"],
         fill={"textarea[name=supplement_note]": "Đã nhận bản sao Giấy chứng sinh"})
    desk.goto(f"{base}/worklist")  # the papers now in are ticked first: receiving needs every required one
    open_step(desk, birth)
    desk.click("input[name=intake_decision][value=receive]")
    desk.click("button[type=submit]:has-text('Hoàn thành')")
    assert "chưa đủ thành phần bắt buộc" in desk.inner_text(".alert-danger")
    for index in required_documents("1.001193"):
        desk.check(f"#cl_doc_{index}")
    desk.click("button:has-text('Lưu thành phần đã nhận')")
    desk.wait_for_selector(".alert-success")
    step(desk, base, birth, watch, check=["input[name=intake_decision][value=receive]"], lands=r".*/forms/01.*")
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in desk.inner_text("article")  # the receipt, once the papers are in

    # 2. Supplement during appraisal, then a refusal proposed and decided; the result goes electronically.
    step(specialist, base, birth, watch, check=["input[name=appraisal_decision][value=supplement]"],
         fill={"textarea[name=appraisal_opinion]": "Cần bản chính để đối chiếu",
               "textarea[name=supplement_items]": "Bản chính Giấy chứng sinh"})
    assert "Chờ bổ sung hồ sơ" in dossier_text(desk, base, birth, watch)
    screenshot(desk, "branch-02-supplement-during-appraisal")
    step(desk, base, birth, watch, check=["input[name=supplement_received]"])
    step(specialist, base, birth, watch, check=["input[name=appraisal_decision][value=propose_refuse]"],
         fill={"textarea[name=appraisal_opinion]": "Giấy chứng sinh không hợp lệ",
               "textarea[name=refuse_reason]": "Giấy chứng sinh không do cơ sở y tế cấp"})
    step(leader, base, birth, watch, check=["input[name=approval_decision][value=refuse]"],
         fill={"textarea[name=refuse_reason]": "Giấy chứng sinh không do cơ sở y tế cấp"})
    step(desk, base, birth, watch, check=["input[name=return_method][value=electronic]"],
         fill={"input[name=receiver_name]": APPLICANT["name"]})
    text = dossier_text(desk, base, birth, watch)
    assert "Đã trả kết quả" in text and "Trả kết quả điện tử" in text
    screenshot(desk, "branch-03-refused-returned-electronically")

    # 3. A building permit: the fee paid at the desk, the construction department consulted, the result by post.
    permit = receive(desk, base, "1.013225")
    step(specialist, base, permit, watch, check=["input[name=appraisal_decision][value=propose_approve]"],
         fill={"textarea[name=appraisal_opinion]": "Đủ điều kiện cấp phép"})
    step(desk, base, permit, watch, fill={"input[name=receipt_number]": "BL-2026-000123"})
    consult.goto(f"{base}/worklist")
    screenshot(consult, "branch-04-consultation-worklist")
    step(consult, base, permit, watch, check=["input[name=consult_opinion][value=agree]"],
         fill={"textarea[name=consult_note]": "Thống nhất với đề xuất"})
    step(leader, base, permit, watch, check=["input[name=approval_decision][value=approve]"])
    desk.goto(f"{base}/worklist")
    open_step(desk, permit)
    desk.check("input[name=return_method][value=post]")
    desk.fill("input[name=receiver_name]", APPLICANT["name"])
    desk.fill("input[name=postal_address]", APPLICANT["address"])
    screenshot(desk, "branch-05-return-by-post")
    complete(desk, base)
    text = dossier_text(desk, base, permit, watch)
    assert "Trả qua dịch vụ bưu chính" in text and "BL-2026-000123" in text
    assert "Thống nhất với đề xuất" in text
    desk.goto(f"{base}/postal")
    watch.links(desk)
    assert permit in desk.inner_text("main")

    # 4. A stop (form 05) by the leader for a dossier received at the counter.
    stopped = receive(desk, base, "1.001193")
    leader.goto(f"{base}/dossiers/{stopped}")
    watch.links(leader)
    leader.click("text=Dừng xử lý hồ sơ (mẫu 05)")
    leader.click("button:has-text('Dừng xử lý và in phiếu (mẫu 05)')")  # no reason: said, nothing written
    leader.wait_for_selector(".invalid-feedback, .alert-danger")
    leader.fill("#reason", "Người nộp đề nghị dừng để bổ sung giấy tờ khác")
    leader.click("button:has-text('Dừng xử lý và in phiếu (mẫu 05)')")
    leader.wait_for_url(re.compile(r".*/forms/05.*"))
    assert "Người nộp đề nghị dừng" in leader.inner_text("article")
    screenshot(leader, "branch-06-stop-form-05")
    assert "Dừng xử lý" in dossier_text(desk, base, stopped, watch)

    for page in (desk, specialist, leader, consult):
        page.goto(f"{base}/worklist")
        watch.links(page)
    supervisor = log_in(chromium, base, "supervisor1", watch)
    supervisor.goto(f"{base}/dossiers/{permit}")
    watch.links(supervisor)
    watch.check()
