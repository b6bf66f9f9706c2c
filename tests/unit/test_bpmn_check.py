"""What `check_bpmn` and `check_path` tell a modeler about a diagram, one behaviour per test."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from bpmn.check import check_bpmn, folder_problems
from bpmn.parser import MotcuaParser, script_engine
from engine.calendar.working import parse_budget
from engine.catalogue.procedures import check_path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "bpmn"
MINI = DATA / "mini"
FOREIGN = DATA / "foreign"
BUNDLED = sorted(p for p in (ROOT / "procedures").iterdir() if (p / "procedure.yaml").is_file())
FORM_KEYS = {"intake": {"intake_decision"}, "approval": {"approval_decision"}}
BASE = (MINI / "process.bpmn").read_text(encoding="utf-8")


def check(text: str, extra_keys: frozenset[str] = frozenset()) -> list[str]:
    """The problems of a diagram in the small test folder, as the lines the CLI prints."""
    return [str(p) for p in check_bpmn("process.bpmn", text, FORM_KEYS, extra_keys, parse_budget)]


def variant(old: str, new: str) -> str:
    """The small test diagram with one edit."""
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def diagram(body: str, header: str = '<bpmn:process id="Process_T" isExecutable="true">') -> str:
    """A minimal diagram around a process body."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_T" '
        f'targetNamespace="http://bpmn.io/schema/bpmn">\n{header}\n{body}\n</bpmn:process>\n</bpmn:definitions>\n'
    )


def flow(fid: str, src: str, dst: str, condition: str | None = None) -> str:
    if condition is None:
        return f'<bpmn:sequenceFlow id="{fid}" sourceRef="{src}" targetRef="{dst}" />'
    return (f'<bpmn:sequenceFlow id="{fid}" sourceRef="{src}" targetRef="{dst}">'
            f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}</bpmn:conditionExpression>'
            '</bpmn:sequenceFlow>')


INTAKE_TASK = ('<bpmn:userTask id="Task_Intake" name="Tiếp nhận hồ sơ" camunda:candidateGroups="mot_cua" camunda:formRef="intake" />')


# --- what is clean ---------------------------------------------------------------------------------

@pytest.mark.parametrize("folder", BUNDLED, ids=lambda p: p.name)
def test_each_bundled_procedure_folder_checks_clean(folder):
    assert [str(p) for p in check_path(folder)] == []


def test_there_are_three_bundled_procedures_to_check():
    assert len(BUNDLED) == 3


def test_the_small_test_folder_checks_clean():
    assert [str(p) for p in check_path(MINI)] == []


def test_a_single_bpmn_file_is_checked_against_the_forms_beside_it():
    assert [str(p) for p in check_path(MINI / "process.bpmn")] == []


def test_a_single_bpmn_file_whose_form_is_not_beside_it_names_the_task(tmp_path):
    (tmp_path / "process.bpmn").write_text(BASE, encoding="utf-8")
    (tmp_path / "intake.form").write_text((MINI / "intake.form").read_text(encoding="utf-8"), encoding="utf-8")
    problems = [str(p) for p in check_path(tmp_path / "process.bpmn")]
    assert problems == [f"{tmp_path}/process.bpmn:22: Task_Approve: biểu mẫu 'approval' không có trong thư mục thủ tục"]


def test_a_missing_path_is_one_problem_naming_it(tmp_path):
    missing = tmp_path / "khong-co"
    assert [str(p) for p in check_path(missing)] == [f"{missing}: -: không tìm thấy tệp hoặc thư mục"]


def test_a_role_may_come_from_the_lane_instead_of_candidate_groups():
    text = variant('camunda:candidateGroups="lanh_dao" ', "").replace(
        '<bpmn:process id="Process_Mini" name="Thủ tục thử" isExecutable="true">',
        '<bpmn:process id="Process_Mini" isExecutable="true"><bpmn:laneSet id="LaneSet_1">'
        '<bpmn:lane id="Lane_lanh_dao" name="Lãnh đạo"><bpmn:flowNodeRef>Task_Approve</bpmn:flowNodeRef></bpmn:lane>'
        '<bpmn:lane id="Lane_mot_cua"><bpmn:flowNodeRef>Task_Intake</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>')
    assert check(text) == []


