"""Nền tảng thanh toán: the payment gateway (e.g. the national public service portal's payment platform).

One interface, `PaymentGateway`: create a payment for an order and get the address to send the
applicant to. The gateway later calls our callback with a JSON body signed by HMAC-SHA256 over the
raw bytes (header X-Signature, lowercase hex) with the shared secret PAYMENT_GATEWAY_SECRET; we
check it in constant time (`verify`). Configured by PAYMENT_GATEWAY_URL (+ _KEY, _SECRET, _TIMEOUT
seconds); `make run` points it at the local simulator (webapp/simulators/payment.py).

The callback body: {"order_id", "transaction_id", "amount" (whole đồng), "status": "paid" | "failed",
"paid_at" (ISO 8601, optional)}.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict, dataclass
from typing import Protocol

from engine.integrations.http import IntegrationError, JsonClient

SIGNATURE_HEADER = "X-Signature"
SIMULATOR_PATH = "/simulators/payment"


@dataclass(frozen=True)
class PaymentOrder:
    """What we ask the applicant to pay: our order id, the amount in đồng, what for, and where to come back."""

    order_id: str
    amount: int
    description: str
    return_url: str
    callback_url: str


class PaymentGateway(Protocol):
    """What the engine needs from a payment gateway."""

    def create_payment_url(self, order: PaymentOrder) -> str:
        """The address of the gateway's page where the applicant pays this order; raises IntegrationError."""


def sign(secret: str, body: bytes) -> str:
    """The HMAC-SHA256 signature of a callback body, as lowercase hex."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str | None) -> bool:
    """Whether `signature` is the body's signature under `secret` (constant-time compare)."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(sign(secret, body), signature.strip().lower())


class HttpPaymentGateway:
    """The gateway's HTTP API: POST /don-hang (the order) → {"payment_url"}."""

    def __init__(self, base_url: str, api_key: str | None = None, timeout: float = 10.0) -> None:
        self.client = JsonClient(base_url, api_key, timeout)

    def create_payment_url(self, order: PaymentOrder) -> str:
        """Register the order (idempotent by order id) and return the payment page's address."""
        answer = self.client.call("POST", "/don-hang", asdict(order), idempotency_key=order.order_id)
        url = (answer or {}).get("payment_url") if isinstance(answer, dict) else None
        if not url or not str(url).startswith(("http://", "https://")):
            raise IntegrationError("POST /don-hang: the gateway gave no payment_url")
        return str(url)
