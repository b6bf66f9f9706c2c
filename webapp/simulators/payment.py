"""SIMULATOR of the payment gateway (nền tảng thanh toán), under /simulators/payment.

Takes an order (POST /don-hang → payment_url), shows the applicant a Vietnamese "pay" page, and on
"Thanh toán" or "Hủy" calls our callback with a body signed by HMAC-SHA256 (PAYMENT_GATEWAY_SECRET),
then sends the applicant back to the order's return_url. Orders and sent callbacks stay in memory.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.integrations.payment_gateway import SIGNATURE_HEADER, sign
from webapp.adapters import adapters_of
from webapp.simulators import LOCK, Faults, check_key, set_mode, state

bp = Blueprint("sim_payment", __name__, url_prefix="/simulators/payment")
ORDER_KEYS = ("order_id", "amount", "description", "return_url", "callback_url")


@dataclass
class GatewayState:
    """The simulated gateway: orders by id, the callbacks it sent (with our answers), its fault switch."""

    faults: Faults = field(default_factory=Faults)
    orders: dict[str, dict] = field(default_factory=dict)
    callbacks: list[dict] = field(default_factory=list)


def gateway() -> GatewayState:
    """This app's simulated gateway."""
    return state("payment", GatewayState)


@bp.post("/don-hang")
def create_order():
    """Tạo đơn hàng: keep the order (the same order id again is the same order) and answer its page's address."""
    sim = gateway()
    check_key("PAYMENT_GATEWAY_KEY")
    sim.faults.apply()
    order = request.get_json(silent=True)
    if not isinstance(order, dict) or any(not order.get(k) for k in ORDER_KEYS if k != "amount") \
            or not isinstance(order.get("amount"), int):
        return jsonify({"error": "order_id, amount, description, return_url and callback_url are required"}), 400
    with LOCK:
        sim.orders[order["order_id"]] = {k: order[k] for k in ORDER_KEYS}
    return jsonify({"payment_url": url_for("sim_payment.pay_page", order_id=order["order_id"], _external=True)})


def _order(order_id: str) -> dict:
    order = gateway().orders.get(order_id)
    if order is None:
        abort(404)
    return order


@bp.get("/thanh-toan/<order_id>")
def pay_page(order_id: str):
    """The applicant's page at the gateway: what to pay, and Pay or Cancel."""
    return render_template("simulators/payment.html", order=_order(order_id), title=_("Mô phỏng cổng thanh toán"))


@bp.post("/thanh-toan/<order_id>")
def pay(order_id: str):
    """Act out the payment: call the order's callback with a signed body, then go back to the return address."""
    order = _order(order_id)
    outcome = "paid" if request.form.get("outcome") == "paid" else "failed"
    body = json.dumps({"order_id": order_id, "transaction_id": "SIM-" + uuid.uuid4().hex[:16].upper(),
                       "amount": order["amount"], "status": outcome}).encode()
    answer = _deliver(order["callback_url"], body, sign(adapters_of(current_app).payment_secret, body))
    with LOCK:
        gateway().callbacks.append({"order_id": order_id, "body": body.decode(), "answer": answer})
    return redirect(order["return_url"])


def _deliver(url: str, body: bytes, signature: str) -> dict:
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", SIGNATURE_HEADER: signature})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310 - the order's own callback
            return {"status": response.status, "body": response.read(500).decode(errors="replace")}
    except urllib.error.HTTPError as err:
        return {"status": err.code, "body": err.read(500).decode(errors="replace")}
    except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
        return {"status": None, "body": str(getattr(err, "reason", err))}


@bp.post("/mode")
def mode():
    """Fault switch: {"mode": "ok" | "error" | "slow", "delay": seconds}."""
    return set_mode(gateway().faults)