# --- files that are not (good) XML or BPMN ---------------------------------------------------------

def test_malformed_xml_names_the_line():
    problems = check(variant('<bpmn:endEvent id="EndEvent_Done">', '<bpmn:endEvent id="EndEvent_Done"'))
    assert len(problems) == 1
    assert problems[0].startswith("process.bpmn:33: -: XML không hợp lệ")


def test_an_xsd_violation_names_the_line_and_element_in_prefix_form_in_words():
    problems = check(variant('<bpmn:startEvent id="StartEvent_1">', '<bpmn:startEvent id="StartEvent_1" hurry="yes">'))
    assert problems == ["process.bpmn:4: StartEvent_1: không đúng lược đồ BPMN 2.0: phần tử <bpmn:startEvent> "
                        "không được có thuộc tính 'hurry'"]


def test_every_xsd_violation_is_listed():
    text = variant('<bpmn:startEvent id="StartEvent_1">', '<bpmn:startEvent id="StartEvent_1" hurry="yes">')
    text = text.replace('<bpmn:endEvent id="EndEvent_Done">', '<bpmn:endEvent id="EndEvent_Done" late="1">')
    assert [p.split(":")[1] for p in check(text)] == ["4", "32"]


def test_a_repeated_element_id_says_where_it_was_first_used():
    problems = check(variant('id="EndEvent_Refused"', 'id="EndEvent_Done"'))
    assert problems == ["process.bpmn:35: EndEvent_Done: mã phần tử 'EndEvent_Done' bị trùng với phần tử ở dòng 32"]


@pytest.mark.parametrize("name", ["not_bpmn.bpmn", "empty.bpmn"])
def test_a_file_that_is_not_bpmn_is_one_clear_problem(name):
    problems = [str(p) for p in check_path(FOREIGN / name)]
    assert len(problems) == 1
    assert "không phải sơ đồ BPMN" in problems[0] and problems[0].startswith(f"{FOREIGN}/{name}")


def test_other_xml_is_told_which_root_element_was_expected():
    problems = check('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>')
    assert problems == ['process.bpmn:2: -: không phải sơ đồ BPMN 2.0: phần tử gốc là <svg>, cần <bpmn:definitions '
                        'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">']


# --- user tasks ------------------------------------------------------------------------------------

def test_a_user_task_without_a_role_is_named():
    assert check(variant('camunda:candidateGroups="lanh_dao" ', "")) == [
        "process.bpmn:22: Task_Approve: tác vụ người dùng chưa có vai trò: hãy ghi camunda:candidateGroups "
        "(ví dụ chuyen_vien) hoặc đặt bước vào một làn (lane) mang tên vai trò"]


def test_blank_candidate_groups_are_no_role():
    assert check(variant('camunda:candidateGroups="lanh_dao"', 'camunda:candidateGroups=" , "')) == [
        "process.bpmn:22: Task_Approve: tác vụ người dùng chưa có vai trò: hãy ghi camunda:candidateGroups "
        "(ví dụ chuyen_vien) hoặc đặt bước vào một làn (lane) mang tên vai trò"]


def test_a_user_task_without_a_form_is_named():
    assert check(variant(' camunda:formRef="approval"', "")) == [
        "process.bpmn:22: Task_Approve: tác vụ người dùng chưa có biểu mẫu (camunda:formRef)"]


def test_a_form_ref_to_a_missing_form_is_named():
    assert check(variant('camunda:formRef="approval"', 'camunda:formRef="approvel"')) == [
        "process.bpmn:22: Task_Approve: biểu mẫu 'approvel' không có trong thư mục thủ tục"]


def test_a_bad_budget_is_named_with_its_value():
    problems = check(variant('value="P1D"', 'value="P2X"'))
    assert len(problems) == 1
    assert problems[0].startswith("process.bpmn:22: Task_Approve: budget: Thời lượng không hợp lệ: 'P2X'")


