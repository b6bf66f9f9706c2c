"""The studio in Chromium: an analyst changes a step's budget in the bpmn-js properties panel and a label in
the form-js editor, an admin publishes, and a new dossier takes the new version while an older one stays."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.models import Dossier, Procedure, ProcedureVersion
from tests.browser.test_dossier_walk import log_in
from tests.browser.test_studio_authoring import apply_template, checked_after, last_check
from tests.procedures.drive import APPLICANT

CODE = "1.001193"


def start_dossier(api) -> str:
    res = api.post("/dossiers", "desk1", {"procedure_code": CODE, "channel": "in_person", "applicant": APPLICANT,
                                          "data": {}})
    assert res.status_code == 201, res.json
    return res.json["code"]


def version_of(app, code: str) -> int:
    with app.extensions["motcua"]["sessions"]() as session:
        return session.scalar(select(ProcedureVersion.number).join(Dossier, Dossier.procedure_version_id
                                                                   == ProcedureVersion.id).where(Dossier.code == code))


def edit_budget_in_the_properties_panel(page) -> None:
    """The "Một Cửa" group shows the step's role, kind and budget as pickers; the budget is typed in hours."""
    assert page.locator(".djs-palette [aria-label='Thêm bước']").count() == 1  # the palette speaks Vietnamese
    page.click("[data-element-id=Task_Appraise]")
    page.wait_for_selector("#studio-properties .bio-properties-panel-header-label:has-text('Thẩm định hồ sơ')")
    panel = page.locator("#studio-properties")
    assert panel.locator("[data-group-id=group-CamundaPlatform__AsynchronousContinuations]").count() == 0
    assert panel.locator("[data-group-id=group-CamundaPlatform__ExecutionListener]").count() == 0
    group = panel.locator("[data-group-id=group-motcua]")
    assert group.locator("#bio-properties-panel-motcua-kind").input_value() == "appraisal"
    assert group.locator("#bio-properties-panel-motcua-role").input_value() == "chuyen_vien"
    assert "Lãnh đạo (lanh_dao)" in group.locator("#bio-properties-panel-motcua-role").inner_text()
    hours = group.locator("#bio-properties-panel-motcua-budget-hours")
    assert hours.input_value() == "3"
    hours.fill("2")
    hours.press("Tab")
    page.wait_for_function("""async () => (await window.motcuaModeler.saveXML()).xml.includes('value="PT2H"')""")


def edit_label_in_the_form_editor(page) -> None:
    page.click("#tab-forms")
    page.select_option("#studio-form-picker", "approval.form")
    page.click("#studio-form-editor .fjs-form-field:has-text('Quyết định của lãnh đạo')")
    page.click("#studio-form-editor [data-group-id=group-general] .bio-properties-panel-group-header")
    label = page.locator("#studio-form-editor #bio-properties-panel-label")
    label.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Quyết định phê duyệt")
    page.wait_for_selector("#studio-form-editor .fjs-form-field:has-text('Quyết định phê duyệt')")


