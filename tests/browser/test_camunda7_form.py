"""A step drawn with camunda:formData shows in the browser as a form of its fields, and completes (issue 19)."""
from __future__ import annotations

from tests.browser.test_dossier_walk import complete, log_in, open_step
from tests.web.test_camunda7_pages import dossier_at


def test_a_generated_camunda_form_is_filled_in_the_browser(app, clock, chromium, live_server, screenshot):
    code, _task_id = dossier_at(app, clock, "form_key_data", {"intake_decision": "receive"})
    page = log_in(chromium, live_server, "specialist1")
    open_step(page, code)
    assert page.is_visible("text=Lệ phí (đồng)") and page.is_visible("text=Cách trả kết quả")
    page.check("input[name=approved]")
    page.fill("input[name=fee]", "20000")
    screenshot(page, "camunda7-form-data-step")
    complete(page, live_server)
