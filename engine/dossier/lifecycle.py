"""Dossier use cases: create at the desk or online, claim a step, complete a step, look up."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.working import local_date
from engine.catalogue.groups import is_group
from engine.catalogue.procedures import forms_of, get_procedure
from engine.dossier import group as groups
from engine.dossier.codes import normalise_code
from engine.dossier.opening import CHANNELS, open_dossier, validate_applicant
from engine.dossier.step import complete_step, open_step
from engine.dossier.workflow import Locked
from engine.ground import events
from engine.ground.errors import Conflict, Forbidden, Invalid, NotFound, StepFailed
from engine.messaging.portal_status import UNKNOWN
from engine.models import Dossier, DossierGroup, HumanTask, Unit, User
from engine.org.accounts import grants_of
from engine.org.tree import ancestors
from forms import FormValidationError

__all__ = ["CHANNELS", "open_dossier", "validate_applicant"]  # opened in engine.dossier.opening, named here too


def desk_unit(user: User, unit_code: str | None) -> Unit:
    """The unit at whose desk the user receives: the one named, or their only one-stop unit."""
    units = [g.unit for g in user.grants if g.role == "mot_cua"]
    if unit_code:
        units = [u for u in units if u.code == unit_code]
    if not units:
        raise Forbidden("Bạn không có vai trò Một cửa ở đơn vị này")
    if len(units) > 1:
        raise Invalid("Hãy chọn đơn vị tiếp nhận", {"unit": "Bạn làm việc ở nhiều đơn vị; cần chọn một."})
    return units[0]


def create_dossier(session: Session, user: User, procedure_code: str, channel: str, applicant: object,
                   data: object, now: datetime, unit_code: str | None = None,
                   postmarked_at: object = None) -> Dossier:
    """Nhận hồ sơ: create a dossier at the user's desk and start its process at the intake step.

    A postal dossier may carry its postmark (`postmarked_at`, ISO 8601): its clock counts from it.
    """
    if channel not in CHANNELS:
        raise Invalid("Kênh nộp không hợp lệ", {"channel": f"Một trong: {', '.join(CHANNELS)}."})
    procedure = get_procedure(session, procedure_code)
    if is_group(procedure.catalogue):
        raise Invalid(f"{procedure.code} là nhóm thủ tục liên thông: tiếp nhận như một hồ sơ liên thông",
                      {"procedure_code": "Mã này là một nhóm liên thông."})
    unit = desk_unit(user, unit_code)
    return open_dossier(session, procedure, unit, channel, applicant, data, now, user, postmarked_at)


def create_group(session: Session, user: User, procedure_code: str, channel: str, applicant: object,
                 data: object, now: datetime, unit_code: str | None = None) -> DossierGroup:
    """Nhận hồ sơ liên thông: one declaration for a procedure group at the user's desk (engine.dossier.group)."""
    if channel not in CHANNELS:
        raise Invalid("Kênh nộp không hợp lệ", {"channel": f"Một trong: {', '.join(CHANNELS)}."})
    procedure = get_procedure(session, procedure_code)
    if not is_group(procedure.catalogue):
        raise Invalid(f"Thủ tục {procedure_code} không phải nhóm liên thông")
    return groups.open_group(session, procedure, desk_unit(user, unit_code), channel, applicant, data, now, user)


def claim_task(session: Session, task_id: int, user: User, now: datetime) -> HumanTask:
    """Nhận xử lý: take a ready task; Conflict if another official has it or it moved on."""
    task = open_step(session, task_id, user).task
    if task.assignee_id != user.id:
        task.assignee = user
        events.record(session, "task.claimed", now, dossier=task.dossier, user=user, task=task.element_id)
    return task


def complete_task(session: Session, task_id: int, user: User, data: object, now: datetime,
                  coerce: bool = False, issue=None) -> HumanTask:
    """Hoàn thành bước: validate the step's form, run the process on, move the dossier's state.

    `coerce` reads values as an HTML form sends them (strings, "on" for a ticked box); `issue` issues the
    signed result when the step approves (engine.dossier.step.complete_step).
    """
    locked = open_step(session, task_id, user)
    run_step(session, locked, user, _step_data(locked.dossier, locked.task, data, now, coerce), now, issue)
    return locked.task


