"""The studio in Chromium: an analyst changes a step's budget in the bpmn-js properties panel and a label in
the form-js editor, an admin publishes, and a new dossier takes the new version while an older one stays."""
from __future__ import annotations

from sqlalchemy import select

from engine.models import Dossier, ProcedureVersion
from tests.browser.test_dossier_walk import log_in
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


def test_an_analyst_starts_a_new_procedure_from_the_wizard_and_lands_in_the_editor(chromium, live_server, screenshot):
    analyst = log_in(chromium, live_server, "analyst1")
    analyst.goto(f"{live_server}/studio/")
    analyst.click("#studio-new")
    analyst.fill("#code", "2.000888")
    analyst.click("#new-create")  # no name: refused, said beside the field
    analyst.wait_for_selector("#name-error")
    assert analyst.input_value("#code") == "2.000888"
    screenshot(analyst, "studio-05-new-procedure-refused")
    analyst.fill("#name", "Chứng thực chữ ký trong giấy tờ, văn bản")
    analyst.fill("#field", "Chứng thực")
    analyst.fill("#limit_value", "1")
    analyst.check("#ch-online")
    analyst.click("#new-create")
    analyst.wait_for_url(f"{live_server}/studio/2.000888")
    analyst.wait_for_selector("[data-studio][data-ready='1']", timeout=20000)
    assert analyst.locator("[data-element-id=Task_Appraise]").count() == 1
    assert "Không có lỗi." in analyst.inner_text("#studio-clean")
    screenshot(analyst, "studio-06-new-procedure-draft")
