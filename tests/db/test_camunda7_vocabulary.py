"""More of Camunda 7 as modelers draw it (issue 19): steps without a `kind` given their legal meaning,
`camunda:candidateUsers`, repeating timers, and serviceTasks bound to registered connectors."""
from __future__ import annotations

import shutil

import pytest

from engine.catalogue.procedures import check_notes, check_path, publish_folder
from engine.dossier import lifecycle as dossiers
from engine.ground.errors import Forbidden, Invalid
from tests.db.test_camunda7_diagrams import C7, complete, kinds, open_dossier
from tests.procedures.drive import ready_tasks, user

NO_KINDS = C7 / "no_kinds"


def test_steps_without_kind_are_read_as_intake_and_return_and_check_says_so():
    assert [str(p) for p in check_path(NO_KINDS)] == []
    notes = [(n.element, n.message) for n in check_notes(NO_KINDS)]
    assert [element for element, _ in notes] == ["Task_Receive", "Task_Return"]
    assert "được hiểu là tiếp nhận (intake): bước đầu tiên của bộ phận một cửa" in notes[0][1]
    assert "được hiểu là trả kết quả (return): bước cuối cùng" in notes[1][1]


def test_the_first_desk_step_receives_the_dossier_and_the_last_returns_its_result(session, clock):
    dossier = open_dossier(session, clock, NO_KINDS)
    assert (dossier.status, dossier.received_at) == ("submitted", None)
    complete(session, clock, dossier, "Task_Receive", {"ghi_chu": "đủ giấy tờ"})
    assert dossier.status == "received" and dossier.received_at == clock() and dossier.due_at is not None
    clock.advance(hours=2)
    complete(session, clock, dossier, "Task_Handle", {})
    assert dossier.status == "in_progress"
    clock.advance(hours=2)
    complete(session, clock, dossier, "Task_Return", {})
    assert (dossier.status, dossier.result, dossier.returned_at) == ("returned", "approved", clock())
    assert kinds(session, dossier).count("dossier.returned") == 1
    assert "dossier.received" in kinds(session, dossier)


def test_a_written_kind_wins_over_the_inference(tmp_path):
    folder = tmp_path / "written"
    folder.mkdir()
    for item in NO_KINDS.iterdir():
        (folder / item.name).write_text(item.read_text(encoding="utf-8"), encoding="utf-8")
    text = (folder / "process.bpmn").read_text(encoding="utf-8").replace(
        '<bpmn:userTask id="Task_Return" name="Trả kết quả" camunda:formRef="ghi_chu" camunda:formRefBinding="latest">',
        '<bpmn:userTask id="Task_Return" name="Trả kết quả" camunda:formRef="ghi_chu" camunda:formRefBinding="latest">'
        '<bpmn:extensionElements><camunda:properties><camunda:property name="kind" value="return" />'
        '</camunda:properties></bpmn:extensionElements>')
    (folder / "process.bpmn").write_text(text, encoding="utf-8")
    assert [n.element for n in check_notes(folder)] == ["Task_Receive"]


# --- camunda:candidateUsers: who of the role may claim the step ------------------------------------------

CANDIDATES = C7 / "candidate_users"


def _second_specialist(session, clock):
    from engine.org.accounts import create_user, grant_role

    first = user(session, "specialist1")
    second = create_user(session, "specialist2", "Đặng Thu Trang", "demo1234", clock(), "trang@motcua.example.vn")
    grant_role(session, second, first.grants[0].unit, "chuyen_vien")
    session.commit()
    return second


def _worklist_ids(session, clock, username: str) -> list[str]:
    from engine.dossier.worklist import WorklistQuery, worklist

    return [t.element_id for t in worklist(session, user(session, username), WorklistQuery(), clock()).rows]


def test_candidate_users_alone_see_claim_and_complete_the_step(session, clock):
    _second_specialist(session, clock)
    dossier = open_dossier(session, clock, CANDIDATES)
    complete(session, clock, dossier, "Task_Receive", {"nguoi_xu_ly": "specialist2"})  # ${nguoi_xu_ly}
    [handle] = ready_tasks(session, dossier)
    assert _worklist_ids(session, clock, "specialist2") == ["Task_Handle"]
    assert _worklist_ids(session, clock, "specialist1") == []
    with pytest.raises(Forbidden, match=r"chỉ dành cho cán bộ được chỉ định \(Đặng Thu Trang\)"):
        dossiers.claim_task(session, handle.id, user(session, "specialist1"), clock())
    session.rollback()
    dossiers.complete_task(session, handle.id, user(session, "specialist2"), {}, clock())
    session.commit()
    [review] = ready_tasks(session, dossier)  # camunda:candidateUsers="specialist1"
    with pytest.raises(Forbidden, match="Trần Văn Minh"):
        dossiers.complete_task(session, review.id, user(session, "specialist2"), {}, clock())
    session.rollback()
    dossiers.complete_task(session, review.id, user(session, "specialist1"), {}, clock())
    session.commit()
    assert dossier.status == "returned"


def test_a_candidate_who_cannot_be_resolved_leaves_the_step_open_to_its_role(session, clock):
    _second_specialist(session, clock)
    dossier = open_dossier(session, clock, CANDIDATES)
    complete(session, clock, dossier, "Task_Receive", {"nguoi_xu_ly": "khong_co_ai"})
    assert _worklist_ids(session, clock, "specialist1") == _worklist_ids(session, clock, "specialist2") == [
        "Task_Handle"]


