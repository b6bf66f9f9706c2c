"""The workflow runtime: a dossier's SpiffWorkflow process, its stored state and its worklist rows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from uuid import UUID

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Select, bindparam, exists, func, select, text, update
from sqlalchemy.orm import Session, joinedload

from bpmn import run_errors
from bpmn.process import SERIALIZER_VERSION, ParsedProcess
from bpmn.script_limits import ScriptBudgetExceeded, StepBudget
from engine.catalogue.procedures import process_of
from engine.clock import statutory
from engine.dossier import assignment, declaration, timers
from engine.ground.errors import Conflict, DomainError, NotFound, StepFailed
from engine.integrations.national_portal import SYSTEM as PORTAL_SYSTEM
from engine.messaging import connectors
from engine.models import (
    CalendarDay,
    Dossier,
    HumanTask,
    HumanTaskCandidate,
    IntegrationRef,
    ProcedureVersion,
    Unit,
    WorkflowState,
)


@dataclass
class Locked:
    """What the dossier's lock read, in one statement: the dossier (with version, procedure and unit), its
    stored workflow state, the national portal's id of it; for a step's lock, every worklist row of the
    dossier and the step's own row."""

    dossier: Dossier
    state: WorkflowState | None
    portal_ref: object  # str | None; engine.messaging.portal_status.UNKNOWN when not read
    rows: list[HumanTask] | None = None  # None: not read (the worklist sync reads them)
    task: HumanTask | None = None
    workflow: BpmnWorkflow | None = None  # as `advance` left it (engine.dossier.workflow_end reads it)
    named: frozenset[int] | None = None  # the rows that name their candidates (None: not read)

    @property
    def tasks(self) -> list[HumanTask] | None:
        """Every worklist row of the dossier as this transaction holds them (None when not read)."""
        return self.rows


def lock(session: Session, dossier_id: int) -> Locked:
    """Take the dossier's row lock for this transaction (FOR UPDATE; a write lock on SQLite).

    One statement locks and reads the dossier afresh with its version, procedure, unit and workflow state.
    """
    locked = _locked(session, by_task=False, key=dossier_id)
    if locked is None:
        raise NotFound("Không tìm thấy hồ sơ")
    return locked


def lock_dossier(session: Session, dossier_id: int) -> Dossier:
    """`lock`, for callers that need only the dossier."""
    return lock(session, dossier_id).dossier


def lock_task(session: Session, task_id: int) -> Locked | None:
    """Lock the dossier of a worklist row, then read its rows afresh; None if there is no such row.

    Two statements where a look-up, the lock, a refresh and the worklist sync's read took five; what is
    read comes after the lock.
    """
    locked = _locked(session, by_task=True, key=task_id)
    if locked is None:
        return None
    read = session.execute(_ROWS, {"dossier_id": locked.dossier.id}).all()
    locked.rows, locked.named = [row for row, _named in read], frozenset(row.id for row, named in read if named)
    locked.task = next((row for row in locked.rows if row.id == task_id), None)
    return locked if locked.task is not None else None


# Statements of the hot path built once: SQLAlchemy then neither rebuilds them nor recomputes their cache keys.
# Each row comes with whether it names its candidates, so that a step open to its role costs no look-up of them.
_ROWS = (select(HumanTask, exists(select(HumanTaskCandidate.task_id).where(HumanTaskCandidate.task_id == HumanTask.id)
                                  .correlate(HumanTask)))
         .where(HumanTask.dossier_id == bindparam("dossier_id")).execution_options(populate_existing=True))


@lru_cache(maxsize=4)
def _lock_statement(by_task: bool, for_update: bool) -> Select:
    """The dossier (by its id or one of its rows' id, parameter `key`) with its version, procedure, unit and
    workflow state, the portal's id of it and the calendar table's revision."""
    portal_ref = (select(IntegrationRef.external_id)
                  .where(IntegrationRef.dossier_id == Dossier.id, IntegrationRef.system == PORTAL_SYSTEM)
                  .order_by(IntegrationRef.id).limit(1).correlate(Dossier).scalar_subquery())
    days, highest = (select(func.count(CalendarDay.id)).scalar_subquery(),
                     select(func.max(CalendarDay.id)).scalar_subquery())
    key = bindparam("key")
    where = Dossier.id == (select(HumanTask.dossier_id).where(HumanTask.id == key).scalar_subquery()
                           if by_task else key)
    query = (select(Dossier, WorkflowState, portal_ref, days, highest)
             .outerjoin(WorkflowState, WorkflowState.dossier_id == Dossier.id).where(where)
             .execution_options(populate_existing=True)
             .options(joinedload(Dossier.version).joinedload(ProcedureVersion.procedure), joinedload(Dossier.unit)))
    return query.with_for_update(of=Dossier) if for_update else query


