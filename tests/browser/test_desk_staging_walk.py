"""Desk staging in Chromium: the desk receives a birth registration with two scans but forgets the mother's
name; the form comes back with both scans kept (ticked), the officer types the name and records the
dossier without choosing the files again."""
from __future__ import annotations

import re

from tests.browser.test_dossier_walk import log_in
from tests.procedures.drive import APPLICANT
from tests.web.test_desk_pages import PNG, required_documents

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_refused_intake_form_keeps_its_scans_for_the_next_try(chromium, live_server, screenshot, tmp_path):
    base = live_server
    desk = log_in(chromium, base, "desk1")
    desk.goto(f"{base}/desk/new/1.001193")
    for field in ("name", "id_number", "address", "phone", "email"):
        desk.fill(f"#{field}", APPLICANT[field])
    desk.fill("[name='data.child_full_name']", "Nguyễn Thị Bình An")
    desk.fill("[name='data.child_birth_date']", "2026-02-20")
    desk.check("[name='data.child_gender'][value=nu]")
    desk.fill("[name='data.child_ethnicity']", "Kinh")
    desk.fill("[name='data.child_nationality']", "Việt Nam")
    desk.fill("[name='data.child_birth_place']", "Bệnh viện Phụ sản Hà Nội")
    desk.select_option("[name='data.requester_relationship']", "me")
    for index in required_documents("1.001193"):
        desk.check(f"#doc_{index}")
    (tmp_path / "to-khai.pdf").write_bytes(PDF)
    (tmp_path / "giay-chung-sinh.png").write_bytes(PNG)
    desk.set_input_files("input[name=scan_0]", str(tmp_path / "to-khai.pdf"))
    desk.set_input_files("input[name=scan_1]", str(tmp_path / "giay-chung-sinh.png"))
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