def test_a_budget_in_months_is_refused_because_it_is_not_working_time():
    assert "'P1M'" in check(variant('value="P1D"', 'value="P1M"'))[0]


def test_a_bad_kind_lists_the_kinds_allowed():
    assert check(variant('value="approval"', 'value="approve"')) == [
        "process.bpmn:22: Task_Approve: kind 'approve' không hợp lệ "
        "(một trong intake, appraisal, approval, return, consult, supplement, payment)"]


def test_java_listeners_are_refused_rather_than_ignored_and_an_assignee_is_read():
    text = variant('camunda:formRef="approval"', 'camunda:formRef="approval" camunda:assignee="demo"')
    text = text.replace("<camunda:properties>", '<camunda:taskListener class="vn.Listener" event="create" />'
                                                "<camunda:properties>", 1)
    problems = check(text)
    assert problems == ["process.bpmn:9: Task_Intake: chưa hỗ trợ camunda:taskListener (bộ lắng nghe tác vụ)"]


# --- conditions, decision fields and scripts -------------------------------------------------------

def test_a_condition_reading_a_field_no_earlier_form_has_names_the_flow_and_field():
    assert check(variant('intake_decision == "receive"', 'intake_decison == "receive"')) == [
        "process.bpmn:41: Flow_Receive: điều kiện đọc trường 'intake_decison' "
        "không có trong biểu mẫu của bước nào trước đó"]


def test_a_condition_may_not_read_a_field_filled_only_in_a_later_step():
    problems = check(variant('intake_decision == "receive"', 'approval_decision == "approve"'))
    assert problems == ["process.bpmn:41: Flow_Receive: điều kiện đọc trường 'approval_decision' "
                        "không có trong biểu mẫu của bước nào trước đó"]


def test_a_condition_may_read_a_field_of_the_application_form():
    text = variant('intake_decision == "receive"', 'intake_decision == "receive" and not urgent')
    assert check(text, extra_keys=frozenset({"urgent"})) == []
    assert "'urgent'" in check(text)[0]


def test_a_condition_may_read_a_variable_an_earlier_script_task_sets():
    body = "\n".join([
        '<bpmn:startEvent id="StartEvent_1" />', INTAKE_TASK,
        '<bpmn:scriptTask id="Script_Fee" scriptFormat="python"><bpmn:script>fee = 10 if intake_decision == "receive" '
        'else 0</bpmn:script></bpmn:scriptTask>',
        '<bpmn:exclusiveGateway id="Gateway_Fee" />', '<bpmn:endEvent id="End_A" />', '<bpmn:endEvent id="End_B" />',
        flow("F1", "StartEvent_1", "Task_Intake"), flow("F2", "Task_Intake", "Script_Fee"), flow("F3", "Script_Fee", "Gateway_Fee"),
        flow("F4", "Gateway_Fee", "End_A", "fee &gt; 0"), flow("F5", "Gateway_Fee", "End_B", "fee == 0 and paid"),
    ])
    assert check(diagram(body)) == [
        "process.bpmn:14: F5: điều kiện đọc trường 'paid' không có trong biểu mẫu của bước nào trước đó"]


def test_a_condition_with_a_syntax_error_is_named():
    assert check(variant('intake_decision == "receive"', 'intake_decision == = "receive"')) == [
        "process.bpmn:41: Flow_Receive: điều kiện: lỗi cú pháp ở dòng 1: invalid syntax"]


def test_a_camunda_juel_condition_of_a_common_shape_is_accepted():
    assert check(variant('intake_decision == "receive"', '${intake_decision == "receive"}')) == []


def test_a_camunda_juel_condition_beyond_the_common_shapes_is_told_to_be_written_in_python():
    problems = check(variant('intake_decision == "receive"', '${execution.getVariable("intake_decision")}'))
    assert problems == ["process.bpmn:41: Flow_Receive: điều kiện: biểu thức JUEL "
                        "'${execution.getVariable(\"intake_decision\")}' vượt quá các dạng thường gặp được tự chuyển "
                        "(${approved}, ${!approved}, ${amount > 1000}, ${x == 'y'}, &&, ||, empty); "
                        "hãy viết biểu thức Python, ví dụ intake_decision == 'receive'"]


