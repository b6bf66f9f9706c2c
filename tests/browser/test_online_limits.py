"""On a phone (390 px) the online form marks a file over 10 MB at once and does not send the form."""
from __future__ import annotations

from tests.applicant_helpers import BIRTH, PDF


def test_a_file_too_large_is_marked_before_anything_is_sent(chromium, live_server, screenshot, tmp_path):
    base = live_server
    citizen = chromium.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}).new_page()
    citizen.goto(f"{base}/cong-dan/dang-ky")
    citizen.fill("#full_name", "Phạm Minh Đức")
    citizen.fill("#email", "limits@example.vn")
    citizen.fill("#password", "matkhau123")
    citizen.check("#consent")  # Decree 13: consent to the processing of personal data
    citizen.click("button[type=submit]:has-text('Đăng ký')")
    citizen.wait_for_url(f"{base}/cong-dan/ho-so")
    citizen.goto(f"{base}/cong-dan/nop/{BIRTH}")
    assert "tối đa 10 MB mỗi tệp" in citizen.inner_text("#online-limits")
    big = tmp_path / "to.pdf"
    big.write_bytes(PDF + b"0" * (11 * 2**20))
    citizen.set_input_files("#doc_1", str(big))
    citizen.wait_for_selector(".js-size-error")
    assert "lớn hơn 10 MB" in citizen.inner_text(".js-size-error")
    # a listener added after the page's own sees whether the page stopped the submit (no waiting on a timer)
    citizen.evaluate("document.addEventListener('submit', e => { window.submitStopped = e.defaultPrevented; })")
    citizen.click("button:has-text('Xem lại hồ sơ')")
    assert citizen.evaluate("window.submitStopped") is True
    assert citizen.url == f"{base}/cong-dan/nop/{BIRTH}"  # not sent
    assert citizen.locator(".js-size-error").count() == 1
    assert citizen.locator("#doc_1.is-invalid").count() == 1
    screenshot(citizen, "online-limits-01-too-large-390")
    small = tmp_path / "nho.pdf"
    small.write_bytes(PDF)
    citizen.set_input_files("#doc_1", str(small))
    citizen.wait_for_selector(".js-size-error", state="detached")
    assert citizen.locator("#doc_1.is-invalid").count() == 0
