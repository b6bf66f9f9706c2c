"""Thanh toán lệ phí: the applicant pays a requested fee online (gateway redirect and signed callback) or in
cash at the one-stop desk (receipt recorded). engine.dossier.fees holds what a fee is and the clock rule.

The callback is idempotent by the gateway's transaction id: the payment row's `gateway_txn_id` is
unique and every callback takes the dossier's row lock before it looks, so of two identical
callbacks one settles the fee and the other finds it settled and answers OK without writing. A
callback with a bad signature or an amount that differs changes nothing but the audit log.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.dossier import fees, lifecycle
from engine.dossier.workflow import lock_dossier
from engine.ground import events
from engine.ground.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from engine.integrations.http import IntegrationError
from engine.integrations.payment_gateway import PaymentGateway, PaymentOrder, verify
from engine.models import Dossier, HumanTask, Payment, User
from engine.org.accounts import has_role

ORDER_ID = re.compile(r"^MC([0-9]{1,18})$")
SYSTEM = "payment_gateway"


class GatewayUnavailable(DomainError):
    """The payment gateway could not be reached or refused the order."""

    code = "unavailable"


@dataclass(frozen=True)
class CallbackAnswer:
    """What we answer the gateway: an HTTP status and a JSON body; `changed` when a fee was settled."""

    status: int
    body: dict = field(default_factory=dict)
    changed: bool = False


def order_id(payment: Payment) -> str:
    """Mã đơn hàng: the id the gateway knows our payment by."""
    return f"MC{payment.id}"


def payment_step(session: Session, dossier: Dossier) -> HumanTask | None:
    """The dossier's ready payment step, if its fee is awaited."""
    return session.scalar(select(HumanTask).where(HumanTask.dossier_id == dossier.id, HumanTask.state == "ready",
                                                  HumanTask.kind == fees.PAYMENT_STEP).limit(1))


def start_online_payment(session: Session, dossier: Dossier, gateway: PaymentGateway | None, return_url: str,
                         callback_url: str, now: datetime) -> str:
    """Nộp phí trực tuyến: register the open fee with the gateway; the address to send the applicant to.

    Writes only an audit event. Conflict when nothing is waiting to be paid; GatewayUnavailable when
    the gateway is not configured or does not answer (the caller rolls back and tells the applicant).
    """
    payment = fees.open_payment(session, dossier)
    if payment is None:
        raise Conflict(f"Hồ sơ {dossier.code} không có khoản phí nào đang chờ nộp")
    if gateway is None:
        raise GatewayUnavailable("Chưa kết nối cổng thanh toán trực tuyến; Ông/Bà có thể nộp phí tại Bộ phận Một cửa")
    order = PaymentOrder(order_id(payment), payment.amount, f"{payment.description} - hồ sơ {dossier.code}",
                         return_url, callback_url)
    try:
        url = gateway.create_payment_url(order)
    except IntegrationError as err:
        raise GatewayUnavailable("Cổng thanh toán tạm thời không phản hồi; Ông/Bà vui lòng thử lại sau hoặc "
                                 "nộp phí tại Bộ phận Một cửa") from err
    events.record(session, "payment.started", now, dossier=dossier, payment_id=payment.id, order_id=order.order_id,
                  amount=payment.amount)
    return url


def record_gateway_failure(session: Session, dossier: Dossier, error: str, now: datetime) -> None:
    """Leave a trace for admins that the gateway failed the applicant (in its own transaction)."""
    events.record(session, "payment.gateway_unavailable", now, dossier=dossier, system=SYSTEM, error=error[:500])


def record_desk_payment(session: Session, dossier: Dossier, user: User, receipt_number: str, now: datetime,
                        note: str = "") -> Payment:
    """Thu lệ phí tại quầy: the one-stop officer records cash paid with its receipt number; the dossier resumes.

    Forbidden unless the user is a one-stop officer of the step's unit; Invalid without a receipt number;
    Conflict when no fee is waiting.
    """
    dossier = lock_dossier(session, dossier.id)
    task = payment_step(session, dossier)
    if task is None or fees.open_payment(session, dossier) is None:
        raise Conflict(f"Hồ sơ {dossier.code} không có khoản phí nào đang chờ nộp")
    if not has_role(user, "mot_cua", task.unit_id):
        raise Forbidden(f"Chỉ Bộ phận Một cửa của {task.unit.name} mới được thu lệ phí")
    if not receipt_number.strip():
        raise Invalid("Cần số biên lai thu lệ phí", {"receipt_number": "Nhập số biên lai đã cấp cho người nộp."})
    lifecycle.complete_task(session, task.id, user, {"receipt_number": receipt_number.strip(),
                                                    "payment_note": note.strip()}, now)
    return fees.already_paid(session, dossier)


def handle_callback(session: Session, body: bytes, signature: str | None, secret: str,
                    now: datetime) -> CallbackAnswer:
    """Kết quả thanh toán: check the gateway's signed callback and settle the fee once.

    400 malformed, 403 bad signature, 404 unknown order, 409 amount differs (or fee cancelled),
    200 settled, failed, or already seen (a replay changes nothing). The caller commits in every case:
    only consistent changes and audit events are written here.
    """
    if not verify(secret, body, signature):
        events.record(session, "payment.callback_rejected", now, dossier=_claimed_dossier(session, body),
                      system=SYSTEM, reason="bad_signature", body=body[:1000].decode(errors="replace"))
        return CallbackAnswer(403, _error("bad_signature", "Chữ ký của thông báo thanh toán không hợp lệ"))
    try:
        notice = _parse(body)
    except Invalid as err:
        return CallbackAnswer(400, _error("invalid", err.message, err.fields))
    dossier_id = session.scalar(select(Payment.dossier_id).where(Payment.id == notice["payment_id"]))
    if dossier_id is None:
        return CallbackAnswer(404, _error("not_found", f"Không có đơn hàng {notice['order_id']}"))
    dossier = lock_dossier(session, dossier_id)
    payment = session.get(Payment, notice["payment_id"], populate_existing=True)
    return _settle(session, dossier, payment, notice, now)


