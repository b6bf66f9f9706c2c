"""Authoring in the studio, in Chromium (issue #20): a standard step applied from its template (mẫu bước chuẩn)
passes the check with its form added to the draft; the check runs on the canvas before it is saved; the form
editor speaks Vietnamese; a diagram without its drawing (no BPMNDI) is laid out and shown."""
from __future__ import annotations

from pathlib import Path

from engine.catalogue import studio
from tests.browser.test_dossier_walk import log_in

CODE = "1.001193"
MINI = Path(__file__).resolve().parents[1] / "data" / "bpmn" / "mini" / "process.bpmn"

# a plain task drawn on the flow from the approval's gateway to the return, as an analyst drops one there
INSERT_PLAIN_TASK = """() => {
  const m = window.motcuaModeler, reg = m.get('elementRegistry'), modeling = m.get('modeling');
  const flow = reg.get('Flow_Approve_Decided'), target = reg.get('Task_Return');
  const task = modeling.createShape({ type: 'bpmn:Task' }, { x: target.x + target.width / 2, y: target.y + target.height + 45 }, target.parent);
  modeling.reconnectEnd(flow, task, { x: task.x, y: task.y + task.height / 2 });
  modeling.connect(task, target);
  return task.id;
}"""


def open_studio(chromium, live_server, who: str = "analyst1"):
    page = log_in(chromium, live_server, who)
    page.goto(f"{live_server}/studio/{CODE}")
    page.wait_for_selector("[data-studio][data-ready='1']", timeout=20000)
    return page


def checked_after(page, run: int) -> None:
    """Wait for a check of the canvas newer than `run`."""
    page.wait_for_function(f"() => Number(document.querySelector('[data-studio]').dataset.checked || 0) > {run}",
                           timeout=15000)


def last_check(page) -> int:
    return int(page.evaluate("() => Number(document.querySelector('[data-studio]').dataset.checked || 0)"))


def apply_template(page, element_id: str, name: str) -> str:
    """Open the element's replace menu (the wrench) and pick a standard step; returns the new element's id."""
    page.evaluate("() => window.motcuaModeler.get('selection').select(null)")
    page.click(f".djs-element[data-element-id={element_id}]", force=True)
    page.click(".djs-context-pad [data-action=replace]")
    page.wait_for_selector(".djs-popup")
    page.fill(".djs-popup-search input", name)
    page.click(f".djs-popup-body .entry:has-text('Mẫu: {name}')")
    return page.evaluate("() => window.motcuaModeler.get('selection').get()[0].id")


def test_a_standard_step_from_its_template_passes_the_check_and_brings_its_form(chromium, live_server, app,
                                                                               screenshot):
    page = open_studio(chromium, live_server)
    assert "Không có lỗi." in page.inner_text("#studio-clean")
    before = last_check(page)
    task = page.evaluate(INSERT_PLAIN_TASK)
    checked_after(page, before)
    # the properties panel's "Mẫu bước" group offers the same list as the wrench
    page.click(f".djs-element[data-element-id={task}]", force=True)
    page.click("#studio-properties .bio-properties-panel-select-template-button")
    menu = page.wait_for_selector(".djs-popup")
    assert "Chọn mẫu bước chuẩn" in menu.inner_text() and "Mẫu: Trả kết quả" in menu.inner_text()
    screenshot(page, "studio-authoring-00-template-menu")
    page.keyboard.press("Escape")
    before = last_check(page)
    step = apply_template(page, task, "Thu phí, lệ phí")
    checked_after(page, before)
    assert step == "Task_Payment"  # named after its template, not bpmn-js's Activity_0wp49k5
    xml = page.evaluate("async () => (await window.motcuaModeler.saveXML()).xml")
    assert 'camunda:candidateGroups="mot_cua"' in xml and 'camunda:formRef="payment"' in xml
    assert 'name="kind" value="payment"' in xml and 'camunda:modelerTemplate="motcua.payment"' in xml
    # the template's form came with it, and the canvas (unsaved) has no problem
    assert page.locator("#studio-form-picker option[value='payment.form']").count() == 1
    assert "payment.form" in page.inner_text("#studio-status")
    assert page.locator("#studio-problems .list-group-item").count() == 0
    assert page.is_visible("#studio-clean")
    screenshot(page, "studio-authoring-01-payment-template")
    panel = page.locator("#studio-properties")
    assert panel.locator("[data-group-id=group-motcua] #bio-properties-panel-motcua-kind").input_value() == "payment"
    assert panel.locator("[data-group-id=group-motcua] #bio-properties-panel-motcua-role").input_value() == "mot_cua"
    page.click("#studio-save")
    page.wait_for_selector("#studio-status.alert-success")
    with app.extensions["motcua"]["sessions"]() as session:
        draft = studio.get_draft(session, CODE)
        assert "payment.form" in draft.files and f'id="{step}"' in draft.files["process.bpmn"]
        assert studio.check_draft(draft) == []
    page.context.close()


