"""Đăng nhập bằng VNeID (OpenID Connect, authorization code with PKCE): the start and the callback of the citizens'
blueprint (webapp.applicants), which finds or makes the account of the verified citizen ID and signs it in."""
from __future__ import annotations

from dataclasses import replace

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _

from engine.applicants.vneid_accounts import sign_in_verified
from engine.ground.errors import DomainError
from engine.integrations.http import IntegrationError
from engine.integrations.vneid import SignInRefused
from webapp.adapters import adapters_of
from webapp.applicants import bp
from webapp.auth import ApplicantSessionUser, start_session
from webapp.db import get_session, now
from webapp.helpers import safe_next

VNEID_SESSION_KEY = "vneid_login"  # state, nonce, PKCE verifier and next, between the start and the callback


def _vneid_client():
    client = adapters_of(current_app).vneid
    if client is None:
        abort(404)
    if not client.redirect_uri:
        client = replace(client, redirect_uri=url_for("applicants.vneid_callback", _external=True))
    return client


def _vneid_refused(reason: str):
    flask_session.pop(VNEID_SESSION_KEY, None)
    current_app.logger.info("VNeID sign-in refused: %s", reason)
    message = {"denied": _("Ông/Bà đã không đồng ý đăng nhập bằng VNeID."),
               "unreachable": _("Chưa kết nối được VNeID; xin thử lại sau ít phút hoặc đăng nhập bằng tài khoản.")
               }.get(reason, _("Không xác thực được đăng nhập bằng VNeID; xin thử lại từ đầu."))
    flash(message, "danger")
    return render_template("applicants/login.html", email="", vneid=True), 400 if reason != "unreachable" else 502


@bp.get("/dang-nhap/vneid")
def vneid_start():
    """Đăng nhập bằng VNeID: a fresh state, nonce and PKCE verifier kept in the session, then off to VNeID."""
    client = _vneid_client()
    try:
        start = client.start()
    except IntegrationError:
        return _vneid_refused("unreachable")
    target = request.args.get("next")
    flask_session[VNEID_SESSION_KEY] = {"state": start.state, "nonce": start.nonce, "verifier": start.verifier,
                                        "next": safe_next(target) if target else None}
    return redirect(start.url)


@bp.get("/dang-nhap/vneid/callback")
def vneid_callback():
    """VNeID sends the citizen back here: the state is checked, the code exchanged and the ID token verified,
    then the account of that citizen ID is found or made and signed in. Any doubt: nothing is written."""
    client = _vneid_client()
    pending = flask_session.pop(VNEID_SESSION_KEY, None) or {}
    try:
        citizen = client.finish(request.args.to_dict(), pending.get("state"), pending.get("nonce"),
                                pending.get("verifier"))
    except SignInRefused as err:
        return _vneid_refused(str(err))
    except IntegrationError:
        return _vneid_refused("unreachable")
    session = get_session()
    try:
        account = sign_in_verified(session, citizen.id_number, citizen.full_name, now())
    except DomainError as err:
        session.commit()  # the refused attempt stays in the audit
        flash(err.message, "danger")
        return render_template("applicants/login.html", email="", vneid=True), 403
    session.commit()
    start_session(ApplicantSessionUser(account))
    flash(_("Xin chào %(name)s.", name=account.full_name), "success")
    return redirect(pending.get("next") or url_for("applicants.my_dossiers"))
