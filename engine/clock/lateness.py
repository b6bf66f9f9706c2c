"""Trước hạn, đúng hạn, quá hạn: classifying steps and dossiers, and the control slip (form 06).

Convention (DOMAIN.md, as OpenCPS does it): early = released before the start of the half-day
session that contains the due time; on time = from then up to the due time; late = after it.
Lateness is attributed to the steps, and so the units, that overran their own budgets.

"Released" is the end of processing (`completed_at`, NgayKetThucXuLy: the approval or the refusal),
not the hand-over to the applicant (`returned_at`, NgayTraKetQua), as the national portal classifies;
both are stored and shown on the dossier page, so a result left uncollected does not make a dossier late.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.hours import MINUTES_PER_WORKING_DAY
from engine.clock.handling_time import handling_minutes
from engine.clock.statutory import calendar_for
from engine.ground import events
from engine.ground.vocabulary import ENDED, ROLE_LABELS
from engine.models import Dossier, HumanTask, User

APPLICANT_STEP = "supplement"  # the applicant's waiting time: never the agency's lateness


def classify_step(task: HumanTask, now: datetime) -> None:
    """Store a step's class against its own due time, and by how many working minutes it overran."""
    if task.due_at is None:
        return
    cal = calendar_for(task.unit)
    task.lateness = cal.classify(now, task.due_at).value
    task.overrun_minutes = max(0, cal.working_minutes_between(task.due_at, now))


def classify_dossier(session: Session, dossier: Dossier, now: datetime,
                     tasks: list[HumanTask] | None = None) -> None:
    """Once a dossier has ended with an answer, store its class against its due time (after any
    extension) and record which steps and units overran. A closed dossier, and one refused at the
    counter (never received: form 03), gets no class.

    `tasks`, when given, are every worklist row of the dossier as the caller holds them; else they are read."""
    if dossier.status not in ENDED or dossier.status == "closed" or dossier.due_at is None:
        return
    if dossier.received_at is None:
        return
    if dossier.lateness is not None:
        return
    released = dossier.completed_at or now
    dossier.lateness = calendar_for(dossier.unit).classify(released, dossier.due_at).value
    if tasks is None:
        tasks = list(session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id)))
    dossier.handling_minutes = handling_minutes(session, dossier, released, tasks)
    events.append(session, [("dossier.classified", {
        "lateness": dossier.lateness, "due_at": dossier.due_at.isoformat(), "released_at": released.isoformat(),
        "late_steps": late_steps(session, dossier, tasks)})], now, dossier=dossier)


def late_steps(session: Session, dossier: Dossier, tasks: list[HumanTask] | None = None) -> list[dict]:
    """The agency's steps that overran: element, name, unit and working minutes over.

    `tasks`, when given, are every worklist row of the dossier; else they are read."""
    if tasks is None:
        tasks = list(session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id)))
    late = sorted((t for t in tasks if t.lateness == "late" and t.kind != APPLICANT_STEP),
                  key=lambda t: t.id if t.id is not None else float("inf"))
    return [{"element_id": t.element_id, "name": t.name, "unit": t.unit.code, "unit_name": t.unit.name,
             "overrun_minutes": t.overrun_minutes} for t in late]


@dataclass(frozen=True)
class SlipRow:
    """One hand-off of the control slip: the step that handed over and who received next."""

    step: str
    element_id: str
    unit: str
    unit_name: str
    received_at: datetime
    handed_over_at: datetime | None
    handed_by: str | None
    received_by: str | None
    due_at: datetime | None
    result: str | None
    note: str
    role: str = ""


def control_slip(session: Session, dossier: Dossier) -> list[SlipRow]:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (form 06): one row per step, in order."""
    steps = list(session.scalars(select(HumanTask).where(
        HumanTask.dossier_id == dossier.id, HumanTask.state != "cancelled")
        .order_by(HumanTask.created_at, HumanTask.id)))
    users = {u.id: u.full_name for u in session.scalars(select(User).where(User.id.in_(
        {t.completed_by_id for t in steps} | {t.assignee_id for t in steps})))}
    rows = []
    for i, step in enumerate(steps):
        following = next((t for t in steps[i + 1:] if step.completed_at and t.created_at >= step.completed_at), None)
        rows.append(SlipRow(
            step=step.name, element_id=step.element_id, unit=step.unit.code, unit_name=step.unit.name,
            received_at=step.created_at, handed_over_at=step.completed_at,
            handed_by=users.get(step.completed_by_id), received_by=_receiver(step, following, dossier, users),
            due_at=step.due_at, result=step.lateness, note=_note(step), role=step.role))
    return rows


def _receiver(step: HumanTask, following: HumanTask | None, dossier: Dossier, users: dict) -> str | None:
    if step.completed_at is None:
        return None
    if following is None:
        if step.kind == "return":
            return (step.data or {}).get("receiver_name") or dossier.applicant_name
        return None
    who = users.get(following.completed_by_id) or users.get(following.assignee_id)
    return who or f"{following.unit.name} ({ROLE_LABELS.get(following.role, following.role)})"


def _note(step: HumanTask) -> str:
    if step.kind == APPLICANT_STEP:
        return "Thời gian chờ công dân bổ sung hồ sơ"
    if step.kind == "payment":
        return "Thời gian chờ công dân nộp lệ phí"
    if step.lateness == "late" and step.overrun_minutes:
        return f"Quá hạn {working_time_text(step.overrun_minutes)} làm việc"
    if step.completed_at is None:
        return "Đang xử lý"
    return ""


def working_time_text(minutes: int) -> str:
    """Working minutes in words: `2 giờ 30 phút`, `1 ngày 1 giờ` (a day of 8 hours)."""
    days, rest = divmod(int(minutes), MINUTES_PER_WORKING_DAY)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} ngày" if days else "", f"{hours} giờ" if hours else "", f"{mins} phút" if mins else ""]
    return " ".join(p for p in parts if p) or "0 phút"
