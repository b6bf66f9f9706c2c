"""Dừng xử lý hồ sơ: a leader of the handling unit stops a dossier whose applicant asked to withdraw (form 05)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.dossier.stop import stop_dossier
from engine.ground.errors import DomainError
from engine.models import ApplicantDossier
from webapp.auth import official
from webapp.db import get_session, now
from webapp.errors import status_of
from webapp.helpers import led_dossier

bp = Blueprint("withdrawals", __name__)


@bp.route("/dossiers/<code>/stop", methods=["GET", "POST"])
@login_required
def stop(code: str):
    """Dừng xử lý: the leader confirms with a reason; then form 05 opens for printing."""
    dossier = led_dossier(code)
    link = get_session().get(ApplicantDossier, dossier.id)
    if request.method == "GET":
        return render_template("officials/stop.html", dossier=dossier, link=link, errors={})
    session = get_session()
    try:
        stop_dossier(session, dossier, official(), request.form.get("reason", ""), now(),
                     request.form.get("returned", ""))
        session.commit()
    except DomainError as err:
        session.rollback()
        flash(err.message, "danger")
        status = status_of(err)
        return render_template("officials/stop.html", dossier=dossier, link=link, errors=err.fields), status
    flash(_("Đã dừng xử lý hồ sơ %(code)s.", code=code), "success")
    return redirect(url_for("printing.dossier_form", code=dossier.code, name="05", print=1))
