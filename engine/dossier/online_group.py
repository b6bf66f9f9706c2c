"""Nộp hồ sơ liên thông trực tuyến: an applicant submits a procedure group (LT.01, LT.02) once, online.

The same two requests as a single procedure online (engine.dossier.online): `prepare_group` checks the unit,
the one declaration (the application form of the group's first member, whose fields the later members read)
and the documents (the group's `documents:`, else its first member's), and stores the files; `submit_group`
opens the group (engine.dossier.group.open_group, channel online) for the applicant's account. The first
member waits in the receiving commune's intake queue like any online dossier and holds the uploaded files;
every member, the later ones too when the group opens them, is in the applicant's "Hồ sơ của tôi".
"""
from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.working import local_date
from engine.catalogue.groups import is_group, members_of
from engine.catalogue.procedures import get_procedure
from engine.dossier import documents, staged_uploads
from engine.dossier.declaration import application_form
from engine.dossier.documents import Upload
from engine.dossier.group import open_group
from engine.dossier.online import Draft, accepts_online, applicant_of, declared_online, handling_units
from engine.ground import events
from engine.ground.errors import Invalid, NotFound
from engine.messaging import notices
from engine.models import ApplicantAccount, ApplicantDossier, Dossier, DossierGroup, Procedure, Unit
from forms import FormValidationError


def accepts_online_group(procedure: Procedure) -> bool:
    """Whether the procedure is a group that takes online submissions."""
    return is_group(procedure.catalogue) and accepts_online(procedure)


def first_member(session: Session, group: Procedure) -> Procedure:
    """The group's first member procedure: its application form is the group's declaration."""
    return get_procedure(session, str(members_of(group.catalogue)[0]["procedure"]))


def declaration_form(session: Session, group: Procedure):
    """The form of the group's one declaration (None when the first member has none)."""
    return application_form(first_member(session, group).current_version)


def group_documents(session: Session, group: Procedure) -> list[dict]:
    """The documents to upload for the group: its own `documents:`, else its first member's."""
    member = first_member(session, group)
    docs = group.catalogue.get("documents") or member.catalogue.get("documents") or []
    # the group's declaration is its first member's application form: its e-declaration stands for the paper one
    return [{**doc, "declared": declared_online(member, doc)} for doc in docs]


def _group(session: Session, code: str) -> Procedure:
    procedure = get_procedure(session, code)
    if not accepts_online_group(procedure):
        raise Invalid(f"Thủ tục {procedure.code} không phải nhóm liên thông nhận hồ sơ trực tuyến")
    return procedure


def _unit(session: Session, procedure: Procedure, unit_code: str) -> Unit:
    for unit in handling_units(session, procedure):
        if unit.code == unit_code:
            return unit
    raise Invalid("Hãy chọn nơi nộp hồ sơ", {"unit": "Chọn phường, xã tiếp nhận hồ sơ liên thông này."})


def _declaration(session: Session, procedure: Procedure, data: dict, now: datetime) -> dict:
    form = declaration_form(session, procedure)
    if form is None:
        return {}
    try:
        return form.validate(data, coerce=True, today=local_date(now))
    except FormValidationError as err:
        raise Invalid("Tờ khai có trường chưa hợp lệ", err.fields) from err


def _missing(docs: list[dict], indexes: set[int]) -> dict[str, str]:
    return {f"doc_{i}": "Cần tải lên giấy tờ này." for i, doc in enumerate(docs)
            if doc.get("required", True) and not doc.get("present_only") and not doc.get("declared")
            and i not in indexes}


