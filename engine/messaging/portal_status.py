"""Cổng DVC quốc gia: the status records of our dossiers, written to the outbox at each change.

Every status change of a dossier writes one outbox message (kind `national_portal`) holding the record
as it was at that moment: MaHoSo, MaTTHC, TrangThai (the national codes 1 to 10, `NATIONAL_CODES`),
NgayTiepNhan, NgayHenTra, NgayKetThucXuLy, KenhThucHien (1 in person, 2 online, 3 post) and the
progress entries (QuaTrinhXuLy). The portal keeps the newest record by ThoiGianCapNhat, so a retried
old record never overwrites a newer one.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.integrations.national_portal import KIND, SYSTEM
from engine.messaging import outbox
from engine.models import Dossier, HumanTask, IntegrationRef

CHANNEL_CODES = {"in_person": 1, "online": 2, "post": 3}
NATIONAL_CODES = {
    "submitted": 1, "supplement_at_intake": 1, "received": 2, "refused": 3, "in_progress": 4,
    "supplement_requested": 5, "payment_requested": 6, "withdrawal_asked": 7, "stopped": 8,
    "done": 9, "returned": 10, "closed": 8,
}


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


UNKNOWN = object()  # the portal's id was not read with the dossier's lock: read it here


def _national_id(session: Session, dossier: Dossier, known: object = UNKNOWN) -> str | None:
    """The portal's id of the dossier (MaHoSoQG): the one the step's lock read, else read now."""
    if known is not UNKNOWN:
        return known  # type: ignore[return-value]
    return session.scalar(select(IntegrationRef.external_id).where(
        IntegrationRef.system == SYSTEM, IntegrationRef.dossier_id == dossier.id).order_by(IntegrationRef.id).limit(1))


def status_record(session: Session, dossier: Dossier, now: datetime, tasks: list[HumanTask] | None = None,
                  national_id: object = UNKNOWN) -> dict:
    """The portal's record of a dossier now (fields named as the national portal names them).

    `tasks`, when given, are every worklist row of the dossier (as the step holds them); else they are read.
    """
    return {"MaHoSo": dossier.code, "MaHoSoQG": _national_id(session, dossier, national_id),
            "MaTTHC": dossier.version.procedure.code,
            "MaDonVi": dossier.unit.code, "TrangThai": NATIONAL_CODES[dossier.status],
            "ChuHoSo": dossier.applicant_name, "NgayNopHoSo": national_time(dossier.submitted_at),
            "NgayTiepNhan": national_time(dossier.received_at), "NgayHenTra": national_time(dossier.due_at),
            "NgayKetThucXuLy": national_time(dossier.completed_at), "NgayTraKetQua": national_time(dossier.returned_at),
            "KenhThucHien": CHANNEL_CODES.get(dossier.channel, 1), "QuaTrinhXuLy": _progress(session, dossier, tasks),
            "ThoiGianCapNhat": national_time(now)}


def status_message(session: Session, dossier: Dossier, kind: str, now: datetime,
                   tasks: list[HumanTask] | None = None, national_id: object = UNKNOWN) -> outbox.Message | None:
    """The outbox message carrying the dossier's record after event `kind`; None if the portal has no code for
    its status."""
    if dossier.status not in NATIONAL_CODES:
        return None
    record = status_record(session, dossier, now, tasks, national_id)
    return outbox.Message(KIND, "Cổng DVC quốc gia", f"{dossier.code}: {record['TrangThai']}", kind,
                          f"portal:{dossier.id}:{kind}:{now.isoformat()}", dossier_id=dossier.id,
                          payload={"record": record})


def status_changed(session: Session, dossier: Dossier, kind: str, now: datetime) -> bool:
    """Enqueue the dossier's record after event `kind`, in the caller's transaction; True if written."""
    message = status_message(session, dossier, kind, now)
    return message is not None and bool(outbox.enqueue_all(session, [message], now))
