"""Diagrams drawn as Camunda Modeler draws them for Camunda 7 run as they are (issue 19): plain and manual
tasks, the end event ending the dossier, data objects, event-based gateway timers, call activities across
files; what could never move (messages) and what the organisation does not have are refused up front."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.catalogue.procedures import check_path, publish_folder
from engine.dossier import lifecycle as dossiers
from engine.ground.errors import Invalid
from engine.models import Event, Timer
from engine.operations.jobs import fire_due_timers
from tests.procedures.drive import APPLICANT, ready_tasks, user

C7 = Path(__file__).resolve().parents[1] / "data" / "camunda7"
WHO = {"mot_cua": "desk1", "chuyen_vien": "specialist1", "lanh_dao": "leader1"}


def open_dossier(session, clock, folder: Path):
    version, _created = publish_folder(session, folder, clock(), "test")
    dossier = dossiers.create_dossier(session, user(session, "desk1"), version.procedure.code, "in_person",
                                      APPLICANT, {}, clock())
    session.commit()
    return dossier


def complete(session, clock, dossier, element_id: str, data: dict):
    session.expire_all()
    tasks = ready_tasks(session, dossier)
    assert [t.element_id for t in tasks] == [element_id]
    dossiers.complete_task(session, tasks[0].id, user(session, WHO[tasks[0].role]), data, clock())
    session.commit()
    session.expire_all()
    return tasks[0]


def kinds(session, dossier) -> list[str]:
    """The dossier's events, without the lateness class recorded beside them."""
    return [k for k in session.scalars(select(Event.kind).where(Event.dossier_id == dossier.id).order_by(Event.id))
            if k != "dossier.classified"]


def test_a_plain_task_passes_and_a_manual_task_is_a_step_an_official_confirms(session, clock):
    dossier = open_dossier(session, clock, C7 / "manual_steps")
    complete(session, clock, dossier, "Task_Intake", {"intake_decision": "receive"})
    [sign] = ready_tasks(session, dossier)  # Task_Register (a plain task) ran through on its own
    assert (sign.element_id, sign.role, sign.form_id, sign.name) == ("Task_Sign", "chuyen_vien", None,
                                                                      "Ký nháy hồ sơ giấy")
    complete(session, clock, dossier, "Task_Sign", {})
    complete(session, clock, dossier, "Task_Approve", {"approval_decision": "approve"})
    assert ready_tasks(session, dossier) == []


def test_reaching_the_end_event_ends_the_dossier_with_its_events(session, clock):
    dossier = open_dossier(session, clock, C7 / "manual_steps")
    complete(session, clock, dossier, "Task_Intake", {"intake_decision": "receive"})
    complete(session, clock, dossier, "Task_Sign", {})
    clock.advance(hours=1)
    complete(session, clock, dossier, "Task_Approve", {"approval_decision": "refuse"})
    assert (dossier.status, dossier.result, dossier.returned_at) == ("returned", "refused", clock())
    assert kinds(session, dossier)[-3:] == ["task.completed", "dossier.done", "dossier.returned"]


def test_a_process_that_ends_after_a_supplement_at_intake_ends_the_dossier_refused_not_approved(session, clock):
    dossier = open_dossier(session, clock, C7 / "manual_steps")
    complete(session, clock, dossier, "Task_Intake", {"intake_decision": "supplement"})
    assert (dossier.status, dossier.result, dossier.returned_at) == ("refused", "refused", None)
    assert kinds(session, dossier)[-3:] == ["task.completed", "dossier.supplement_requested", "dossier.refused"]


def test_data_objects_and_stores_are_documentation_only(session, clock):
    assert check_path(C7 / "data_objects") == []
    dossier = open_dossier(session, clock, C7 / "data_objects")
    complete(session, clock, dossier, "Task_Intake", {"intake_decision": "receive"})
    complete(session, clock, dossier, "Task_Approve", {"approval_decision": "approve"})
    assert (dossier.status, dossier.result) == ("returned", "approved")


