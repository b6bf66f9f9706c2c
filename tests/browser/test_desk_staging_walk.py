"""Desk staging in Chromium: the desk receives a birth registration with two scans but forgets the mother's
name; the form comes back with both scans kept (ticked), the officer types the name and records the
dossier without choosing the files again."""
from __future__ import annotations

import re

from tests.browser.counter import fill_birth_registration
from tests.browser.test_dossier_walk import log_in


def test_a_refused_intake_form_keeps_its_scans_for_the_next_try(chromium, live_server, screenshot, tmp_path):
    base = live_server
    desk = log_in(chromium, base, "desk1")
    fill_birth_registration(desk, base, tmp_path, mother=None)
    desk.click("button:has-text('Ghi nhận')")
    desk.wait_for_selector("[data-staged]")
    assert "Tờ khai có trường chưa hợp lệ" in desk.inner_text("main")
    kept = desk.locator("[data-staged]")
    assert kept.count() == 2 and "to-khai.pdf" in kept.first.inner_text()
    assert desk.locator("[data-staged] input[type=checkbox]:checked").count() == 2
    screenshot(desk, "staging-01-kept-after-422")
    desk.fill("[name='data.mother_full_name']", "Trần Thị Mai")
    desk.click("button:has-text('Ghi nhận')")
    desk.wait_for_url(re.compile(r".*/desk/receipt/.*"))
    code = desk.inner_text("[data-field=code]")
    desk.goto(f"{base}/dossiers/{code}")
    assert desk.locator("[data-card=documents] details[data-document]").count() == 2
    screenshot(desk, "staging-02-dossier-with-both-scans")