def test_a_blank_condition_is_refused_instead_of_failing_when_a_dossier_reaches_it():
    assert check(variant('intake_decision == "receive"', "  ")) == [
        "process.bpmn:41: Flow_Receive: điều kiện: trống; hãy viết biểu thức Python (ví dụ intake_decision == 'receive')"]


def test_a_condition_in_another_language_is_refused():
    text = variant('<bpmn:conditionExpression xsi:type', '<bpmn:conditionExpression language="javascript" xsi:type')
    assert check(text) == [
        "process.bpmn:41: Flow_Receive: điều kiện: ngôn ngữ 'javascript' chưa được hỗ trợ, chỉ chạy biểu thức Python"]


@pytest.mark.parametrize(("script", "message"), [
    ("import os", "không được import module"),
    ("from os import path", "không được import module"),
    ("data = open('/etc/passwd').read()", "không được dùng 'open'"),
    ("kind = fee.__class__", "không được truy cập thuộc tính '__class__'"),
    ("x = __import__('os')", "không được dùng '__import__'"),
    ("x = getattr(fee, 'real')", "không được dùng 'getattr'"),
])
def test_a_script_task_that_escapes_the_restricted_language_is_refused_by_the_check(script, message):
    body = "\n".join([
        '<bpmn:startEvent id="StartEvent_1" />',
        f'<bpmn:scriptTask id="Script_Bad" scriptFormat="python"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>',
        '<bpmn:endEvent id="EndEvent_1" />', flow("F1", "StartEvent_1", "Script_Bad"), flow("F2", "Script_Bad", "EndEvent_1"),
    ])
    assert check(diagram(body)) == [f"process.bpmn:5: Script_Bad: kịch bản: {message}"]


def test_a_groovy_script_task_is_refused():
    body = "\n".join([
        '<bpmn:startEvent id="StartEvent_1" />',
        '<bpmn:scriptTask id="Script_G" scriptFormat="groovy"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>',
        '<bpmn:endEvent id="EndEvent_1" />', flow("F1", "StartEvent_1", "Script_G"), flow("F2", "Script_G", "EndEvent_1"),
    ])
    assert check(diagram(body)) == [
        "process.bpmn:5: Script_G: kịch bản: ngôn ngữ 'groovy' chưa được hỗ trợ, chỉ chạy biểu thức Python"]


# --- the shape of the process ----------------------------------------------------------------------

def test_an_unreachable_task_is_named():
    text = variant('sourceRef="Gateway_Intake" targetRef="Task_Approve"', 'sourceRef="Gateway_Intake" targetRef="EndEvent_Done"')
    assert check(text) == ["process.bpmn:22: Task_Approve: phần tử không thể tới được từ sự kiện bắt đầu"]


def test_a_flow_to_an_element_that_does_not_exist_is_named():
    problems = check(variant('targetRef="EndEvent_Refused"', 'targetRef="EndEvent_Nowhere"'))
    assert "process.bpmn:43: Flow_Refuse: luồng có targetRef='EndEvent_Nowhere' không phải phần tử nào của quy trình" \
        in problems


def test_a_process_without_a_start_event_is_named():
    text = variant('<bpmn:startEvent id="StartEvent_1">\n      <bpmn:outgoing>Flow_Start</bpmn:outgoing>\n'
                   '    </bpmn:startEvent>', "")
    assert "process.bpmn:3: Process_Mini: quy trình không có sự kiện bắt đầu" in check(text)


def test_a_diagram_without_an_executable_process_is_refused():
    assert check(variant('isExecutable="true"', 'isExecutable="false"')) == [
        'process.bpmn:2: Definitions_Mini: không có quy trình nào có thể thực thi (bpmn:process isExecutable="true")']


