"""On a phone (390 px): a citizen follows their dossier's timeline, sees what is asked of them, and reads their
notifications, marking them read; no page is wider than the screen."""
from __future__ import annotations

from engine.dossier.lifecycle import get_dossier
from tests.applicant_helpers import Applicant
from tests.browser.test_phone import WIDER_THAN_THE_SCREEN, citizen_on_phone
from tests.procedures.drive import step


def test_a_citizen_on_a_phone_follows_the_timeline_and_reads_the_notifications(
        app, session, clock, chromium, live_server, screenshot):
    code = Applicant(app, "dien-thoai@example.vn").submit_birth()
    step(session, clock, get_dossier(session, code), "Task_Intake", "intake_supplement")
    page = citizen_on_phone(chromium, live_server, "dien-thoai@example.vn")
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)

    page.goto(f"{live_server}/cong-dan/ho-so/{code}")
    assert page.is_visible("[data-todo=supplement]")
    assert page.locator("[data-field=timeline] li").count() >= 3  # submitted, the intake step, supplement asked
    assert page.is_visible("[data-notice='02']")
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    screenshot(page, "phone-timeline-01-dossier")
    page.click("[data-todo=supplement] a:has-text('Nộp bổ sung')")
    assert page.evaluate("location.hash") == "#supplement"

    page.click(".navbar-toggler")
    page.wait_for_selector("#main-nav.collapse.show")  # opened, not still unfolding, for the screenshot
    page.wait_for_selector("[data-field=notices_link]", state="visible")
    assert int(page.inner_text("[data-field=unread_count]").split()[0]) >= 2
    screenshot(page, "phone-timeline-02-menu-with-count")
    page.click("[data-field=notices_link]")
    page.wait_for_url(f"{live_server}/cong-dan/thong-bao")
    assert page.locator("[data-unread]").count() >= 2
    assert f"Hồ sơ {code} cần bổ sung, hoàn thiện" in page.inner_text("[data-field=notices]")
    assert not page.evaluate(WIDER_THAN_THE_SCREEN)
    screenshot(page, "phone-timeline-03-notifications")
    page.click("button:has-text('Đánh dấu tất cả đã đọc')")
    page.wait_for_selector("text=Đã đánh dấu tất cả thông báo là đã đọc.")
    assert page.locator("[data-unread]").count() == 0 and page.locator("[data-field=unread_count]").count() == 0
    screenshot(page, "phone-timeline-04-all-read")


CARDS = "[...document.querySelectorAll('table.table-cards tbody tr')].every(r => getComputedStyle(r).display === 'block')"


def test_on_a_phone_the_citizens_lists_are_cards(app, session, clock, chromium, live_server, screenshot):
    code = Applicant(app, "the@example.vn").submit_birth()
    step(session, clock, get_dossier(session, code), "Task_Intake", "receive")
    page = citizen_on_phone(chromium, live_server, "the@example.vn")
    for path, name in (("/cong-dan/ho-so", "my-dossiers"), ("/cong-dan/kho-giay-to", "document-store"),
                       ("/thu-tuc", "catalogue"), (f"/tra-cuu/{code}", "lookup")):
        page.goto(f"{live_server}{path}")
        assert page.locator("table.table-cards tbody tr").count() >= 1, path
        assert page.evaluate(CARDS), path
        assert not page.evaluate(WIDER_THAN_THE_SCREEN), path
        screenshot(page, f"phone-cards-{name}")
    wide = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800}).new_page()
    wide.goto(f"{live_server}/thu-tuc")
    assert wide.evaluate("getComputedStyle(document.querySelector('table.table-cards tbody tr')).display") == "table-row"
