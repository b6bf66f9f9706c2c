"""Số hóa hồ sơ: scans per checklist item, attachments and results added to a dossier at any step,
and reuse of the documents a citizen already has (kho dữ liệu của công dân).

A file is checked by its content (engine.dossier.documents.check_upload) and stored once under its
SHA-256, without the client's name or extension: the record keeps the title, the checklist item and
a download name made of the hash and the sniffed type. The citizen's store is every result and every
accepted scan (of a dossier that was received) of the dossiers with the same ID number or the same
online account; reusing one records a new document with the same content and `reused_from_id`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, object_session

from engine.dossier.documents import MAX_BYTES, Upload, check_upload, store
from engine.ground import events
from engine.ground.errors import Forbidden, Invalid, NotFound
from engine.ground.text import clean_text, text_problem
from engine.ground.vocabulary import ENDED, DossierStatus
from engine.models import ApplicantDossier, Document, Dossier, HumanTask, IssuedResult, User

KINDS = {"scan": "Bản quét", "attachment": "Tài liệu đính kèm", "result": "Kết quả giải quyết"}  # an official picks
# every kind a file of the case can have, as its badge says it (a citizen's online supplement is not picked)
KIND_LABELS = {**KINDS, "supplement": "Bổ sung của công dân"}
LIMIT_TEXT = f"PDF, JPEG hoặc PNG; tối đa {MAX_BYTES // (1024 * 1024)} MB mỗi tệp (kiểm tra theo nội dung tệp)."
STORE_KINDS = ("scan", "result")
NOT_ACCEPTED = (DossierStatus.REFUSED, DossierStatus.SUBMITTED)


@dataclass(frozen=True)
class Meta:
    """What the official says about a file: kind, checklist item or title, and an agency letter's number/date."""

    kind: str = "scan"
    checklist_index: int | None = None
    title: str = ""
    reference_number: str = ""
    reference_date: date | None = None


def parse_meta(kind: object, checklist: object, title: object, number: object = "", day: object = "") -> Meta:
    """A Meta from form or API values; Invalid naming each bad field."""
    errors: dict[str, str] = {}
    kind = str(kind or "scan")
    if kind not in KINDS:
        errors["kind"] = "Loại tệp là một trong: scan (bản quét), attachment (đính kèm), result (kết quả)."
    index = None
    if checklist not in (None, ""):
        if not str(checklist).isdigit():
            errors["checklist_item"] = "Thành phần hồ sơ phải là số thứ tự trong danh mục (0, 1, 2…)."
        else:
            index = int(str(checklist))
    texts = {"title": (title, 500), "reference_number": (number, 100)}
    for key, (value, limit) in texts.items():
        problem = text_problem(value, limit) if value not in (None, "") else None
        if problem:
            errors[key] = problem
    moment = None
    if day not in (None, ""):
        try:
            moment = date.fromisoformat(str(day))
        except ValueError:
            errors["reference_date"] = "Ngày văn bản theo dạng YYYY-MM-DD."
    if errors:
        raise Invalid("Thông tin tệp không hợp lệ", errors)
    return Meta(kind, index, clean_text(title or ""), clean_text(number or ""), moment)


def _check_meta(dossier: Dossier, meta: Meta) -> str:
    """The document's title: the checklist item's name, else the given title; Invalid when neither."""
    items = dossier.version.procedure.catalogue.get("documents") or []
    if meta.checklist_index is not None:
        if meta.checklist_index >= len(items):
            raise Invalid("Không có thành phần hồ sơ này",
                          {"checklist_item": f"Danh mục có {len(items)} thành phần (0 đến {len(items) - 1})."})
        return meta.title or items[meta.checklist_index].get("name", "")
    if meta.kind == "attachment" and meta.reference_number and not meta.reference_date:
        raise Invalid("Thiếu ngày văn bản", {"reference_date": "Văn bản có số thì ghi cả ngày văn bản."})
    if not meta.title:
        raise Invalid("Hãy chọn thành phần hồ sơ hoặc ghi tên tệp",
                      {"title": "Chọn thành phần hồ sơ trong danh mục, hoặc ghi tên tài liệu."})
    return meta.title


def check_open(dossier: Dossier) -> None:
    """Invalid when the dossier has ended (returned, refused, withdrawn…): its file is closed."""
    if dossier.status in ENDED:
        raise Invalid(f"Hồ sơ {dossier.code} đã kết thúc; không thêm tệp được",
                      {"file": "Hồ sơ đã kết thúc xử lý."})


def _task_of(session: Session, dossier: Dossier, user: User | None) -> HumanTask | None:
    """The dossier's ready step the user holds a role for (the step a file comes with), if any."""
    if user is None:
        return None
    from engine.org.accounts import grants_of

    grants = grants_of(user)
    for task in session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id,
                                                        HumanTask.state == "ready").order_by(HumanTask.id)):
        if (task.role, task.unit_id) in grants:
            return task
    return None


def add_document(session: Session, storage_dir: str | Path, dossier: Dossier, upload: Upload, meta: Meta,
                 user: User | None, now: datetime, at_intake: bool = False) -> Document:
    """Check and store one file, then record it on the dossier (nothing is written when it is refused)."""
    check_open(dossier)
    title = _check_meta(dossier, meta)
    _content_type, extension = check_upload(upload, "file")
    digest = store(storage_dir, upload.content)
    task = _task_of(session, dossier, user)
    document = Document(dossier_id=dossier.id, kind=meta.kind, title=title[:500], filename=f"{digest[:16]}{extension}",
                        content_type=_content_type, size=len(upload.content), sha256=digest,
                        uploaded_by_id=user.id if user else None, uploaded_at=now,
                        checklist_index=meta.checklist_index, task_id=task.id if task else None,
                        at_intake=at_intake or (task is not None and task.kind == "intake"),
                        reference_number=meta.reference_number or None, reference_date=meta.reference_date)
    session.add(document)
    session.flush()
    events.record(session, "document.attached", now, dossier=dossier, user=user, document=document.id,
                  document_kind=meta.kind, title=document.title, size=document.size, sha256=digest,
                  client_filename=os.path.basename(upload.filename or "")[:255],
                  reference_number=document.reference_number)
    return document


