"""On a phone (390 × 844): the menu folds behind a button and opens on a tap, and no page is wider than the
screen (wide tables scroll inside themselves), for a citizen on the portal and an official on the worklist."""
from __future__ import annotations

PHONE = {"width": 390, "height": 844}
WIDER_THAN_THE_SCREEN = "document.documentElement.scrollWidth > window.innerWidth + 1"


def phone_page(chromium):
    return chromium.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def citizen_on_phone(chromium, base: str, email: str, password: str = "matkhau123"):
    """A citizen signed in on a phone, on "Hồ sơ của tôi"."""
    page = phone_page(chromium)
    page.goto(f"{base}/cong-dan/dang-nhap")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/cong-dan/ho-so")
    return page


def official_on_phone(chromium, base: str, username: str):
    """An official signed in on a phone, on the worklist."""
    page = phone_page(chromium)
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "demo1234")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/worklist*")
    return page


def test_a_citizen_on_a_phone_opens_the_folded_menu_and_no_page_is_wider_than_the_screen(
        chromium, live_server, screenshot):
    page = phone_page(chromium)
    for path in ("/", "/thu-tuc", "/thu-tuc/1.001193", "/tra-cuu"):
        page.goto(f"{live_server}{path}")
        assert not page.is_visible("#main-nav a:has-text('Tra cứu hồ sơ')"), path  # folded
        assert not page.evaluate(WIDER_THAN_THE_SCREEN), path
    page.goto(f"{live_server}/")
    row = "getComputedStyle(document.querySelector('table.table-cards tbody tr')).display"
    assert page.evaluate(row) == "block"  # the home page's catalogue is one card per procedure
    screenshot(page, "phone-00-home-catalogue-as-cards")
    page.goto(f"{live_server}/thu-tuc")
    screenshot(page, "phone-01-catalogue-menu-folded")
    page.click(".navbar-toggler")
    page.wait_for_selector("#main-nav a:has-text('Tra cứu hồ sơ')", state="visible")
    screenshot(page, "phone-02-catalogue-menu-open")
    page.click("#main-nav a:has-text('Tra cứu hồ sơ')")
    page.wait_for_url(f"{live_server}/tra-cuu")


def test_an_official_on_a_phone_reads_the_worklist_without_the_page_widening(chromium, live_server, screenshot):
    page = official_on_phone(chromium, live_server, "desk1")
    assert page.is_visible(".navbar-toggler")
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    screenshot(page, "phone-03-worklist")
