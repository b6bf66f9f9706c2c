"""A citizen registers, submits a birth registration online with its documents, the desk receives it, anyone looks it up."""
from __future__ import annotations

import re

from tests.applicant_helpers import BIRTH_FORM, PDF
from tests.browser.test_dossier_walk import log_in, open_step


def test_a_citizen_submits_online_and_the_desk_receives_it(chromium, live_server, screenshot, tmp_path):
    base = live_server
    citizen = chromium.new_context(locale="vi-VN", viewport={"width": 412, "height": 915}).new_page()  # a phone
    citizen.goto(f"{base}/cong-dan/dang-ky")
    citizen.fill("#full_name", "Phạm Minh Đức")
    citizen.fill("#email", "duc@example.vn")
    citizen.fill("#password", "matkhau123")
    citizen.check("#consent")
    citizen.click("button[type=submit]:has-text('Đăng ký')")
    citizen.wait_for_url(f"{base}/cong-dan/ho-so")
    citizen.goto(f"{base}/thu-tuc?q=khai sinh")
    citizen.click("text=Đăng ký khai sinh")
    citizen.click("text=Nộp hồ sơ trực tuyến")
    citizen.select_option("#unit", "H26.70")
    for key, value in BIRTH_FORM.items():
        field = citizen.locator(f"[name={key}]")
        kind = field.first.get_attribute("type")
        if kind == "radio":
            citizen.check(f"input[name={key}][value={value}]")
        elif field.first.evaluate("e => e.tagName") == "SELECT":
            citizen.select_option(f"[name={key}]", value)
        else:
            citizen.fill(f"[name={key}]", value)
    # the tờ khai is the form above (online_form): only the birth certificate is uploaded
    assert citizen.locator("#doc_0").count() == 0 and citizen.locator("[data-declared=doc_0]").count() == 1
    for index in (1,):
        scan = tmp_path / f"giay-{index}.pdf"
        scan.write_bytes(PDF)
        citizen.set_input_files(f"#doc_{index}", str(scan))
    screenshot(citizen, "online-01-form")
    citizen.click("button:has-text('Xem lại hồ sơ')")
    citizen.wait_for_selector("text=Xem lại hồ sơ trước khi gửi")
    screenshot(citizen, "online-02-review")
    citizen.check("#consent")
    citizen.click("button:has-text('Gửi hồ sơ')")
    citizen.wait_for_selector("[data-field=confirmation]")
    code = citizen.inner_text("h1 [data-field=code]")
    assert re.match(r"H26\.70-\d{6}-\d{4}$", code)
    screenshot(citizen, "online-03-confirmation")

    desk = log_in(chromium, base, "desk1")
    desk.goto(f"{base}/worklist?kind=intake")
    open_step(desk, code)
    desk.check("input[name=intake_decision][value=receive]")
    desk.click("button[type=submit]:has-text('Hoàn thành')")
    desk.wait_for_url(re.compile(r".*/forms/01.*"))

    visitor = chromium.new_context(locale="vi-VN").new_page()
    visitor.goto(f"{base}/tra-cuu")
    visitor.fill("#code", code)
    visitor.click("button:has-text('Tra cứu')")
    visitor.wait_for_url(f"{base}/tra-cuu/{code}")
    assert "Đã tiếp nhận" in visitor.inner_text("[data-field=status]")
    assert "Phạm Minh Đức" not in visitor.inner_text("main")
    screenshot(visitor, "online-04-lookup")
    citizen.goto(f"{base}/cong-dan/ho-so")
    assert "Đã tiếp nhận" in citizen.inner_text("main")
