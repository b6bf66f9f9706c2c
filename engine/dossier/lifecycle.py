"""Dossier use cases: create at the desk or online, claim a step, complete a step, look up."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.working import local_date
from engine.catalogue.procedures import forms_of, get_procedure
from engine.clock import statutory
from engine.dossier import workflow_end
from engine.dossier.codes import next_dossier_code, normalise_code
from engine.dossier.step import complete_step, open_step
from engine.dossier.workflow import Locked, start_process
from engine.ground import events
from engine.ground.errors import Conflict, Forbidden, Invalid, NotFound, StepFailed
from engine.ground.text import NAME_LIMIT, clean_text, text_problem
from engine.messaging.portal_status import UNKNOWN
from engine.models import Dossier, HumanTask, Procedure, Unit, User
from engine.org.accounts import grants_of
from engine.org.tree import ancestors
from forms import FormValidationError
from forms.identifiers import is_citizen_id, is_email, is_phone

CHANNELS = ("in_person", "post", "online")


def validate_applicant(applicant: object) -> dict:
    """The applicant's details, checked; Invalid names each bad field as `applicant.<field>`."""
    if not isinstance(applicant, dict):
        raise Invalid("Thiếu thông tin người nộp", {"applicant": "Cần thông tin người nộp hồ sơ."})
    errors = {}
    keys = ("name", "id_number", "address", "phone", "email", "authorised_person")
    for key in keys:
        value = applicant.get(key)
        problem = text_problem(value, 500 if key == "address" else NAME_LIMIT) if value not in (None, "") else None
        if problem:
            errors[f"applicant.{key}"] = problem
    if errors:
        raise Invalid("Thông tin người nộp không hợp lệ", errors)
    if not str(applicant.get("name") or "").strip():
        errors["applicant.name"] = "Cần họ và tên người nộp."
    checks = (("id_number", is_citizen_id, "Số định danh cá nhân gồm đúng 12 chữ số."),
              ("email", is_email, "Địa chỉ email không hợp lệ."), ("phone", is_phone, "Số điện thoại không hợp lệ."))
    for key, valid, message in checks:
        value = applicant.get(key)
        if value not in (None, "") and not valid(str(value)):
            errors[f"applicant.{key}"] = message
    if errors:
        raise Invalid("Thông tin người nộp không hợp lệ", errors)
    return {k: clean_text(applicant[k]) for k in keys if applicant.get(k) not in (None, "")}


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
    unit = desk_unit(user, unit_code)
    return open_dossier(session, procedure, unit, channel, applicant, data, now, user, postmarked_at)


def open_dossier(session: Session, procedure: Procedure, unit: Unit, channel: str, applicant: object,
                 data: object, now: datetime, user: User | None = None, postmarked_at: object = None) -> Dossier:
    """Mở hồ sơ: a new dossier of `procedure` handled by `unit`, its process started at the intake step.

    `user` is the desk officer who creates it; None when the applicant submits online.
    """
    details = validate_applicant(applicant)
    version = procedure.current_version
    cleaned = _application_data(version, procedure.catalogue, data, now)
    dossier = Dossier(code=next_dossier_code(session, unit, now), version=version, unit=unit, channel=channel,
                      status="submitted", applicant=details, applicant_name=details["name"],
                      applicant_id_number=details.get("id_number"), data=cleaned,
                      created_by_id=user.id if user else None,
                      submitted_at=now, postmarked_at=_postmark(channel, postmarked_at, now))
    dossier.due_at = statutory.statutory_due(unit, procedure.catalogue, statutory.receipt_time(dossier, now))
    session.add(dossier)
    session.flush()
    workflow = start_process(session, dossier, now)
    events.record(session, "dossier.created", now, dossier=dossier, user=user, channel=channel,
                  procedure=procedure.code, version=version.number)
    workflow_end.workflow_completed(session, dossier, workflow, now, user)  # a process with no step ends at once
    return dossier


def _postmark(channel: str, value: object, now: datetime) -> datetime | None:
    if value in (None, ""):
        return None
    if channel != "post":
        raise Invalid("Dấu bưu điện chỉ dùng cho hồ sơ gửi qua bưu chính",
                      {"postmarked_at": "Chỉ ghi dấu bưu điện khi kênh nộp là bưu chính (post)."})
    moment = statutory.parse_moment(value, "postmarked_at")
    if moment > now:
        raise Invalid("Dấu bưu điện ở tương lai", {"postmarked_at": "Ngày gửi không thể sau thời điểm nhận."})
    return moment


def _application_data(version, catalogue: dict, data: object, now: datetime) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise Invalid("Dữ liệu hồ sơ phải là một đối tượng JSON", {"data": "Phải là một đối tượng."})
    form = forms_of(version).get(catalogue.get("application_form") or "")
    if form is None:
        return data
    try:
        return form.validate(data, partial=True, today=local_date(now))
    except FormValidationError as err:
        raise Invalid("Tờ khai có trường không hợp lệ", {f"data.{k}": v for k, v in err.fields.items()}) from err


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
    StepFailed, so that the incident can be recorded after the rollback (engine.operations.incidents)."""
    try:
        complete_step(session, locked, user, data, now, issue)
    except StepFailed as err:
        err.dossier_id, err.task_id, err.data = locked.dossier.id, locked.task.id, data
        err.user_id = user.id if user is not None else None
        raise


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
    no step to act on, as steps go by role and unit.
    """
    grants = grants_of(user)
    units = {unit_id for _role, unit_id in grants}
    if dossier.unit_id in units:
        return True
    supervised = {unit_id for role, unit_id in grants if role == "supervisor"}
    if supervised and any(node.id in supervised for node in ancestors(dossier.unit)):
        return True
    return session.scalar(select(HumanTask.id).where(
        HumanTask.dossier_id == dossier.id, HumanTask.unit_id.in_(units)).limit(1)) is not None


def dossier_tasks(session: Session, dossier: Dossier) -> list[HumanTask]:
    """Every step of a dossier, oldest first."""
    return list(session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id)
                                .order_by(HumanTask.created_at, HumanTask.id)))
