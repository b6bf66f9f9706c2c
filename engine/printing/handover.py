"""Danh sách bàn giao hồ sơ from a stored batch, and the control slip rows (form 06) each batch gives."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.dossier.handover import DIRECTIONS, Side, dossier_batches
from engine.models import Dossier, HandoverBatch
from engine.printing.unit_documents import agency_of
from forms.printing.handover import HandoverRow, handover_list
from forms.printing.model import HandOff


def _papers(dossier: Dossier) -> str:
    """How many documents the desk ticked as received (the list's "thành phần hồ sơ" column)."""
    received = [row for row in dossier.checklist or [] if row.get("received")]
    return str(len(received)) if received else ""


def handover_context(session: Session, batch: HandoverBatch) -> dict:
    """The printable list of a batch (forms.printing.handover), with the names of both signers."""
    rows = [HandoverRow(code=item.dossier.code, applicant=item.dossier.applicant_name,
                        procedure=item.dossier.version.procedure.name, papers=_papers(item.dossier),
                        due_at=item.dossier.due_at, note=item.note or "") for item in batch.items]
    return handover_list(agency_of(batch.from_unit), number=batch.number, direction=DIRECTIONS[batch.direction],
                         source=Side(batch.from_unit, batch.from_role).label,
                         target=Side(batch.to_unit, batch.to_role).label, rows=rows, created_at=batch.created_at,
                         handed_by=batch.created_by.full_name,
                         received_by=batch.received_by.full_name if batch.received_by else "",
                         received_at=batch.received_at, note=batch.note or "")


def slip_rows(session: Session, dossier: Dossier) -> list[tuple[HandOff, str]]:
    """One control slip row per batch the dossier was in (from, to, when, both signatures), with its direction."""
    rows = []
    for batch in dossier_batches(session, dossier):
        target = Side(batch.to_unit, batch.to_role)
        rows.append((HandOff(
            step=f"Bàn giao hồ sơ giấy theo danh sách số {batch.number}", unit=target.label,
            received_at=batch.received_at, handed_over_at=batch.created_at, handed_by=batch.created_by.full_name,
            received_by=batch.received_by.full_name if batch.received_by else "",
            note="" if batch.received_at else "Bên nhận chưa xác nhận đã nhận"), batch.direction))
    return rows
