"""The case file's journey in Chromium ("Done when" of issue #18): a birth registration received at the
counter with its declaration typed and two scans; the specialist reads the declaration and previews the
draft certificate; the desk corrects the declaration (an event with its trail); the leader reads it and
approves into a numbered, signed Giấy khai sinh; the parent, whose account has the ID number and email the
desk wrote down, finds the counter dossier in "Hồ sơ của tôi", downloads the signed file, sees it in the
document store, and /xac-thuc verifies it (and flags an altered copy)."""
from __future__ import annotations

import re

import pytest

from tests.browser.counter import fill_birth_registration
from tests.browser.test_dossier_walk import complete, log_in, open_step
from tests.procedures.drive import APPLICANT

pytestmark = pytest.mark.slow


def counter(chromium, base: str, screenshot, tmp_path) -> tuple[object, str]:
    desk = log_in(chromium, base, "desk1")
    fill_birth_registration(desk, base, tmp_path)
    screenshot(desk, "case-01-counter-declaration")
    desk.click("button:has-text('Ghi nhận')")
    desk.wait_for_url(re.compile(r".*/desk/receipt/.*"))
    return desk, desk.inner_text("[data-field=code]")


def test_a_counter_birth_registration_ends_in_a_signed_certificate_the_parent_downloads_and_verifies(
        chromium, live_server, screenshot, tmp_path):
    base = live_server
    desk, code = counter(chromium, base, screenshot, tmp_path)

    specialist = log_in(chromium, base, "specialist1")
    open_step(specialist, code)
    card = specialist.inner_text("[data-card=declaration]")
    assert "Nguyễn Thị Bình An" in card and "20/02/2026" in card and "Nữ" in card and "Mẹ" in card
    assert specialist.locator("[data-card=documents] details[data-document]").count() == 2
    assert "Xem trước dự thảo" in specialist.inner_text("[data-result-card]")
    screenshot(specialist, "case-02-specialist-step")
    draft = specialist.context.new_page()
    draft.goto(f"{base}/dossiers/{code}/result-draft")
    assert "DỰ THẢO" in draft.inner_text("article") and "NGUYỄN THỊ BÌNH AN" in draft.inner_text("article")
    screenshot(draft, "case-03-draft")
    draft.close()
    specialist.check("input[name=appraisal_decision][value=propose_approve]")
    specialist.fill("textarea[name=appraisal_opinion]", "Tờ khai khớp giấy chứng sinh; đề nghị phê duyệt.")
    complete(specialist, base)

    desk.goto(f"{base}/dossiers/{code}/declaration")
    desk.fill("[name='data.child_birth_place']", "Trạm y tế phường Hàng Bạc")
    desk.click("button:has-text('Lưu tờ khai')")
    desk.wait_for_url(re.compile(rf".*/dossiers/{re.escape(code)}$"))
    assert "Trạm y tế phường Hàng Bạc" in desk.inner_text("[data-card=declaration]")
    assert "Bệnh viện Phụ sản Hà Nội" in desk.inner_text("[data-declaration-changes]")
    screenshot(desk, "case-04-dossier-after-correction")

    leader = log_in(chromium, base, "leader1")
    open_step(leader, code)
    card = leader.inner_text("[data-card=declaration]")
    assert "Nguyễn Thị Bình An" in card and "Trần Thị Mai" in card and "Trạm y tế phường Hàng Bạc" in card
    screenshot(leader, "case-05-leader-step")
    leader.check("input[name=approval_decision][value=approve]")
    complete(leader, base)
    leader.goto(f"{base}/dossiers/{code}")
    card = leader.inner_text("[data-result-card]")
    assert re.search(r"Số 001/\d{4}/KS", card) and "Ủy ban nhân dân phường Hoàn Kiếm" in card
    screenshot(leader, "case-06-issued")

    parent = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True).new_page()
    parent.goto(f"{base}/cong-dan/dang-ky")
    parent.fill("#full_name", APPLICANT["name"])
    parent.fill("#email", APPLICANT["email"])
    parent.fill("#id_number", APPLICANT["id_number"])
    parent.fill("#password", "matkhau123")
    parent.check("#consent")  # Decree 13: consent to the processing of personal data
    parent.click("button[type=submit]:has-text('Đăng ký')")
    parent.wait_for_url(f"{base}/cong-dan/ho-so")
    assert code in parent.inner_text("main")  # received at the counter, now in the parent's account
    parent.click(f"a:has-text('{code}')")
    screenshot(parent, "case-07-my-dossier")
    with parent.expect_download() as caught:
        parent.click("a:has-text('Giấy khai sinh số')")
    signed = tmp_path / "giay-khai-sinh.pdf"
    caught.value.save_as(signed)
    assert signed.read_bytes().startswith(b"%PDF-")

    parent.goto(f"{base}/cong-dan/ho-so")
    parent.click("a:has-text('Kho giấy tờ của tôi')")
    store = parent.inner_text("[data-table=store]")
    assert "Giấy khai sinh" in store and "Đã ký số" in store
    screenshot(parent, "case-08-document-store")

    parent.goto(f"{base}/xac-thuc")
    parent.set_input_files("#file", str(signed))
    parent.click("button:has-text('Kiểm tra tệp')")
    outcome = parent.locator("[data-outcome]")
    assert outcome.get_attribute("data-outcome") == "valid"
    assert "001/" in outcome.inner_text() and "Bình An" not in parent.inner_text("main")
    screenshot(parent, "case-09-verified")

    altered = tmp_path / "giay-khai-sinh-sua.pdf"
    altered.write_bytes(signed.read_bytes().replace(b"/Producer", b"/Produxer", 1))
    parent.set_input_files("#file", str(altered))
    parent.click("button:has-text('Kiểm tra tệp')")
    assert parent.locator("[data-outcome]").get_attribute("data-outcome") == "altered"
    screenshot(parent, "case-10-altered")
