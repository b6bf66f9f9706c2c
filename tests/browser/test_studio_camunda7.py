"""The studio in Chromium with diagrams drawn for Camunda 7 (issue 19): an analyst imports a diagram with two
flows SpiffWorkflow refuses and sees both in one check, each with its element; then a diagram whose steps
have no `kind` and sees what the check inferred, as notes that do not block publishing."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.browser.test_dossier_walk import log_in
from tests.unit.test_bpmn_check import diagram, flow

CODE = "1.001193"
C7 = Path(__file__).resolve().parents[1] / "data" / "camunda7"


@pytest.fixture
def live_server(app):
    """The app on a loopback port: from MOTCUA_TEST_PORTS ("5400-5499") when set, else any free one."""
    from werkzeug.serving import make_server

    low, _, high = os.environ.get("MOTCUA_TEST_PORTS", "0-0").partition("-")
    server = None
    for port in range(int(low), int(high or low) + 1):
        try:
            server = make_server("127.0.0.1", port, app, threaded=True)
            break
        except (OSError, SystemExit):
            continue
    server = server or make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


def two_gateways() -> str:
    """Two exclusive gateways, each with a flow that has no condition and is not the default."""
    return diagram(
        '<bpmn:startEvent id="Start_1" />'
        '<bpmn:userTask id="Task_Intake" name="Tiếp nhận" camunda:candidateGroups="mot_cua" camunda:formRef="intake" />'
        '<bpmn:exclusiveGateway id="Gateway_A" />'
        '<bpmn:userTask id="Task_B" name="Thẩm định" camunda:candidateGroups="chuyen_vien" camunda:formRef="appraisal" />'
        '<bpmn:exclusiveGateway id="Gateway_C" />'
        '<bpmn:endEvent id="End_1" /><bpmn:endEvent id="End_2" /><bpmn:endEvent id="End_3" />'
        + flow("F1", "Start_1", "Task_Intake") + flow("F2", "Task_Intake", "Gateway_A")
        + flow("F3", "Gateway_A", "Task_B", "intake_decision == 'receive'") + flow("F4", "Gateway_A", "End_1")
        + flow("F5", "Task_B", "Gateway_C") + flow("F6", "Gateway_C", "End_2", "intake_decision == 'x'")
        + flow("F7", "Gateway_C", "End_3"))


def import_file(page, path: Path) -> None:
    page.set_input_files("#bpmn-file", str(path))
    page.locator("#bpmn-file").locator("xpath=ancestor::form[1]").locator("button[type=submit]").click()
    page.wait_for_selector("[data-studio][data-ready='1']", timeout=20000)


def test_an_analyst_sees_every_refused_flow_in_one_check_and_what_was_inferred(chromium, live_server, screenshot,
                                                                               tmp_path):
    analyst = log_in(chromium, live_server, "analyst1")
    analyst.goto(f"{live_server}/studio/{CODE}")
    analyst.wait_for_selector("[data-studio][data-ready='1']", timeout=20000)

    broken = tmp_path / "hai-cong.bpmn"
    broken.write_text(two_gateways(), encoding="utf-8")
    import_file(analyst, broken)
    problems = analyst.inner_text("#studio-problems")
    for element in ("F4", "F7"):
        assert f"{element}: luồng đi ra từ cổng rẽ nhánh chưa có điều kiện và không phải luồng mặc định" in problems
    assert "(process.bpmn)" in problems and "Traceback" not in problems
    # no drawing (bpmndi): laid out (bpmn-auto-layout) and said so in Vietnamese, not bpmn-js's English error
    assert "tự sắp xếp" in analyst.inner_text("#studio-status")
    assert analyst.locator("#studio-canvas .djs-connection[data-element-id=F4]").count() == 1
    screenshot(analyst, "studio-camunda7-01-every-error")

    drawn = tmp_path / "khong-ghi-kind.bpmn"
    drawn.write_text((C7 / "no_kinds" / "process.bpmn").read_text(encoding="utf-8")
                     .replace('camunda:formRef="ghi_chu"', 'camunda:formRef="appraisal"'), encoding="utf-8")
    import_file(analyst, drawn)
    assert analyst.is_visible("#studio-clean")
    notes = analyst.inner_text("#studio-notes")
    assert "Task_Receive: bước không ghi kind được hiểu là tiếp nhận (intake)" in notes
    assert "Task_Return: bước không ghi kind được hiểu là trả kết quả (return)" in notes
    assert analyst.is_visible("text=Ghi chú (không chặn công bố)")
    screenshot(analyst, "studio-camunda7-02-inferred-notes")
