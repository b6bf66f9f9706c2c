"""Opening a dossier: the applicant's details checked, the dossier made and its process started."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.calendar.working import local_date
from engine.catalogue.procedures import forms_of
from engine.clock import statutory
from engine.dossier import workflow_end
from engine.dossier.codes import next_dossier_code
from engine.dossier.workflow import start_process
from engine.ground import events
from engine.ground.errors import Invalid
from engine.ground.text import NAME_LIMIT, clean_text, text_problem
from engine.models import Dossier, Procedure, Unit, User
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


def open_dossier(session: Session, procedure: Procedure, unit: Unit, channel: str, applicant: object,
                 data: object, now: datetime, user: User | None = None, postmarked_at: object = None,
                 group_of: tuple | None = None) -> Dossier:
    """Mở hồ sơ: a new dossier of `procedure` handled by `unit`, its process started at the intake step.

    `user` is the desk officer who creates it; None when the applicant submits online. `group_of`
    (group, position) makes it a member of a procedure group (engine.dossier.group).
    """
    details = validate_applicant(applicant)
    version = procedure.current_version
    cleaned = application_data(version, procedure.catalogue, data, now)
    dossier = Dossier(code=next_dossier_code(session, unit, now), version=version, unit=unit, channel=channel,
                      status="submitted", applicant=details, applicant_name=details["name"],
                      applicant_id_number=details.get("id_number"), data=cleaned,
                      created_by_id=user.id if user else None,
                      submitted_at=now, postmarked_at=_postmark(channel, postmarked_at, now))
    if group_of is not None:
        dossier.group, dossier.group_member = group_of
    dossier.due_at = statutory.statutory_due(unit, procedure.catalogue, statutory.receipt_time(dossier, now))
    session.add(dossier)
    session.flush()
    workflow = start_process(session, dossier, now)
    events.append(session, [("dossier.created", {"channel": channel, "procedure": procedure.code,
                                                  "version": version.number})], now, dossier=dossier, user=user)
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


def application_data(version, catalogue: dict, data: object, now: datetime) -> dict:
    """The declaration (tờ khai) as its form cleans it; Invalid names each bad field as `data.<field>`."""
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
