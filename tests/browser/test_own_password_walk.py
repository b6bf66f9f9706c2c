"""A new official's first day: the admin creates the account, the official logs in with the temporary
password, is asked for a password of their own, gets every mistake named, and then reaches the worklist."""
from __future__ import annotations

import re

from tests.browser.test_dossier_walk import log_in


def test_a_new_official_chooses_a_password_before_the_first_page(chromium, live_server, screenshot):
    base = live_server
    admin = log_in(chromium, base, "admin1")
    admin.goto(f"{base}/admin/users/new")
    admin.fill("#username", "desk7")
    admin.fill("#full_name", "Lê Thị Hoa")
    admin.fill("#unit", "H26.70.MC")
    admin.fill("#role", "mot_cua")
    admin.click("button[type=submit]:has-text('Tạo người dùng')")
    admin.wait_for_selector(".alert:has-text('Mật khẩu tạm thời')")
    temporary = re.search(r"Mật khẩu tạm thời: (\S+) \(", admin.inner_text(".alert:has-text('Mật khẩu tạm thời')")).group(1)
    account_page = admin.url
    assert admin.locator("[data-must-change]").count() == 1

    official = chromium.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    official.goto(f"{base}/login")
    official.fill("#username", "desk7")
    official.fill("#password", temporary)
    official.click("button[type=submit]")
    official.wait_for_url(f"{base}/account/password")
    assert "do quản trị viên đặt" in official.inner_text("[data-forced]")
    assert official.locator("nav a:has-text('Hồ sơ cần xử lý')").count() == 0  # no menu that only leads back
    official.goto(f"{base}/worklist")  # typing another address does not get past it
    official.wait_for_url(f"{base}/account/password")

    official.fill("#current_password", "nhap-sai")
    official.fill("#new_password", "desk7-2026")
    official.fill("#confirm_password", "khac-han")
    official.click("button[type=submit]:has-text('Đổi mật khẩu')")
    official.wait_for_selector("#confirm_password-error")
    assert "không đúng" in official.inner_text("#current_password-error")
    assert "tên đăng nhập" in official.inner_text("#new_password-error")
    assert "chưa khớp" in official.inner_text("#confirm_password-error")
    screenshot(official, "own-password-01-mistakes")

    official.fill("#current_password", temporary)
    official.fill("#new_password", "HoaMotCua2026")
    official.fill("#confirm_password", "HoaMotCua2026")
    official.click("button[type=submit]:has-text('Đổi mật khẩu')")
    official.wait_for_url(f"{base}/worklist")
    assert "Đã đổi mật khẩu" in official.inner_text(".alert-success")
    assert "Lê Thị Hoa" in official.inner_text("[data-field=account_link]")
    screenshot(official, "own-password-02-worklist")

    admin.goto(account_page)  # the admin sees the temporary password is gone, and locks the account only on a yes
    assert admin.locator("[data-must-change]").count() == 0
    admin.once("dialog", lambda dialog: dialog.dismiss())
    admin.click("button:has-text('Khóa tài khoản')")
    admin.wait_for_timeout(300)
    assert admin.locator("button:has-text('Khóa tài khoản')").count() == 1
    admin.once("dialog", lambda dialog: dialog.accept())
    admin.click("button:has-text('Khóa tài khoản')")
    admin.wait_for_selector("button:has-text('Mở khóa tài khoản')")
    official.goto(f"{base}/worklist")
    official.wait_for_url(re.compile(r".*/login.*"))
