"""Hồ sơ cần xử lý: the worklist of an official, with counts, search, filters and paging;
claiming, giving back and reassigning steps."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Integer, Select, String, and_, bindparam, case, false, func, not_, or_, select
from sqlalchemy.orm import Session, contains_eager, joinedload
from sqlalchemy.sql import ColumnElement

from engine.calendar.working import TZ
from engine.clock.due_soon import due_soon_limits_of
from engine.dossier.assignment import candidate_clause, may_claim
from engine.dossier.codes import normalise_code
from engine.dossier.step import open_step
from engine.ground import events
from engine.ground.errors import Conflict, Forbidden, Invalid
from engine.ground.search_text import ESCAPE, fold, like_pattern
from engine.ground.vocabulary import CLOCK_RUNNING, HANDLING, WAITING_FOR_APPLICANT, Role, StepKind, TaskState
from engine.models import Dossier, Event, HumanTask, Procedure, ProcedureVersion, RoleGrant, Unit, User
from engine.org.accounts import grants_of, has_role

PAGE_SIZE = 25


TABS = ("new", "sent_back", "waiting", "due_soon", "overdue")
WAITING = WAITING_FOR_APPLICANT  # the applicant's turn
APPLICANT_STEPS = (StepKind.SUPPLEMENT, StepKind.PAYMENT)


@dataclass
class WorklistQuery:
    """What the official typed and chose above the worklist; `tab` one of TABS (or all)."""

    search: str = ""
    procedure: str = ""
    status: str = ""
    kind: str = ""
    tab: str = ""
    page: int = 1
    per_page: int = PAGE_SIZE


@dataclass
class Worklist:
    """One page of rows and the counts of the whole list (before the tab), one per tab."""

    rows: list[HumanTask]
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    page: int = 1
    per_page: int = PAGE_SIZE
    all: int = 0  # the list without a tab

    @property
    def pages(self) -> int:
        """How many pages the list has."""
        return max(1, -(-self.total // self.per_page))


# The worklist's two statements are built once per shape (the official's grants, which filters are set, the
# groups of units with one "due soon" limit, the tab) and cached; what changes from one request to the next
# (now, the limits, the search text, the page) goes in as parameters. Building and keying them anew was half
# of a worklist request's CPU.
@dataclass(frozen=True)
class _Shape:
    grants: tuple[tuple[str, int], ...]
    search: str  # "", "code", "name" or "number" (code, ID number or name)
    procedure: bool
    status: bool
    kind: bool
    soon: tuple[tuple[int, ...], ...]  # the units of each "due soon" limit, in order


def _param(name: str, like=HumanTask.created_at):
    return bindparam(name, type_=like.type)


def _grant_clause(grants: tuple[tuple[str, int], ...]):
    if not grants:
        return HumanTask.id.is_(None)
    return or_(*[and_(HumanTask.role == role, HumanTask.unit_id == unit) for role, unit in grants])


def _search_kind(text: str) -> tuple[str, dict[str, str]]:
    """How a typed text is looked for (see `_search`) and the parameters of that."""
    code = normalise_code(text)
    if code:
        return "code", {"code": code}
    pattern, folded = like_pattern(text), fold(text)
    if any(ch.isdigit() for ch in text):  # every code and ID number has digits; a name has none
        return "number", {"pattern": pattern, "folded": like_pattern(folded)}  # digits survive folding
    return ("name", {"folded": like_pattern(folded)}) if folded else ("none", {})


def _search_clause(kind: str):
    if kind == "code":
        return Dossier.code == bindparam("code", type_=Dossier.code.type)
    folded = Dossier.applicant_name_folded.like(bindparam("folded", type_=String()), escape=ESCAPE)
    if kind == "number":
        pattern = bindparam("pattern", type_=String())
        return or_(Dossier.code.ilike(pattern, escape=ESCAPE),
                   Dossier.applicant_id_number.like(pattern, escape=ESCAPE), folded)
    return folded if kind == "name" else false()


def _search(text: str):
    """Part of the code, part of the ID number, or part of the name with or without diacritics; `%`, `_` literal.

    Each is a LIKE '%…%' that PostgreSQL answers from a trigram index (migration 0017_worklist_trigram); a
    text without a digit is looked for in names only, so that no branch of the OR needs a scan."""
    kind, values = _search_kind(text)
    return _search_clause(kind).params(values)


def _where(shape: _Shape) -> list:
    where = [HumanTask.state == "ready", _grant_clause(shape.grants), candidate_clause()]
    if shape.search:
        where.append(_search_clause(shape.search))
    if shape.procedure:
        where.append(Dossier.procedure_version_id.in_(
            select(ProcedureVersion.id).join(Procedure, ProcedureVersion.procedure_id == Procedure.id)
            .where(Procedure.code == bindparam("procedure", type_=Procedure.code.type))))
    if shape.status:
        # a plain string, not the enum: a status that does not exist (a typed or stale URL) finds nothing
        where.append(Dossier.status == bindparam("status", type_=String()))
    if shape.kind:
        where.append(HumanTask.kind == bindparam("kind", type_=HumanTask.kind.type))
    return where


def _tabs(shape: _Shape) -> dict[str, ColumnElement]:
    """Each tab as a condition on a ready step and its dossier.

    Overdue and due soon judge the step's due time and the dossier's (while its clock runs), with the
    supervision's definition of "due soon" (engine.clock.due_soon: the unit's `warn_before`); the applicant's
    own steps (supplement, payment) are never the agency's lateness."""
    now = _param("now")

    def due(column, *also) -> tuple:
        return (column.is_not(None), *also)

    step_running = or_(HumanTask.kind.is_(None), HumanTask.kind.not_in(APPLICANT_STEPS))
    dossier_running = Dossier.status.in_(CLOCK_RUNNING)
    overdue = or_(and_(*due(HumanTask.due_at, step_running), HumanTask.due_at < now),
                  and_(*due(Dossier.due_at, dossier_running), Dossier.due_at < now))
    soon = []
    for i, ids in enumerate(shape.soon):
        until = _param(f"until_{i}")
        soon.append(and_(HumanTask.unit_id.in_(ids), *due(HumanTask.due_at, step_running),
                         HumanTask.due_at >= now, HumanTask.due_at < until))
        soon.append(and_(Dossier.unit_id.in_(ids), *due(Dossier.due_at, dossier_running),
                         Dossier.due_at >= now, Dossier.due_at < until))
    sent_back = select(Event.id).where(Event.dossier_id == HumanTask.dossier_id, Event.kind == "dossier.sent_back",
                                       Event.at == HumanTask.created_at).exists()
    return {"new": HumanTask.created_at >= _param("day_start"), "sent_back": sent_back,
            "waiting": Dossier.status.in_(WAITING),
            "due_soon": and_(not_(overdue), or_(*soon)) if soon else false(), "overdue": overdue}


