"""The checks of what breaks a dossier at run time: decision options no flow takes, gateways without a default
whose conditions miss a value, and paths whose step budgets pass the legal time limit (issue #20)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from engine.catalogue.procedures import check_path

MINI = Path(__file__).resolve().parents[1] / "data" / "bpmn" / "mini"
RECEIVE = 'intake_decision == "receive"'
REFUSE = 'intake_decision in ("refuse", "supplement")'


def folder(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    """A copy of the small test folder with (file, old, new) edits."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    for name, old, new in edits:
        text = (target / name).read_text(encoding="utf-8")
        assert old in text, old
        (target / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def problems(path: Path) -> list[str]:
    return [p.message for p in check_path(path)]


def elements(path: Path) -> list[str]:
    return [p.element for p in check_path(path)]


# --- decision options ------------------------------------------------------------------------------

def test_a_radio_option_that_no_outgoing_flow_takes_is_named_with_its_label(tmp_path):
    path = folder(tmp_path, ("process.bpmn", REFUSE, 'intake_decision == "refuse"'))
    assert problems(path) == ["lựa chọn intake_decision = 'supplement' (Bổ sung) không có luồng nào ra khỏi cổng "
                              "'Gateway_Intake' xử lý: hồ sơ chọn nó sẽ dừng với lỗi; hãy thêm luồng có điều kiện "
                              "cho lựa chọn này, bỏ lựa chọn khỏi biểu mẫu, hoặc đặt luồng mặc định"]
    assert elements(path) == ["Gateway_Intake"]


def test_an_option_added_to_the_form_without_a_flow_is_dead(tmp_path):
    path = folder(tmp_path, ("intake.form", '{"label": "Từ chối", "value": "refuse"}',
                             '{"label": "Từ chối", "value": "refuse"}, {"label": "Chuyển", "value": "transfer"}'))
    assert [m for m in problems(path) if "'transfer' (Chuyển)" in m] != []


def test_a_select_field_is_checked_like_a_radio(tmp_path):
    path = folder(tmp_path, ("intake.form", '"type": "radio"', '"type": "select"'),
                  ("process.bpmn", REFUSE, 'intake_decision == "refuse"'))
    assert any("'supplement' (Bổ sung)" in m for m in problems(path))


def test_a_default_flow_takes_every_option_no_condition_names(tmp_path):
    path = folder(tmp_path, ("process.bpmn", '<bpmn:exclusiveGateway id="Gateway_Intake">',
                             '<bpmn:exclusiveGateway id="Gateway_Intake" default="Flow_Refuse">'),
                  ("process.bpmn", f">{REFUSE}</bpmn:conditionExpression>", ">True</bpmn:conditionExpression>"))
    text = (path / "process.bpmn").read_text(encoding="utf-8")
    start = text.index('<bpmn:sequenceFlow id="Flow_Refuse"')
    end = text.index("</bpmn:sequenceFlow>", start) + len("</bpmn:sequenceFlow>")
    (path / "process.bpmn").write_text(text[:start] + '<bpmn:sequenceFlow id="Flow_Refuse" sourceRef="Gateway_Intake" '
                                       'targetRef="EndEvent_Refused" />' + text[end:], encoding="utf-8")
    assert problems(path) == []


def test_a_free_number_field_without_a_default_names_a_value_no_condition_takes(tmp_path):
    number = {"id": "Field_fee", "type": "number", "key": "fee", "label": "Lệ phí"}
    path = folder(tmp_path, ("process.bpmn", RECEIVE, "fee &gt; 100"), ("process.bpmn", REFUSE, "fee &lt; 100"))
    form = json.loads((path / "intake.form").read_text(encoding="utf-8"))
    form["components"].append(number)
    (path / "intake.form").write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    found = problems(path)
    assert len(found) == 1 and "không có luồng mặc định" in found[0] and "fee = 100" in found[0], found


def test_conditions_that_cover_a_number_field_pass(tmp_path):
    number = {"id": "Field_fee", "type": "number", "key": "fee", "label": "Lệ phí"}
    path = folder(tmp_path, ("process.bpmn", RECEIVE, "fee &gt;= 100"), ("process.bpmn", REFUSE, "fee &lt; 100"))
    form = json.loads((path / "intake.form").read_text(encoding="utf-8"))
    form["components"].append(number)
    (path / "intake.form").write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    assert problems(path) == []


def test_a_checkbox_read_only_when_true_misses_false(tmp_path):
    box = {"id": "Field_urgent", "type": "checkbox", "key": "urgent", "label": "Khẩn"}
    path = folder(tmp_path, ("process.bpmn", RECEIVE, "urgent"), ("process.bpmn", REFUSE, "urgent and False"))
    form = json.loads((path / "intake.form").read_text(encoding="utf-8"))
    form["components"].append(box)
    (path / "intake.form").write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    assert any("urgent = False" in m for m in problems(path))


def test_a_field_a_script_sets_is_not_judged_from_the_form(tmp_path):
    path = folder(tmp_path, ("process.bpmn", REFUSE, 'intake_decision == "refuse"'),
                  ("process.bpmn", '<bpmn:sequenceFlow id="Flow_Intake_Gateway" sourceRef="Task_Intake" '
                                   'targetRef="Gateway_Intake" />',
                   '<bpmn:sequenceFlow id="Flow_Intake_Gateway" sourceRef="Task_Intake" targetRef="Script_Fix" />'
                   '<bpmn:scriptTask id="Script_Fix" scriptFormat="python"><bpmn:script>'
                   'intake_decision = "refuse" if intake_decision != "receive" else intake_decision'
                   '</bpmn:script></bpmn:scriptTask>'
                   '<bpmn:sequenceFlow id="Flow_Fix" sourceRef="Script_Fix" targetRef="Gateway_Intake" />'))
    assert not any("lựa chọn" in m for m in problems(path))


# --- budgets against the time limit ---------------------------------------------------------------

def test_a_path_whose_budgets_pass_the_time_limit_is_an_error_naming_its_steps(tmp_path):
    path = folder(tmp_path, ("procedure.yaml", "value: 2", "value: 1"))
    assert problems(path) == ["tổng thời hạn các bước trên một đường đi (Tiếp nhận hồ sơ → Phê duyệt) là 1 ngày "
                              "1 giờ làm việc, vượt thời hạn giải quyết 1 ngày làm việc của thủ tục; hãy giảm thời "
                              "hạn (budget) các bước, hoặc ghi lý do vào procedure.yaml (budget_over_limit_reason)"]
    assert elements(path) == ["Task_Approve"]


def test_a_step_that_waits_for_the_applicant_does_not_count_against_the_limit(tmp_path):
    # the same over-long path, its heavy step now the applicant's wait: the statutory clock is stopped then
    path = folder(tmp_path, ("procedure.yaml", "value: 2", "value: 1"),
                  ("process.bpmn", '<camunda:property name="kind" value="approval" />',
                   '<camunda:property name="kind" value="supplement" />'))
    assert not any("tổng thời hạn" in m for m in problems(path))


def test_a_limit_in_working_hours_is_compared_in_minutes(tmp_path):
    path = folder(tmp_path, ("procedure.yaml", "{value: 2, unit: working_days}", "{value: 8, unit: working_hours}"))
    assert any("vượt thời hạn giải quyết 1 ngày" in m for m in problems(path))


def test_a_reason_recorded_in_procedure_yaml_allows_the_longer_path(tmp_path):
    path = folder(tmp_path, ("procedure.yaml", "value: 2", "value: 1"))
    with (path / "procedure.yaml").open("a", encoding="utf-8") as out:
        out.write('budget_over_limit_reason: "Phê duyệt chờ họp UBND, luật cho phép gia hạn"\n')
    assert problems(path) == []


def test_a_path_within_the_limit_passes_and_a_lone_bpmn_file_has_no_limit_to_check(tmp_path):
    assert problems(folder(tmp_path)) == []
    short = folder(tmp_path / "b", ("procedure.yaml", "value: 2", "value: 1"))
    assert problems(short / "process.bpmn") == []


def test_a_timer_without_a_value_is_named(tmp_path):
    path = folder(tmp_path, ("process.bpmn", '<bpmn:endEvent id="EndEvent_Refused">',
                             '<bpmn:endEvent id="EndEvent_Refused">'),
                  ("process.bpmn", '<bpmn:outgoing>Flow_Approve_End</bpmn:outgoing>\n    </bpmn:userTask>',
                   '<bpmn:outgoing>Flow_Approve_End</bpmn:outgoing>\n    </bpmn:userTask>'
                   '<bpmn:boundaryEvent id="Timer_Late" attachedToRef="Task_Approve">'
                   '<bpmn:timerEventDefinition id="TimerDef_Late" /></bpmn:boundaryEvent>'))
    assert any(p.element == "Timer_Late" and "hẹn giờ chưa có" in p.message for p in check_path(path))


def test_an_option_of_the_application_form_that_no_flow_takes_is_named(tmp_path):
    application = {"type": "default", "id": "application", "schemaVersion": 16, "components": [
        {"id": "Field_kind", "type": "radio", "key": "applicant_kind", "label": "Người nộp",
         "values": [{"label": "Cá nhân", "value": "person"}, {"label": "Tổ chức", "value": "organisation"}]}]}
    path = folder(tmp_path, ("process.bpmn", RECEIVE, 'intake_decision == "receive" and applicant_kind == "person"'))
    (path / "application.form").write_text(json.dumps(application, ensure_ascii=False), encoding="utf-8")
    with (path / "procedure.yaml").open("a", encoding="utf-8") as out:
        out.write("application_form: application\n")
    found = problems(path)
    assert found and all("applicant_kind = 'organisation' (Tổ chức)" in m for m in found), found


def in_subprocess(inner: str) -> tuple[str, str, str]:
    """An edit that puts `inner` (the approval step and what goes with it) inside a subprocess on the receive path."""
    return ("process.bpmn", '<bpmn:userTask id="Task_Approve"',
            '<bpmn:subProcess id="Sub_Approve" name="Phê duyệt nhiều cấp">'
            '<bpmn:incoming>Flow_Receive</bpmn:incoming><bpmn:outgoing>Flow_Approve_End</bpmn:outgoing>'
            '<bpmn:startEvent id="Sub_Start"><bpmn:outgoing>Flow_Sub_1</bpmn:outgoing></bpmn:startEvent>'
            + inner + '</bpmn:subProcess>\n    <bpmn:userTask id="Task_Unused"')


def subprocess_folder(tmp_path: Path, inner: str) -> Path:
    path = folder(tmp_path, in_subprocess(inner),
                  ("process.bpmn", 'targetRef="Task_Approve"', 'targetRef="Sub_Approve"'),
                  ("process.bpmn", 'sourceRef="Task_Approve"', 'sourceRef="Sub_Approve"'))
    text = (path / "process.bpmn").read_text(encoding="utf-8")
    start = text.index('<bpmn:userTask id="Task_Unused"')  # the old approval step goes: it lives in the subprocess now
    end = text.index("</bpmn:userTask>", start) + len("</bpmn:userTask>")
    (path / "process.bpmn").write_text(text[:start] + text[end:], encoding="utf-8")
    return path


def test_the_budget_check_counts_the_steps_inside_a_subprocess(tmp_path):
    """Two approvals of 1 day each inside a subprocess, after a 1-hour intake: 2 days 1 hour over a 2-day limit."""
    inner = ('<bpmn:userTask id="Task_Deputy" name="Phó chủ tịch duyệt" camunda:candidateGroups="lanh_dao" '
             'camunda:formRef="approval"><bpmn:extensionElements><camunda:properties>'
             '<camunda:property name="budget" value="P1D" /></camunda:properties></bpmn:extensionElements>'
             '<bpmn:incoming>Flow_Sub_1</bpmn:incoming><bpmn:outgoing>Flow_Sub_2</bpmn:outgoing></bpmn:userTask>'
             '<bpmn:userTask id="Task_Chair" name="Chủ tịch duyệt" camunda:candidateGroups="lanh_dao" '
             'camunda:formRef="approval"><bpmn:extensionElements><camunda:properties>'
             '<camunda:property name="budget" value="P1D" /></camunda:properties></bpmn:extensionElements>'
             '<bpmn:incoming>Flow_Sub_2</bpmn:incoming><bpmn:outgoing>Flow_Sub_3</bpmn:outgoing></bpmn:userTask>'
             '<bpmn:endEvent id="Sub_End"><bpmn:incoming>Flow_Sub_3</bpmn:incoming></bpmn:endEvent>'
             '<bpmn:sequenceFlow id="Flow_Sub_1" sourceRef="Sub_Start" targetRef="Task_Deputy" />'
             '<bpmn:sequenceFlow id="Flow_Sub_2" sourceRef="Task_Deputy" targetRef="Task_Chair" />'
             '<bpmn:sequenceFlow id="Flow_Sub_3" sourceRef="Task_Chair" targetRef="Sub_End" />')
    path = subprocess_folder(tmp_path, inner)
    found = [m for m in problems(path) if "vượt thời hạn" in m]
    assert len(found) == 1, problems(path)
    assert "(Tiếp nhận hồ sơ → Phó chủ tịch duyệt → Chủ tịch duyệt) là 2 ngày 1 giờ làm việc" in found[0]
    # within the limit once one of the approvals is half a day
    half = subprocess_folder(tmp_path / "b", inner.replace('value="P1D"', 'value="PT4H"', 1))
    assert [m for m in problems(half) if "vượt thời hạn" in m] == []


def test_a_nested_subprocess_counts_too_and_the_heaviest_inner_path_is_the_one_counted(tmp_path):
    """Inside the subprocess a gateway chooses a short step or a nested subprocess holding a 2-day step."""
    inner = ('<bpmn:exclusiveGateway id="Sub_Gw" default="Flow_Short"><bpmn:incoming>Flow_Sub_1</bpmn:incoming>'
             '<bpmn:outgoing>Flow_Short</bpmn:outgoing><bpmn:outgoing>Flow_Long</bpmn:outgoing></bpmn:exclusiveGateway>'
             '<bpmn:sequenceFlow id="Flow_Sub_1" sourceRef="Sub_Start" targetRef="Sub_Gw" />'
             '<bpmn:userTask id="Task_Short" name="Duyệt nhanh" camunda:candidateGroups="lanh_dao" '
             'camunda:formRef="approval"><bpmn:extensionElements><camunda:properties>'
             '<camunda:property name="budget" value="PT2H" /></camunda:properties></bpmn:extensionElements>'
             '<bpmn:incoming>Flow_Short</bpmn:incoming></bpmn:userTask>'
             '<bpmn:sequenceFlow id="Flow_Short" sourceRef="Sub_Gw" targetRef="Task_Short" />'
             '<bpmn:subProcess id="Sub_Nested" name="Họp thường trực"><bpmn:incoming>Flow_Long</bpmn:incoming>'
             '<bpmn:startEvent id="Nested_Start"><bpmn:outgoing>Flow_N1</bpmn:outgoing></bpmn:startEvent>'
             '<bpmn:userTask id="Task_Meeting" name="Họp thường trực UBND" camunda:candidateGroups="lanh_dao" '
             'camunda:formRef="approval"><bpmn:extensionElements><camunda:properties>'
             '<camunda:property name="budget" value="P2D" /></camunda:properties></bpmn:extensionElements>'
             '<bpmn:incoming>Flow_N1</bpmn:incoming></bpmn:userTask>'
             '<bpmn:sequenceFlow id="Flow_N1" sourceRef="Nested_Start" targetRef="Task_Meeting" />'
             '</bpmn:subProcess>'
             '<bpmn:sequenceFlow id="Flow_Long" sourceRef="Sub_Gw" targetRef="Sub_Nested">'
             '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">approval_decision == "approve"'
             '</bpmn:conditionExpression></bpmn:sequenceFlow>')
    path = subprocess_folder(tmp_path, inner)
    found = [m for m in problems(path) if "vượt thời hạn" in m]
    assert len(found) == 1, problems(path)
    assert "(Tiếp nhận hồ sơ → Họp thường trực UBND) là 2 ngày 1 giờ làm việc" in found[0]
    assert "Task_Meeting" in elements(path)


def test_the_test_runs_table_counts_the_subprocess_as_the_check_does(tmp_path):
    from engine.catalogue.sandbox import path_budgets

    inner = ('<bpmn:userTask id="Task_Deputy" name="Phó chủ tịch duyệt" camunda:candidateGroups="lanh_dao" '
             'camunda:formRef="approval"><bpmn:extensionElements><camunda:properties>'
             '<camunda:property name="budget" value="P1D" /></camunda:properties></bpmn:extensionElements>'
             '<bpmn:incoming>Flow_Sub_1</bpmn:incoming></bpmn:userTask>'
             '<bpmn:sequenceFlow id="Flow_Sub_1" sourceRef="Sub_Start" targetRef="Task_Deputy" />')
    path = subprocess_folder(tmp_path, inner)
    files = {p.name: p.read_text(encoding="utf-8") for p in path.iterdir()}
    rows = {row.path[-1]: row for row in path_budgets(files, {"time_limit": {"value": 1, "unit": "working_days"}})}
    assert sorted(rows) == ["EndEvent_Done", "EndEvent_Refused"]  # the subprocess's inside ends no path
    assert rows["EndEvent_Done"].steps == ("Task_Intake", "Task_Deputy")
    assert rows["EndEvent_Done"].minutes == 9 * 60 and rows["EndEvent_Done"].exceeds
    assert rows["EndEvent_Refused"].steps == ("Task_Intake",) and not rows["EndEvent_Refused"].exceeds
