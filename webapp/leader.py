"""Lãnh đạo from the dossier page: the one extension with apology (form 04) and the proposal behind an approval.

The extension follows the API's rules exactly (engine.extension.extend_due: the unit's leader, once, with a
reason, a new due time on a working day after the current one, asked at least a working day before it).
The stop (form 05) is webapp.withdrawals' page, offered here for any dossier still being handled.
"""
from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from engine.catalogue.procedures import forms_of
from engine.dossier import extension
from engine.dossier.extension import extend_due
from engine.ground.errors import DomainError
from engine.ground.vocabulary import HANDLING
from engine.models import Dossier, HumanTask, User
from engine.org.accounts import grants_of, has_role
from webapp.auth import official
from webapp.db import get_session, now
from webapp.errors import status_of
from webapp.helpers import led_dossier

bp = Blueprint("leader", __name__)
PROPOSAL_KINDS = ("appraisal",)


@bp.route("/dossiers/<code>/extend", methods=["GET", "POST"])
@login_required
def extend(code: str):
    """Gia hạn, xin lỗi và hẹn lại (form 04): reason and new due date, then the slip opens for printing."""
    dossier = led_dossier(code)
    if request.method == "GET":
        return render_template("officials/extend.html", dossier=dossier, errors={}, form={},
                               refused=extension.refusal(dossier, now()))
    session = get_session()
    try:
        extend_due(session, dossier, official(), request.form.get("reason", "")[:2000],
                   request.form.get("new_due_at", "").strip(), now())
        session.commit()
    except DomainError as err:
        session.rollback()
        flash(err.message, "danger")
        status = status_of(err)
        again = get_session().get(Dossier, dossier.id)
        return render_template("officials/extend.html", dossier=again, errors=err.fields, form=request.form,
                               refused=extension.refusal(again, now()) if status == 409 else None), status
    flash(_("Đã gia hạn hồ sơ %(code)s; hãy in phiếu xin lỗi và hẹn lại (mẫu 04).", code=code), "success")
    return redirect(url_for("printing.dossier_form", code=code, name="04", print=1))


def leader_actions(dossier: Dossier) -> dict:
    """What the viewer, if they lead the dossier's unit, may do from its page: extend (once, a working day
    before the due time at the latest; else why not) and stop."""
    if not has_role(official(), "lanh_dao", dossier.unit_id) or dossier.status not in HANDLING:
        return {}
    refused = extension.refusal(dossier, now())
    return {"extend": refused is None, "extend_refused": refused, "stop": True}


def proposal(task: HumanTask) -> dict | None:
    """The specialist's last proposal on the dossier (the appraisal step before this approval), summarised:
    decision (as its form labels it), opinion, who and when."""
    if task.kind != "approval":
        return None
    session = get_session()
    last = session.execute(select(HumanTask, User).outerjoin(User, User.id == HumanTask.completed_by_id).where(
        HumanTask.dossier_id == task.dossier_id, HumanTask.kind.in_(PROPOSAL_KINDS),
        HumanTask.state == "completed").order_by(HumanTask.completed_at.desc(), HumanTask.id.desc()).limit(1)).first()
    if last is None:
        return None
    step, user = last
    data = step.data or {}
    form = forms_of(task.dossier.version).get(step.form_id or "")
    field = form.field("appraisal_decision") if form else None
    labels = {v.get("value"): v.get("label") for v in (field.values or [])} if field else {}
    decision = data.get("appraisal_decision")
    return {"step": step.name, "decision": labels.get(decision, decision), "decision_code": decision,
            "opinion": data.get("appraisal_opinion") or "", "reason": data.get("refuse_reason") or "",
            "by": user.full_name if user else "", "at": step.completed_at}


def send_back(task: HumanTask, steps: list[HumanTask]) -> dict | None:
    """The leader's note when this appraisal is there because they sent the dossier back (approval_decision
    `send_back`): what to look at again, who and when; None otherwise. From the dossier's steps, no query."""
    if task.kind not in PROPOSAL_KINDS:
        return None
    before = [s for s in steps if s.state == "completed" and s.completed_at is not None and s.id != task.id
              and s.completed_at <= task.created_at and s.kind in ("approval", *PROPOSAL_KINDS)]
    last = max(before, key=lambda s: (s.completed_at, s.id), default=None)
    if last is None or last.kind != "approval" or (last.data or {}).get("approval_decision") != "send_back":
        return None
    return {"note": (last.data or {}).get("approval_note") or "", "step": last.name,
            "by": last.assignee.full_name if last.assignee else "", "at": last.completed_at}


def may_open(task: HumanTask) -> bool:
    """Whether the viewer may open the step's page: they hold its role in its unit, or lead the unit."""
    user = official()
    return (task.role, task.unit_id) in grants_of(user) or has_role(user, "lanh_dao", task.unit_id)


def may_act(task: HumanTask) -> bool:
    """Whether the viewer may claim and complete the step, as engine.dossier.step.open_step will judge it:
    they hold its role in its unit and, when the step names its officials (camunda:candidateUsers), are one of
    them. A leader who may only read another role's step (may_open) is not offered its form."""
    from engine.dossier.assignment import may_claim

    user = official()
    return (task.role, task.unit_id) in grants_of(user) and may_claim(get_session(), task, user)


def init_app(app: Flask) -> None:
    """The dossier and step pages ask these (no database query: the viewer's grants are loaded)."""
    app.jinja_env.globals.update(leader_actions=leader_actions, may_open_step=may_open)