def test_the_first_timer_after_an_event_based_gateway_reaches_the_scheduler_and_takes_its_branch(session, clock):
    clock.set(2026, 3, 2, 9, 0)
    dossier = open_dossier(session, clock, C7 / "event_gateway")
    complete(session, clock, dossier, "Task_Intake", {"intake_decision": "receive"})
    [timer] = session.scalars(select(Timer).where(Timer.dossier_id == dossier.id)).all()
    assert (timer.element_id, timer.state, timer.fire_at) == ("Timer_Remind", "pending", clock.set(2026, 3, 2, 10, 0))
    assert fire_due_timers(session, clock()) == 1
    session.expire_all()
    assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Approve"]
    clock.advance(days=2)  # the other timer was withdrawn with its branch
    assert fire_due_timers(session, clock()) == 0
    complete(session, clock, dossier, "Task_Approve", {"approval_decision": "approve"})
    assert dossier.status == "returned"


def test_a_timer_branch_that_reaches_an_end_event_ends_the_dossier_from_the_scheduler(session, clock, tmp_path):
    folder = tmp_path / "closing"
    shutil.copytree(C7 / "event_gateway", folder)
    text = (folder / "process.bpmn").read_text().replace(">PT1H<", ">P5D<").replace(">P1D<", ">PT1H<")
    text = text.replace('<bpmn:endEvent id="EndEvent_Closed">', '<bpmn:endEvent id="EndEvent_Closed"><bpmn:extensionElements>'
                        '<camunda:properties><camunda:property name="result" value="refused" /></camunda:properties>'
                        '</bpmn:extensionElements>')
    (folder / "process.bpmn").write_text(text)
    clock.set(2026, 3, 2, 9, 0)
    dossier = open_dossier(session, clock, folder)
    complete(session, clock, dossier, "Task_Intake", {"intake_decision": "receive"})
    clock.set(2026, 3, 2, 10, 0)
    assert fire_due_timers(session, clock()) == 1
    session.expire_all()
    assert (dossier.status, dossier.result, ready_tasks(session, dossier)) == ("returned", "refused", [])
    assert kinds(session, dossier)[-3:] == ["timer.fired", "dossier.done", "dossier.returned"]


def test_a_call_activity_runs_the_process_of_another_file_of_the_folder(session, clock):
    dossier = open_dossier(session, clock, C7 / "call_activity")
    assert dossier.version.process_id == "Process_Main"
    complete(session, clock, dossier, "Task_Intake", {"intake_decision": "receive"})
    complete(session, clock, dossier, "Task_Approve", {"approval_decision": "approve"})
    assert (dossier.status, dossier.result) == ("returned", "approved")


def test_two_files_that_could_each_start_a_dossier_are_refused_by_name(tmp_path):
    folder = tmp_path / "two"
    shutil.copytree(C7 / "call_activity", folder)
    main = (folder / "main.bpmn").read_text()
    (folder / "main.bpmn").write_text(main.replace('calledElement="Process_Appraisal"', 'calledElement="Process_Nowhere"'))
    messages = [str(p) for p in check_path(folder)]
    assert any("Call_Appraisal: gọi tiến trình 'Process_Nowhere' không có trong thư mục thủ tục" in m for m in messages)
    assert any("có 2 quy trình có thể bắt đầu hồ sơ: Process_Appraisal (appraisal.bpmn), Process_Main (main.bpmn)"
               in m for m in messages), messages


MESSAGE_START = '<bpmn:startEvent id="StartEvent_1" name="Hồ sơ đến"><bpmn:outgoing>Flow_Start</bpmn:outgoing>' \
                '<bpmn:messageEventDefinition id="Med_1" messageRef="Message_1" /></bpmn:startEvent>'