def test_an_analyst_changes_a_budget_and_a_label_and_new_dossiers_take_the_published_version(
        chromium, live_server, api, app, screenshot):
    before = start_dossier(api)
    analyst = log_in(chromium, live_server, "analyst1")
    analyst.goto(f"{live_server}/studio/{CODE}")
    analyst.wait_for_selector("[data-studio][data-ready='1']", timeout=20000)
    edit_budget_in_the_properties_panel(analyst)
    screenshot(analyst, "studio-01-properties-panel")
    edit_label_in_the_form_editor(analyst)
    screenshot(analyst, "studio-02-form-editor")
    analyst.click("#studio-save")
    analyst.wait_for_selector("#studio-status.alert-success")

    admin = log_in(chromium, live_server, "admin1")
    admin.goto(f"{live_server}/studio/{CODE}")
    admin.click("#studio-publish")
    admin.wait_for_url(f"{live_server}/studio/{CODE}/publish")
    assert "PT3H → PT2H" in admin.inner_text("#diff")  # the diff comes before the confirmation
    admin.click("#publish-confirm")  # without a note: refused, and said where
    admin.wait_for_selector("#note-error")
    screenshot(admin, "studio-03a-publish-needs-a-note")
    admin.fill("#note", "Rút ngắn thẩm định")
    admin.click("#publish-confirm")
    admin.wait_for_url(f"{live_server}/studio/{CODE}/versions")
    admin.goto(f"{live_server}/studio/{CODE}/versions?old=1&new=2")
    diff = admin.inner_text("#diff")
    assert "PT3H → PT2H" in diff and "Quyết định phê duyệt" in diff
    screenshot(admin, "studio-03-versions-diff")

    after = start_dossier(api)
    assert (version_of(app, before), version_of(app, after)) == (1, 2)
    desk = log_in(chromium, live_server, "desk1")
    desk.goto(f"{live_server}/dossiers/{before}")
    desk.wait_for_selector("#dossier-diagram[data-ready='1'] .motcua-current", timeout=20000)
    screenshot(desk, "studio-04-dossier-diagram")


# a plain task drawn on the flow from the appraisal's proposal to the approval, as an analyst drops one there
INSERT_BEFORE_APPROVAL = """() => {
  const m = window.motcuaModeler, reg = m.get('elementRegistry'), modeling = m.get('modeling');
  const flow = reg.get('Flow_Appraise_Propose'), target = reg.get('Task_Approve');
  const task = modeling.createShape({ type: 'bpmn:Task' }, { x: target.x - 60, y: target.y - 70 }, target.parent);
  modeling.reconnectEnd(flow, task, { x: task.x, y: task.y + task.height / 2 });
  modeling.connect(task, target);
  return task.id;
}"""
LOOP = ("intake_decision=supplement, receive\nsupplement_received=true\nappraisal_decision=propose_approve\n"
        "consult_opinion=agree\napproval_decision=send_back, approve\nreturn_method=desk")
NEW = "2.000888"


def fill_the_wizard(analyst, live_server, screenshot) -> None:
    analyst.goto(f"{live_server}/studio/")
    analyst.click("#studio-new")
    analyst.fill("#code", NEW)
    analyst.click("#new-create")  # no name: refused, said beside the field
    analyst.wait_for_selector("#name-error")
    assert analyst.input_value("#code") == NEW
    screenshot(analyst, "studio-05-new-procedure-refused")
    analyst.fill("#name", "Chứng thực chữ ký trong giấy tờ, văn bản")
    analyst.fill("#field", "Chứng thực")
    analyst.fill("#limit_value", "1")
    analyst.check("#ch-online")
    analyst.click("#new-create")
    analyst.wait_for_url(f"{live_server}/studio/{NEW}")
    analyst.wait_for_selector("[data-studio][data-ready='1']", timeout=20000)
    assert analyst.locator("[data-element-id=Task_Appraise]").count() == 1
    assert "Không có lỗi." in analyst.inner_text("#studio-clean")
    screenshot(analyst, "studio-06-new-procedure-draft")


def draw_a_consultation_over_the_limit(analyst, screenshot) -> str:
    """A plain task, then the standard consultation step from the wrench; its day goes over the 1-day limit,
    which the canvas shows before anything is saved."""
    before = last_check(analyst)
    task = analyst.evaluate(INSERT_BEFORE_APPROVAL)
    checked_after(analyst, before)
    before = last_check(analyst)
    step = apply_template(analyst, task, "Lấy ý kiến cơ quan phối hợp")
    checked_after(analyst, before)
    assert analyst.locator("#studio-form-picker option[value='consult.form']").count() == 1
    assert "vượt thời hạn giải quyết" in analyst.inner_text(f"#studio-problems [data-element={step}]")
    analyst.wait_for_selector(f".djs-overlay-container [data-container-id={step}] .bjsl-overlay")
    group = analyst.locator("#studio-properties [data-group-id=group-motcua]")
    assert group.locator("#bio-properties-panel-motcua-role").input_value() == "chuyen_vien"
    assert group.locator("#bio-properties-panel-motcua-budget-days").input_value() == "1"
    group.locator("#bio-properties-panel-motcua-unit").select_option("parent")  # the unit from the picker
    screenshot(analyst, "studio-07-consultation-over-the-limit")
    return step


