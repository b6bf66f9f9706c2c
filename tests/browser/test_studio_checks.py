"""The studio's checks in Chromium: a decision option no flow takes is drawn on the canvas (bpmn-js-bpmnlint
with our rule reporting the server's check), a click on the problem selects the gateway, and the publish page
refuses the draft, as the server does when the form is sent anyway (issue #20)."""
from __future__ import annotations

import pytest

from engine.catalogue import studio
from tests.browser.test_dossier_walk import log_in
from tests.procedures.drive import user

CODE = "1.001193"
DEAD = "lựa chọn intake_decision = 'refuse' (Từ chối tiếp nhận) không có luồng nào"


def draft_with(app, clock, old: str, new: str) -> None:
    """A draft of the birth registration whose diagram has one edit."""
    with app.extensions["motcua"]["sessions"]() as session:
        analyst = user(session, "analyst1")
        draft = studio.open_draft(session, CODE, analyst, clock())
        assert old in draft.files["process.bpmn"], old
        studio.save_draft(session, CODE, {"process.bpmn": draft.files["process.bpmn"].replace(old, new, 1)},
                          analyst, clock())
        session.commit()


def draft_with_a_typo_in_a_condition(app, clock) -> None:
    """The refusal flow reads 'refused', so the form's option 'refuse' leads nowhere."""
    draft_with(app, clock, "intake_decision == 'refuse'", "intake_decision == 'refused'")


def test_a_dead_option_is_drawn_on_the_canvas_selected_by_a_click_and_cannot_be_published(
        chromium, live_server, app, clock, screenshot):
    draft_with_a_typo_in_a_condition(app, clock)
    analyst = log_in(chromium, live_server, "analyst1")
    analyst.goto(f"{live_server}/studio/{CODE}")
    analyst.wait_for_selector("[data-studio][data-ready='1']", timeout=20000)
    overlay = analyst.wait_for_selector(".djs-overlay-container [data-container-id=Gateway_Intake] .bjsl-overlay",
                                        timeout=10000)
    assert overlay is not None
    button = analyst.locator(".bjsl-button")
    assert "1 lỗi, 0 cảnh báo" in button.inner_text()
    overlay.hover()
    analyst.wait_for_selector(".bjsl-dropdown-content:has-text('không có luồng nào')", state="attached")
    problem = analyst.locator("#studio-problems [data-element=Gateway_Intake]")
    assert DEAD in problem.inner_text()
    problem.click()
    analyst.wait_for_function("""() => window.motcuaModeler.get('selection').get()
                                          .map((e) => e.id).join() === 'Gateway_Intake'""")
    screenshot(analyst, "studio-checks-01-dead-option-on-canvas")

    admin = log_in(chromium, live_server, "admin1")
    admin.goto(f"{live_server}/studio/{CODE}/publish")
    assert DEAD in admin.inner_text("#publish-problems")
    assert admin.locator("#publish-confirm").is_disabled()
    admin.fill("#note", "Sửa điều kiện từ chối")
    admin.evaluate("document.getElementById('publish-confirm').disabled = false")
    admin.click("#publish-confirm")  # sent anyway: the server refuses and the draft stays
    admin.wait_for_url(f"{live_server}/studio/{CODE}")
    assert "chưa thể công bố" in admin.inner_text("body")
    screenshot(admin, "studio-checks-02-publish-refused")
    with app.extensions["motcua"]["sessions"]() as session:
        assert studio.get_draft(session, CODE) is not None


APPRAISAL = 'camunda:candidateGroups="chuyen_vien" camunda:formRef="appraisal"'
BREAKAGES = {
    "unknown-role": (APPRAISAL, APPRAISAL.replace("chuyen_vien", "ke_toan_truong"),
                     "vai trò 'ke_toan_truong' không có cán bộ nào giữ"),
    "over-budget": ('<camunda:property name="budget" value="PT3H" />', '<camunda:property name="budget" value="P3D" />',
                    "vượt thời hạn giải quyết"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_an_unknown_role_or_an_over_budget_path_is_on_the_canvas_and_cannot_be_published(
        chromium, live_server, app, clock, screenshot, breakage):
    old, new, message = BREAKAGES[breakage]
    draft_with(app, clock, old, new)
    admin = log_in(chromium, live_server, "admin1")
    admin.goto(f"{live_server}/studio/{CODE}")
    admin.wait_for_selector("[data-studio][data-ready='1']", timeout=20000)
    admin.wait_for_selector(".djs-overlay-container [data-container-id=Task_Appraise] .bjsl-overlay", timeout=10000)
    assert message in admin.inner_text("#studio-problems [data-element=Task_Appraise]")
    screenshot(admin, f"studio-checks-03-{breakage}-on-canvas")
    admin.goto(f"{live_server}/studio/{CODE}/publish")
    assert message in admin.inner_text("#publish-problems")
    assert admin.locator("#publish-confirm").is_disabled()
