"""Fees: a building permit waits in "payment requested" until paid online (signed gateway callback) or
at the desk; the wait is the applicant's time, so the due date moves on by it."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engine.clock.statutory import calendar_for
from engine.dossier import payments
from engine.ground.errors import Forbidden, Invalid
from engine.integrations.payment_gateway import sign
from engine.models import Dossier, Event, OutboxMessage, Payment
from tests.procedures.drive import new_dossier, ready_tasks, step, user
from tests.race import race

SECRET = "test-payment-secret"


def permit_awaiting_fee(session, clock) -> Dossier:
    """A building permit received Monday 2/3/2026 09:00, proposed for approval Tuesday 09:00."""
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")
    clock.set(2026, 3, 3, 9)
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    return dossier


def notice(payment: Payment, txn: str = "GW-0001", amount: int | None = None, status: str = "paid") -> bytes:
    return json.dumps({"order_id": payments.order_id(payment), "transaction_id": txn,
                       "amount": payment.amount if amount is None else amount, "status": status}).encode()


def call_back(session, clock, body: bytes, secret: str = SECRET) -> payments.CallbackAnswer:
    answer = payments.handle_callback(session, body, sign(secret, body), SECRET, clock())
    session.commit()
    return answer


def the_payment(session, dossier) -> Payment:
    session.expire_all()
    return session.scalars(select(Payment).where(Payment.dossier_id == dossier.id)).one()


def test_a_permit_proposed_for_approval_waits_for_its_fee_with_the_clock_paused(session, clock):
    dossier = permit_awaiting_fee(session, clock)
    assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Payment"]
    payment = the_payment(session, dossier)
    assert (payment.amount, payment.status, dossier.status) == (75000, "requested", "payment_requested")
    assert dossier.paused_at == clock()
    portal = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "national_portal",
                                                         OutboxMessage.dossier_id == dossier.id)).all()
    assert [m.payload["record"]["TrangThai"] for m in portal][-1] == 6
    email = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "applicant_email",
                                                        OutboxMessage.dossier_id == dossier.id)
                            .order_by(OutboxMessage.id)).all()[-1]
    assert email.subject == f"Hồ sơ {dossier.code} chờ nộp lệ phí" and "75.000 đồng" in email.body


def test_a_paid_callback_resumes_the_dossier_and_moves_its_due_date_by_the_wait(session, clock):
    dossier = permit_awaiting_fee(session, clock)
    due_before = dossier.due_at
    clock.set(2026, 3, 5, 9)  # two working days later
    answer = call_back(session, clock, notice(the_payment(session, dossier)))
    assert (answer.status, answer.body["status"]) == (200, "paid")
    session.refresh(dossier)
    assert dossier.status == "in_progress" and dossier.paused_at is None
    assert dossier.due_at == calendar_for(dossier.unit).add_working_minutes(due_before, 2 * 8 * 60)
    payment = the_payment(session, dossier)
    assert (payment.status, payment.channel, payment.gateway_txn_id) == ("paid", "online", "GW-0001")
    assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Consult"]
    kinds = session.scalars(select(Event.kind).where(Event.dossier_id == dossier.id)).all()
    assert "payment.paid" in kinds and "dossier.paid" in kinds
    portal = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "national_portal",
                                                         OutboxMessage.dossier_id == dossier.id)
                             .order_by(OutboxMessage.id)).all()
    assert portal[-1].payload["record"]["TrangThai"] == 4 and portal[-1].body == "dossier.paid"


def test_the_fee_wait_is_left_out_of_the_handling_time(session, clock):
    dossier = permit_awaiting_fee(session, clock)
    clock.set(2026, 3, 5, 9)
    call_back(session, clock, notice(the_payment(session, dossier)))
    for element, key in (("Task_Consult", "consult"), ("Task_Approve", "approve"), ("Task_Return", "return")):
        step(session, clock, dossier, element, key)
    session.refresh(dossier)
    # received Mon 09:00, released Thu 09:00: three working days, two of them waiting for the fee
    assert dossier.handling_minutes == 8 * 60


def test_a_replayed_callback_changes_nothing_and_is_answered_ok(session, clock):
    dossier = permit_awaiting_fee(session, clock)
    body = notice(the_payment(session, dossier))
    call_back(session, clock, body)
    session.refresh(dossier)
    state = (dossier.status, dossier.due_at, session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1)))
    clock.advance(hours=3)
    again = call_back(session, clock, body)
    assert (again.status, again.body["status"]) == (200, "already_recorded")
    session.refresh(dossier)
    assert (dossier.status, dossier.due_at, session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1))) == state
    assert the_payment(session, dossier).paid_at != clock()


def test_a_callback_with_a_bad_signature_is_rejected_and_audited(session, clock):
    dossier = permit_awaiting_fee(session, clock)
    body = notice(the_payment(session, dossier))
    answer = call_back(session, clock, body, secret="not-the-secret")
    assert answer.status == 403 and answer.body["error"]["code"] == "bad_signature"
    assert the_payment(session, dossier).status == "requested"
    rejected = session.scalars(select(Event).where(Event.kind == "payment.callback_rejected")).one()
    assert rejected.dossier_id == dossier.id and rejected.payload["reason"] == "bad_signature"
    assert payments.handle_callback(session, body, None, SECRET, clock()).status == 403


def test_a_callback_for_another_amount_is_refused_with_nothing_settled(session, clock):
    dossier = permit_awaiting_fee(session, clock)
    answer = call_back(session, clock, notice(the_payment(session, dossier), amount=7500))
    assert answer.status == 409 and answer.body["error"]["code"] == "amount_mismatch"
    payment = the_payment(session, dossier)
    assert payment.status == "requested" and payment.gateway_txn_id is None
    session.refresh(dossier)
    assert dossier.status == "payment_requested"
    event = session.scalars(select(Event).where(Event.kind == "payment.amount_mismatch")).one()
    assert (event.payload["expected"], event.payload["received"]) == (75000, 7500)


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"order_id": "MC1"}',
                                  b'{"order_id": "X", "transaction_id": "T", "amount": 1, "status": "paid"}',
                                  b'{"order_id": "MC1", "transaction_id": "T", "amount": "75000", "status": "paid"}'])
def test_a_malformed_callback_gets_400_naming_what_is_wrong(session, clock, body):
    answer = payments.handle_callback(session, body, sign(SECRET, body), SECRET, clock())
    assert answer.status == 400 and answer.body["error"]["message"]


def test_a_failed_online_payment_leaves_the_fee_to_pay(session, clock):
    dossier = permit_awaiting_fee(session, clock)
    failed = notice(the_payment(session, dossier), txn="GW-FAIL", status="failed")
    answer = call_back(session, clock, failed)
    assert (answer.status, answer.body["status"]) == (200, "failed")
    assert call_back(session, clock, failed).body["status"] == "already_recorded"
    assert len(session.scalars(select(Event).where(Event.kind == "payment.failed")).all()) == 1
    assert the_payment(session, dossier).status == "failed"
    session.refresh(dossier)
    assert dossier.status == "payment_requested"
    assert call_back(session, clock, notice(the_payment(session, dossier), txn="GW-OK")).body["status"] == "paid"


def test_the_desk_records_a_cash_payment_with_its_receipt(session, clock):
    dossier = permit_awaiting_fee(session, clock)
    clock.set(2026, 3, 4, 9)
    with pytest.raises(Invalid) as err:
        payments.record_desk_payment(session, dossier, user(session, "desk1"), "  ", clock())
    assert "receipt_number" in err.value.fields
    session.rollback()
    with pytest.raises(Forbidden):
        payments.record_desk_payment(session, dossier, user(session, "specialist1"), "BL-1", clock())
    session.rollback()
    payment = payments.record_desk_payment(session, dossier, user(session, "desk1"), "BL-2026-0042", clock())
    session.commit()
    assert (payment.status, payment.channel, payment.receipt_number) == ("paid", "desk", "BL-2026-0042")
    assert payment.recorded_by.username == "desk1" and payment.paid_at == clock()
    session.refresh(dossier)
    assert dossier.status == "in_progress"
    late = call_back(session, clock, notice(payment, txn="GW-LATE"))  # paid online as well: flagged for refund
    assert late.body["status"] == "duplicate"
    assert session.scalars(select(Event).where(Event.kind == "payment.duplicate")).one().payload["transaction_id"] == "GW-LATE"


def test_a_permit_sent_back_and_proposed_again_is_not_asked_to_pay_twice(session, clock):
    dossier = permit_awaiting_fee(session, clock)
    step(session, clock, dossier, "Task_Payment", "paid")
    step(session, clock, dossier, "Task_Consult", "consult")
    step(session, clock, dossier, "Task_Approve", "send_back")
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Consult"]
    assert session.scalars(select(Payment.status).where(Payment.dossier_id == dossier.id)).all() == ["paid"]


def test_of_two_identical_concurrent_callbacks_one_settles_the_fee(sessions, session, clock):
    dossier = permit_awaiting_fee(session, clock)
    body = notice(the_payment(session, dossier), txn="GW-RACE")

    def deliver(s, _i):
        answer = payments.handle_callback(s, body, sign(SECRET, body), SECRET, clock())
        return answer.status, answer.body["status"]

    results = race(sessions, 2, deliver)
    assert sorted(results) == [(200, "already_recorded"), (200, "paid")], results
    session.expire_all()
    assert session.scalars(select(Event.kind).where(Event.kind == "payment.paid")).all() == ["payment.paid"]
    assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Consult"]


def test_a_dossier_stopped_before_paying_cancels_its_fee_and_a_late_callback_is_refused(session, clock):
    from engine.dossier.stop import stop_dossier

    dossier = permit_awaiting_fee(session, clock)
    stop_dossier(session, dossier, user(session, "leader1"), "Người nộp xin rút hồ sơ", clock())
    session.commit()
    payment = the_payment(session, dossier)
    assert payment.status == "cancelled"
    answer = call_back(session, clock, notice(payment, txn="GW-AFTER"))
    assert answer.status == 409 and the_payment(session, dossier).status == "cancelled"