def shorten_the_consultation(analyst, step: str) -> None:
    group = analyst.locator("#studio-properties [data-group-id=group-motcua]")
    before = last_check(analyst)
    group.locator("#bio-properties-panel-motcua-budget-days").fill("0")
    group.locator("#bio-properties-panel-motcua-budget-days").press("Tab")
    group.locator("#bio-properties-panel-motcua-budget-hours").fill("1")
    group.locator("#bio-properties-panel-motcua-budget-hours").press("Tab")
    analyst.wait_for_function("async () => (await window.motcuaModeler.saveXML()).xml.includes('value=\"PT1H\"')")
    checked_after(analyst, before)
    analyst.wait_for_selector("#studio-clean:not([hidden])")
    assert analyst.locator(f"#studio-problems [data-element={step}]").count() == 0


def save(page) -> None:
    page.click("#studio-save")
    page.wait_for_selector("#studio-status.alert-success")


def walk_a_loop_in_the_test_run(analyst, live_server, screenshot) -> None:
    analyst.click("a.nav-link:has-text('Chạy thử')")
    analyst.fill("#decisions", LOOP)
    analyst.click("form button[type=submit]")
    analyst.wait_for_selector("#run-diagram[data-ready='1']")
    assert "Quy trình tới sự kiện kết thúc." in analyst.inner_text("#run")
    steps = analyst.locator("#run-steps").inner_text()
    assert steps.count("Tiếp nhận hồ sơ") == 2 and steps.count("Phê duyệt") == 2 and "Lấy ý kiến" in steps
    assert analyst.locator("#run-diagram .djs-element.motcua-done[data-element-id=Task_IntakeSupplement]").count() == 1
    screenshot(analyst, "studio-08-new-procedure-test-run-loop")


@pytest.mark.slow
def test_an_analyst_builds_a_new_procedure_in_the_browser_and_an_admin_publishes_it_after_the_diff(
        chromium, live_server, app, screenshot):
    """Done when of issue #20: from nothing to a published version, in Vietnamese, with the checks in the way."""
    analyst = log_in(chromium, live_server, "analyst1")
    fill_the_wizard(analyst, live_server, screenshot)
    step = draw_a_consultation_over_the_limit(analyst, screenshot)
    save(analyst)  # saved over the limit: the admin cannot publish it yet
    admin = log_in(chromium, live_server, "admin1")
    admin.goto(f"{live_server}/studio/{NEW}/publish")
    assert "vượt thời hạn giải quyết" in admin.inner_text("#publish-problems")
    assert admin.locator("#publish-confirm").is_disabled()
    shorten_the_consultation(analyst, step)
    save(analyst)
    walk_a_loop_in_the_test_run(analyst, live_server, screenshot)

    admin.goto(f"{live_server}/studio/{NEW}/publish")
    diff = admin.inner_text("#diff")
    assert "Lấy ý kiến cơ quan phối hợp" in diff and "consult.form" in diff
    assert admin.is_visible("#publish-clean")
    admin.fill("#note", "Phiên bản đầu tiên, có bước lấy ý kiến")
    screenshot(admin, "studio-09-new-procedure-publish-diff")
    admin.click("#publish-confirm")
    admin.wait_for_url(f"{live_server}/studio/{NEW}/versions")
    assert "Phiên bản đầu tiên, có bước lấy ý kiến" in admin.inner_text("body")
    with app.extensions["motcua"]["sessions"]() as session:
        version = session.scalar(select(ProcedureVersion).join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
                                 .where(Procedure.code == NEW))
        assert version.number == 1 and 'camunda:modelerTemplate="motcua.consult"' in version.files["process.bpmn"]
        assert "consult.form" in version.files
    screenshot(admin, "studio-10-new-procedure-published")
