"""Danh sách: the dossiers behind each dashboard number, a page at a time, and for open dossiers
the step that holds them and the official responsible (the assignee, else the role and unit)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.ground.errors import Invalid
from engine.ground.vocabulary import TaskState
from engine.models import Dossier, HumanTask, Procedure, ProcedureVersion, Unit, User
from engine.supervision.metrics import FILTERS, METRIC_LABELS, Window, condition

PER_PAGE = 50
OPEN_TASK_STATES = (TaskState.READY,)  # a claimed step is still ready, with an assignee
# the order that makes each list useful: the most urgent or the most recent first
_ORDER = {"overdue": (Dossier.due_at.asc(),), "due_soon": (Dossier.due_at.asc(),),
          "in_progress": (Dossier.due_at.asc(),), "returned": (Dossier.returned_at.desc(),)}
_BY_COMPLETION = ("released", "early", "on_time", "late")


@dataclass(frozen=True)
class ListedDossier:
    """One line of a list: the dossier's facts and, while it is open, who holds it."""

    code: str
    procedure_code: str
    procedure_name: str
    unit_code: str
    unit_name: str
    channel: str
    status: str
    received_at: datetime | None
    due_at: datetime | None
    completed_at: datetime | None
    returned_at: datetime | None
    lateness: str | None
    step: str | None = None
    step_unit: str | None = None
    responsible: str | None = None
    responsible_role: str | None = None  # the step's role when nobody holds it (pages show its label)


@dataclass(frozen=True)
class Page:
    """A page of a list, with the total behind the number."""

    metric: str
    label: str
    items: list[ListedDossier]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one)."""
        return max(1, -(-self.total // self.per_page))


def _order(metric: str) -> tuple:
    if metric in _BY_COMPLETION:
        return (Dossier.completed_at.desc(), Dossier.id.desc())
    return (*_ORDER.get(metric, (Dossier.received_at.desc(),)), Dossier.id.desc())


def dossier_list(session: Session, w: Window, metric: str, page: int = 1, per_page: int = PER_PAGE,
                 procedure_id: int | None = None) -> Page:
    """The dossiers behind `metric` (a name of metrics.FILTERS), optionally of one procedure.

    Invalid for an unknown metric; pages count from 1.
    """
    if metric not in FILTERS:
        raise Invalid("Không có chỉ số này", {"metric": f"Chỉ số không hợp lệ: {metric}"})
    where = [condition(metric, w)]
    if procedure_id is not None:
        where.append(Dossier.procedure_version_id.in_(
            select(ProcedureVersion.id).where(ProcedureVersion.procedure_id == procedure_id)))
    total = session.scalar(select(func.count()).select_from(Dossier).where(*where)) or 0
    page = max(1, page)
    rows = session.execute(
        select(Dossier, Procedure.code, Procedure.name, Unit.code, Unit.name)
        .join(ProcedureVersion, Dossier.procedure_version_id == ProcedureVersion.id)
        .join(Procedure, ProcedureVersion.procedure_id == Procedure.id)
        .join(Unit, Unit.id == Dossier.unit_id)
        .where(*where).order_by(*_order(metric)).limit(per_page).offset((page - 1) * per_page)).all()
    holders = open_steps(session, [r[0].id for r in rows])
    items = [_line(row, holders.get(row[0].id)) for row in rows]
    return Page(metric, METRIC_LABELS[metric], items, total, page, per_page)


def _line(row, holder: tuple[str, str, str, str | None] | None) -> ListedDossier:
    dossier, procedure_code, procedure_name, unit_code, unit_name = row
    step, step_unit, responsible, role = holder or (None, None, None, None)
    return ListedDossier(dossier.code, procedure_code, procedure_name, unit_code, unit_name, dossier.channel,
                         dossier.status, dossier.received_at, dossier.due_at, dossier.completed_at,
                         dossier.returned_at, dossier.lateness, step, step_unit, responsible, role)


def open_steps(session: Session, dossier_ids: list[int]) -> dict[int, tuple[str, str, str, str | None]]:
    """For each dossier with an open step: (step name, step unit, the official or `role · unit`, and the
    role when no official holds it)."""
    if not dossier_ids:
        return {}
    rows = session.execute(
        select(HumanTask.dossier_id, HumanTask.name, HumanTask.role, Unit.name, User.full_name)
        .join(Unit, Unit.id == HumanTask.unit_id).outerjoin(User, User.id == HumanTask.assignee_id)
        .where(HumanTask.dossier_id.in_(dossier_ids), HumanTask.state.in_(OPEN_TASK_STATES))
        .order_by(HumanTask.created_at, HumanTask.id))
    found: dict[int, tuple[str, str, str, str | None]] = {}
    for dossier_id, name, role, unit_name, assignee in rows:
        found[dossier_id] = (name, unit_name, assignee or f"{role} · {unit_name}", None if assignee else role)
    return found