def test_a_candidate_user_who_does_not_exist_is_refused_at_publish_and_an_expression_at_check(session, clock,
                                                                                                tmp_path):
    folder = tmp_path / "candidates"
    shutil.copytree(CANDIDATES, folder)
    text = (folder / "process.bpmn").read_text(encoding="utf-8")
    (folder / "process.bpmn").write_text(text.replace('camunda:candidateUsers="specialist1"',
                                                      'camunda:candidateUsers="specialist1, ghost"'), encoding="utf-8")
    with pytest.raises(Invalid, match="Task_Review: camunda:candidateUsers: 'ghost' không phải tên đăng nhập"):
        publish_folder(session, folder, clock(), "test")
    (folder / "process.bpmn").write_text(text.replace('camunda:candidateUsers="specialist1"',
                                                      'camunda:candidateUsers="${nguoi.xu_ly}"'), encoding="utf-8")
    assert [p.message for p in check_path(folder)] == [
        "camunda:candidateUsers '${nguoi.xu_ly}' không đọc được; hãy ghi các tên đăng nhập cách nhau bằng dấu phẩy, "
        "${initiator} hoặc ${tên_biến} (tên đăng nhập, hay danh sách tên, trong dữ liệu hồ sơ)"]


# --- cron timeCycle, fired by the scheduler on working days --------------------------------------------------

def test_a_cron_reminder_counting_working_time_is_fired_by_the_scheduler_after_the_holidays(session, clock):
    from sqlalchemy import select

    from engine.models import Timer
    from engine.operations.jobs import fire_due_timers

    assert [str(p) for p in check_path(C7 / "cron_reminder")] == []
    clock.set(2026, 4, 29, 9, 0)  # Wednesday; 30/4 and 1/5 are holidays, then a weekend
    dossier = open_dossier(session, clock, C7 / "cron_reminder")
    complete(session, clock, dossier, "Task_Receive", {})
    [timer] = session.scalars(select(Timer).where(Timer.dossier_id == dossier.id)).all()
    assert (timer.element_id, timer.state, timer.fire_at) == ("Timer_Daily", "pending", clock.set(2026, 5, 4, 8, 0))
    assert fire_due_timers(session, clock()) == 1
    session.expire_all()
    [timer] = session.scalars(select(Timer).where(Timer.dossier_id == dossier.id)).all()
    assert (timer.state, timer.fire_at) == ("pending", clock.set(2026, 5, 5, 8, 0))  # the next working day
    assert kinds(session, dossier).count("timer.fired") == 1
    assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Handle"]  # the step stays
    complete(session, clock, dossier, "Task_Handle", {})
    session.expire_all()
    assert dossier.status == "returned"
    assert session.scalar(select(Timer.state).where(Timer.dossier_id == dossier.id)) == "cancelled"


# --- serviceTask: named, registered connectors --------------------------------------------------------------

def test_a_service_task_naming_a_registered_connector_notifies_the_applicant_through_the_outbox(session, clock):
    from sqlalchemy import select

    from engine.dossier.workflow import load_workflow
    from engine.models import OutboxMessage

    assert [str(p) for p in check_path(C7 / "service_notify")] == []
    dossier = open_dossier(session, clock, C7 / "service_notify")
    complete(session, clock, dossier, "Task_Receive", {"ghi_chu": "Hồ sơ đủ thành phần, chuyển thẩm định."})
    [message] = session.scalars(select(OutboxMessage).where(OutboxMessage.dossier_id == dossier.id,
                                                            OutboxMessage.dedupe_key.like("connector:%"))).all()
    assert (message.kind, message.recipient, message.subject, message.state) == (
        "applicant_email", "duc@example.vn", "Hồ sơ đang được thẩm định", "pending")
    assert "Hồ sơ đủ thành phần, chuyển thẩm định." in message.body and dossier.code in message.body
    assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Handle"]
    _state, workflow = load_workflow(session, dossier)
    assert workflow.get_next_task(spec_name="Task_Handle").data["da_thong_bao"] is True


@pytest.mark.parametrize(("implementation", "message"), [
    ('camunda:class="com.acme.SendMail"', "tác vụ dịch vụ (serviceTask) gọi 'SendMail' (camunda:class), không phải "
                                          "bộ kết nối nào đã đăng ký; các bộ kết nối có: notify-applicant ("),
    ('camunda:type="external" camunda:topic="invoice"', "gọi 'invoice' (camunda:topic), không phải bộ kết nối"),
    ('camunda:expression="${mailer.send(x)}"', "dùng camunda:expression (biểu thức JUEL gọi mã Java)"),
    ("", "chưa nói gọi bộ kết nối nào"),
])
def test_a_service_task_that_names_no_registered_connector_is_refused_with_the_known_ones(tmp_path, implementation,
                                                                                          message):
    folder = tmp_path / "service"
    shutil.copytree(C7 / "service_notify", folder)
    text = (folder / "process.bpmn").read_text(encoding="utf-8")
    (folder / "process.bpmn").write_text(text.replace('camunda:delegateExpression="${notifyApplicant}"', implementation),
                                         encoding="utf-8")
    problems = [(p.element, p.message) for p in check_path(folder)]
    assert len(problems) == 1 and problems[0][0] == "Service_Notify" and message in problems[0][1], problems


def test_every_connector_check_accepts_is_one_the_engine_runs():
    from bpmn.connectors import CONNECTORS
    from engine.messaging.connectors import HANDLERS

    assert set(HANDLERS) == set(CONNECTORS)
