"""Hoàn thành một bước: what completing a step does, in the order DESIGN.md says it.

Open the ready step under its dossier's lock (`open_step`: the one check for claiming, completing, giving
back, reassigning and desk payment), advance the workflow (engine.dossier.workflow.advance), apply the
standard decision fields to the dossier's state (engine.dossier.states), then run the consequences: each
event recorded is handed to the handlers that the table `ON_EVENT` names for its kind, and each step ends
with the handlers of `AFTER_STEP`. A new consequence is one line in a table.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.clock import lateness
from engine.dossier import assignment, fees, shipments, states, workflow_end
from engine.dossier.workflow import Locked, advance, lock_task
from engine.ground import events
from engine.ground.errors import Conflict, Forbidden, NotFound
from engine.ground.vocabulary import TaskState
from engine.messaging import notices
from engine.models import HumanTask, User
from engine.org.accounts import grants_of


def open_step(session: Session, task_id: int, user: User | None = None, *, role: bool = True,
              ready: bool = True, unheld: bool = True) -> Locked:
    """The step's row under its dossier's lock. NotFound without it; Forbidden when `role` is asked and the
    user does not hold the step's role in its unit; Conflict when `ready` is asked and the step moved on,
    or when `unheld` is asked and another official holds it."""
    locked = lock_task(session, task_id)
    if locked is None:
        raise NotFound(f"Không có công việc số {task_id}")
    task = locked.task
    if user is not None and role and (task.role, task.unit_id) not in grants_of(user):
        raise Forbidden(f"Công việc này thuộc vai trò {task.role} của {task.unit.name}; bạn không có quyền")
    if user is not None and role and not assignment.may_claim(session, task, user, locked.named):
        names = ", ".join(u.full_name for u in assignment.candidates_of(session, task))
        raise Forbidden(f"Công việc '{task.name}' chỉ dành cho cán bộ được chỉ định ({names}); bạn không có quyền")
    if ready and task.state != TaskState.READY:
        raise Conflict(_already_done(session, task, locked.dossier.code))
    if user is not None and unheld and task.assignee_id not in (None, user.id):
        raise Conflict(f"Công việc “{task.name}” đang do {task.assignee.full_name} xử lý; "
                       "nội dung bạn vừa nhập chưa được lưu.")
    return locked


def _already_done(session: Session, task: HumanTask, code: str) -> str:
    """Who moved the step on, and when, for the official who arrives second."""
    done_by = session.get(User, task.completed_by_id) if task.completed_by_id else None
    when = f" lúc {task.completed_at.astimezone(TZ):%H:%M ngày %d/%m/%Y}" if task.completed_at else ""
    who = f" bởi {done_by.full_name}" if done_by else ""
    return (f"Công việc “{task.name}” của hồ sơ {code} đã được xử lý{who}{when}; "
            "nội dung bạn vừa nhập chưa được lưu.")


@dataclass
class Step:
    """A completed step, as its consequences see it."""

    session: Session
    locked: Locked
    task: HumanTask
    user: User | None
    data: dict
    now: datetime
    created: list[HumanTask] = field(default_factory=list)

    @property
    def dossier(self):
        return self.locked.dossier


Handler = Callable[[Step, str, dict], None]


def tell_applicant_and_portal(step: Step, kind: str, payload: dict) -> None:
    """The applicant's notice and the national portal's status record, in one outbox statement."""
    notices.dossier_changed(step.session, step.dossier, kind, payload, step.now, step.locked.tasks,
                            step.locked.portal_ref)


def book_postal_return(step: Step) -> None:
    """A result returned by post is booked with the postal service (through the outbox)."""
    shipments.after_step(step.session, step.dossier, step.task.kind, step.data, step.user, step.now)


def end_with_the_process(step: Step) -> None:
    """A step after which the process reached its end ends the dossier (engine.dossier.workflow_end)."""
    workflow_end.workflow_completed(step.session, step.dossier, step.locked.workflow, step.now, step.user)


def classify_dossier(step: Step) -> None:
    """An ended dossier is early, on time or late (and its handling time is kept)."""
    lateness.classify_dossier(step.session, step.dossier, step.now, step.locked.tasks)


ON_EVENT: dict[str, tuple[Handler, ...]] = {"task.completed": ()}  # the step itself tells nobody
EVERY_EVENT: tuple[Handler, ...] = (tell_applicant_and_portal,)
AFTER_STEP: tuple[Callable[[Step], None], ...] = (end_with_the_process, book_postal_return, classify_dossier)


class IssueResult(Protocol):
    """Issues the result of an approved dossier (engine.printing.issuance.ResultIssuer, from the web edge)."""

    def reserve(self, session: Session, dossier, user: User | None, now: datetime) -> dict | None:
        """At approval: number the result and queue its signing (None: the procedure has no result)."""

    def issue_pending(self, session: Session, dossier, now: datetime) -> list:
        """Sign now whatever the dossier's approval queued and nobody signed yet."""


APPROVED = ("approval", "approval_decision", "approve")  # the step kind, field and value that approve
RETURN_STEP = "return"  # the desk hands the result over: it must exist, signed, by then


def complete_step(session: Session, locked: Locked, user: User | None, data: dict, now: datetime,
                  issue: IssueResult | None = None) -> None:
    """Complete the locked step with its validated `data`: check, advance, apply, consequences.

    `issue` (engine.printing.issuance.ResultIssuer, from the web edge) numbers the result and queues its
    signing when the step approves, and signs what is still queued when the desk returns the result; it
    raises before anything moves when it cannot, and the step stays open.
    """
    dossier, task = locked.dossier, locked.task
    catalogue = dossier.version.procedure.catalogue
    states.check_decision(dossier, task.kind, data)
    shipments.check_return(dossier, task.kind, data)
    kind, key, value = APPROVED
    if issue is not None and task.kind == RETURN_STEP:
        issue.issue_pending(session, dossier, now)
    if issue is not None and task.kind == kind and data.get(key) == value:
        issue.reserve(session, dossier, user, now)
    if task.kind == fees.PAYMENT_STEP:
        fees.settle_from_step(session, dossier, data, user, now)
    _finish(task, user, data, now)  # before the sync, which would take a still-ready row for a cancelled one
    created = advance(session, locked, task, data, now)
    transition = states.apply_step(dossier, task.kind, data, catalogue, now)
    payment_step = next((t for t in created if t.kind == fees.PAYMENT_STEP), None)
    if payment_step is not None:
        transition.events += fees.request_payment(session, dossier, catalogue, now)
    step = Step(session, locked, task, user, data, now, created)
    happened = [("task.completed", {"task": task.element_id, "name": task.name, "data": data}),
                *transition.events]
    events.append(session, happened, now, dossier=dossier, user=user)
    for kind, payload in happened:
        for handler in ON_EVENT.get(kind, EVERY_EVENT):
            handler(step, kind, payload)
    for handler in AFTER_STEP:
        handler(step)
    paid = fees.already_paid(session, dossier) if payment_step is not None else None
    if paid is not None:  # sent back and proposed again: the fee was paid once, do not ask twice
        session.flush()
        again = Locked(dossier, None, locked.portal_ref, None, payment_step)
        complete_step(session, again, None, {"receipt_number": paid.receipt_number or ""}, now)


def _finish(task: HumanTask, user: User | None, data: dict, now: datetime) -> None:
    lateness.classify_step(task, now)
    task.state, task.completed_at, task.completed_by_id, task.data = (TaskState.COMPLETED, now,
                                                                     user.id if user else None, data)
    task.assignee = task.assignee or user
