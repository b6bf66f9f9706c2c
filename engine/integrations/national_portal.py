"""Cổng Dịch vụ công quốc gia: status sync of dossiers to the national public service portal, and intake of
dossiers submitted there.

Every status change of a dossier writes one outbox message (kind `national_portal`) holding the record
as it was at that moment: MaHoSo, MaTTHC, TrangThai (the national codes 1 to 10 of engine.states),
NgayTiepNhan, NgayHenTra, NgayKetThucXuLy, KenhThucHien (1 in person, 2 online, 3 post) and the
progress entries (QuaTrinhXuLy). The outbox delivers it through `PortalSender`, with the message's
dedupe key as idempotency key; the portal keeps the newest record by ThoiGianCapNhat, so a retried
old record never overwrites a newer one. Dossiers submitted on the portal are pulled by the scheduler
(`pull_submissions`) into the unit's intake queue, once each (IntegrationRef by MaHoSoQG).
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import events, outbox
from engine.calendar import TZ
from engine.db import transaction_memo
from engine.integrations.http import JsonClient
from engine.models import Dossier, HumanTask, IntegrationRef, OutboxMessage
from engine.states import NATIONAL_CODES
from engine.workflow import PORTAL_REF_KEY

log = logging.getLogger(__name__)
KIND = "national_portal"
SYSTEM = "national_portal"
CHANNEL_CODES = {"in_person": 1, "online": 2, "post": 3}
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


def portal_from_config(config: Mapping[str, Any]) -> HttpNationalPortal | None:
    """The portal for NATIONAL_PORTAL_URL (+ _KEY, _TIMEOUT seconds); None (records stay pending) without a URL.

    `make run` points it at the local simulator (SIMULATOR_PATH on the same server)."""
    url = config.get("NATIONAL_PORTAL_URL")
    if not url:
        return None
    return HttpNationalPortal(str(url), config.get("NATIONAL_PORTAL_KEY") or None,
                              float(config.get("NATIONAL_PORTAL_TIMEOUT") or 10))


class PortalSender:
    """The outbox's sender for kind `national_portal`: pushes the record stored in the message."""

    def __init__(self, portal: NationalPortal) -> None:
        self.portal = portal

    def __call__(self, message: OutboxMessage) -> None:
        """Deliver one status record; raises when the portal fails."""
        self.portal.push_status(message.payload["record"], message.dedupe_key)


def national_time(value: datetime | None) -> str | None:
    """A moment as the portal writes it: yyyyMMddHHmmss in Vietnam's time."""
    return f"{value.astimezone(TZ):%Y%m%d%H%M%S}" if value else None


def _progress(session: Session, dossier: Dossier, tasks: list[HumanTask] | None = None) -> list[dict]:
    if tasks is None:
        tasks = list(session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id)))
    ordered = sorted(tasks, key=lambda t: (t.created_at, t.id if t.id is not None else float("inf")))
    return [{"TenBuoc": t.name, "DonViXuLy": t.unit.name, "MaDonVi": t.unit.code,
             "ThoiGianBatDau": national_time(t.created_at), "ThoiGianKetThuc": national_time(t.completed_at),
             "HanXuLy": national_time(t.due_at)} for t in ordered]


def _national_id(session: Session, dossier: Dossier) -> str | None:
    """The portal's id of the dossier (MaHoSoQG): read with the step's lock when there was one."""
    memo = transaction_memo(session)
    key = (PORTAL_REF_KEY, dossier.id)
    if key in memo:
        return memo[key]
    return session.scalar(select(IntegrationRef.external_id).where(
        IntegrationRef.system == SYSTEM, IntegrationRef.dossier_id == dossier.id).order_by(IntegrationRef.id).limit(1))


def status_record(session: Session, dossier: Dossier, now: datetime, tasks: list[HumanTask] | None = None) -> dict:
    """The portal's record of a dossier now (fields named as the national portal names them).

    `tasks`, when given, are every worklist row of the dossier (as the step holds them); else they are read.
    """
    return {"MaHoSo": dossier.code, "MaHoSoQG": _national_id(session, dossier),
            "MaTTHC": dossier.version.procedure.code,
            "MaDonVi": dossier.unit.code, "TrangThai": NATIONAL_CODES[dossier.status],
            "ChuHoSo": dossier.applicant_name, "NgayNopHoSo": national_time(dossier.submitted_at),
            "NgayTiepNhan": national_time(dossier.received_at), "NgayHenTra": national_time(dossier.due_at),
            "NgayKetThucXuLy": national_time(dossier.completed_at), "NgayTraKetQua": national_time(dossier.returned_at),
            "KenhThucHien": CHANNEL_CODES.get(dossier.channel, 1), "QuaTrinhXuLy": _progress(session, dossier, tasks),
            "ThoiGianCapNhat": national_time(now)}


def status_message(session: Session, dossier: Dossier, kind: str, now: datetime,
                   tasks: list[HumanTask] | None = None) -> outbox.Message | None:
    """The outbox message carrying the dossier's record after event `kind`; None if the portal has no code for
    its status."""
    if dossier.status not in NATIONAL_CODES:
        return None
    record = status_record(session, dossier, now, tasks)
    return outbox.Message(KIND, "Cổng DVC quốc gia", f"{dossier.code}: {record['TrangThai']}", kind,
                          f"portal:{dossier.id}:{kind}:{now.isoformat()}", dossier_id=dossier.id,
                          payload={"record": record})


def status_changed(session: Session, dossier: Dossier, kind: str, now: datetime) -> bool:
    """Enqueue the dossier's record after event `kind`, in the caller's transaction; True if written."""
    message = status_message(session, dossier, kind, now)
    return message is not None and bool(outbox.enqueue_all(session, [message], now))


def pull_submissions(session: Session, portal: NationalPortal, now: datetime) -> int:
    """Take the dossiers submitted on the portal into the intake queue; each once. Returns how many are new."""
    from engine.integrations.portal_intake import accept_submission

    taken = 0
    for record in portal.fetch_submissions():
        try:
            dossier, new = accept_submission(session, record, now)
            session.commit()
            taken += new
        except Exception as err:  # noqa: BLE001 - one bad record must not stop the others
            session.rollback()
            log.warning("national portal submission %s refused: %s", record.get("MaHoSoQG"), err)
            events.record(session, "integration.import_failed", now, system=SYSTEM,
                          external_id=str(record.get("MaHoSoQG")), error=str(err)[:500])
            session.commit()
    return taken