_SQLITE_LOCK = {False: text("UPDATE dossier SET status = status WHERE id = :key"),
                True: text("UPDATE dossier SET status = status WHERE id = (SELECT dossier_id FROM human_task "
                           "WHERE id = :key)")}


def _locked(session: Session, by_task: bool, key: int) -> Locked | None:
    """Lock and read the dossier with its version, procedure, unit, workflow state and portal id; the
    calendar's revision comes in the same statement and is handed to the clock for this transaction
    (engine.clock.statutory.remember_revision), so the step that follows sends no query for it."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        session.execute(_SQLITE_LOCK[by_task], {"key": key})
    query = _lock_statement(by_task, not sqlite)
    row = session.execute(query, {"key": key}).first()
    if row is None:
        return None
    dossier, state, ref, count, last = row
    statutory.remember_revision(session, count, last)
    return Locked(dossier, state, ref)


def run_engine_steps(workflow: BpmnWorkflow) -> None:
    """Run every automatic step; a failing script or condition, a gateway with no matching flow, and a diagram
    that loops through automatic steps without end (bpmn.script_limits.StepBudget) become StepFailed, said in
    Vietnamese (bpmn.run_errors)."""
    try:
        workflow.do_engine_steps(will_complete_task=StepBudget())
    except (WorkflowException, ScriptBudgetExceeded) as err:
        said = run_errors.describe(err)  # the message names the element
        raise StepFailed(f"Quy trình không chạy tiếp được: {said.message}", said.element_id, said.kind,
                         said.original) from err


def start_process(session: Session, dossier: Dossier, now: datetime) -> BpmnWorkflow:
    """Start the dossier's process, run it to its first user task, store state and worklist rows."""
    process = process_of(dossier.version)
    workflow = process.new_workflow()
    timers.attach(workflow, dossier, now)
    connectors.attach(workflow, session, dossier, now)
    workflow.data["dossier"] = {"code": dossier.code, "channel": dossier.channel}
    declared = declaration.workflow_values(dossier)  # the declaration, also as `declaration`
    workflow.task_tree.data.update(declared)
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update(declared)
    run_engine_steps(workflow)
    session.add(WorkflowState(dossier_id=dossier.id, state=process.dump(workflow),
                              serializer_version=SERIALIZER_VERSION, version=1, updated_at=now))
    sync_tasks(session, dossier, process, workflow, now, known_rows=[])  # a new dossier has no rows yet
    return workflow


def load_workflow(session: Session, dossier: Dossier, now: datetime | None = None,
                  state: WorkflowState | None = None) -> tuple[WorkflowState, BpmnWorkflow]:
    """The stored state row and the restored running workflow of a dossier.

    With `now`, the workflow's timers see that time (else the wall clock) and the unit's calendar. `state`
    is the row the lock read (else it is read now).
    """
    state = state or session.get(WorkflowState, dossier.id, populate_existing=True)
    if state is None:
        raise NotFound(f"Hồ sơ {dossier.code} không có quy trình")
    if state.serializer_version != SERIALIZER_VERSION:
        raise DomainError(f"Trạng thái quy trình lưu bằng {state.serializer_version}, cần chuyển đổi")
    workflow = process_of(dossier.version).restore(state.state)
    if now is not None:
        timers.attach(workflow, dossier, now)
    connectors.attach(workflow, session, dossier, now)
    return state, workflow


def save_workflow(session: Session, dossier: Dossier, state: WorkflowState, workflow: BpmnWorkflow,
                  now: datetime) -> None:
    """Store the new state if nobody else did since it was loaded (optimistic lock), else Conflict.

    The UPDATE goes on the session's connection: the step's other changes are not flushed for it, but
    once, with the events, at commit (one flush instead of two)."""
    if state in session.new:
        session.flush()
    result = session.connection().execute(_SAVE_STATE, {
        "id": dossier.id, "seen": state.version, "state": process_of(dossier.version).dump(workflow),
        "version": state.version + 1, "updated_at": now})
    if result.rowcount != 1:
        raise Conflict(f"Hồ sơ {dossier.code} vừa được người khác xử lý; hãy tải lại")


