"""Every bundled procedure driven through every branch, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.ground.errors import Invalid
from engine.models import Event, WorkflowState
from tests.procedures.drive import new_dossier, ready_tasks, step

PROCEDURES = ["birth", "business", "permit"]


def _to_approval(session, clock, dossier, procedure: str, proposal: str = "propose_approve") -> None:
    step(session, clock, dossier, "Task_Appraise", proposal)
    if procedure == "permit":
        step(session, clock, dossier, "Task_Consult", "consult")


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_a_received_dossier_is_appraised_approved_and_returned(session, clock, procedure):
    dossier = new_dossier(session, clock, procedure)
    assert dossier.status == "submitted"
    step(session, clock, dossier, "Task_Intake", "receive")
    assert dossier.status == "received" and dossier.received_at == clock() and dossier.due_at >= clock()
    clock.advance(minutes=30)
    _to_approval(session, clock, dossier, procedure)
    assert dossier.status == "in_progress"
    step(session, clock, dossier, "Task_Approve", "approve")
    assert (dossier.status, dossier.result) == ("done", "approved")
    step(session, clock, dossier, "Task_Return", "return")
    assert dossier.status == "returned" and dossier.returned_at == clock()
    assert ready_tasks(session, dossier) == []
    state = session.get(WorkflowState, dossier.id)
    assert state.state["completed"] is True and "spec" not in state.state
    kinds = session.scalars(select(Event.kind).where(Event.dossier_id == dossier.id)).all()
    assert {"dossier.created", "dossier.received", "dossier.done", "dossier.returned"} <= set(kinds)


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_refusal_at_intake_ends_the_dossier(session, clock, procedure):
    dossier = new_dossier(session, clock, procedure)
    step(session, clock, dossier, "Task_Intake", "intake_refuse")
    assert (dossier.status, dossier.result) == ("refused", "refused")
    assert ready_tasks(session, dossier) == []


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_supplement_at_intake_waits_for_the_applicant_then_intake_again(session, clock, procedure):
    dossier = new_dossier(session, clock, procedure)
    code = dossier.code
    step(session, clock, dossier, "Task_Intake", "intake_supplement")
    assert dossier.status == "supplement_at_intake" and dossier.received_at is None
    clock.advance(days=1)
    step(session, clock, dossier, "Task_IntakeSupplement", "supplied")
    assert dossier.status == "submitted"
    step(session, clock, dossier, "Task_Intake", "receive")
    assert dossier.status == "received" and dossier.code == code and dossier.received_at == clock()


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_supplement_in_handling_stops_then_resumes_the_clock(session, clock, procedure):
    dossier = new_dossier(session, clock, procedure)
    step(session, clock, dossier, "Task_Intake", "receive")
    due_before = dossier.due_at
    step(session, clock, dossier, "Task_Appraise", "appraisal_supplement")
    assert dossier.status == "supplement_requested" and dossier.paused_at == clock()
    clock.advance(days=2)  # Monday to Wednesday: two working days waiting
    step(session, clock, dossier, "Task_Supplement", "supplied")
    assert dossier.status == "in_progress" and dossier.paused_at is None
    assert dossier.due_at > due_before
    with pytest.raises(Invalid) as refused:
        step(session, clock, dossier, "Task_Appraise", "appraisal_supplement")
    assert "appraisal_decision" in refused.value.fields
    session.rollback()
    _to_approval(session, clock, dossier, procedure)
    step(session, clock, dossier, "Task_Approve", "approve")
    assert dossier.status == "done"


@pytest.mark.parametrize("procedure", PROCEDURES)
def test_a_leader_sends_back_and_then_refuses_with_reasons(session, clock, procedure):
    dossier = new_dossier(session, clock, procedure)
    step(session, clock, dossier, "Task_Intake", "receive")
    _to_approval(session, clock, dossier, procedure)
    step(session, clock, dossier, "Task_Approve", "send_back")
    assert dossier.status == "in_progress"
    _to_approval(session, clock, dossier, procedure, "propose_refuse")
    step(session, clock, dossier, "Task_Approve", "approval_refuse")
    assert (dossier.status, dossier.result) == ("done", "refused")
    step(session, clock, dossier, "Task_Return", "return")
    assert dossier.status == "returned"
