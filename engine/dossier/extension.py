"""Phiếu xin lỗi và hẹn lại ngày trả kết quả (form 04): the one extension of a dossier's due time.

The head of the handling agency (a leader, `lanh_dao`, of the dossier's unit) may set a new due
time once, with a reason, at least one working day before the current due time.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.clock import statutory
from engine.dossier.workflow import lock_dossier
from engine.ground import events
from engine.ground.errors import Conflict, Forbidden, Invalid
from engine.ground.vocabulary import HANDLING
from engine.messaging import notices
from engine.models import Dossier, User
from engine.org.accounts import has_role

APOLOGY = ("Cơ quan giải quyết thành thật xin lỗi Ông/Bà vì việc giải quyết hồ sơ chưa bảo đảm thời hạn "
           "theo quy định và hẹn trả kết quả vào thời gian mới dưới đây.")


def extend_due(session: Session, dossier: Dossier, user: User, reason: object, new_due: object,
               now: datetime) -> dict:
    """Gia hạn: move the dossier's due time to `new_due`; returns the form-04 fields.

    Forbidden unless the user leads the dossier's unit; Conflict when it was already extended or is
    not being handled; Invalid for a missing reason, a new due time not after the current one or not
    on a working day, or a request less than one working day before the due time.
    """
    dossier = lock_dossier(session, dossier.id)
    if not has_role(user, "lanh_dao", dossier.unit_id):
        raise Forbidden(f"Chỉ lãnh đạo {dossier.unit.name} mới được gia hạn hồ sơ")
    return _extend(session, dossier, user, user.full_name, reason, new_due, now)


def extend_for_calendar(session: Session, dossier: Dossier, admin: User, reason: str, new_due: datetime,
                        now: datetime, day: str) -> dict:
    """The extension a calendar change brings (an admin declared a day off that the issued appointment
    spans, and chose to move the appointments already issued): the same rules as a leader's (once, while
    handled, at least one working day before the due time), signed in the name the unit prints on its
    forms (else the admin's), with the day recorded on the event."""
    dossier = lock_dossier(session, dossier.id)
    signer = ((dossier.unit.settings or {}).get("documents") or {}).get("signatory_name") or admin.full_name
    return _extend(session, dossier, admin, signer, reason, new_due, now, {"cause": "calendar", "calendar_day": day})


def refusal(dossier: Dossier, now: datetime) -> str | None:
    """Why the dossier cannot be extended now (None: it can): once only, while handled, and at least one working
    day before its due time (Decree 61/2018, art. 19: the apology goes out before the time limit ends)."""
    return _conflict(dossier) or _too_late(dossier, now)


def _conflict(dossier: Dossier) -> str | None:
    if dossier.extended_at is not None:
        return f"Hồ sơ {dossier.code} đã được gia hạn một lần; không được gia hạn lần thứ hai"
    if dossier.status not in HANDLING or dossier.due_at is None:
        return f"Hồ sơ {dossier.code} không ở trạng thái đang giải quyết nên không thể gia hạn"
    return None


def _too_late(dossier: Dossier, now: datetime) -> str | None:
    cal = statutory.calendar_for(dossier.unit)
    if cal.working_minutes_between(now, dossier.due_at) < cal.hours.minutes_per_day:
        return f"Phải gia hạn trước hạn ít nhất 1 ngày làm việc; hạn hiện tại là {_vn(dossier.due_at)}."
    return None


def _extend(session: Session, dossier: Dossier, user: User, signer: str, reason: object, new_due: object,
            now: datetime, extra: dict | None = None) -> dict:
    conflict = _conflict(dossier)
    if conflict is not None:
        raise Conflict(conflict)
    text, errors = str(reason or "").strip(), {}
    try:
        moment = _new_due(dossier, new_due)
    except Invalid as err:  # every field's problem at once
        errors.update(err.fields)
    late = _too_late(dossier, now)
    if late is not None:
        errors["new_due_at"] = late
    if not text:
        errors["reason"] = "Cần nêu lý do chậm trả kết quả."
    if errors:
        raise Invalid("Không thể gia hạn hồ sơ", errors)
    original = dossier.due_at
    dossier.original_due_at, dossier.due_at, dossier.extended_at = original, moment, now
    form = form_04(dossier, signer, text, original, now)
    events.record(session, "dossier.extended", now, dossier=dossier, user=user, **form, **(extra or {}))
    notices.dossier_changed(session, dossier, "dossier.extended", form, now)
    return form


def _new_due(dossier: Dossier, value: object) -> datetime:
    if value in (None, ""):
        raise Invalid("Thiếu ngày hẹn trả mới", {"new_due_at": "Cần ngày giờ hẹn trả kết quả mới."})
    moment = statutory.parse_moment(value, "new_due_at")
    cal = statutory.calendar_for(dossier.unit)
    if len(str(value).strip()) == 10:  # a date alone: the close of that day
        moment = datetime.combine(moment.date(), cal.hours.sessions[-1][1], TZ)
    if not cal.is_working_day(moment):
        raise Invalid("Ngày hẹn trả mới không phải ngày làm việc",
                      {"new_due_at": f"{moment.astimezone(TZ):%d/%m/%Y} là ngày nghỉ."})
    if moment <= dossier.due_at:
        raise Invalid("Ngày hẹn trả mới phải sau hạn hiện tại",
                      {"new_due_at": f"Hạn hiện tại là {_vn(dossier.due_at)}."})
    return moment


def form_04(dossier: Dossier, signer: str, reason: str, original_due: datetime, now: datetime) -> dict:
    """The fields of the apology and extension slip (form 04)."""
    procedure = dossier.version.procedure

    def local(moment: datetime | None) -> str | None:
        return moment.astimezone(TZ).isoformat() if moment else None

    return {"number": f"{dossier.code}/04", "addressee": dossier.applicant_name,
            "received_at": local(dossier.received_at), "procedure": procedure.name,
            "procedure_code": procedure.code, "dossier_code": dossier.code, "original_due_at": local(original_due),
            "reason": reason, "apology": APOLOGY, "new_due_at": local(dossier.due_at), "signed_by": signer,
            "issued_at": local(now)}


def _vn(moment: datetime) -> str:
    return f"{moment.astimezone(TZ):%H:%M ngày %d/%m/%Y}"
