"""Đồng ý xử lý dữ liệu cá nhân (Decree 13/2023) for accounts that never gave it: a citizen whose account VNeID
created is asked at first sign-in, before any page of their own (a local account consents at registration).

The routes hang on the applicants' blueprint; `init_app` adds the check before each request."""
from __future__ import annotations

from flask import Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.applicants import my_data
from engine.ground import events
from webapp.applicants import applicant, applicant_required, bp
from webapp.db import get_session, now
from webapp.helpers import safe_next

ASKED_ON = {"applicants", "online", "online_group", "applicant_payments"}  # the citizen's own pages
FREE = {"applicants.consent", "applicants.consent_given", "applicants.logout", "applicants.privacy",
        "applicants.login", "applicants.register", "applicants.vneid_start", "applicants.vneid_callback"}


def init_app(app: Flask) -> None:
    """Send a signed-in applicant without consent to the consent page first."""
    app.before_request(ask_for_consent)


def ask_for_consent():
    """Redirect to /cong-dan/dong-y while the signed-in applicant has not consented."""
    if (not current_user.is_authenticated or current_user.kind != "applicant" or request.blueprint not in ASKED_ON
            or request.endpoint in FREE or current_user.user.consent_at is not None):
        return None
    return redirect(url_for("applicants.consent", next=request.full_path.rstrip("?") if request.method == "GET" else None))


@bp.get("/dong-y")
@applicant_required
def consent():
    """The consent page: what is processed and why (the privacy notice), and the tick."""
    return render_template("applicants/consent.html", next=request.args.get("next", ""), error=False)


@bp.post("/dong-y")
@applicant_required
def consent_given():
    """Record the consent (when, which notice) on the account, as an event too; without the tick, ask again."""
    asked = request.form.get("next") or ""
    target = asked if asked and safe_next(asked) == asked else None
    if request.form.get("consent") != "yes":
        flash(_("Cần sự đồng ý của Ông/Bà để sử dụng dịch vụ công trực tuyến."), "danger")
        return render_template("applicants/consent.html", next=request.form.get("next", ""), error=True), 422
    session, account = get_session(), applicant()
    if account.consent_at is None:
        account.consent_at, account.consent_version = now(), my_data.CONSENT_VERSION
        events.record(session, "applicant.consented", now(), account_id=account.id, version=my_data.CONSENT_VERSION,
                      via=account.provider)
        session.commit()
    flash(_("Cảm ơn Ông/Bà đã xác nhận. Xin chào %(name)s.", name=account.full_name), "success")
    return redirect(target or url_for("applicants.my_dossiers"))