def run_step(session: Session, locked: Locked, user: User | None, data: dict, now: datetime, issue=None) -> None:
    """complete_step, and a process that fails to run on names the dossier, step, official and data in its
    StepFailed, so that the incident can be recorded after the rollback (engine.operations.incidents); a
    member of a liên thông group that ended moves its group on."""
    try:
        complete_step(session, locked, user, data, now, issue)
    except StepFailed as err:
        err.dossier_id, err.task_id, err.data = locked.dossier.id, locked.task.id, data
        err.user_id = user.id if user is not None else None
        raise
    groups.member_ended(session, locked.dossier, now)


def complete_for_applicant(session: Session, task_id: int, data: object, now: datetime) -> HumanTask:
    """Công dân bổ sung trực tuyến: the applicant's online supplement completes the step waiting for it.

    Only a ready step of kind `supplement` (the one that waits for the applicant) can be completed so.
    """
    locked = open_step(session, task_id, ready=False)
    if locked.task.kind != "supplement":
        raise Forbidden("Bước này không chờ công dân bổ sung")
    if locked.task.state != "ready":
        raise Conflict(f"Hồ sơ {locked.dossier.code} đã được bổ sung")
    run_step(session, locked, None, _step_data(locked.dossier, locked.task, data, now), now)
    return locked.task


def complete_for_system(session: Session, dossier: Dossier, task: HumanTask, data: object,
                        now: datetime) -> HumanTask:
    """A step completed by an integration, not an official (the payment gateway's callback settles the
    `payment` step). The caller holds the dossier's lock; Conflict unless the step is still ready."""
    session.refresh(task)
    if task.state != "ready":
        raise Conflict(f"Bước '{task.name}' của hồ sơ {dossier.code} đã được xử lý")
    run_step(session, Locked(dossier, None, UNKNOWN, None, task), None, _step_data(dossier, task, data, now), now)
    return task


def _step_data(dossier: Dossier, task: HumanTask, data: object, now: datetime, coerce: bool = False) -> dict:
    if not isinstance(data, dict):
        raise Invalid("Dữ liệu phải là một đối tượng JSON", {"data": "Phải là một đối tượng."})
    form = forms_of(dossier.version).get(task.form_id or "")
    if form is None:
        return {}
    try:
        return form.validate(data, coerce=coerce, today=local_date(now),
                             context={"declaration": dict(dossier.data or {})})
    except FormValidationError as err:
        raise Invalid("Biểu mẫu có trường chưa hợp lệ", err.fields) from err


def get_dossier(session: Session, code: str) -> Dossier:
    """A dossier by its code, typed leniently; NotFound otherwise."""
    canonical = normalise_code(code)
    dossier = session.scalar(select(Dossier).where(Dossier.code == canonical)) if canonical else None
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ mã {code}")
    return dossier


def can_view(user: User, dossier: Dossier, session: Session) -> bool:
    """Officials see dossiers of their units, and those with a step in one of their units.

    Supervisors (giám sát) read every dossier of their unit and of the units below it; reading gives
    no step to act on, as steps go by role and unit. The unit that received a liên thông group reads its
    members too, whichever agency handles them (its desk answers the citizen for the whole group).
    """
    grants = grants_of(user)
    units = {unit_id for _role, unit_id in grants}
    if dossier.unit_id in units:
        return True
    if dossier.group_id is not None and dossier.group.unit_id in units:
        return True
    supervised = {unit_id for role, unit_id in grants if role == "supervisor"}
    if supervised and any(node.id in supervised for node in ancestors(dossier.unit)):
        return True
    return session.scalar(select(HumanTask.id).where(
        HumanTask.dossier_id == dossier.id, HumanTask.unit_id.in_(units)).limit(1)) is not None


def can_view_group(user: User, group: DossierGroup, session: Session) -> bool:
    """Officials of the receiving unit see a procedure group, and so do those who may see one of its members."""
    if group.unit_id in {unit_id for _role, unit_id in grants_of(user)}:
        return True
    return any(can_view(user, member, session) for member in group.members)


def dossier_tasks(session: Session, dossier: Dossier) -> list[HumanTask]:
    """Every step of a dossier, oldest first."""
    return list(session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id)
                                .order_by(HumanTask.created_at, HumanTask.id)))
