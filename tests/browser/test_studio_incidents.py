"""In Chromium: the test-run walks a loop and draws its path on the diagram; a step whose diagram fails shows
the official a Vietnamese message, and the admin finds it under "Sự cố quy trình", with the error in Vietnamese."""
from __future__ import annotations

from sqlalchemy import select

from engine.models import HumanTask
from tests.browser.test_dossier_walk import log_in
from tests.db.test_incidents import RECEIVE, break_current_version
from tests.procedures.drive import new_dossier

CODE = "1.001193"
LOOP = ("intake_decision=supplement, receive\nsupplement_received=true\nappraisal_decision=propose_approve\n"
        "approval_decision=send_back, approve\nreturn_method=desk")


def test_the_test_run_draws_a_walked_loop_on_the_diagram(chromium, live_server, screenshot):
    page = log_in(chromium, live_server, "analyst1")
    page.goto(f"{live_server}/studio/{CODE}/test-run")
    page.fill("#decisions", LOOP)
    page.click("form button[type=submit]")
    page.wait_for_selector("#run-diagram[data-ready='1']")
    assert page.locator("#run-steps li").count() == 8
    assert page.locator("#run-diagram .djs-element.motcua-done[data-element-id=Task_IntakeSupplement]").count() == 1
    assert page.locator("#run-diagram .djs-element.motcua-done[data-element-id=EndEvent_Returned]").count() == 1
    screenshot(page, "studio-test-run-loop")
    page.context.close()


def test_a_failing_step_is_said_in_vietnamese_and_listed_for_the_admin(chromium, live_server, app, clock, api,
                                                                         screenshot):
    with app.extensions["motcua"]["sessions"]() as session:
        break_current_version(session, RECEIVE, "intake_decision == 'received'")
        dossier = new_dossier(session, clock)
        code = dossier.code
        task_id = session.scalar(select(HumanTask.id).where(HumanTask.dossier_id == dossier.id))
    res = api.post(f"/tasks/{task_id}/complete", "desk1", {"data": {"intake_decision": "receive"}})
    assert res.status_code == 409 and res.json["error"]["code"] == "step_failed"
    page = log_in(chromium, live_server, "admin1")
    page.goto(f"{live_server}/admin/incidents")
    row = page.locator("tr[data-incident]")
    assert row.count() == 1 and code in row.inner_text()
    assert "không có luồng đi ra nào khớp" in row.locator(".incident-message").inner_text()
    screenshot(page, "admin-incidents")
    page.click("tr[data-incident] button:has-text('Thử lại')")
    page.wait_for_selector(".alert:has-text('Vẫn chưa chạy được')")
    screenshot(page, "admin-incidents-retry-failed")
    page.context.close()
