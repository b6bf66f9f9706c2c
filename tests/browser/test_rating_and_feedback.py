"""On a phone (390 px): the citizen rates a returned dossier on the survey's six criteria, sends a complaint
about it, the ward's one-stop desk answers, and the citizen reads the answer."""
from __future__ import annotations

from engine.applicants.satisfaction import CRITERIA
from engine.dossier.lifecycle import get_dossier
from tests.applicant_helpers import Applicant
from tests.browser.test_phone import WIDER_THAN_THE_SCREEN, citizen_on_phone, official_on_phone
from tests.procedures.drive import step


def test_a_citizen_on_a_phone_rates_complains_and_reads_the_units_answer(
        chromium, live_server, screenshot, app, session, clock):
    code = Applicant(app, "danh-gia@example.vn").submit_birth()
    dossier = get_dossier(session, code)
    for element, data in (("Task_Intake", "receive"), ("Task_Appraise", "propose_approve"),
                          ("Task_Approve", "approve"), ("Task_Return", "return")):
        step(session, clock, dossier, element, data)

    page = citizen_on_phone(chromium, live_server, "danh-gia@example.vn")
    page.goto(f"{live_server}/cong-dan/ho-so/{code}")
    for key, level in zip(CRITERIA, (5, 4, 5, 4, 5, 3), strict=True):
        page.click(f"label[for=score_{key}_{level}]")
    page.fill("#comment", "Cán bộ hướng dẫn tận tình")
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    screenshot(page, "trust-01-rating-six-criteria")
    page.click("#rating button[type=submit]")
    page.wait_for_selector("[data-field=rating-scores]")
    assert "3/5 (Bình thường)" in page.inner_text("#rating")

    page.click("#feedback-link")
    page.wait_for_url(f"{live_server}/cong-dan/phan-anh-kien-nghi*")
    assert page.input_value("#dossier") == code
    page.check("#kind_kien_nghi")
    page.fill("#content", "Xin gửi thêm bản điện tử của giấy khai sinh qua thư điện tử")
    page.click("#new-feedback button[type=submit]")
    page.wait_for_selector("text=Đang chờ trả lời")
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    screenshot(page, "trust-02-feedback-sent")

    desk = official_on_phone(chromium, live_server, "desk1")
    desk.goto(f"{live_server}/feedback")
    desk.fill("textarea[name=answer]", "Bản điện tử đã có tại mục Kết quả điện tử của hồ sơ.")
    assert not desk.evaluate(WIDER_THAN_THE_SCREEN)
    screenshot(desk, "trust-03-desk-answers")
    desk.click("[data-feedback] button[type=submit]")
    desk.wait_for_selector("text=Đã trả lời phản ánh, kiến nghị.")

    page.reload()
    page.wait_for_selector("[data-field=answer]")
    assert "mục Kết quả điện tử" in page.inner_text("[data-field=answer]")
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    screenshot(page, "trust-04-answer-shown")
