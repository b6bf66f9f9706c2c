"""Hồ sơ cần xử lý: the worklist of an official, with counts, search, filters and paging;
claiming, giving back and reassigning steps."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from engine.calendar.working import TZ
from engine.clock.due_soon import due_soon_limit
from engine.dossier.codes import normalise_code
from engine.dossier.step import open_step
from engine.ground import events
from engine.ground.errors import Conflict, Forbidden, Invalid
from engine.models import Dossier, HumanTask, Procedure, ProcedureVersion, RoleGrant, User
from engine.org.accounts import grants_of, has_role

PAGE_SIZE = 25


@dataclass
class WorklistQuery:
    """What the official typed and chose above the worklist."""

    search: str = ""
    procedure: str = ""
    status: str = ""
    kind: str = ""
    page: int = 1
    per_page: int = PAGE_SIZE


@dataclass
class Worklist:
    """One page of rows and the counts of the whole list."""

    rows: list[HumanTask]
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    page: int = 1
    per_page: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        """How many pages the list has."""
        return max(1, -(-self.total // self.per_page))


def _grant_clause(user: User):
    pairs = sorted(grants_of(user))
    if not pairs:
        return HumanTask.id.is_(None)
    return or_(*[and_(HumanTask.role == role, HumanTask.unit_id == unit) for role, unit in pairs])


def _filtered(user: User, query: WorklistQuery) -> Select:
    stmt = select(HumanTask).where(HumanTask.state == "ready", _grant_clause(user))
    text = query.search.strip()
    if text or query.procedure or query.status:
        stmt = stmt.join(HumanTask.dossier)
    if text:
        code = normalise_code(text)
        if code:
            stmt = stmt.where(Dossier.code == code)
        elif text.isdigit():
            stmt = stmt.where(Dossier.applicant_id_number == text)
        else:
            stmt = stmt.where(Dossier.applicant_name.ilike(f"%{text}%"))
    if query.procedure:
        stmt = stmt.where(Dossier.procedure_version_id.in_(
            select(ProcedureVersion.id).join(Procedure, ProcedureVersion.procedure_id == Procedure.id)
            .where(Procedure.code == query.procedure)))
    if query.status:
        stmt = stmt.where(Dossier.status == query.status)
    if query.kind:
        stmt = stmt.where(HumanTask.kind == query.kind)
    return stmt


def worklist(session: Session, user: User, query: WorklistQuery, now: datetime) -> Worklist:
    """The user's ready steps sorted by due time, one page of them, and the list's counts."""
    stmt = _filtered(user, query)
    page = max(1, query.page)
    rows = session.scalars(
        stmt.options(selectinload(HumanTask.dossier), joinedload(HumanTask.assignee))
        .order_by(HumanTask.due_at, HumanTask.id)
        .limit(query.per_page).offset((page - 1) * query.per_page)).unique().all()
    return Worklist(list(rows), *_counts(session, user, stmt, now), page=page, per_page=query.per_page)


def _counts(session: Session, user: User, stmt: Select, now: datetime) -> tuple[int, dict[str, int]]:
    units = {g.unit_id: g.unit for g in user.grants}
    soon = max((due_soon_limit(u, now) for u in units.values()), default=now)
    day_start = now.astimezone(TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    sub = stmt.with_only_columns(HumanTask.due_at, HumanTask.created_at).subquery()
    total, new, due_soon, overdue = session.execute(select(
        func.count(),
        func.coalesce(func.sum(case((sub.c.created_at >= day_start, 1), else_=0)), 0),
        func.coalesce(func.sum(case((and_(sub.c.due_at >= now, sub.c.due_at <= soon), 1), else_=0)), 0),
        func.coalesce(func.sum(case((sub.c.due_at < now, 1), else_=0)), 0),
    ).select_from(sub)).one()
    return total, {"new": int(new), "due_soon": int(due_soon), "overdue": int(overdue)}


def unclaim_task(session: Session, task_id: int, user: User, now: datetime) -> HumanTask:
    """Trả lại: give a claimed step back to the unit's pool (the holder or a leader of the unit)."""
    task = open_step(session, task_id, user, unheld=False).task
    if task.assignee_id not in (None, user.id) and not has_role(user, "lanh_dao", task.unit_id):
        raise Conflict(f"Công việc đang do {task.assignee.full_name} xử lý")
    if task.assignee_id is not None:
        task.assignee = None
        events.record(session, "task.unclaimed", now, dossier=task.dossier, user=user, task=task.element_id)
    return task


def colleagues(session: Session, task: HumanTask) -> list[User]:
    """The active officials who hold the step's role in the step's unit."""
    return list(session.scalars(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.role == task.role, RoleGrant.unit_id == task.unit_id, User.active.is_(True))
        .order_by(User.full_name)))


def reassign_task(session: Session, task_id: int, leader: User, username: str, now: datetime) -> HumanTask:
    """Giao việc: a leader of the step's unit hands the step to a named official of the unit."""
    task = open_step(session, task_id, leader, role=False, unheld=False).task
    if not has_role(leader, "lanh_dao", task.unit_id):
        raise Forbidden("Chỉ lãnh đạo đơn vị được giao việc")
    target = next((u for u in colleagues(session, task) if u.username == username), None)
    if target is None:
        raise Invalid("Người nhận không hợp lệ", {"assignee": "Chọn một cán bộ có vai trò này trong đơn vị."})
    task.assignee = target
    events.record(session, "task.reassigned", now, dossier=task.dossier, user=leader, task=task.element_id,
                  to=target.username)
    return task