def test_a_message_start_event_is_the_submission_and_an_unnamed_message_is_refused(session, clock, tmp_path):
    folder = tmp_path / "message"
    shutil.copytree(C7 / "manual_steps", folder)
    text = (folder / "process.bpmn").read_text()
    text = text.replace('<bpmn:startEvent id="StartEvent_1" name="Hồ sơ đến"><bpmn:outgoing>Flow_Start</bpmn:outgoing>'
                        '</bpmn:startEvent>', MESSAGE_START)
    (folder / "process.bpmn").write_text(text.replace("</bpmn:definitions>",
                                                      '<bpmn:message id="Message_1" name="ho_so_den" /></bpmn:definitions>'))
    assert check_path(folder) == []
    dossier = open_dossier(session, clock, folder)
    assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Intake"]  # not waiting at the start

    waiting = text.replace('<bpmn:task id="Task_Register" name="Ghi sổ theo dõi">',
                           '<bpmn:receiveTask id="Task_Register" name="Chờ sổ">')
    (folder / "process.bpmn").write_text(waiting.replace('<bpmn:outgoing>Flow_To_Sign</bpmn:outgoing></bpmn:task>',
                                                         '<bpmn:outgoing>Flow_To_Sign</bpmn:outgoing></bpmn:receiveTask>'))
    [problem] = check_path(folder)
    assert (problem.element, problem.line) == ("Task_Register", 18)
    assert problem.message.startswith("tác vụ nhận (receiveTask) chờ một thông điệp (message) chưa có tên, không ai "
                                      "gửi tới được; hãy chọn một bpmn:message có tên")


def test_a_delivered_message_puts_its_fields_in_the_process_data(session, clock):
    from engine.dossier.messages import deliver_message
    from engine.dossier.workflow import load_workflow

    dossier = open_dossier(session, clock, C7 / "message_wait")
    complete(session, clock, dossier, "Task_Intake", {"intake_decision": "receive"})
    deliver_message(session, dossier, "ket_qua_xac_minh", {"verified": True}, user(session, "leader1"), clock())
    session.commit()
    [approve] = ready_tasks(session, dossier)
    _state, workflow = load_workflow(session, dossier)
    assert workflow.get_task_from_id(__import__("uuid").UUID(approve.task_uuid)).data["verified"] is True
    assert session.scalar(select(Timer.state).where(Timer.dossier_id == dossier.id)) == "cancelled"


@pytest.mark.parametrize(("edit", "named"), [
    (('camunda:candidateGroups="lanh_dao"', 'camunda:candidateGroups="ke_toan"'), "vai trò 'ke_toan'"),
    (('<camunda:property name="kind" value="approval" />',
      '<camunda:property name="kind" value="approval" /><camunda:property name="unit" value="X99" />'),
     "đơn vị mã 'X99'"),
])
def test_a_role_nobody_holds_or_a_unit_that_does_not_exist_is_refused_at_publish(session, clock, tmp_path, edit,
                                                                                  named):
    folder = tmp_path / "org"
    shutil.copytree(C7 / "data_objects", folder)
    (folder / "process.bpmn").write_text((folder / "process.bpmn").read_text().replace(*edit))
    assert check_path(folder) == []  # the files alone are fine: only the organisation says no
    with pytest.raises(Invalid) as err:
        publish_folder(session, folder, clock(), "test")
    assert named in err.value.message and "Task_Approve" in err.value.message


@pytest.mark.parametrize(("complete_", "status", "result"), [(True, "returned", "approved"),
                                                             (False, "returned", "refused")])
def test_juel_conditions_choose_the_branch_after_parallel_steps(session, clock, complete_, status, result):
    dossier = open_dossier(session, clock, C7 / "juel_parallel")
    complete(session, clock, dossier, "Task_Intake", {"intake_decision": "receive"})
    session.expire_all()
    assert sorted(t.element_id for t in ready_tasks(session, dossier)) == ["Task_Archive", "Task_Check"]
    archive = next(t for t in ready_tasks(session, dossier) if t.element_id == "Task_Archive")
    dossiers.complete_task(session, archive.id, user(session, "desk1"), {}, clock())
    session.commit()
    complete(session, clock, dossier, "Task_Check", {"complete": complete_})
    if complete_:
        complete(session, clock, dossier, "Task_Approve", {"approval_decision": "approve"})
    session.expire_all()
    assert (dossier.status, dossier.result, ready_tasks(session, dossier)) == (status, result, [])


