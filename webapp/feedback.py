"""Phản ánh, kiến nghị: the unit's leaders and one-stop desk read and answer the applicants' feedback."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.applicants import feedback as feedbacks
from engine.ground.errors import DomainError
from webapp.auth import official
from webapp.db import get_session, now

bp = Blueprint("feedback", __name__)


@bp.get("/feedback")
@login_required
def feedback_page():
    """The feedback to the official's units, unanswered first."""
    if not feedbacks.answerable_units(official()):
        abort(403)
    return render_template("officials/feedback.html", items=feedbacks.for_official(get_session(), official()),
                           kinds=feedbacks.KINDS)


@bp.post("/feedback/<int:feedback_id>/answer")
@login_required
def answer(feedback_id: int):
    """Trả lời: the unit's answer, shown to the applicant on their feedback page."""
    if not feedbacks.answerable_units(official()):
        abort(403)
    session = get_session()
    try:
        feedbacks.answer(session, official(), feedback_id, request.form.get("answer", ""), now())
        session.commit()
        flash(_("Đã trả lời phản ánh, kiến nghị."), "success")
    except DomainError as err:
        session.rollback()
        if err.code == "not_found":
            abort(404)
        flash(err.message, "danger")
    return redirect(url_for("feedback.feedback_page"))
