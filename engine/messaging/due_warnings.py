"""Cảnh báo sắp đến hạn: warn the responsible officials and the unit's leader before a due time.

A step is "due soon" when no more than its unit's warning lead (setting `warn_before`, default one
working day) of working time is left; so is a dossier being handled. Each warning goes to each
person once, through the outbox, keyed by (what, which, due time, whom).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from engine.calendar.working import TZ
from engine.clock.due_soon import warn_before_minutes
from engine.clock.statutory import calendar_for
from engine.ground.vocabulary import CLOCK_RUNNING
from engine.messaging import outbox
from engine.models import Dossier, HumanTask, OutboxMessage, RoleGrant, Unit, User

HORIZON = timedelta(days=60)  # look no further ahead than this (calendar days)
APPLICANT_STEP = "supplement"


@dataclass(frozen=True)
class Notice:
    """One warning to one person."""

    key: str
    kind: str
    user: User
    subject: str
    body: str
    dossier_id: int
    task_id: int | None = None


class _Lookup:
    """Per-run caches: each unit's warning lead and leaders, each (role, unit)'s officials."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session, self.now = session, now
        self._leads: dict[int, int] = {}
        self._people: dict[tuple[str, int], list[User]] = {}

    def soon(self, unit: Unit, due: datetime) -> bool:
        if unit.id not in self._leads:
            self._leads[unit.id] = warn_before_minutes(unit)
        return calendar_for(unit).working_minutes_between(self.now, due) <= self._leads[unit.id]

    def holders(self, role: str, unit_id: int) -> list[User]:
        if (role, unit_id) not in self._people:
            self._people[(role, unit_id)] = list(self.session.scalars(
                select(User).join(RoleGrant).where(RoleGrant.role == role, RoleGrant.unit_id == unit_id,
                                                   User.active.is_(True)).order_by(User.id)))
        return self._people[(role, unit_id)]

    def leaders(self, unit: Unit) -> list[User]:
        node: Unit | None = unit
        while node is not None:
            found = self.holders("lanh_dao", node.id)
            if found:
                return found
            node = node.parent
        return []

    def responsible(self, task: HumanTask) -> list[User]:
        return [task.assignee] if task.assignee is not None else self.holders(task.role, task.unit_id)


def _vn(moment: datetime) -> str:
    return f"{moment.astimezone(TZ):%H:%M ngày %d/%m/%Y}"


def _task_notices(session: Session, look: _Lookup) -> list[Notice]:
    tasks = session.scalars(select(HumanTask).where(
        HumanTask.state == "ready", HumanTask.due_at > look.now, HumanTask.due_at <= look.now + HORIZON)
        .options(joinedload(HumanTask.dossier), joinedload(HumanTask.unit)).order_by(HumanTask.id))
    notices = []
    for task in tasks:
        if task.kind == APPLICANT_STEP or not look.soon(task.unit, task.due_at):
            continue
        code = task.dossier.code
        subject = f"Sắp đến hạn: {task.name} – hồ sơ {code}"
        body = (f"Bước \"{task.name}\" của hồ sơ {code} ({task.unit.name}) cần hoàn thành trước "
                f"{_vn(task.due_at)}.")
        for user in {u.id: u for u in look.responsible(task) + look.leaders(task.unit)}.values():
            notices.append(Notice(f"task_due_soon:{task.id}:{task.due_at:%Y%m%d%H%M}:{user.id}", "task_due_soon",
                                  user, subject, body, task.dossier_id, task.id))
    return notices


def _dossier_notices(session: Session, look: _Lookup) -> list[Notice]:
    dossiers = session.scalars(select(Dossier).where(
        Dossier.status.in_(CLOCK_RUNNING), Dossier.paused_at.is_(None), Dossier.due_at > look.now,
        Dossier.due_at <= look.now + HORIZON).options(joinedload(Dossier.unit)).order_by(Dossier.id))
    notices = []
    for dossier in dossiers:
        if not look.soon(dossier.unit, dossier.due_at):
            continue
        ready = session.scalars(select(HumanTask).where(
            HumanTask.dossier_id == dossier.id, HumanTask.state == "ready", HumanTask.kind != APPLICANT_STEP))
        people = [u for t in ready for u in look.responsible(t)] + look.leaders(dossier.unit)
        subject = f"Hồ sơ {dossier.code} sắp đến hạn trả kết quả"
        body = f"Hồ sơ {dossier.code} của {dossier.applicant_name} hẹn trả kết quả lúc {_vn(dossier.due_at)}."
        for user in {u.id: u for u in people}.values():
            notices.append(Notice(f"dossier_due_soon:{dossier.id}:{dossier.due_at:%Y%m%d%H%M}:{user.id}",
                                  "dossier_due_soon", user, subject, body, dossier.id))
    return notices


def write_due_soon(session: Session, now: datetime) -> int:
    """Write the outbox messages for every step and dossier now due soon; returns how many are new."""
    look = _Lookup(session, now)
    notices = _task_notices(session, look) + _dossier_notices(session, look)
    existing: set[str] = set()
    keys = [n.key for n in notices]
    for start in range(0, len(keys), 500):
        existing.update(session.scalars(select(OutboxMessage.dedupe_key).where(
            OutboxMessage.dedupe_key.in_(keys[start:start + 500]))))
    written = 0
    for n in notices:
        if n.key not in existing:
            written += outbox.enqueue(session, n.kind, n.user.email or n.user.username, n.subject, n.body, n.key,
                                      now, user_id=n.user.id, dossier_id=n.dossier_id, task_id=n.task_id)
    return written