_STATE_TABLE = WorkflowState.__table__
_SAVE_STATE = (update(_STATE_TABLE)
               .where(_STATE_TABLE.c.dossier_id == bindparam("id"), _STATE_TABLE.c.version == bindparam("seen"))
               .values(state=bindparam("state"), version=bindparam("version"), updated_at=bindparam("updated_at")))


def advance(session: Session, locked: Locked, task: HumanTask, data: dict, now: datetime) -> list[HumanTask]:
    """Run the step's BPMN task with `data` and every automatic step after it, make the worklist and timer
    rows match, store the state (optimistic lock); returns the new worklist rows."""
    dossier = locked.dossier
    state, workflow = load_workflow(session, dossier, now, locked.state)
    spiff_task = ready_spiff_task(workflow, task.task_uuid)
    if spiff_task is None:
        raise Conflict(f"Hồ sơ {dossier.code} đã chuyển sang bước khác")
    spiff_task.data.update(declaration.workflow_values(dossier))  # as corrected so far: gateways route on it
    spiff_task.data.update(data)
    spiff_task.run()
    run_engine_steps(workflow)
    created = sync_tasks(session, dossier, process_of(dossier.version), workflow, now, locked.rows)
    save_workflow(session, dossier, state, workflow, now)
    locked.state = None  # stored anew: a later load reads it again
    locked.workflow = workflow
    if locked.rows is not None:
        locked.rows = [*locked.rows, *created]
    return created


def ready_spiff_task(workflow: BpmnWorkflow, task_uuid: str):
    """The running workflow's task for a worklist row, if it is still ready."""
    task = workflow.get_task_from_id(UUID(task_uuid))
    return task if task is not None and task.state == TaskState.READY else None


def sync_tasks(session: Session, dossier: Dossier, process: ParsedProcess, workflow: BpmnWorkflow,
               now: datetime, known_rows: list[HumanTask] | None = None) -> list[HumanTask]:
    """Make the worklist (and timer) rows match the workflow's ready user tasks; returns the new rows.

    `known_rows`, when given, are every worklist row of the dossier already read in this transaction
    (after its lock): they are used instead of reading the ready rows again.
    """
    ready = {str(t.id): t for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    if known_rows is None:
        rows = session.scalars(select(HumanTask).where(
            HumanTask.dossier_id == dossier.id, HumanTask.state == "ready")).all()
    else:
        rows = [row for row in known_rows if row.state == "ready"]
    for row in rows:
        if row.task_uuid not in ready:
            row.state, row.completed_at = "cancelled", now
    known = {row.task_uuid for row in rows}
    created = [_new_row(session, dossier, process, task, now) for uuid, task in ready.items() if uuid not in known]
    session.add_all(created)
    assignment.assign_new_rows(session, dossier, process, workflow, created)  # camunda:assignee
    timers.sync_timers(session, dossier, process, workflow, now)
    return created


def _new_row(session: Session, dossier: Dossier, process: ParsedProcess, task, now: datetime) -> HumanTask:
    info = process.user_tasks[task.task_spec.bpmn_id]
    unit = resolve_unit(session, dossier, info.unit)
    return HumanTask(dossier=dossier, task_uuid=str(task.id), element_id=info.element_id, name=info.name,
                     role=info.role or "", kind=info.kind, form_id=info.form_id, unit=unit, state="ready",
                     created_at=now, due_at=statutory.step_due(unit, now, info.budget))


def resolve_unit(session: Session, dossier: Dossier, ref: str) -> Unit:
    """The unit a step runs in: `self` (the handling unit), `parent`, or a unit code."""
    if ref in ("", "self"):
        return dossier.unit
    if ref == "parent":
        if dossier.unit.parent is None:
            raise DomainError(f"Đơn vị {dossier.unit.code} không có đơn vị cấp trên")
        return dossier.unit.parent
    unit = session.scalar(select(Unit).where(Unit.code == ref))
    if unit is None:
        raise DomainError(f"Không có đơn vị mã {ref} cho bước của quy trình")
    return unit