def prepare_group(session: Session, code: str, unit_code: str, data: dict, uploads: dict[int, Upload],
                  storage_dir: str | Path, now: datetime, account: ApplicantAccount | None = None,
                  quota: int = staged_uploads.QUOTA_BYTES) -> Draft:
    """Check an online group submission (unit, declaration, documents) and store its files; the Draft to review."""
    procedure = _group(session, code)
    docs = group_documents(session, procedure)
    errors: dict[str, str] = {}
    for check in (lambda: _unit(session, procedure, unit_code), lambda: _declaration(session, procedure, data, now)):
        try:
            check()
        except Invalid as err:
            errors.update(err.fields)
    errors.update(_missing(docs, set(uploads)))
    for index, upload in uploads.items():
        try:
            documents.check_upload(upload, f"doc_{index}")
        except Invalid as err:
            errors.update(err.fields)
    if errors:
        raise Invalid("Hồ sơ liên thông chưa đầy đủ hoặc chưa hợp lệ", errors)
    if account is not None:
        sizes = {hashlib.sha256(u.content).hexdigest(): len(u.content) for u in uploads.values()}
        staged_uploads.check_quota(session, account, sizes, now, quota)
        staged_uploads.stage(session, account, sizes, now)
    files = [{"index": i, "title": docs[i]["name"] if i < len(docs) else u.filename,
              "filename": os.path.basename(u.filename)[:255], "sha256": documents.store(storage_dir, u.content)}
             for i, u in sorted(uploads.items())]
    return Draft(procedure.code, unit_code, _declaration(session, procedure, data, now), files)


def submit_group(session: Session, account: ApplicantAccount, draft: Draft, storage_dir: str | Path,
                 now: datetime, consent_version: str | None = None) -> DossierGroup:
    """Gửi hồ sơ liên thông: the reviewed draft opens the group for the account; the files go to its first member.
    `consent_version` is the privacy notice agreed to on the review page (Decree 13/2023), kept on the events."""
    procedure = _group(session, draft.procedure_code)
    unit = _unit(session, procedure, draft.unit_code)
    docs = group_documents(session, procedure)
    staged_uploads.check_live(session, account, {f["sha256"] for f in draft.files}, now)
    missing = _missing(docs, {f["index"] for f in draft.files})
    if missing:
        raise Invalid("Chưa tải lên đủ giấy tờ bắt buộc", missing)
    uploads = {f["index"]: Upload(f["filename"], _read(storage_dir, f["sha256"])) for f in draft.files}
    group = open_group(session, procedure, unit, "online", applicant_of(account), draft.data, now,
                       account_id=account.id)
    first = group.members[0]
    for f in draft.files:
        documents.attach(session, storage_dir, first, uploads[f["index"]], f["title"], None, now,
                         checklist_index=f["index"])
    received = {f["index"] for f in draft.files}
    first.checklist = [{"name": doc.get("name", ""), "original": doc.get("original", 0), "copies": doc.get("copies", 0),
                        "required": bool(doc.get("required", True)),
                        "received": i in received or bool(doc.get("declared")), "received_copies": 0}
                       for i, doc in enumerate(docs)]
    staged_uploads.release(session, account, {f["sha256"] for f in draft.files})
    consent = {"consent_version": consent_version, "consent_at": now.isoformat()} if consent_version else {}
    events.record(session, "group.submitted", now, unit_id=unit.id, group=group.code, account_id=account.id,
                  channel="online", **consent)
    events.record(session, "dossier.submitted", now, dossier=first, account_id=account.id, channel="online",
                  group=group.code, **consent)
    notices.dossier_changed(session, first, "dossier.submitted", {}, now)
    return group


def my_groups(session: Session, account: ApplicantAccount) -> list[DossierGroup]:
    """The groups the account submitted, or one of whose members is the account's; newest first."""
    own = select(Dossier.group_id).join(ApplicantDossier, ApplicantDossier.dossier_id == Dossier.id).where(
        ApplicantDossier.account_id == account.id, Dossier.group_id.is_not(None))
    return list(session.scalars(select(DossierGroup).where(DossierGroup.id.in_(own))
                                .order_by(DossierGroup.submitted_at.desc(), DossierGroup.id.desc())))


def owned_group(session: Session, account: ApplicantAccount, code: str) -> DossierGroup:
    """The account's group with this code; NotFound for an unknown code and for anyone else's."""
    for group in my_groups(session, account):
        if group.code == code.strip().upper():
            return group
    raise NotFound(f"Không tìm thấy hồ sơ liên thông mã {code} trong hồ sơ của bạn")


def _read(storage_dir: str | Path, sha256: str) -> bytes:
    path = documents.blob_path(storage_dir, sha256)
    if not path.is_file():
        raise NotFound("Tệp đã tải lên không còn; hãy tải lên lại")
    return path.read_bytes()