def test_two_executable_processes_are_refused_because_only_one_would_run():
    text = BASE.replace("</bpmn:definitions>",
                        '<bpmn:process id="Process_Other" isExecutable="true"><bpmn:startEvent id="S2" />'
                        "</bpmn:process></bpmn:definitions>")
    assert check(text) == []  # one file is fine on its own; the folder has two entries
    problems = [str(p) for p in folder_problems({"process.bpmn": text}, "d")]
    assert len(problems) == 1 and problems[0].startswith(
        "d/process.bpmn:48: Process_Other: có 2 quy trình có thể bắt đầu hồ sơ: Process_Mini (process.bpmn), "
        "Process_Other (process.bpmn)")


def test_a_non_executable_pool_such_as_the_applicant_is_not_checked_as_a_process():
    text = BASE.replace("</bpmn:definitions>",
                        '<bpmn:process id="Process_Citizen" isExecutable="false">'
                        '<bpmn:userTask id="Task_Citizen" name="Công dân nộp hồ sơ" /></bpmn:process></bpmn:definitions>')
    assert check(text) == []


def test_a_condition_inside_a_subprocess_may_read_a_field_of_a_task_before_it():
    body = "\n".join([
        '<bpmn:startEvent id="StartEvent_1" />', INTAKE_TASK,
        '<bpmn:subProcess id="Sub">', '<bpmn:startEvent id="Sub_Start" />', '<bpmn:exclusiveGateway id="Sub_Gw" />',
        '<bpmn:endEvent id="Sub_End_A" />', '<bpmn:endEvent id="Sub_End_B" />', flow("S1", "Sub_Start", "Sub_Gw"),
        flow("S2", "Sub_Gw", "Sub_End_A", "intake_decision == 'receive'"),
        flow("S3", "Sub_Gw", "Sub_End_B", "intake_decision != 'receive'"), "</bpmn:subProcess>",
        '<bpmn:endEvent id="EndEvent_1" />', flow("F1", "StartEvent_1", "Task_Intake"), flow("F2", "Task_Intake", "Sub"),
        flow("F3", "Sub", "EndEvent_1"),
    ])
    assert check(diagram(body)) == []


def test_an_event_subprocess_is_not_reported_unreachable():
    body = "\n".join([
        '<bpmn:startEvent id="StartEvent_1" />', '<bpmn:endEvent id="EndEvent_1" />', flow("F1", "StartEvent_1", "EndEvent_1"),
        '<bpmn:subProcess id="Sub_Cancel" triggeredByEvent="true">',
        '<bpmn:startEvent id="Sub_Start"><bpmn:messageEventDefinition id="Msg_Def" /></bpmn:startEvent>',
        '<bpmn:endEvent id="Sub_End" />', flow("S1", "Sub_Start", "Sub_End"), "</bpmn:subProcess>",
    ])
    assert [p for p in check(diagram(body)) if "không thể tới được" in p] == []


@pytest.mark.parametrize("reserved", ["Start", "End"])
def test_an_element_id_the_workflow_engine_reserves_is_refused(reserved):
    old = "StartEvent_1" if reserved == "Start" else "EndEvent_Done"
    problems = check(BASE.replace(f'"{old}"', f'"{reserved}"'))
    assert len(problems) == 1
    assert f": {reserved}: mã phần tử '{reserved}' trùng tên dành riêng của bộ máy quy trình" in problems[0]


def test_an_element_without_an_id_is_named_by_where_it_sits():
    assert check(variant('<bpmn:endEvent id="EndEvent_Refused">', "<bpmn:endEvent>")) == [
        "process.bpmn:35: Process_Mini: phần tử <bpmn:endEvent> chưa có mã (id)",
        "process.bpmn:43: Flow_Refuse: luồng có targetRef='EndEvent_Refused' không phải phần tử nào của quy trình"]


def test_a_condition_on_a_flow_out_of_a_task_is_refused_because_the_engine_would_ignore_it():
    text = variant('<bpmn:sequenceFlow id="Flow_Approve_End" sourceRef="Task_Approve" targetRef="EndEvent_Done" />',
                   '<bpmn:sequenceFlow id="Flow_Approve_End" sourceRef="Task_Approve" targetRef="EndEvent_Done">'
                   "<bpmn:conditionExpression>approval_decision == 'approve'</bpmn:conditionExpression>"
                   "</bpmn:sequenceFlow>")
    assert check(text) == ["process.bpmn:46: Flow_Approve_End: điều kiện trên luồng không đi ra từ cổng rẽ nhánh "
                           "sẽ bị bỏ qua; hãy rẽ nhánh bằng cổng exclusiveGateway"]