def _settle(session: Session, dossier: Dossier, payment: Payment, notice: dict, now: datetime) -> CallbackAnswer:
    txn, raw = notice["transaction_id"], notice["raw"]
    seen = session.scalar(select(Payment).where(Payment.gateway_txn_id == txn))
    if seen is not None:
        if seen.id != payment.id:
            return CallbackAnswer(409, _error("conflict", f"Giao dịch {txn} đã dùng cho đơn hàng khác"))
        return CallbackAnswer(200, {"ok": True, "status": "already_recorded"})
    if notice["amount"] != payment.amount:
        events.record(session, "payment.amount_mismatch", now, dossier=dossier, payment_id=payment.id,
                      transaction_id=txn, expected=payment.amount, received=notice["amount"])
        return CallbackAnswer(409, _error("amount_mismatch", f"Số tiền {notice['amount']} đ khác số phải nộp "
                                                            f"{payment.amount} đ"))
    if payment.status == "cancelled":
        return CallbackAnswer(409, _error("conflict", f"Khoản phí của hồ sơ {dossier.code} đã hủy"))
    if payment.status == "paid":  # settled at the desk or by another transaction: the applicant paid twice
        events.record(session, "payment.duplicate", now, dossier=dossier, payment_id=payment.id, transaction_id=txn,
                      amount=notice["amount"], note="Cần hoàn tiền cho người nộp")
        return CallbackAnswer(200, {"ok": True, "status": "duplicate"})
    if notice["status"] == "failed":
        if (payment.raw_callback or {}).get("transaction_id") == txn:
            return CallbackAnswer(200, {"ok": True, "status": "already_recorded"})
        payment.status, payment.raw_callback = "failed", raw
        events.record(session, "payment.failed", now, dossier=dossier, payment_id=payment.id, transaction_id=txn)
        return CallbackAnswer(200, {"ok": True, "status": "failed"})
    payment.status, payment.channel, payment.gateway_txn_id = "paid", "online", txn
    payment.receipt_number, payment.paid_at, payment.raw_callback = txn[:60], now, raw
    session.flush()
    events.record(session, "payment.paid", now, dossier=dossier, payment_id=payment.id, transaction_id=txn,
                  amount=payment.amount, channel="online")
    task = payment_step(session, dossier)
    if task is not None:
        lifecycle.complete_for_system(session, dossier, task, {"receipt_number": txn[:60],
                                                               "payment_note": "Thanh toán trực tuyến"}, now)
    return CallbackAnswer(200, {"ok": True, "status": "paid"}, changed=True)


def _claimed_dossier(session: Session, body: bytes) -> Dossier | None:
    """The dossier an unverified callback claims to be about, so that its unit's admins see the attempt."""
    try:
        match = ORDER_ID.match(str(json.loads(body).get("order_id") or ""))
    except (ValueError, AttributeError):
        return None
    payment = session.get(Payment, int(match.group(1))) if match else None
    return payment.dossier if payment else None


def _parse(body: bytes) -> dict:
    try:
        data = json.loads(body)
    except ValueError:
        raise Invalid("Thông báo thanh toán không phải JSON", {"body": "Cần một đối tượng JSON."}) from None
    if not isinstance(data, dict):
        raise Invalid("Thông báo thanh toán phải là một đối tượng JSON", {"body": "Cần một đối tượng JSON."})
    errors = {}
    match = ORDER_ID.match(str(data.get("order_id") or ""))
    if match is None:
        errors["order_id"] = "Cần mã đơn hàng dạng MC<số>."
    txn = data.get("transaction_id")
    if not isinstance(txn, str) or not txn.strip() or len(txn) > 100:
        errors["transaction_id"] = "Cần mã giao dịch (tối đa 100 ký tự)."
    amount = data.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        errors["amount"] = "Cần số tiền là số nguyên đồng."
    if data.get("status") not in ("paid", "failed"):
        errors["status"] = "Một trong: paid, failed."
    if errors:
        raise Invalid("Thông báo thanh toán thiếu hoặc sai trường", errors)
    return {"order_id": data["order_id"], "payment_id": int(match.group(1)), "transaction_id": txn.strip(),
            "amount": amount, "status": data["status"], "raw": data}


def _error(code: str, message: str, fields: dict | None = None) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def payment_summary(session: Session, dossier: Dossier) -> dict:
    """What a dossier page shows about fees: every payment, the open one, and whether it is awaited now."""
    rows = fees.payments_of(session, dossier)
    return {"payments": rows, "open": fees.open_payment(session, dossier),
            "awaited": dossier.status == "payment_requested" and payment_step(session, dossier) is not None}


def find_payment(session: Session, dossier: Dossier, payment_id: int) -> Payment:
    """One payment of a dossier; NotFound otherwise."""
    payment = session.get(Payment, payment_id)
    if payment is None or payment.dossier_id != dossier.id:
        raise NotFound(f"Không có khoản phí số {payment_id} của hồ sơ {dossier.code}")
    return payment
