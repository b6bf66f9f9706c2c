"""More of Camunda 7 as modelers draw it (issue 19): steps without a `kind` given their legal meaning,
`camunda:candidateUsers`, repeating timers, and serviceTasks bound to registered connectors."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from engine.catalogue.procedures import check_notes, check_path
from engine.models import Event, HumanTask
from tests.db.test_camunda7_diagrams import C7, complete, kinds, open_dossier
from tests.procedures.drive import ready_tasks

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