def test_multi_instance_expressions_are_checked_like_conditions():
    loop = ('<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>{}</bpmn:loopCardinality>'
            "</bpmn:multiInstanceLoopCharacteristics>")
    outgoing = "<bpmn:outgoing>Flow_Approve_End</bpmn:outgoing>"
    assert check(variant(outgoing, outgoing + loop.format("len(documents)"))) == []
    assert check(variant(outgoing, outgoing + loop.format("__import__('os')"))) == [
        "process.bpmn:30: Task_Approve: loopCardinality: không được dùng '__import__'"]

# --- timers ----------------------------------------------------------------------------------------

def _timer_diagram(duration: str) -> str:
    return diagram("\n".join([
        '<bpmn:startEvent id="StartEvent_1" />', INTAKE_TASK,
        '<bpmn:boundaryEvent id="Timer_Late" attachedToRef="Task_Intake" cancelActivity="false">'
        f'<bpmn:timerEventDefinition id="TimerDef"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{duration}'
        '</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>',
        '<bpmn:endEvent id="EndEvent_1" />', '<bpmn:endEvent id="End_Late" />',
        flow("F1", "StartEvent_1", "Task_Intake"), flow("F2", "Task_Intake", "EndEvent_1"), flow("F3", "Timer_Late", "End_Late"),
    ]))


def test_a_timer_written_as_camunda_writes_it_checks_clean_and_runs():
    text = _timer_diagram("P2D")
    assert check(text) == []
    parser = MotcuaParser()
    parser.add_bpmn_str(text.encode("utf-8"), filename="process.bpmn")
    workflow = BpmnWorkflow(parser.get_spec("Process_T"), script_engine=script_engine())
    workflow.do_engine_steps()
    due = datetime.fromisoformat(workflow.waiting_events()[0].value)
    assert abs(due - (datetime.now(UTC) + timedelta(days=2))) < timedelta(minutes=1)


@pytest.mark.parametrize(("duration", "message"), [
    ("${settings.reminder}", "hẹn giờ: biểu thức JUEL '${settings.reminder}' vượt quá"),
    ("__import__('os')", "hẹn giờ: không được dùng '__import__'"),
    ("", "hẹn giờ: trống"),
    ("P2X", "hẹn giờ: 'P2X' không phải timeDuration ISO 8601 hợp lệ (ví dụ P2D, PT4H)"),
])
def test_a_timer_that_cannot_run_is_named(duration, message):
    problems = check(_timer_diagram(duration))
    assert len(problems) == 1 and problems[0].startswith(f"process.bpmn:6: Timer_Late: {message}")


# --- diagrams drawn for engines we do not run ------------------------------------------------------

def test_a_camunda_8_zeebe_diagram_says_what_is_unsupported_on_each_element():
    problems = [str(p) for p in check_path(FOREIGN / "zeebe.bpmn")]
    where = f"{FOREIGN}/zeebe.bpmn"
    assert f"{where}:2: Definitions_Zeebe: sơ đồ vẽ cho Camunda 8 (Zeebe) chưa được hỗ trợ; hãy vẽ lại cho Camunda 7 " \
           "(Camunda Platform 7) với camunda:candidateGroups và camunda:formRef" in problems
    assert any(p.startswith(f"{where}:15: Task_Notify: tác vụ dịch vụ (serviceTask) chưa nói gọi bộ kết nối nào;")
               for p in problems)
    assert f"{where}:17: Task_Notify: chưa hỗ trợ zeebe:taskDefinition (gọi job worker của Camunda 8)" in problems
    assert f"{where}:10: Task_Review: chưa hỗ trợ zeebe:assignmentDefinition (hãy dùng camunda:candidateGroups)" \
        in problems


