"""The citizen's whole journey on a phone (390 px), in one browser: finds the birth registration, reads its page and
downloads the blank tờ khai, signs in, fills the form with a mistake (the accepted file is kept), saves a draft,
resumes it, reviews, fixes a typo with "Sửa lại" without retyping, consents and sends; answers the desk's
supplement request; pays a building permit's fee through the (simulated) gateway; follows the timeline, downloads
the signed Giấy khai sinh and rates the service. Officials' steps go through the engine (tests/procedures/drive.py).
No page is wider than the screen; screenshots under test-artifacts/ (journey-NN-…)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.applicants.satisfaction import CRITERIA
from engine.dossier import lifecycle
from engine.dossier.lifecycle import get_dossier
from engine.models import ApplicantAccount, ApplicantDossier
from engine.printing.issuance import ResultIssuer
from tests.applicant_helpers import BIRTH, BIRTH_FORM, PDF, Applicant
from tests.browser.filling import fill_fields
from tests.browser.test_phone import WIDER_THAN_THE_SCREEN, phone_page
from tests.issuance import sign_results
from tests.procedures.drive import DATA, new_dossier, ready_tasks, step, user
from webapp.adapters import adapters_of

EMAIL = "hanh-trinh@example.vn"


@pytest.mark.slow
def test_a_citizen_on_a_phone_goes_from_the_catalogue_to_a_rated_signed_result(
        app, session, clock, chromium, live_server, screenshot, tmp_path):
    base = live_server
    app.config.update(PAYMENT_GATEWAY_URL=f"{base}/simulators/payment", PUBLIC_URL=base)
    Applicant(app, EMAIL)  # registered earlier (registration has its own tests)
    page = phone_page(chromium)
    shot = 0

    def look(name: str) -> None:
        nonlocal shot
        assert not page.evaluate(WIDER_THAN_THE_SCREEN), f"{name}: wider than the screen at {page.url}"
        shot += 1
        screenshot(page, f"journey-{shot:02d}-{name}")

    # finds the procedure, reads it, downloads the blank form
    page.goto(f"{base}/thu-tuc")
    page.fill("input[name=q]", "khai sinh")
    page.keyboard.press("Enter")
    page.click("a:has-text('Đăng ký khai sinh')")
    page.wait_for_url(f"{base}/thu-tuc/{BIRTH}")
    assert page.locator("[data-field=steps] li").count() >= 3 and "Luật Hộ tịch" in page.inner_text("main")
    look("procedure")
    with page.expect_download() as caught:
        page.click("[data-template]")
    assert caught.value.suggested_filename.endswith(".pdf")

    # signs in on the way to the form
    page.click("text=Nộp hồ sơ trực tuyến")
    page.wait_for_url(f"{base}/cong-dan/dang-nhap**")
    look("sign-in")
    page.fill("[name=email]", EMAIL)
    page.fill("[name=password]", "matkhau123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/cong-dan/nop/{BIRTH}")

    # a mistake: the birth date in the future; the uploaded certificate is kept
    page.select_option("#unit", "H26.70")
    fill_fields(page, {**BIRTH_FORM, "child_birth_date": "2027-05-01"})
    assert page.locator("#doc_0").count() == 0  # the tờ khai is the form itself
    scan = tmp_path / "giay-chung-sinh.pdf"
    scan.write_bytes(PDF)
    page.set_input_files("#doc_1", str(scan))
    look("form")
    page.click("button:has-text('Xem lại hồ sơ')")
    page.wait_for_selector("#error-summary")
    assert page.locator("[data-kept=doc_1]").count() == 1
    look("mistake-file-kept")

    # saves a draft, finds it in "Hồ sơ của tôi", resumes it
    page.click("#save-draft")
    page.wait_for_url(f"{base}/cong-dan/ho-so")
    assert page.locator(f"[data-draft='{BIRTH}']").count() == 1
    look("draft-listed")
    page.click(f"[data-draft='{BIRTH}'] a:has-text('Tiếp tục')")
    page.wait_for_selector("#draft-note")
    assert page.input_value("[name=child_full_name]") == BIRTH_FORM["child_full_name"]
    page.fill("[name=child_birth_date]", BIRTH_FORM["child_birth_date"])
    page.fill("[name=child_full_name]", "Phạm Minh Ann")  # a typo, seen on the review page
    page.click("button:has-text('Xem lại hồ sơ')")
    page.wait_for_selector("text=Xem lại hồ sơ trước khi gửi")
    assert "Phạm Minh Ann" in page.inner_text("main") and "giay-chung-sinh.pdf" in page.inner_text("main")
    look("review-with-typo")

    # Sửa lại: everything is still there, only the typo is retyped
    page.click("a:has-text('Sửa lại')")
    page.wait_for_selector("[data-kept=doc_1]")
    assert page.input_value("[name=mother_full_name]") == BIRTH_FORM["mother_full_name"]
    page.fill("[name=child_full_name]", BIRTH_FORM["child_full_name"])
    look("edit-kept")
    page.click("button:has-text('Xem lại hồ sơ')")
    page.wait_for_selector("#consent")
    page.check("#consent")
    look("review-consent")
    page.click("button:has-text('Gửi hồ sơ')")
    page.wait_for_selector("[data-field=confirmation]")
    code = page.inner_text("h1 [data-field=code]")
    look("sent")

    # the desk asks for a supplement; the citizen answers it from the dossier page
    clock.advance(minutes=30)  # the steps at different times, so that the timeline reads in order
    dossier = get_dossier(session, code)
    step(session, clock, dossier, "Task_Intake", "intake_supplement")
    clock.advance(minutes=30)
    page.goto(f"{base}/cong-dan/ho-so/{code}")
    page.wait_for_selector("#supplement")
    look("supplement-asked")
    extra = tmp_path / "ban-sao-giay-chung-sinh.pdf"
    extra.write_bytes(PDF)
    page.set_input_files("#supplement input[type=file]", str(extra))
    page.fill("#note", "Gửi bản sao giấy chứng sinh")
    page.click("#supplement button:has-text('Nộp bổ sung')")
    page.wait_for_load_state()
    look("supplement-sent")
    session.expire_all()
    for element, data in (("Task_Intake", "receive"),  # the online supplement completed the waiting step
                          ("Task_Appraise", "propose_approve")):
        clock.advance(minutes=30)
        step(session, clock, get_dossier(session, code), element, data)
    clock.advance(minutes=30)
    [approval] = ready_tasks(session, get_dossier(session, code))  # the leader approves: numbered and signed
    issuer = ResultIssuer(adapters_of(app).signer, app.config["STORAGE_DIR"], base)
    lifecycle.complete_task(session, approval.id, user(session, "leader1"), DATA["approve"], clock(), issue=issuer)
    session.commit()
    assert sign_results(app) == 1  # what `motcua scheduler` does seconds after the approval

    # a fee: the same citizen's building permit waits for its fee, paid through the gateway
    permit = new_dossier(session, clock, "permit")
    account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == EMAIL))
    session.add(ApplicantDossier(dossier_id=permit.id, account_id=account.id))
    step(session, clock, permit, "Task_Intake", "receive")
    step(session, clock, permit, "Task_Appraise", "propose_approve")
    page.goto(f"{base}/cong-dan/ho-so/{permit.code}")
    look("fee-awaited")
    page.click("button:has-text('Nộp phí trực tuyến')")
    page.wait_for_selector("[data-field=amount]")
    look("gateway")
    page.click("button:has-text('Thanh toán')")
    page.wait_for_selector("[data-result=paid]")
    look("paid")

    # the timeline, the signed result, the return, the rating
    page.goto(f"{base}/cong-dan/ho-so/{code}")
    assert page.locator("[data-field=timeline] li").count() >= 5
    look("timeline-with-result")
    with page.expect_download() as caught:
        page.click("#results a")
    signed = tmp_path / "ket-qua.pdf"
    caught.value.save_as(signed)
    assert signed.read_bytes().startswith(b"%PDF-")
    clock.advance(minutes=30)
    step(session, clock, get_dossier(session, code), "Task_Return", "return")
    page.reload()
    page.wait_for_selector("#rating")
    for key in CRITERIA:
        page.click(f"label[for=score_{key}_5]")
    page.click("#rating button[type=submit]")
    page.wait_for_selector("[data-field=rating-scores]")
    look("rated")