@lru_cache(maxsize=512)
def _count_statement(shape: _Shape) -> Select:
    """The number of rows, and of rows in each tab."""
    return (select(func.count(HumanTask.id), *[func.coalesce(func.sum(case((cond, 1), else_=0)), 0)
                                               for cond in _tabs(shape).values()])
            .select_from(HumanTask).join(Dossier, Dossier.id == HumanTask.dossier_id).where(*_where(shape)))


@lru_cache(maxsize=512)
def _page_statement(shape: _Shape, tab: str) -> Select:
    """One page of the rows (of a tab), by due time."""
    where = _where(shape) + ([_tabs(shape)[tab]] if tab else [])
    return (select(HumanTask).join(Dossier, Dossier.id == HumanTask.dossier_id).where(*where)
            .options(contains_eager(HumanTask.dossier).joinedload(Dossier.unit), joinedload(HumanTask.assignee))
            .order_by(HumanTask.due_at, HumanTask.id)
            .limit(bindparam("limit", type_=Integer())).offset(bindparam("offset", type_=Integer())))


def _shape_and_values(user: User, query: WorklistQuery, now: datetime) -> tuple[_Shape, dict]:
    values: dict = {"user_id": user.id, "now": now,
                    "day_start": now.astimezone(TZ).replace(hour=0, minute=0, second=0, microsecond=0)}
    search, typed = _search_kind(query.search.strip()[:100]) if query.search.strip() else ("", {})
    values.update(typed)
    limits = due_soon_limits_of({g.unit for g in user.grants}, now)
    values.update({f"until_{i}": until for i, (_ids, until) in enumerate(limits)})
    values.update({name: getattr(query, name) for name in ("procedure", "status", "kind") if getattr(query, name)})
    shape = _Shape(tuple(sorted(grants_of(user))), search, bool(query.procedure), bool(query.status),
                   bool(query.kind), tuple(tuple(sorted(ids)) for ids, _until in limits))
    return shape, values