def test_a_form_key_names_a_form_file_and_form_data_is_generated_as_a_form(session, clock):
    dossier = open_dossier(session, clock, C7 / "form_key_data")
    with pytest.raises(Invalid):  # the intake form (a form file without an id, found by its name) is checked
        complete(session, clock, dossier, "Task_Intake", {})
    session.rollback()
    complete(session, clock, dossier, "Task_Intake", {"intake_decision": "receive"})
    [review] = ready_tasks(session, dossier)
    assert review.form_id == "formData:Task_Review"
    with pytest.raises(Invalid) as err:
        dossiers.complete_task(session, review.id, user(session, "specialist1"), {"approved": True, "fee": -5},
                               clock())
    session.rollback()
    assert set(err.value.fields) == {"fee"}
    complete(session, clock, dossier, "Task_Review", {"approved": True, "fee": 50000, "channel_back": "post"})
    assert (dossier.status, dossier.result) == ("returned", "approved")


def test_an_embedded_html_form_is_refused_with_what_to_draw_instead(tmp_path):
    folder = tmp_path / "embedded"
    shutil.copytree(C7 / "form_key_data", folder)
    text = (folder / "process.bpmn").read_text()
    (folder / "process.bpmn").write_text(text.replace("camunda-forms:deployment:tiep-nhan.form",
                                                      "embedded:app:forms/intake.html"))
    [problem] = check_path(folder)
    assert (problem.element, problem.line) == ("Task_Intake", 5)
    assert problem.message.startswith("biểu mẫu HTML nhúng (embedded:app:forms/intake.html) không chạy được ở đây; "
                                      "hãy vẽ biểu mẫu bằng Camunda Form")


def _with_assignees(tmp_path, intake: str, approve: str) -> Path:
    folder = tmp_path / "assignees"
    shutil.copytree(C7 / "data_objects", folder)
    text = (folder / "process.bpmn").read_text()
    text = text.replace('name="Tiếp nhận hồ sơ" camunda:candidateGroups', f'name="Tiếp nhận hồ sơ" {intake} camunda:candidateGroups')
    text = text.replace('name="Phê duyệt" camunda:candidateGroups', f'name="Phê duyệt" {approve} camunda:candidateGroups')
    (folder / "process.bpmn").write_text(text)
    return folder


@pytest.mark.parametrize("approve", ['camunda:assignee="leader1"', 'camunda:assignee="${approver}"'])
def test_camunda_assignee_gives_the_step_to_that_official(session, clock, tmp_path, approve):
    folder = _with_assignees(tmp_path, 'camunda:assignee="${initiator}"', approve)
    assert check_path(folder) == []
    version, _created = publish_folder(session, folder, clock(), "test")
    dossier = dossiers.create_dossier(session, user(session, "desk1"), version.procedure.code, "in_person",
                                      APPLICANT, {"approver": "leader1"}, clock())
    session.commit()
    [intake] = ready_tasks(session, dossier)
    assert intake.assignee.username == "desk1"  # ${initiator}: who opened the dossier
    complete(session, clock, dossier, "Task_Intake", {"intake_decision": "receive"})
    [approval] = ready_tasks(session, dossier)
    assert (approval.role, approval.assignee.username) == ("lanh_dao", "leader1")


def test_an_assignee_who_does_not_exist_or_cannot_be_read_is_refused(session, clock, tmp_path):
    folder = _with_assignees(tmp_path, 'camunda:assignee="${task.owner}"', 'camunda:assignee="nobody"')
    [problem] = check_path(folder)
    assert (problem.element, "camunda:assignee '${task.owner}' không đọc được") == (
        "Task_Intake", problem.message[:len("camunda:assignee '${task.owner}' không đọc được")])
    folder = _with_assignees(tmp_path / "b", "", 'camunda:assignee="nobody"')
    with pytest.raises(Invalid) as err:
        publish_folder(session, folder, clock(), "test")
    assert "Task_Approve: camunda:assignee 'nobody' không phải tên đăng nhập của cán bộ nào" in err.value.message
