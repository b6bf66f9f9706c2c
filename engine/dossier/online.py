"""Nộp hồ sơ trực tuyến: an applicant chooses a procedure and a unit, fills the form, uploads, submits.

Submission runs in two requests: `prepare` checks everything and stores the files (by content
hash, nothing in the database), so the applicant reviews a `Draft`; `submit` checks the draft
again and creates the dossier (channel online, status submitted), which waits in the unit's
intake queue. The clock counts from the submission's system time (engine.clock.statutory.receipt_time).
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from engine.calendar.working import local_date
from engine.catalogue.admin import offering_units
from engine.catalogue.procedures import forms_of, get_procedure
from engine.dossier import documents, online_drafts, staged_uploads
from engine.dossier.documents import Upload
from engine.dossier.lifecycle import open_dossier
from engine.ground import events
from engine.ground.errors import Invalid, NotFound
from engine.messaging import notices
from engine.models import ApplicantAccount, ApplicantDossier, Dossier, Procedure, Unit
from engine.models.applicant import NO_MAIL_DOMAIN
from forms import FormValidationError


def accepts_online(procedure: Procedure) -> bool:
    """Whether the procedure can be submitted online (channel `online`, online level not `none`)."""
    cat = procedure.catalogue or {}
    return "online" in (cat.get("channels") or []) and (cat.get("online") or "none") != "none"


def handling_units(session: Session, procedure: Procedure) -> list[Unit]:
    """The units an applicant may send this procedure to: those that offer it on the portal
    (engine.catalogue.admin.offering_units: their published lists, or by default the units of its level that
    have a one-stop officer)."""
    return offering_units(session, procedure)


@dataclass
class Draft:
    """A checked submission waiting for the applicant's confirmation: plain data, kept in the web session."""

    procedure_code: str
    unit_code: str
    data: dict
    files: list[dict] = field(default_factory=list)  # {index, title, filename, sha256}

    def to_dict(self) -> dict:
        """The draft as JSON-friendly data."""
        return asdict(self)


def _unit(session: Session, procedure: Procedure, unit_code: str) -> Unit:
    for unit in handling_units(session, procedure):
        if unit.code == unit_code:
            return unit
    raise Invalid("Hãy chọn nơi nộp hồ sơ", {"unit": "Chọn phường, xã tiếp nhận thủ tục này."})


def _form_data(procedure: Procedure, data: dict, now: datetime) -> dict:
    form = forms_of(procedure.current_version).get(procedure.catalogue.get("application_form") or "")
    if form is None:
        return {}
    try:
        return form.validate(data, coerce=True, today=local_date(now))
    except FormValidationError as err:
        raise Invalid("Tờ khai có trường chưa hợp lệ", err.fields) from err


def declared_online(procedure: Procedure, doc: dict) -> bool:
    """Whether the online application form stands for this checklist item (its `online_form: true`, a tờ khai the
    applicant fills on the portal instead of uploading), for a procedure that has an application form."""
    return bool(doc.get("online_form")) and bool(procedure.catalogue.get("application_form"))


def _check_documents(procedure: Procedure, indexes: set[int]) -> None:
    missing = [f"doc_{i}" for i, doc in enumerate(procedure.catalogue.get("documents") or [])
               if doc.get("required", True) and not doc.get("present_only") and not declared_online(procedure, doc)
               and i not in indexes]
    if missing:
        raise Invalid("Chưa tải lên đủ giấy tờ bắt buộc", {key: "Cần tải lên giấy tờ này." for key in missing})


def _reused(session: Session, account: ApplicantAccount | None, reuse: dict[int, int]) -> dict[int, object]:
    """The store documents the applicant chose per checklist item; Invalid for one not in their store."""
    from engine.dossier.case_file import citizen_store

    if not reuse:
        return {}
    store = {d.id: d for d in citizen_store(session, None, account.id)} if account is not None else {}
    chosen, errors = {}, {}
    for index, document_id in reuse.items():
        if document_id in store:
            chosen[index] = store[document_id]
        else:
            errors[f"doc_{index}"] = "Giấy tờ đã chọn không có trong kho dữ liệu của Ông/Bà."
    if errors:
        raise Invalid("Giấy tờ dùng lại không hợp lệ", errors)
    return chosen


