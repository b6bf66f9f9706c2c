"""The event log keeps what happened in the order it happened, whichever way each event was written."""
from __future__ import annotations

from sqlalchemy import select

from engine.dossier import lifecycle
from engine.models import Event
from tests.procedures.drive import DATA, new_dossier, ready_tasks, step, user


def kinds(session, dossier) -> list[str]:
    return list(session.scalars(select(Event.kind).where(Event.dossier_id == dossier.id).order_by(Event.id)))


def test_a_claim_then_a_completion_in_one_transaction_are_logged_in_that_order(session, clock):
    dossier = new_dossier(session, clock)
    assert kinds(session, dossier) == ["dossier.created"]
    created = session.scalar(select(Event).where(Event.dossier_id == dossier.id))
    assert created.payload == {"channel": "in_person", "procedure": "1.001193", "version": 1}
    assert created.user_id == user(session, "desk1").id and created.unit_id == dossier.unit_id
    task = ready_tasks(session, dossier)[0]
    desk = user(session, "desk1")
    lifecycle.claim_task(session, task.id, desk, clock())  # an ORM row, still waiting for its flush
    lifecycle.complete_task(session, task.id, desk, DATA["receive"], clock())  # the step's rows, at once
    session.commit()
    assert kinds(session, dossier)[1:] == ["task.claimed", "task.completed", "dossier.received"]
    completed = session.scalar(select(Event).where(Event.dossier_id == dossier.id, Event.kind == "task.completed"))
    assert completed.payload["task"] == "Task_Intake" and completed.payload["data"]["intake_decision"] == "receive"


def test_the_end_of_a_dossier_is_classified_in_the_log_after_its_return(session, clock):
    dossier = new_dossier(session, clock)
    for element, decision in (("Task_Intake", "receive"), ("Task_Appraise", "propose_approve"),
                              ("Task_Approve", "approve"), ("Task_Return", "return")):
        step(session, clock, dossier, element, decision)
    logged = kinds(session, dossier)
    assert logged[-2:] == ["dossier.returned", "dossier.classified"], logged
    classified = session.scalar(select(Event).where(Event.dossier_id == dossier.id,
                                                    Event.kind == "dossier.classified"))
    assert classified.payload["lateness"] == "early" and classified.payload["late_steps"] == []
