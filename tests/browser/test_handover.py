"""Bàn giao hồ sơ in Chromium: the desk ticks two paper dossiers and prints the list, the specialist signs
for it, appraises, and after the leader's approval hands the papers back; the desk signs; the control slip
(form 06) of the dossier shows both hand-overs. Fails on any 5xx or console error; screenshots kept."""
from __future__ import annotations

from tests.browser.test_working_day import complete, open_step, receive
from tests.browser.watch import Watch, log_in


def hand_over(page, base: str, codes: list[str], direction: str) -> None:
    page.click("nav >> text=Bàn giao hồ sơ")
    page.click(f"[data-new={direction}]")
    for code in codes:
        page.check(f"input[name=codes][value='{code}']")
    page.click("button:has-text('Lập và in danh sách bàn giao')")
    page.wait_for_selector("article[data-form=BG]")


def sign(page, base: str, number: str) -> None:
    page.goto(f"{base}/handover")
    page.click(f"[data-waiting-list] >> text={number}")
    page.click("[data-confirm-receipt]")
    page.wait_for_selector("[data-received]")


def test_paper_dossiers_go_to_the_specialist_and_back_signed_per_batch(chromium, live_server, app, screenshot):
    base = live_server
    app.config["POPULATION_URL"] = f"{base}/simulators/population"
    watch = Watch()
    desk = log_in(chromium, base, "desk1", watch)
    first, second = receive(desk, base, "1.001193"), receive(desk, base, "1.001193")

    desk.goto(f"{base}/worklist")
    hand_over(desk, base, [first, second], "to_division")
    sheet = desk.inner_text("article")
    assert "DANH SÁCH BÀN GIAO HỒ SƠ" in sheet and first in sheet and second in sheet and "001/BG-2026" in sheet
    assert "Chờ bên nhận xác nhận" in desk.inner_text(".toolbar")
    screenshot(desk, "handover-01-list-printed-by-the-desk")

    specialist = log_in(chromium, base, "specialist1", watch)
    specialist.click("nav >> text=Bàn giao hồ sơ")
    assert specialist.inner_text("[data-waiting-count]") == "1"
    screenshot(specialist, "handover-02-waiting-for-the-specialist")
    sign(specialist, base, "001/BG-2026")
    assert "Trần Văn Minh" in specialist.inner_text("article")
    screenshot(specialist, "handover-03-signed-by-the-specialist")

    specialist.goto(f"{base}/worklist")
    open_step(specialist, first)
    specialist.check("input[name=appraisal_decision][value=propose_approve]")
    specialist.fill("textarea[name=appraisal_opinion]", "Hồ sơ đầy đủ, hợp lệ; đề nghị phê duyệt.")
    complete(specialist, base)
    leader = log_in(chromium, base, "leader1", watch)
    open_step(leader, first)
    leader.check("input[name=approval_decision][value=approve]")
    complete(leader, base)

    specialist.goto(f"{base}/worklist")
    hand_over(specialist, base, [first], "to_desk")
    assert "002/BG-2026" in specialist.inner_text("article")
    sign(desk, base, "002/BG-2026")
    screenshot(desk, "handover-04-signed-back-at-the-desk")

    desk.goto(f"{base}/dossiers/{first}/forms/06")
    slip = desk.inner_text("article")
    assert "Bàn giao hồ sơ giấy theo danh sách số 001/BG-2026" in slip and "002/BG-2026" in slip
    assert "mot_cua" not in slip and "chuyen_vien" not in slip
    rows = desk.locator("table.slip tbody tr td:nth-child(2)").all_inner_texts()
    assert rows[0].startswith("Tiếp nhận hồ sơ") and rows[1].startswith("Bàn giao hồ sơ giấy theo danh sách số 001")
    screenshot(desk, "handover-05-control-slip")
    desk.goto(f"{base}/handover")
    screenshot(desk, "handover-06-desk-batches")
    watch.check()
