"""The case file's result, played in Chromium: a citizen's online birth registration is received, appraised
with a look at the draft certificate, approved into a numbered, signed Giấy khai sinh that the citizen downloads
from "Hồ sơ của tôi" and that /xac-thuc verifies (and an altered copy it refuses)."""
from __future__ import annotations

import re

from tests.applicant_helpers import BIRTH_FORM, PDF
from tests.browser.test_dossier_walk import complete, log_in, open_step


def submit_online(chromium, base: str, tmp_path):
    citizen = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900},
                                   accept_downloads=True).new_page()
    citizen.goto(f"{base}/cong-dan/dang-ky")
    citizen.fill("#full_name", "Phạm Minh Đức")
    citizen.fill("#email", "duc@example.vn")
    citizen.fill("#password", "matkhau123")
    citizen.check("#consent")
    citizen.click("button[type=submit]:has-text('Đăng ký')")
    citizen.wait_for_url(f"{base}/cong-dan/ho-so")
    citizen.goto(f"{base}/cong-dan/nop/1.001193")
    citizen.select_option("#unit", "H26.70")
    for key, value in BIRTH_FORM.items():
        field = citizen.locator(f"[name={key}]")
        if field.first.get_attribute("type") == "radio":
            citizen.check(f"input[name={key}][value={value}]")
        elif field.first.evaluate("e => e.tagName") == "SELECT":
            citizen.select_option(f"[name={key}]", value)
        else:
            citizen.fill(f"[name={key}]", value)
    for index in (0, 1):
        scan = tmp_path / f"giay-{index}.pdf"
        scan.write_bytes(PDF)
        citizen.set_input_files(f"#doc_{index}", str(scan))
    citizen.click("button:has-text('Xem lại hồ sơ')")
    citizen.click("button:has-text('Gửi hồ sơ')")
    citizen.wait_for_selector("[data-field=confirmation]")
    return citizen, citizen.inner_text("h1 [data-field=code]")


def test_a_birth_registration_ends_in_a_signed_certificate_the_citizen_downloads_and_verifies(
        chromium, live_server, screenshot, tmp_path):
    base = live_server
    citizen, code = submit_online(chromium, base, tmp_path)

    desk = log_in(chromium, base, "desk1")
    desk.goto(f"{base}/worklist?kind=intake")
    open_step(desk, code)
    desk.check("input[name=intake_decision][value=receive]")
    desk.click("button[type=submit]:has-text('Hoàn thành')")
    desk.wait_for_url(re.compile(r".*/forms/01.*"))

    specialist = log_in(chromium, base, "specialist1")
    open_step(specialist, code)
    assert "Xem trước dự thảo" in specialist.inner_text("[data-result-card]")
    screenshot(specialist, "result-01-appraisal")
    draft = specialist.context.new_page()
    draft.goto(f"{base}/dossiers/{code}/result-draft")
    assert "DỰ THẢO" in draft.inner_text("article") and "PHẠM MINH AN" in draft.inner_text("article")
    screenshot(draft, "result-02-draft")
    draft.close()  # the preview's page is done with: the specialist goes back to the step
    specialist.check("input[name=appraisal_decision][value=propose_approve]")
    specialist.fill("[name=appraisal_opinion]", "Hồ sơ đầy đủ, hợp lệ; đề nghị cấp Giấy khai sinh.")
    complete(specialist, base)

    leader = log_in(chromium, base, "leader1")
    open_step(leader, code)
    leader.check("input[name=approval_decision][value=approve]")
    complete(leader, base)
    leader.goto(f"{base}/dossiers/{code}")
    card = leader.inner_text("[data-result-card]")
    assert re.search(r"Số 001/\d{4}/KS", card) and "Ủy ban nhân dân phường Hoàn Kiếm" in card
    screenshot(leader, "result-03-issued")

    citizen.goto(f"{base}/cong-dan/ho-so/{code}")
    screenshot(citizen, "result-04-my-dossier")
    with citizen.expect_download() as caught:
        citizen.click("a:has-text('Giấy khai sinh số')")
    signed = tmp_path / "giay-khai-sinh.pdf"
    caught.value.save_as(signed)
    assert signed.read_bytes().startswith(b"%PDF-")

    citizen.goto(f"{base}/xac-thuc")
    citizen.set_input_files("#file", str(signed))
    citizen.click("button:has-text('Kiểm tra tệp')")
    outcome = citizen.locator("[data-outcome]")
    assert outcome.get_attribute("data-outcome") == "valid"
    assert "001/" in outcome.inner_text() and "Phạm Minh An" not in citizen.inner_text("main")
    screenshot(citizen, "result-05-verified")

    altered = tmp_path / "giay-khai-sinh-sua.pdf"
    altered.write_bytes(signed.read_bytes().replace(b"/Producer", b"/Produxer", 1))
    citizen.set_input_files("#file", str(altered))
    citizen.click("button:has-text('Kiểm tra tệp')")
    assert citizen.locator("[data-outcome]").get_attribute("data-outcome") == "altered"
    screenshot(citizen, "result-06-altered")