def _account_ids(session: Session, dossier: Dossier) -> list[int]:
    return list(session.scalars(select(ApplicantDossier.account_id).where(ApplicantDossier.dossier_id == dossier.id)))


def citizen_store(session: Session, id_number: str | None = None, account_id: int | None = None,
                  exclude_dossier_id: int | None = None) -> list[Document]:
    """Kho dữ liệu của công dân: the results and accepted scans of a citizen's dossiers, one per content.

    The citizen is found by ID number (at the counter) or by online account; reused copies are not
    listed again (their original is).
    """
    who = []
    if id_number:
        who.append(Dossier.applicant_id_number == id_number)
    if account_id:
        who.append(Dossier.id.in_(select(ApplicantDossier.dossier_id).where(ApplicantDossier.account_id == account_id)))
    if not who:
        return []
    query = (select(Document).join(Dossier, Dossier.id == Document.dossier_id)
             .where(or_(*who), Document.kind.in_(STORE_KINDS), Document.reused_from_id.is_(None),
                    or_(Document.kind == "result", Dossier.received_at.is_not(None)),
                    Dossier.status.not_in(NOT_ACCEPTED))
             .order_by(Document.uploaded_at.desc(), Document.id.desc()))
    if exclude_dossier_id is not None:
        query = query.where(Dossier.id != exclude_dossier_id)
    seen, found = set(), []
    for document in session.scalars(query):
        if document.sha256 not in seen:
            seen.add(document.sha256)
            found.append(document)
    return found


def store_of_dossier(session: Session, dossier: Dossier) -> list[Document]:
    """The store of a dossier's applicant (by ID number and online account), without this dossier's files."""
    found: dict[int, Document] = {}
    for account_id in [None, *_account_ids(session, dossier)]:
        for document in citizen_store(session, dossier.applicant_id_number if account_id is None else None,
                                      account_id, dossier.id):
            found.setdefault(document.id, document)
    own = {d.sha256 for d in session.scalars(select(Document).where(Document.dossier_id == dossier.id))}
    return [d for d in found.values() if d.sha256 not in own]


def reuse_document(session: Session, dossier: Dossier, source_id: int, checklist_index: int | None,
                   user: User | None, now: datetime, account_id: int | None = None,
                   at_intake: bool = False) -> Document:
    """Attach a document from the citizen's store to the dossier instead of a new upload.

    Forbidden unless the source is in the store of this dossier's applicant (or of `account_id`).
    """
    check_open(dossier)
    source = session.get(Document, source_id)
    if source is None:
        raise NotFound("Không có giấy tờ này trong kho dữ liệu")
    owners = [(dossier.applicant_id_number, None)] + [(None, a) for a in _account_ids(session, dossier)]
    if account_id is not None:
        owners.append((None, account_id))
    allowed = {d.id for id_number, account in owners for d in citizen_store(session, id_number, account)}
    if source.id not in allowed:
        raise Forbidden("Giấy tờ này không thuộc kho dữ liệu của người nộp hồ sơ")
    if session.scalar(select(Document.id).where(Document.dossier_id == dossier.id,
                                                Document.sha256 == source.sha256).limit(1)) is not None:
        raise Invalid(f"Hồ sơ {dossier.code} đã có giấy tờ này", {"document": "Giấy tờ đã có trong hồ sơ."})
    meta = Meta("scan", checklist_index, "" if checklist_index is not None else source.title)
    title = _check_meta(dossier, meta)
    task = _task_of(session, dossier, user)
    document = Document(dossier_id=dossier.id, kind="scan", title=title[:500], filename=source.filename,
                        content_type=source.content_type, size=source.size, sha256=source.sha256,
                        uploaded_by_id=user.id if user else None, uploaded_at=now, checklist_index=checklist_index,
                        task_id=task.id if task else None, reused_from_id=source.id,
                        at_intake=at_intake or (task is not None and task.kind == "intake"))
    session.add(document)
    session.flush()
    events.record(session, "document.reused", now, dossier=dossier, user=user, document=document.id,
                  source=source.id, title=document.title, sha256=source.sha256)
    return document


def is_signed(document: Document) -> bool:
    """Whether the document is an issued result signed by the unit (engine.printing.results records it)."""
    session = object_session(document)
    return document.kind == "result" and session is not None and session.scalar(
        select(IssuedResult.id).where(IssuedResult.document_id == document.id, IssuedResult.sha256 == document.sha256)
    ) is not None


def may_add(session: Session, user: User, dossier: Dossier) -> bool:
    """Whether an official may add files: the desk of the dossier's unit, or whoever holds one of its ready steps."""
    from engine.org.accounts import has_role

    if dossier.status in ENDED:
        return False
    return has_role(user, "mot_cua", dossier.unit_id) or _task_of(session, dossier, user) is not None


def require_may_add(session: Session, user: User, dossier: Dossier) -> None:
    """Forbidden unless `may_add`."""
    check_open(dossier)
    if not may_add(session, user, dossier):
        raise Forbidden("Chỉ Bộ phận Một cửa hoặc người đang xử lý một bước của hồ sơ được thêm tệp")