def test_a_complex_gateway_is_named_as_unsupported():
    assert [str(p) for p in check_path(FOREIGN / "complex_gateway.bpmn")] == [
        f"{FOREIGN}/complex_gateway.bpmn:7: Gateway_Complex: chưa hỗ trợ thực thi cổng phức hợp (complexGateway); "
        "hãy dùng cổng inclusiveGateway hoặc exclusiveGateway"]



def test_candidate_groups_written_as_an_expression_are_refused_with_what_to_write():
    problems = check(variant('camunda:candidateGroups="lanh_dao"', 'camunda:candidateGroups="${approverGroup}"'))
    assert problems == ["process.bpmn:22: Task_Approve: camunda:candidateGroups '${approverGroup}' là biểu thức; "
                        "bước phải thuộc một vai trò biết trước để hiện trong danh sách việc của vai trò đó: hãy ghi "
                        "tên vai trò (ví dụ chuyen_vien), và dùng camunda:assignee nếu cần giao cho một người"]


# --- SpiffWorkflow's own errors: all of them, in one run --------------------------------------------

def _two_gateways_without_conditions() -> str:
    """Two exclusive gateways, one after the other, each with an unconditioned flow that is not the default."""
    return diagram(
        '<bpmn:startEvent id="Start_1" />' + INTAKE_TASK +
        '<bpmn:exclusiveGateway id="Gateway_A" />'
        '<bpmn:userTask id="Task_B" name="Thẩm định" camunda:candidateGroups="chuyen_vien" camunda:formRef="intake" />'
        '<bpmn:exclusiveGateway id="Gateway_C" />'
        '<bpmn:endEvent id="End_1" /><bpmn:endEvent id="End_2" /><bpmn:endEvent id="End_3" />'
        + flow("F1", "Start_1", "Task_Intake") + flow("F2", "Task_Intake", "Gateway_A")
        + flow("F3", "Gateway_A", "Task_B", "intake_decision == 'receive'") + flow("F4", "Gateway_A", "End_1")
        + flow("F5", "Task_B", "Gateway_C") + flow("F6", "Gateway_C", "End_2", "intake_decision == 'x'")
        + flow("F7", "Gateway_C", "End_3"))


def test_every_element_spiffworkflow_refuses_is_reported_in_one_run_with_its_id_in_vietnamese():
    problems = check_bpmn("process.bpmn", _two_gateways_without_conditions(), FORM_KEYS, frozenset(), parse_budget)
    spiff = [p for p in problems if "luồng mặc định" in p.message]
    assert [p.element for p in spiff] == ["F4", "F7"]
    assert all("hãy ghi điều kiện" in p.message for p in spiff)


def test_every_spiffworkflow_error_of_a_folder_reaches_the_cli_check_and_publish_alike(tmp_path):
    from engine.catalogue.procedures import check_files

    files = {n: (MINI / n).read_text(encoding="utf-8") for n in ("procedure.yaml", "intake.form", "approval.form")}
    files["process.bpmn"] = _two_gateways_without_conditions()
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    from_cli = [p.element for p in check_path(tmp_path) if "luồng mặc định" in p.message]
    from_publish = [p.element for p in check_files(files, str(tmp_path)) if "luồng mặc định" in p.message]
    assert from_cli == from_publish == ["F4", "F7"]


def test_a_step_without_a_name_is_a_problem_in_words():
    problems = check(variant('name="Phê duyệt"', 'name=" "'))
    assert any("chưa có tên" in p and "Task_Approve" in p for p in problems), problems


def test_a_procedure_yaml_that_does_not_parse_is_said_in_words_with_its_line_and_column():
    from bpmn.folder import FolderError, _parsed_catalogue

    with pytest.raises(FolderError) as caught:
        _parsed_catalogue("code: '1.9'\nname: Thử\ntime_limit: [1, 2\nfee: 0\n", "procedure.yaml")
    assert str(caught.value).startswith("procedure.yaml:4: YAML không hợp lệ, cột ")
    assert "thiếu dấu ']'" in str(caught.value) and "did not find" not in str(caught.value)
