"""Lệ phí của hồ sơ: the fee a procedure charges (procedure.yaml `fees`) and the payment step's effect.

A procedure asks for its fee with a BPMN user task of kind `payment` (the building permit 1.013225:
after the specialist proposes to grant, before the consultation and the leader's approval, so that
nobody signs a permit whose fee is unpaid). When that step becomes ready the dossier goes to
`payment_requested` (national code 6) and its clock pauses. Clock rule: the wait for the fee is the
applicant's time, like a supplement under the `pause` policy: it is left out of the agency's time
and the due time moves on by the working time waited, whatever the procedure's `supplement_clock`.
The step completes when the fee is paid (gateway callback or desk receipt; engine.dossier.payments): the
clock resumes and the dossier is in progress again. This module knows no use case above the
dossier's own step, so engine.dossier.lifecycle can call it without a cycle.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock import statutory
from engine.ground.errors import Invalid
from engine.models import Dossier, Payment, User

PAYMENT_STEP = "payment"
OPEN = ("requested", "failed")


def fee_of(catalogue: dict) -> tuple[int, str]:
    """The total fee in đồng and its description, from the procedure's `fees` list."""
    fees = [f for f in catalogue.get("fees") or [] if isinstance(f, dict)]
    total = sum(int(f.get("amount") or 0) for f in fees)
    names = "; ".join(str(f.get("name") or "Lệ phí") for f in fees if int(f.get("amount") or 0) > 0)
    return total, names or "Lệ phí"


def payments_of(session: Session, dossier: Dossier) -> list[Payment]:
    """Every payment of a dossier, oldest first."""
    return list(session.scalars(select(Payment).where(Payment.dossier_id == dossier.id).order_by(Payment.id)))


def open_payment(session: Session, dossier: Dossier) -> Payment | None:
    """The dossier's fee still waiting to be paid (requested, or its last online attempt failed)."""
    return session.scalar(select(Payment).where(Payment.dossier_id == dossier.id, Payment.status.in_(OPEN))
                          .order_by(Payment.id.desc()).limit(1))


def request_payment(session: Session, dossier: Dossier, catalogue: dict, now: datetime) -> list[tuple[str, dict]]:
    """Yêu cầu nộp phí: the payment step became ready; open the fee, pause the clock; the events to record.

    A dossier whose fee is already paid (a permit sent back for re-appraisal) is not asked twice: the
    caller completes the step at once (see `already_paid`).
    """
    if already_paid(session, dossier) is not None:
        return []
    amount, description = fee_of(catalogue)
    payment = open_payment(session, dossier)
    if payment is None:
        payment = Payment(dossier_id=dossier.id, amount=amount, description=description, status="requested",
                          requested_at=now)
        session.add(payment)
        session.flush()
    dossier.status = "payment_requested"
    statutory.pause(dossier, now)
    return [("dossier.payment_requested", {"amount": amount, "description": description, "payment_id": payment.id})]


def already_paid(session: Session, dossier: Dossier) -> Payment | None:
    """The dossier's paid fee, if any."""
    return session.scalar(select(Payment).where(Payment.dossier_id == dossier.id, Payment.status == "paid")
                          .order_by(Payment.id.desc()).limit(1))


def settle_from_step(session: Session, dossier: Dossier, data: dict, user: User | None, now: datetime) -> Payment:
    """The payment step is being completed: an official doing it records a cash receipt at the desk.

    When the gateway already marked the payment paid, nothing more is written. Invalid without a
    receipt number, or when nothing is waiting to be paid.
    """
    paid = already_paid(session, dossier)
    payment = open_payment(session, dossier)
    if payment is None:
        if paid is not None:
            return paid
        raise Invalid(f"Hồ sơ {dossier.code} không có khoản phí nào đang chờ nộp")
    receipt = str(data.get("receipt_number") or "").strip()
    if not receipt:
        raise Invalid("Cần số biên lai thu lệ phí", {"receipt_number": "Nhập số biên lai đã cấp cho người nộp."})
    payment.status, payment.channel, payment.receipt_number = "paid", "desk", receipt[:60]
    payment.paid_at, payment.recorded_by_id = now, user.id if user else None
    return payment


def resume_after_payment(dossier: Dossier, catalogue: dict, now: datetime) -> None:
    """Phí đã nộp: the clock resumes (pause rule: the wait is added to the due time); in progress again."""
    statutory.resume(dossier, catalogue, now, policy="pause")
    dossier.status = "in_progress"


def cancel_open_payment(session: Session, dossier: Dossier) -> Payment | None:
    """The dossier stopped before its fee was paid: the open fee is cancelled (a later callback gets 409)."""
    payment = open_payment(session, dossier)
    if payment is not None:
        payment.status = "cancelled"
    return payment