def prepare(session: Session, procedure_code: str, unit_code: str, data: dict, uploads: dict[int, Upload],
            storage_dir: str | Path, now: datetime, account: ApplicantAccount | None = None,
            reuse: dict[int, int] | None = None, quota: int = staged_uploads.QUOTA_BYTES,
            kept: dict[int, dict] | None = None) -> Draft:
    """Check a submission (unit, form, required documents, files by content and size) and store its files.

    `reuse` names, per checklist item, a document of the applicant's store to attach instead of an upload;
    `kept` ({sha256, filename} per item), a file the account uploaded in an earlier try and that is still staged.
    With the `account`, the uploaded files are staged for it: within its quota, expiring unless sent
    (engine.dossier.staged_uploads). On mistakes the Invalid carries `files`: the accepted files, kept for the
    form's next try (engine.dossier.online_drafts.accept_files)."""
    kept = {i: k for i, k in (kept or {}).items() if i not in uploads} if account is not None else {}
    reuse = {i: d for i, d in (reuse or {}).items() if i not in uploads and i not in kept}
    procedure = get_procedure(session, procedure_code)
    if not accepts_online(procedure):
        raise Invalid(f"Thủ tục {procedure.code} không nhận hồ sơ trực tuyến")
    errors: dict[str, str] = {}
    chosen: dict[int, object] = {}
    for step in (lambda: _unit(session, procedure, unit_code), lambda: _form_data(procedure, data, now),
                 lambda: chosen.update(_reused(session, account, reuse))):
        try:
            step()
        except Invalid as err:
            errors.update(err.fields)
    if account is not None:
        files, file_errors = online_drafts.accept_files(session, account, procedure, uploads, kept, storage_dir,
                                                        now, quota)
    else:
        files, file_errors = _store_unstaged(procedure, uploads, storage_dir)
    errors.update(file_errors)
    try:
        _check_documents(procedure, {f["index"] for f in files} | set(reuse))
    except Invalid as err:
        errors.update({k: v for k, v in err.fields.items() if k not in errors})
    names = procedure.catalogue.get("documents") or []
    files += [{"index": index, "title": names[index]["name"] if index < len(names) else doc.title,
               "filename": doc.filename, "sha256": doc.sha256, "reused_from": doc.id}
              for index, doc in sorted(chosen.items())]
    if errors:
        err = Invalid("Hồ sơ chưa đầy đủ hoặc chưa hợp lệ", errors)
        err.files = files  # type: ignore[attr-defined]
        raise err
    return Draft(procedure.code, unit_code, _form_data(procedure, data, now), sorted(files, key=lambda f: f["index"]))


def _store_unstaged(procedure: Procedure, uploads: dict[int, Upload], storage_dir: str | Path):
    """Without an account (engine callers and tests): check and store the uploads, nothing staged."""
    files, errors = [], {}
    names = procedure.catalogue.get("documents") or []
    for index, upload in sorted(uploads.items()):
        try:
            documents.check_upload(upload, f"doc_{index}")
        except Invalid as err:
            errors.update(err.fields)
            continue
        files.append({"index": index, "title": names[index]["name"] if index < len(names) else upload.filename,
                      "filename": os.path.basename(upload.filename)[:255],
                      "sha256": documents.store(storage_dir, upload.content)})
    return files, errors


def submit(session: Session, account: ApplicantAccount, draft: Draft, storage_dir: str | Path,
           now: datetime, consent_version: str | None = None) -> Dossier:
    """Gửi hồ sơ: the reviewed draft becomes a dossier (online, submitted) in the unit's intake queue.

    `consent_version` is the privacy notice the applicant agreed to on the review page (Decree 13/2023: consent to
    the processing of the personal data in this dossier); it is recorded on the submission's event. The account's
    saved draft of the procedure is deleted (its files are the dossier's now)."""
    procedure = get_procedure(session, draft.procedure_code)
    unit = _unit(session, procedure, draft.unit_code)
    from engine.dossier.case_file import reuse_document

    staged_uploads.check_live(session, account, {f["sha256"] for f in draft.files if not f.get("reused_from")}, now)
    uploads = {f["index"]: Upload(f["filename"], _read(storage_dir, f["sha256"])) for f in draft.files
               if not f.get("reused_from")}
    _check_documents(procedure, {f["index"] for f in draft.files})
    dossier = open_dossier(session, procedure, unit, "online", applicant_of(account), draft.data, now)
    for f in draft.files:
        if f.get("reused_from"):  # kho dữ liệu: the same file, not a new upload
            reuse_document(session, dossier, f["reused_from"], f["index"], None, now, account_id=account.id,
                           at_intake=True)
        else:
            documents.attach(session, storage_dir, dossier, uploads[f["index"]], f["title"], None, now,
                             checklist_index=f["index"])
    dossier.checklist = [{"name": doc.get("name", ""), "original": doc.get("original", 0),
                          "copies": doc.get("copies", 0), "required": bool(doc.get("required", True)),
                          "received": i in {f["index"] for f in draft.files} or declared_online(procedure, doc),
                          "received_copies": 0}
                         for i, doc in enumerate(procedure.catalogue.get("documents") or [])]
    session.add(ApplicantDossier(dossier_id=dossier.id, account_id=account.id))
    staged_uploads.release(session, account, {f["sha256"] for f in draft.files})
    online_drafts.discard(session, account, procedure, release_files=False)
    consent = {"consent_version": consent_version, "consent_at": now.isoformat()} if consent_version else {}
    events.record(session, "dossier.submitted", now, dossier=dossier, account_id=account.id, channel="online",
                  **consent)
    notices.dossier_changed(session, dossier, "dossier.submitted", {}, now)
    return dossier


def _read(storage_dir: str | Path, sha256: str) -> bytes:
    path = documents.blob_path(storage_dir, sha256)
    if not path.is_file():
        raise NotFound("Tệp đã tải lên không còn; hãy tải lên lại")
    return path.read_bytes()


def applicant_of(account: ApplicantAccount) -> dict:
    """The applicant's details on a dossier, from their account."""
    email = None if (account.email or "").endswith("@" + NO_MAIL_DOMAIN) else account.email  # VNeID, no email yet
    details = {"name": account.full_name, "email": email, "id_number": account.id_number,
               "phone": account.phone, "address": account.address}
    return {k: v for k, v in details.items() if v}
