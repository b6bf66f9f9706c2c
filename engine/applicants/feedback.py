"""Phản ánh, kiến nghị: an applicant's feedback or complaint on a dossier or a procedure.

Feedback on a dossier goes to the dossier's unit; on a procedure, to the unit the applicant names.
The unit's leaders and one-stop desk answer it once; the answer is shown to the applicant, and
supervision counts what was received and answered in a period (engine.supervision.ratings).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.ground import events
from engine.ground.errors import Conflict, Invalid, NotFound
from engine.models import ApplicantAccount, ApplicantDossier, Dossier, Feedback, Procedure, Unit, User
from engine.org.accounts import has_role

KINDS = {"phan_anh": "Phản ánh", "kien_nghi": "Kiến nghị"}
ANSWERING_ROLES = ("lanh_dao", "mot_cua")
MAX_TEXT = 4000


def submit(session: Session, account: ApplicantAccount, kind: str, content: str, now: datetime, *,
           dossier_code: str = "", procedure_code: str = "", unit_id: int | None = None) -> Feedback:
    """Gửi phản ánh, kiến nghị on one of the account's dossiers, or on a procedure to a named unit."""
    errors = {}
    if kind not in KINDS:
        errors["kind"] = "Hãy chọn phản ánh hay kiến nghị."
    if not content.strip():
        errors["content"] = "Hãy nêu nội dung."
    dossier = procedure = None
    if dossier_code.strip():
        dossier = session.scalar(select(Dossier).join(ApplicantDossier, ApplicantDossier.dossier_id == Dossier.id)
                                 .where(Dossier.code == dossier_code.strip(),
                                        ApplicantDossier.account_id == account.id))
        if dossier is None:
            errors["dossier"] = "Không có hồ sơ này trong hồ sơ của Ông/Bà."
    elif procedure_code.strip():
        procedure = session.scalar(select(Procedure).where(Procedure.code == procedure_code.strip()))
        if procedure is None:
            errors["procedure"] = "Không có thủ tục này."
        if unit_id is None or session.get(Unit, unit_id) is None:
            errors["unit"] = "Hãy chọn cơ quan nhận phản ánh."
    else:
        errors["dossier"] = "Hãy chọn hồ sơ hoặc thủ tục được phản ánh."
    if errors:
        raise Invalid("Phản ánh, kiến nghị chưa gửi được", errors)
    item = Feedback(account_id=account.id, unit_id=dossier.unit_id if dossier else unit_id,
                    dossier_id=dossier.id if dossier else None, procedure_id=procedure.id if procedure else None,
                    kind=kind, content=content.strip()[:MAX_TEXT], created_at=now)
    session.add(item)
    session.flush()
    events.record(session, "feedback.received", now, dossier=dossier, unit_id=item.unit_id, feedback_id=item.id,
                  feedback_kind=kind)
    return item


def of_account(session: Session, account: ApplicantAccount) -> list[Feedback]:
    """The account's feedback, newest first."""
    return list(session.scalars(select(Feedback).where(Feedback.account_id == account.id)
                                .order_by(Feedback.created_at.desc(), Feedback.id.desc())))


def answerable_units(user: User) -> set[int]:
    """Units whose feedback the official answers."""
    return {g.unit_id for g in user.grants if g.role in ANSWERING_ROLES}


def for_official(session: Session, user: User) -> list[Feedback]:
    """Feedback to the official's units, unanswered first, then newest."""
    units = answerable_units(user)
    if not units:
        return []
    return list(session.scalars(select(Feedback).where(Feedback.unit_id.in_(units))
                                .order_by(Feedback.answered_at.is_not(None), Feedback.created_at.desc())))


def answer(session: Session, user: User, feedback_id: int, text: str, now: datetime) -> Feedback:
    """Trả lời: the unit's one answer, shown to the applicant."""
    item = session.get(Feedback, feedback_id)
    if item is None or not any(has_role(user, role, item.unit_id) for role in ANSWERING_ROLES):
        raise NotFound("Không có phản ánh, kiến nghị này")
    if item.answered_at is not None:
        raise Conflict("Phản ánh, kiến nghị này đã được trả lời")
    if not text.strip():
        raise Invalid("Hãy nhập nội dung trả lời", {"answer": "Cần nội dung trả lời."})
    item.answer, item.answered_at, item.answered_by_id = text.strip()[:MAX_TEXT], now, user.id
    events.record(session, "feedback.answered", now, dossier=item.dossier, user=user, unit_id=item.unit_id,
                  feedback_id=item.id)
    return item
