"""Dừng xử lý hồ sơ (form 05): a leader of the handling unit stops a dossier at the applicant's request."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.catalogue.procedures import process_of
from engine.dossier import fees, group
from engine.dossier.workflow import load_workflow, lock_dossier, save_workflow, sync_tasks
from engine.ground import events
from engine.ground.errors import Conflict, Forbidden, Invalid
from engine.ground.vocabulary import DECIDED
from engine.messaging import notices
from engine.models import ApplicantDossier, Dossier, User
from engine.org.accounts import has_role


def stop_dossier(session: Session, dossier: Dossier, user: User, reason: str, now: datetime,
                 returned: str = "") -> dict:
    """Dừng xử lý: end the dossier's process, status `stopped`; returns the form-05 fields of the event.

    Forbidden unless the user leads the dossier's unit; Conflict once the dossier has ended or has
    its result; Invalid without a reason (the applicant's withdrawal reason serves when recorded).
    """
    dossier = lock_dossier(session, dossier.id)
    if not has_role(user, "lanh_dao", dossier.unit_id):
        raise Forbidden(f"Chỉ lãnh đạo {dossier.unit.name} mới được dừng xử lý hồ sơ")
    if dossier.status in DECIDED:
        raise Conflict(f"Hồ sơ {dossier.code} đã kết thúc hoặc đã có kết quả; không thể dừng")
    link = session.get(ApplicantDossier, dossier.id)
    text = reason.strip() or (link.withdrawal_reason if link else "") or ""
    if not text:
        raise Invalid("Cần lý do dừng xử lý hồ sơ", {"reason": "Nêu lý do (theo đề nghị của người nộp)."})
    state, workflow = load_workflow(session, dossier, now)
    workflow.cancel()
    sync_tasks(session, dossier, process_of(dossier.version), workflow, now)
    save_workflow(session, dossier, state, workflow, now)
    dossier.status, dossier.completed_at = "stopped", now
    fees.cancel_open_payment(session, dossier)
    requested = link.withdrawal_asked_at if link and link.withdrawal_asked_at else None
    form = {"number": f"{dossier.code}/05", "dossier_code": dossier.code, "addressee": dossier.applicant_name,
            "procedure": dossier.version.procedure.name, "reason": text,
            "requested_at": requested.astimezone(TZ).isoformat() if requested else None,
            "returned": returned.strip() or None, "signed_by": user.full_name,
            "stopped_at": now.astimezone(TZ).isoformat()}
    events.record(session, "dossier.stopped", now, dossier=dossier, user=user, **form)
    notices.dossier_changed(session, dossier, "dossier.stopped", form, now)
    if dossier.group_id is not None:
        group.member_ended(session, dossier, now)  # a stopped member moves its group on
    return form
