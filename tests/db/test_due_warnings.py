"""Before a due time the responsible official and the unit's leader are warned, once, via the outbox."""
from __future__ import annotations

from sqlalchemy import select

from engine.messaging.outbox import deliver_pending
from engine.models import OutboxMessage, User
from engine.operations.jobs import deliver_outbox, warn_due_soon
from engine.org.accounts import get_unit
from engine.org.office_hours import set_office_hours
from tests.procedures.drive import new_dossier, step
from tests.race import race


def messages(session, kind: str | None = None) -> list[tuple[str, str]]:
    session.expire_all()
    query = select(OutboxMessage.kind, User.username).join(User, User.id == OutboxMessage.user_id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return sorted(session.execute(query.order_by(OutboxMessage.id)).tuples())


def test_the_specialist_and_the_leader_are_warned_one_working_day_before_the_step_is_due(session, clock):
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")  # appraisal P7D: due Wednesday 11/3 09:00
    clock.set(2026, 3, 10, 8, 59)
    assert warn_due_soon(session, clock()) == 0
    clock.set(2026, 3, 10, 9, 0)
    assert warn_due_soon(session, clock()) == 2
    assert messages(session) == [("task_due_soon", "leader1"), ("task_due_soon", "specialist1")]
    message = session.scalars(select(OutboxMessage).where(OutboxMessage.user_id.is_not(None))).first()
    assert dossier.code in message.subject and "09:00 ngày 11/03/2026" in message.body
    assert message.state == "pending" and message.recipient.endswith("@motcua.example.vn")
    clock.advance(minutes=30)
    assert warn_due_soon(session, clock()) == 0


def test_a_dossier_near_its_due_time_warns_whoever_holds_it_and_the_leader(session, clock):
    dossier = new_dossier(session, clock, "birth")  # same day: due 17:00
    step(session, clock, dossier, "Task_Intake", "receive")
    warn_due_soon(session, clock())
    assert messages(session, "dossier_due_soon") == [("dossier_due_soon", "leader1"),
                                                     ("dossier_due_soon", "specialist1")]


def test_the_warning_lead_is_configurable_per_unit(session, clock):
    set_office_hours(session, get_unit(session, "H26.70"), "07:30-11:30,13:00-17:00", "15:00", None, clock(), "P2D")
    session.commit()
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")
    clock.set(2026, 3, 9, 9, 0)
    assert messages(session) == [] and warn_due_soon(session, clock()) == 2


def test_two_schedulers_write_each_warning_once(sessions, session, clock):
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")
    clock.set(2026, 3, 10, 10, 0)
    counts = race(sessions, 2, lambda own, _i: warn_due_soon(own, clock()))
    assert sum(counts) == 2 and len(messages(session)) == 2


def test_messages_stay_pending_until_a_sender_is_configured_and_failures_are_retried(session, clock):
    dossier = new_dossier(session, clock, "birth")
    step(session, clock, dossier, "Task_Intake", "receive")
    warn_due_soon(session, clock())
    assert deliver_outbox(session, clock()) == 0
    sent = []

    def flaky(message: OutboxMessage) -> None:
        if message.kind == "dossier_due_soon":
            raise OSError("máy chủ thư không trả lời")
        sent.append(message.id)

    delivered = deliver_pending(session, clock(), flaky)
    session.commit()
    assert delivered == len(sent) > 0
    failed = session.scalars(select(OutboxMessage).where(OutboxMessage.state == "pending",
                                                     OutboxMessage.kind != "national_portal")).all()
    assert failed and all(m.kind == "dossier_due_soon" and m.attempts == 1 and "không trả lời" in m.last_error
                          and m.next_attempt_at > clock() for m in failed)
    assert deliver_pending(session, clock(), flaky) == 0  # not yet time to retry
