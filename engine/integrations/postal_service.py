"""Dịch vụ bưu chính công ích: the postal service that carries results to applicants.

One interface (`PostalService`) with one HTTP client (`HttpPostalService`, configured by POSTAL_URL,
POSTAL_KEY, POSTAL_TIMEOUT); `make run` and the tests point it at the local simulator
(webapp/simulators/postal.py, SIMULATOR_PATH). The contract:

- `POST /buugui` books a shipment: JSON {reference, recipient {name, address, phone}, sender {name, code},
  contents, callback_url} with the outbox message's dedupe key as `Idempotency-Key`; answers
  {tracking_number, status, booked_at}. The same key answers the same tracking number: a retry after
  a lost answer never books a second parcel.
- `GET /buugui/<tracking_number>` answers the shipment with its events.
- Delivery status comes back by callback: the postal service POSTs {event_id, tracking_number, status,
  at, location, note} to our callback URL, signed with HMAC-SHA256 of the raw body under the shared
  secret POSTAL_CALLBACK_SECRET, in the header `X-Postal-Signature: sha256=<hex>`.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Protocol

from engine.integrations.http import IntegrationError, JsonClient

SIMULATOR_PATH = "/simulators/postal"
SIGNATURE_HEADER = "X-Postal-Signature"


class PostalService(Protocol):
    """What the engine needs from the postal service."""

    def book(self, request: dict, idempotency_key: str) -> dict:
        """Book a shipment; returns at least {tracking_number}. Raises IntegrationError on failure."""

    def track(self, tracking_number: str) -> dict:
        """The shipment's current status and its events."""


class HttpPostalService:
    """The postal service's HTTP API (see the module's docstring)."""

    def __init__(self, base_url: str, api_key: str | None = None, timeout: float = 10.0) -> None:
        self.client = JsonClient(base_url, api_key, timeout)

    def book(self, request: dict, idempotency_key: str) -> dict:
        """POST /buugui; the idempotency key makes a repeated booking answer the first one's tracking number."""
        answer = self.client.call("POST", "/buugui", request, idempotency_key)
        if not isinstance(answer, dict) or not str(answer.get("tracking_number") or "").strip():
            raise IntegrationError(f"POST /buugui: no tracking_number in the answer {answer!r:.200}")
        return answer

    def track(self, tracking_number: str) -> dict:
        """GET /buugui/<tracking_number>."""
        return self.client.call("GET", f"/buugui/{tracking_number}") or {}



def sign(secret: str, body: bytes) -> str:
    """The signature header's value for `body`: sha256=<hex HMAC-SHA256 under `secret`>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(secret: str | None, body: bytes, header: str | None) -> bool:
    """True when `header` is the signature of `body` under `secret` (never without a secret)."""
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(secret, body), header.strip())
