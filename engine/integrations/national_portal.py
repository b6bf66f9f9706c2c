"""Cổng Dịch vụ công quốc gia: the adapter to the national public service portal.

Two calls (`NationalPortal`): push one dossier's status record, fetch the dossiers submitted there. The
records are built by engine.messaging.portal_status and delivered from the outbox through `PortalSender`,
with the message's dedupe key as idempotency key; submissions are taken in by engine.dossier.portal_intake.
"""
from __future__ import annotations

from typing import Protocol

from engine.integrations.http import JsonClient
from engine.models import OutboxMessage

KIND = "national_portal"
SYSTEM = "national_portal"
SIMULATOR_PATH = "/simulators/national-portal"


class NationalPortal(Protocol):
    """What the engine needs from the national portal."""

    def push_status(self, record: dict, idempotency_key: str) -> None:
        """Send one dossier's status record; raises on failure."""

    def fetch_submissions(self) -> list[dict]:
        """Dossiers submitted on the portal and not yet taken by us."""


class HttpNationalPortal:
    """The portal's HTTP API: POST /hoso/dongbo (status sync), GET /hoso/moi (new submissions)."""

    def __init__(self, base_url: str, api_key: str | None = None, timeout: float = 10.0) -> None:
        self.client = JsonClient(base_url, api_key, timeout)

    def push_status(self, record: dict, idempotency_key: str) -> None:
        """POST the record; the idempotency key makes a repeated delivery a no-op on the portal."""
        self.client.call("POST", "/hoso/dongbo", record, idempotency_key)

    def fetch_submissions(self) -> list[dict]:
        """GET the submissions waiting for us."""
        return list((self.client.call("GET", "/hoso/moi") or {}).get("items") or [])



class PortalSender:
    """The outbox's sender for kind `national_portal`: pushes the record stored in the message."""

    def __init__(self, portal: NationalPortal) -> None:
        self.portal = portal

    def __call__(self, message: OutboxMessage) -> None:
        """Deliver one status record; raises when the portal fails."""
        self.portal.push_status(message.payload["record"], message.dedupe_key)
