"""Scans and results: checked by content (not by name), stored on disk by content hash."""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.ground import events
from engine.ground.errors import DomainError, Invalid, NotFound
from engine.models import Document, Dossier, User

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = ((b"%PDF-", "application/pdf", ".pdf"), (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
              (b"\x89PNG\r\n\x1a\n", "image/png", ".png"))


@dataclass(frozen=True)
class Upload:
    """A file as received from a browser or an API client."""

    filename: str
    content: bytes


def sniff(content: bytes) -> tuple[str, str] | None:
    """The (content type, extension) of a PDF, JPEG or PNG judged by its first bytes, else None."""
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return content_type, extension
    return None


def check_upload(upload: Upload, field: str = "files", max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    """The upload's content type and extension; Invalid naming the file when it is empty, too big or not allowed."""
    name = os.path.basename(upload.filename or "tệp")
    if not upload.content:
        raise Invalid(f"Tệp {name} rỗng", {field: f"Tệp {name} rỗng."})
    if len(upload.content) > max_bytes:
        raise Invalid(f"Tệp {name} quá lớn", {field: f"Tệp {name} vượt quá {max_bytes // (1024 * 1024)} MB."})
    kind = sniff(upload.content)
    if kind is None:
        raise Invalid(f"Tệp {name} không phải PDF, JPEG hoặc PNG",
                      {field: f"Tệp {name} không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp)."})
    return kind


def blob_path(storage_dir: str | Path, sha256: str) -> Path:
    """Where the file with this hash lives."""
    return Path(storage_dir) / sha256[:2] / sha256


def store(storage_dir: str | Path, content: bytes) -> str:
    """Write the content once under its SHA-256 (atomically, on disk before the row commits); returns the hash.

    Each writer has its own temporary file: the same file uploaded twice at once lands whole, once.
    """
    digest = hashlib.sha256(content).hexdigest()
    path = blob_path(storage_dir, digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{digest}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    else:
        os.utime(path)  # fresh again: the collector (engine.dossier.blob_gc) spares it until the row commits
    return digest


def attach(session: Session, storage_dir: str | Path, dossier: Dossier, upload: Upload, title: str,
           user: User | None, now: datetime, kind: str = "scan", checklist_index: int | None = None) -> Document:
    """Store a checked file once per content and record it on the dossier, as received with the dossier.

    The stored name is the content's hash and the sniffed type's extension, never the client's name."""
    content_type, extension = check_upload(upload)
    digest = store(storage_dir, upload.content)
    document = Document(dossier_id=dossier.id, kind=kind, title=title or os.path.basename(upload.filename),
                        filename=f"{digest[:16]}{extension}", content_type=content_type,
                        size=len(upload.content), sha256=digest, uploaded_by_id=user.id if user else None,
                        uploaded_at=now, checklist_index=checklist_index, at_intake=kind == "scan")
    session.add(document)
    events.record(session, "document.attached", now, dossier=dossier, user=user, title=document.title,
                  filename=document.filename, size=document.size)
    return document


class Tampered(DomainError):
    """A stored file whose content no longer matches the hash recorded when it was attached."""

    code = "tampered"


def read_verified(storage_dir: str | Path, document: Document) -> bytes:
    """The document's bytes, checked against its recorded SHA-256; NotFound if gone, Tampered if changed."""
    path = blob_path(storage_dir, document.sha256)
    if not path.exists():
        raise NotFound(f"Không còn tệp {document.filename} trong kho lưu trữ")
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise Tampered(f"Tệp {document.filename} không khớp mã băm đã lưu khi đính kèm; không thể cung cấp")
    return content


def documents_of(session: Session, dossier: Dossier) -> list[Document]:
    """The dossier's files, oldest first."""
    return list(session.scalars(select(Document).where(Document.dossier_id == dossier.id).order_by(Document.id)))


def get_document(session: Session, document_id: int) -> Document:
    """A document by id; NotFound otherwise."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound("Không có tệp này")
    return document
