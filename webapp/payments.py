"""Nộp phí: the applicant pays a requested fee online (redirect to the gateway and back), the gateway's
signed callback, and the one-stop officer's cash receipt at the desk. Thin views over engine.dossier.payments."""
from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required

from engine.dossier import payments
from engine.ground.errors import Conflict, DomainError, Forbidden, Invalid
from engine.integrations.payment_gateway import SIGNATURE_HEADER
from webapp.adapters import adapters_of
from webapp.applicants import applicant_required, owned_dossier
from webapp.auth import official
from webapp.db import get_session, now
from webapp.helpers import viewable_dossier

applicant_bp = Blueprint("applicant_payments", __name__, url_prefix="/cong-dan/ho-so")
gateway_bp = Blueprint("payment_gateway", __name__, url_prefix="/thanh-toan")
desk_bp = Blueprint("desk_payments", __name__)


def _public(path: str) -> str:
    """An absolute address of ours for the gateway (MOTCUA_PUBLIC_URL, else the request's)."""
    base = current_app.config.get("PUBLIC_URL") or request.url_root
    return base.rstrip("/") + path


@applicant_bp.post("/<code>/nop-phi")
@applicant_required
def pay_online(code: str):
    """Nộp phí trực tuyến: register the fee with the gateway and send the applicant there."""
    session, item = get_session(), owned_dossier(code)
    dossier = item.dossier
    try:
        url = payments.start_online_payment(
            session, dossier, adapters_of(current_app).payment_gateway,
            _public(url_for("applicant_payments.result", code=dossier.code)),
            _public(url_for("payment_gateway.callback")), now())
        session.commit()
    except payments.GatewayUnavailable as err:
        session.rollback()
        payments.record_gateway_failure(session, dossier, str(err.__cause__ or err.message), now())
        session.commit()
        flash(err.message, "danger")
        return redirect(url_for("applicants.dossier_page", code=dossier.code))
    except DomainError as err:
        session.rollback()
        flash(err.message, "danger")
        return redirect(url_for("applicants.dossier_page", code=dossier.code))
    return redirect(url, 303)


@applicant_bp.get("/<code>/ket-qua-thanh-toan")
@applicant_required
def result(code: str):
    """Kết quả thanh toán: where the gateway sends the applicant back; the fee's state as we know it."""
    session, item = get_session(), owned_dossier(code)
    return render_template("payments/result.html", dossier=item.dossier,
                           summary=payments.payment_summary(session, item.dossier))


@gateway_bp.post("/callback")
def callback():
    """The gateway's signed notice of a payment (JSON); answers JSON with the status that fits."""
    session, secret = get_session(), adapters_of(current_app).payment_secret
    if not secret:  # no default secret: without one configured, nobody can sign a notice we would believe
        return jsonify({"error": {"code": "not_configured", "message": "Chưa cấu hình khóa ký thông báo thanh toán "
                                                                      "(PAYMENT_GATEWAY_SECRET)"}}), 503
    answer = payments.handle_callback(session, request.get_data(), request.headers.get(SIGNATURE_HEADER),
                                      secret, now())
    session.commit()
    return jsonify(answer.body), answer.status


@desk_bp.post("/dossiers/<code>/payments/desk")
@login_required
def desk_payment(code: str):
    """Thu lệ phí tại quầy: the one-stop officer records the cash receipt."""
    session, dossier = get_session(), viewable_dossier(code)
    try:
        payment = payments.record_desk_payment(session, dossier, official(), request.form.get("receipt_number", ""),
                                               now(), request.form.get("payment_note", ""))
        session.commit()
        flash(_("Đã ghi nhận lệ phí %(amount)s, biên lai số %(receipt)s.",
                amount=f"{payment.amount:,}".replace(",", ".") + " đ", receipt=payment.receipt_number), "success")
    except (Conflict, Forbidden, Invalid) as err:  # said on the dossier's page, which the viewer may read
        session.rollback()
        flash(err.message, "danger")
    return redirect(url_for("officials.dossier_page", code=dossier.code), 303)


def init_app(app: Flask) -> None:
    """Nothing to configure: no callback has a default secret (without PAYMENT_GATEWAY_SECRET the gateway's
    notices are refused with 503; `make run` sets a development one for the simulator)."""
