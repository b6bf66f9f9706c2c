"""Hồ sơ nộp trên Cổng DVC quốc gia: a dossier submitted on the national portal joins the intake queue.

It becomes an online dossier (status submitted, clock from the portal's submission time, as for our
own portal) of the unit named by MaDonVi; the portal's id (MaHoSoQG) is kept in IntegrationRef, so
the same submission pulled twice gives the same dossier.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.catalogue.procedures import get_procedure
from engine.dossier.lifecycle import open_dossier
from engine.dossier.online import accepts_online, handling_units
from engine.ground import events
from engine.ground.errors import Invalid
from engine.integrations.national_portal import SYSTEM, NationalPortal
from engine.messaging import notices
from engine.models import Dossier, IntegrationRef

log = logging.getLogger(__name__)

APPLICANT_FIELDS = {"HoTen": "name", "SoDinhDanh": "id_number", "DiaChi": "address", "SoDienThoai": "phone",
                    "Email": "email"}


def applicant_from(record: dict) -> dict:
    """Our applicant details from the portal's ChuHoSo block."""
    owner = record.get("ChuHoSo") or {}
    return {ours: owner[theirs] for theirs, ours in APPLICANT_FIELDS.items() if owner.get(theirs)}


def accept_submission(session: Session, record: dict, now: datetime) -> tuple[Dossier, bool]:
    """Tiếp nhận từ Cổng quốc gia: the dossier for a portal submission, created once; (dossier, new)."""
    external_id = str(record.get("MaHoSoQG") or "").strip()
    if not external_id:
        raise Invalid("Hồ sơ từ Cổng quốc gia thiếu MaHoSoQG", {"MaHoSoQG": "Bắt buộc."})
    known = session.scalar(select(IntegrationRef).where(
        IntegrationRef.system == SYSTEM, IntegrationRef.external_id == external_id))
    if known is not None:
        return session.get(Dossier, known.dossier_id), False
    procedure = get_procedure(session, str(record.get("MaTTHC") or ""))
    if not accepts_online(procedure):
        raise Invalid(f"Thủ tục {procedure.code} không nhận hồ sơ trực tuyến", {"MaTTHC": "Không nhận trực tuyến."})
    unit = next((u for u in handling_units(session, procedure) if u.code == record.get("MaDonVi")), None)
    if unit is None:
        raise Invalid(f"Đơn vị {record.get('MaDonVi')} không tiếp nhận thủ tục {procedure.code}",
                      {"MaDonVi": "Không tiếp nhận thủ tục này."})
    dossier = open_dossier(session, procedure, unit, "online", applicant_from(record), record.get("DuLieu") or {},
                           now)
    session.add(IntegrationRef(system=SYSTEM, external_id=external_id, dossier_id=dossier.id, created_at=now))
    events.record(session, "dossier.submitted", now, dossier=dossier, channel="online", source=SYSTEM,
                  external_id=external_id)
    notices.dossier_changed(session, dossier, "dossier.submitted", {}, now)
    session.flush()
    return dossier, True


def pull_submissions(session: Session, portal: NationalPortal, now: datetime) -> int:
    """Take the dossiers submitted on the portal into the intake queue; each once. Returns how many are new."""
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
