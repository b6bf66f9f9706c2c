"""Chuyển phiên bản: move running dossiers from an older process version to a newer one.

A dossier keeps the version it started on until an admin migrates it. `dry_run` says, for each
running dossier of the procedure on another version, whether it can move and why not, using
SpiffWorkflow's workflow diff (SpecDiff/WorkflowDiff) and a trial migration in memory that must
survive a save/restore round trip with the new spec. `migrate` moves those that can, in one
transaction, with a `dossier.migrated` event per dossier. An admin sees and moves only the dossiers
whose handling unit they administer (engine.catalogue.scope).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from bpmn.process import SERIALIZER_REGISTRY, ParsedProcess
from engine.catalogue.procedures import process_of
from engine.dossier.workflow import load_workflow, lock_dossier, save_workflow, sync_tasks
from engine.ground import events
from engine.ground.errors import DomainError, Forbidden, Invalid
from engine.ground.vocabulary import ENDED
from engine.models import Dossier, HumanTask, ProcedureVersion, User
from engine.org.accounts import has_role
from engine.org.tree import admin_scope, within

DEFINITE = TaskState.FINISHED_MASK | TaskState.STARTED | TaskState.READY | TaskState.WAITING | TaskState.ERROR


@dataclass
class MigrationCheck:
    """Whether one dossier can move to the target version, and why not."""

    dossier: Dossier
    reasons: list[str] = field(default_factory=list)
    current_steps: list[str] = field(default_factory=list)

    @property
    def can_move(self) -> bool:
        """No reason stands in the way."""
        return not self.reasons


def running_dossiers(session: Session, target: ProcedureVersion, user: User | None = None) -> list[Dossier]:
    """Running dossiers of the target's procedure that are on another version, oldest first; given a user,
    only those whose handling unit the user administers."""
    scope = admin_scope(session, user)
    return [d for d in _running(session, target) if within(scope, d.unit_id)]


def _running(session: Session, target: ProcedureVersion) -> list[Dossier]:
    return list(session.scalars(
        select(Dossier).join(ProcedureVersion, ProcedureVersion.id == Dossier.procedure_version_id)
        .where(ProcedureVersion.procedure_id == target.procedure_id, Dossier.procedure_version_id != target.id,
               Dossier.status.not_in(ENDED)).order_by(Dossier.submitted_at, Dossier.id)))


def _require_admin(user: User | None) -> None:
    if user is None or not has_role(user, "admin"):
        raise Forbidden("Chỉ quản trị viên được chuyển hồ sơ sang phiên bản khác")


def _trial(workflow, new: ParsedProcess) -> list[str]:
    """Why this running workflow cannot move to `new` (empty: it can); migrates `workflow` in place."""
    top, sub_diffs = diff_workflow(SERIALIZER_REGISTRY, workflow, new.spec, new.subprocess_specs)
    reasons = []
    for task in top.removed:
        if task.state & DEFINITE:
            what = "đang ở" if task.state & (TaskState.READY | TaskState.WAITING | TaskState.STARTED) else "đã qua"
            reasons.append(f"hồ sơ {what} bước {task.task_spec.bpmn_id or task.task_spec.name} "
                           f"({task.task_spec.bpmn_name or '-'}), bước này không còn trong phiên bản mới")
    reasons += [f"tiến trình con {sp_id} không còn trong phiên bản mới" for sp_id, d in sub_diffs.items() if d is None]
    if reasons:
        return reasons
    migrate_workflow(top, workflow, new.spec)
    for sp_id, sp_diff in sub_diffs.items():
        sub = workflow.subprocesses[sp_id]
        migrate_workflow(sp_diff, sub, new.subprocess_specs[sub.spec.name])
    try:
        new.restore(new.dump(workflow))
    except Exception as err:  # noqa: BLE001 - any failure of the round trip means the state cannot move
        return [f"trạng thái quy trình không lưu lại được với phiên bản mới: {err}"]
    return []


def _check(session: Session, dossier: Dossier, target: ProcedureVersion):
    check = MigrationCheck(dossier)
    try:
        _state, workflow = load_workflow(session, dossier)
    except DomainError as err:
        check.reasons.append(err.message)
        return check, None
    check.current_steps = [t.task_spec.bpmn_name or t.task_spec.bpmn_id
                           for t in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING, manual=True)]
    check.reasons = _trial(workflow, process_of(target))
    return check, workflow


def dry_run(session: Session, target: ProcedureVersion, user: User | None,
            dossier_ids: list[int] | None = None) -> list[MigrationCheck]:
    """Chạy thử chuyển phiên bản: which running dossiers can move to `target`, and why the others cannot."""
    _require_admin(user)
    dossiers = [d for d in running_dossiers(session, target, user) if dossier_ids is None or d.id in dossier_ids]
    return [_check(session, dossier, target)[0] for dossier in dossiers]


def migrate(session: Session, target: ProcedureVersion, user: User | None, dossier_ids: list[int],
            now: datetime) -> list[MigrationCheck]:
    """Move the given dossiers that can move to `target`; each move is an event. Returns every check."""
    _require_admin(user)
    wanted = set(dossier_ids)
    if not wanted:
        raise Invalid("Chưa chọn hồ sơ nào", {"dossiers": "Hãy chọn ít nhất một hồ sơ."})
    results = []
    for dossier in running_dossiers(session, target, user):
        if dossier.id not in wanted:
            continue
        lock_dossier(session, dossier.id)
        check, workflow = _check(session, dossier, target)
        results.append(check)
        if check.can_move:
            _move(session, dossier, workflow, target, user, now)
    return results


def _move(session: Session, dossier: Dossier, workflow, target: ProcedureVersion, user: User | None,
          now: datetime) -> None:
    state, _old = load_workflow(session, dossier)
    old_number = dossier.version.number
    dossier.version = target
    dossier.procedure_version_id = target.id
    save_workflow(session, dossier, state, workflow, now)
    _renew_renamed_rows(session, dossier, workflow, process_of(target))
    sync_tasks(session, dossier, process_of(target), workflow, now)
    events.record(session, "dossier.migrated", now, dossier=dossier, user=user,
                  message=f"phiên bản {old_number} → {target.number}", from_version=old_number,
                  to_version=target.number)
    session.flush()


def _renew_renamed_rows(session: Session, dossier: Dossier, workflow, process: ParsedProcess) -> None:
    """Worklist rows whose step now has another BPMN id (aligned by structure) take the new step's details."""
    ready = {str(t.id): t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    for row in session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id,
                                                       HumanTask.state == "ready")):
        info = process.user_tasks.get(ready.get(row.task_uuid, ""))
        if info is not None and info.element_id != row.element_id:
            row.element_id, row.name, row.role, row.kind, row.form_id = (
                info.element_id, info.name, info.role or row.role, info.kind, info.form_id)
    session.flush()
