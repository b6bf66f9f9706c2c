"""Desk staging: the scans of an intake form that was refused stay for the officer's next try.

When the desk's form comes back (422: a field to correct; 409: a warning to confirm), every file of
it that passed the content check is stored (by hash, engine.dossier.documents) and recorded here for
the officer, for STAGED_FOR; the form shows each such file, ticked, instead of asking for it again.
The next submission takes the ticked ones (the officer's own, not expired) as if uploaded again, and
a dossier written with them releases their rows. engine.dossier.blob_gc keeps their files meanwhile.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.dossier.documents import Upload, blob_path, check_upload, store
from engine.ground.errors import DomainError
from engine.models import DeskStagedUpload, User

STAGED_FOR = timedelta(hours=8)


def stage(session: Session, storage_dir: str | Path, user: User, field: str, upload: Upload,
          now: datetime) -> DeskStagedUpload | None:
    """Keep a file of a refused form for the officer; None for a file that fails the content check itself."""
    try:
        check_upload(upload, field)
    except DomainError:
        return None
    digest = store(storage_dir, upload.content)
    row = DeskStagedUpload(user_id=user.id, field=field[:40], filename=(upload.filename or "tep")[:255],
                           sha256=digest, size=len(upload.content), created_at=now, expires_at=now + STAGED_FOR)
    session.add(row)
    session.flush()
    return row


def kept(session: Session, user: User, ids: list[int], now: datetime) -> list[DeskStagedUpload]:
    """The officer's own staged files among `ids` that have not expired (anyone else's are ignored)."""
    if not ids:
        return []
    return list(session.scalars(select(DeskStagedUpload).where(
        DeskStagedUpload.id.in_(ids), DeskStagedUpload.user_id == user.id, DeskStagedUpload.expires_at > now)
        .order_by(DeskStagedUpload.id)))


def upload_of(storage_dir: str | Path, row: DeskStagedUpload) -> Upload | None:
    """The staged file as an upload again; None when its file is gone or no longer matches its hash."""
    import hashlib

    path = blob_path(storage_dir, row.sha256)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    if hashlib.sha256(content).hexdigest() != row.sha256:
        return None
    return Upload(row.filename, content)


def release(session: Session, rows: list[DeskStagedUpload]) -> None:
    """The dossier is written with these files: their rows go (the documents now keep the files)."""
    ids = [row.id for row in rows]
    if ids:
        session.execute(delete(DeskStagedUpload).where(DeskStagedUpload.id.in_(ids)))


def drop_expired(session: Session, now: datetime, dry_run: bool = False) -> int:
    """Remove expired rows (engine.dossier.blob_gc then collects their files); returns how many."""
    rows = list(session.scalars(select(DeskStagedUpload.id).where(DeskStagedUpload.expires_at <= now)))
    if rows and not dry_run:
        session.execute(delete(DeskStagedUpload).where(DeskStagedUpload.id.in_(rows)))
    return len(rows)
