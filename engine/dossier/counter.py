"""Bộ phận Một cửa: receiving at the counter in one step (applicant, documents, scans, decision)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.catalogue.procedures import get_procedure
from engine.dossier import case_file, documents
from engine.dossier.documents import Upload
from engine.dossier.lifecycle import complete_task, create_dossier
from engine.dossier.opening import application_data, validate_applicant
from engine.ground.errors import Invalid
from engine.models import Dossier, HumanTask, User


def checklist_for(catalogue: dict, received: dict[int, int | None]) -> list[dict]:
    """The procedure's required documents with what was received: index -> copies (None: not received)."""
    rows = []
    for index, doc in enumerate(catalogue.get("documents") or []):
        copies = received.get(index)
        rows.append({"name": doc.get("name", ""), "original": doc.get("original", 0),
                     "copies": doc.get("copies", 0), "required": bool(doc.get("required", True)),
                     "received": copies is not None, "received_copies": copies or 0})
    return rows


def missing_required(dossier: Dossier) -> list[str]:
    """The required papers the desk recorded as not received, for a dossier whose checklist was recorded (at
    the counter, online, or at a group's counter); none for one never recorded (made through the API). Papers
    only shown (present_only) are not handed in, so never missing."""
    rows = dossier.checklist or []
    docs = dossier.version.procedure.catalogue.get("documents") or []
    shown = {doc.get("name") for doc in docs if doc.get("present_only")}
    return [row.get("name", "") for row in rows
            if row.get("required") and not row.get("received") and row.get("name") not in shown]


def _check_complete(checklist: list[dict], decision: dict) -> None:
    missing = [row["name"] for row in checklist if row["required"] and not row["received"]]
    if decision.get("intake_decision") == "receive" and missing:
        raise Invalid("Hồ sơ chưa đủ thành phần bắt buộc; hãy yêu cầu bổ sung",
                      {"checklist": "Chưa nhận: " + "; ".join(missing)})


def _field_problems(procedure, applicant: dict, data: dict | None, now: datetime) -> dict[str, str]:
    """What the applicant's details and the declaration would be refused for (field -> message), checked
    without writing anything."""
    problems: dict[str, str] = {}
    for check in (lambda: validate_applicant(applicant),
                  lambda: application_data(procedure.current_version, procedure.catalogue, data, now)):
        try:
            check()
        except Invalid as err:
            problems.update(err.fields)
    return problems


def receive_at_counter(session: Session, user: User, procedure_code: str, applicant: dict, checklist: dict[int, int | None],
                       uploads: list[Upload], decision: dict | None, storage_dir: str | Path, now: datetime,
                       channel: str = "in_person", data: dict | None = None, postmarked_at: object = None,
                       item_scans: dict[int, list[Upload]] | None = None,
                       reuse: dict[int, int | None] | None = None) -> Dossier:
    """Create the dossier, record documents and scans, and take the intake decision, all or nothing.

    `item_scans` are scans per checklist item (index → files); `reuse` takes documents of the
    applicant's store (document id → checklist index) instead of new uploads. A checklist item with a
    scan or a reused document counts as received. Without a decision the dossier waits in the intake
    queue (post arriving, for instance).
    """
    item_scans, reuse = item_scans or {}, reuse or {}
    for index, files in item_scans.items():
        for upload in files:
            documents.check_upload(upload, f"scan_{index}")
        if files:
            checklist.setdefault(index, 0)
    for index in reuse.values():
        if index is not None:
            checklist.setdefault(index, 0)
    procedure = get_procedure(session, procedure_code)
    rows = checklist_for(procedure.catalogue, checklist)
    if decision:
        try:
            _check_complete(rows, decision)
        except Invalid as incomplete:  # say at once what else is wrong, not one round at a time
            incomplete.fields.update(_field_problems(procedure, applicant, data, now))
            raise
    for upload in uploads:
        documents.check_upload(upload)
    dossier = create_dossier(session, user, procedure_code, channel, applicant, data or {}, now,
                             postmarked_at=postmarked_at)
    dossier.checklist = rows
    for upload in uploads:
        documents.attach(session, storage_dir, dossier, upload, upload.filename, user, now)
    for index, files in sorted(item_scans.items()):
        for upload in files:
            case_file.add_document(session, storage_dir, dossier, upload, case_file.Meta("scan", index), user, now,
                                   at_intake=True)
    for source_id, index in reuse.items():
        case_file.reuse_document(session, dossier, source_id, index, user, now, at_intake=True)
    if decision:
        session.flush()
        intake = session.scalar(select(HumanTask).where(
            HumanTask.dossier_id == dossier.id, HumanTask.state == "ready", HumanTask.kind == "intake"))
        complete_task(session, intake.id, user, decision, now)
    return dossier