def test_the_check_runs_on_the_canvas_before_it_is_saved(chromium, live_server, app, screenshot):
    """A budget of 3 days on the appraisal (unsaved) is over the 3-day limit on the longest path: the problem is
    drawn at once, the draft in the database is untouched, and putting the budget back clears it."""
    page = open_studio(chromium, live_server)
    page.click("[data-element-id=Task_Appraise]")
    days = page.locator("#studio-properties #bio-properties-panel-motcua-budget-days")
    before = last_check(page)
    days.fill("3")
    days.press("Tab")
    checked_after(page, before)
    problem = page.locator("#studio-problems [data-element=Task_Appraise]")
    assert "vượt thời hạn giải quyết" in problem.inner_text()
    page.wait_for_selector(".djs-overlay-container [data-container-id=Task_Appraise] .bjsl-overlay")
    screenshot(page, "studio-authoring-02-unsaved-over-budget")
    with app.extensions["motcua"]["sessions"]() as session:
        assert studio.check_draft(studio.get_draft(session, CODE)) == []  # nothing saved
    before = last_check(page)
    days.fill("0")
    days.press("Tab")
    checked_after(page, before)
    assert page.locator("#studio-problems .list-group-item").count() == 0
    page.context.close()


def test_the_form_editor_speaks_vietnamese(chromium, live_server, screenshot):
    page = open_studio(chromium, live_server)
    page.click("#tab-forms")
    page.select_option("#studio-form-picker", "approval.form")
    palette = page.locator("#studio-form-editor .fjs-palette")
    palette.wait_for()
    text = palette.inner_text()
    for said in ("Thành phần", "Nhập liệu", "Lựa chọn", "Ô nhập chữ", "Nhóm lựa chọn (một)", "Danh sách chọn"):
        assert said in text, said
    for english in ("Components", "Text field", "Radio group", "Selection"):
        assert english not in text, english
    assert palette.locator(".fjs-palette-search").get_attribute("placeholder") == "Tìm thành phần"
    page.click("#studio-form-editor .fjs-form-field:has-text('Quyết định của lãnh đạo')")
    properties = page.locator("#studio-form-editor .fjs-properties-container")
    properties.locator("[data-group-id=group-general]").wait_for()
    assert "Chung" in properties.locator("[data-group-id=group-general] .bio-properties-panel-group-header").inner_text()
    assert "Kiểm tra dữ liệu" in properties.inner_text()
    # the form drawn keeps its own words: a field's label is not translated
    assert "Quyết định của lãnh đạo" in page.inner_text("#studio-form-editor .fjs-form")
    screenshot(page, "studio-authoring-03-form-editor-vi")
    page.context.close()


def test_a_diagram_without_its_drawing_is_laid_out_when_opened(chromium, live_server, app, screenshot):
    page = open_studio(chromium, live_server)
    assert "BPMNShape" not in MINI.read_text(encoding="utf-8")
    page.set_input_files("#bpmn-file", str(MINI))
    page.click("#studio-revert ~ form button[type=submit]")
    page.wait_for_selector("[data-studio][data-ready='1']", timeout=20000)
    for element in ("StartEvent_1", "Task_Intake", "Gateway_Intake", "Task_Approve", "EndEvent_Done"):
        assert page.locator(f"#studio-canvas .djs-shape[data-element-id={element}]").count() == 1, element
    assert page.locator("#studio-canvas .djs-connection[data-element-id=Flow_Receive]").count() == 1
    assert "tự sắp xếp" in page.inner_text("#studio-status")
    screenshot(page, "studio-authoring-04-laid-out")
    page.click("#studio-save")  # the layout is kept once saved
    page.wait_for_selector("#studio-status.alert-success")
    with app.extensions["motcua"]["sessions"]() as session:
        assert "BPMNShape" in studio.get_draft(session, CODE).files["process.bpmn"]
    page.context.close()


def test_an_edit_of_the_raw_procedure_yaml_is_checked_at_once_and_guarded_like_the_diagram(chromium, live_server):
    page = open_studio(chromium, live_server)
    page.click("#tab-catalogue")
    before = last_check(page)
    yaml = page.locator("#studio-catalogue")
    yaml.fill(yaml.input_value().replace("time_limit:", "time_limit: [", 1))  # YAML that no longer parses
    checked_after(page, before)
    assert "procedure.yaml" in page.inner_text("#studio-problems")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.click("a.nav-link:has-text('Phiên bản')")  # leaving with the edit unsaved: the browser asks first
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and page.url.endswith(f"/studio/{CODE}")
