"""Bưu chính: the desk's list of results sent by post, and the postal service's signed status callback.

Delivery status is pushed by the postal service (`POST /postal/callback`, HMAC-signed with
POSTAL_CALLBACK_SECRET) rather than polled: one call per event, within seconds of it, with no scheduler
load that grows with the parcels in transit; replays are harmless (engine.dossier.shipments stores each event id once).
Pages that show a dossier include templates/postal/_shipment.html, which reads the `shipments` that webapp.helpers.dossier_panels gives the view.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_babel import lazy_pgettext as pgettext

from engine.dossier import shipments
from engine.ground import events
from engine.ground.errors import Invalid, NotFound
from engine.integrations.postal_service import SIGNATURE_HEADER, signature_valid
from engine.org.tree import subtree_ids
from webapp.auth import official, role_required
from webapp.db import get_session, now
from webapp.pages import EVENT_LABELS, csrf

bp = Blueprint("postal", __name__, url_prefix="/postal")
LIST_ROLES = ("mot_cua", "lanh_dao", "admin", "supervisor")
EVENT_LABELS.update({
    "postal.requested": pgettext("event", "Gửi kết quả qua bưu chính"),
    "postal.booked": pgettext("event", "Bưu điện nhận gửi kết quả"),
    "postal.accepted": pgettext("event", "Bưu điện đã nhận gửi"),
    "postal.in_transit": pgettext("event", "Bưu gửi đang vận chuyển"),
    "postal.delivered": pgettext("event", "Bưu điện đã phát kết quả"),
    "postal.failed": pgettext("event", "Bưu điện phát không thành công"),
    "postal.returned": pgettext("event", "Bưu gửi chuyển hoàn về cơ quan"),
    "postal.callback_rejected": pgettext("event", "Từ chối báo cáo bưu chính sai chữ ký"),
})


def _error(status: int, code: str, message: str, fields: dict | None = None):
    body = {"code": code, "message": message, **({"fields": fields} if fields else {})}
    return jsonify({"error": body}), status


@bp.post("/callback")
@csrf.exempt
def callback():
    """Báo cáo trạng thái bưu gửi: a signed delivery report from the postal service; a replay does nothing."""
    secret = current_app.config.get("POSTAL_CALLBACK_SECRET")
    if not secret:
        return _error(503, "not_configured", "Chưa cấu hình khóa ký báo cáo bưu chính (POSTAL_CALLBACK_SECRET)")
    raw, session = request.get_data(), get_session()
    if not signature_valid(secret, raw, request.headers.get(SIGNATURE_HEADER)):
        events.record(session, "postal.callback_rejected", now(), message=raw[:300].decode(errors="replace"),
                      address=request.remote_addr)
        session.commit()
        return _error(401, "bad_signature", f"Chữ ký {SIGNATURE_HEADER} không đúng")
    try:
        shipment, new = shipments.apply_status(session, request.get_json(silent=True), now())
        session.commit()
    except Invalid as err:
        session.rollback()
        return _error(422, "invalid", err.message, err.fields)
    except NotFound as err:
        session.rollback()
        return _error(404, "not_found", err.message)
    return jsonify({"ok": True, "duplicate": not new, "status": shipment.status})


def _units() -> set[int]:
    user = official()
    desk = {g.unit_id for g in user.grants if g.role in ("mot_cua", "lanh_dao")}
    above = {g.unit_id for g in user.grants if g.role in ("admin", "supervisor")}
    return desk | subtree_ids(get_session(), above)


@bp.get("/")
@role_required(*LIST_ROLES)
def shipments_page():
    """Bưu gửi kết quả: the results sent by post from the user's units, failed deliveries first."""
    session, status = get_session(), request.args.get("status") or None
    try:
        rows = shipments.shipments(session, _units(), status)
    except Invalid as err:
        return render_template("postal/list.html", rows=[], errors={}, status=status, message=err.message,
                               labels=shipments.STATUS_LABELS, problems=shipments.PROBLEM_STATUSES), 400
    return render_template("postal/list.html", rows=rows, errors=shipments.booking_errors(session, rows), status=status,
                           labels=shipments.STATUS_LABELS, problems=shipments.PROBLEM_STATUSES, message=None)