def worklist(session: Session, user: User, query: WorklistQuery, now: datetime) -> Worklist:
    """The user's ready steps sorted by due time, one page of them, and the count of every tab."""
    shape, values = _shape_and_values(user, query, now)
    counts = session.execute(_count_statement(shape), values).one()
    everything, by_tab = int(counts[0]), {name: int(n) for name, n in zip(TABS, counts[1:], strict=True)}
    tab = query.tab if query.tab in TABS else ""
    total = by_tab[tab] if tab else everything
    page = min(max(1, query.page), max(1, -(-total // query.per_page)))  # past the last page: the last page
    rows = session.scalars(_page_statement(shape, tab),
                           {**values, "limit": query.per_page, "offset": (page - 1) * query.per_page}).unique().all()
    return Worklist(list(rows), total, by_tab, page=page, per_page=query.per_page, all=everything)


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
    if target is not None and not may_claim(session, task, target):
        raise Invalid("Người nhận không hợp lệ", {"assignee": "Bước này chỉ giao được cho cán bộ được chỉ định "
                                                              "(camunda:candidateUsers)."})
    if target is None:
        raise Invalid("Người nhận không hợp lệ", {"assignee": "Chọn một cán bộ có vai trò này trong đơn vị."})
    task.assignee = target
    events.record(session, "task.reassigned", now, dossier=task.dossier, user=leader, task=task.element_id,
                  to=target.username)
    return task


DESK_ROLE = Role.MOT_CUA


@dataclass
class HeldDossier:
    """A dossier the desk received that another role now holds: the step, its unit and who has it."""

    dossier: Dossier
    step: str | None
    step_unit: str | None
    holder: str | None
    role: str | None


def held_elsewhere(session: Session, user: User, page: int = 1, per_page: int = PAGE_SIZE) -> tuple[list[HeldDossier], int]:
    """Hồ sơ đang giải quyết: the dossiers of the user's desks still being handled with no open step at the
    desk (the specialists, the leader or another unit hold them), by due time; and how many there are."""
    desks = [g.unit_id for g in user.grants if g.role == DESK_ROLE]
    if not desks:
        return [], 0
    at_desk = select(HumanTask.id).where(HumanTask.dossier_id == Dossier.id, HumanTask.state == TaskState.READY,
                                         HumanTask.role == DESK_ROLE).exists()
    where = (Dossier.unit_id.in_(desks), Dossier.status.in_(HANDLING), not_(at_desk))
    total = session.scalar(select(func.count()).select_from(Dossier).where(*where)) or 0
    dossiers = session.scalars(select(Dossier).where(*where).order_by(Dossier.due_at, Dossier.id)
                               .limit(per_page).offset((max(1, page) - 1) * per_page)).all()
    steps: dict[int, tuple] = {}
    if dossiers:
        for dossier_id, name, role, unit_name, holder in session.execute(
                select(HumanTask.dossier_id, HumanTask.name, HumanTask.role, Unit.name, User.full_name)
                .join(Unit, Unit.id == HumanTask.unit_id).outerjoin(User, User.id == HumanTask.assignee_id)
                .where(HumanTask.dossier_id.in_([d.id for d in dossiers]), HumanTask.state == TaskState.READY)
                .order_by(HumanTask.created_at, HumanTask.id)):
            steps[dossier_id] = (name, unit_name, holder, role)
    return [HeldDossier(d, *steps.get(d.id, (None, None, None, None))) for d in dossiers], total
