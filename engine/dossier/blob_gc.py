"""Collecting the document store: files that no document and no live staged upload refers to are deleted.

The store (engine.dossier.documents) keeps one file per SHA-256 under STORAGE_DIR/<2 hex>/<hash>. A
file is kept while a `document` row names its hash or a staged upload not yet expired does
(engine.dossier.staged_uploads, engine.dossier.desk_staging). Anything else is removed once it is older than GRACE, the time a
request needs between writing a file and committing its row (files are written before the row
commits), so a collection running beside an upload never takes the upload's file; leftover
temporary files (`*.part`) of a crashed write go the same way. `dry_run` only counts.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.dossier import desk_staging, online_drafts
from engine.dossier.staged_uploads import drop_expired
from engine.models import DeskStagedUpload, Document, StagedUpload

GRACE = timedelta(hours=1)
HASH_LENGTH = 64


@dataclass(frozen=True)
class Collection:
    """What a collection removed (or, in a dry run, would remove)."""

    expired_staged: int
    files: int
    bytes: int
    dry_run: bool


def referenced(session: Session, now: datetime) -> set[str]:
    """The hashes still needed: every document's, and every staged upload's not yet expired."""
    kept = set(session.scalars(select(Document.sha256).distinct()))
    kept.update(session.scalars(select(StagedUpload.sha256).where(StagedUpload.expires_at > now).distinct()))
    kept.update(session.scalars(select(DeskStagedUpload.sha256).where(DeskStagedUpload.expires_at > now).distinct()))
    return kept


def _candidates(storage_dir: Path):
    if not storage_dir.is_dir():
        return
    for folder in storage_dir.iterdir():
        if folder.is_dir() and len(folder.name) == 2:
            yield from (path for path in folder.iterdir() if path.is_file())


def collect(session: Session, storage_dir: str | Path, now: datetime, dry_run: bool = False) -> Collection:
    """Drop expired staged uploads and delete unreferenced files older than GRACE; returns the counts.

    Files whose name is not a hash of the store (anything an operator put there) are left alone.
    """
    expired = drop_expired(session, now, dry_run) + desk_staging.drop_expired(session, now, dry_run)
    if not dry_run:
        online_drafts.drop_expired(session, now)  # a draft goes with its files
    if not dry_run:
        session.commit()  # the expired rows are gone before their files are
    kept, cutoff = referenced(session, now), (now - GRACE).timestamp()
    files = size = 0
    for path in _candidates(Path(storage_dir)):
        digest = path.name.split(".", 1)[0]
        if len(digest) != HASH_LENGTH or not path.name.startswith(path.parent.name):
            continue
        is_part = path.name.endswith(".part")
        if (digest in kept and not is_part) or path.stat().st_mtime > cutoff:
            continue
        files, size = files + 1, size + path.stat().st_size
        if not dry_run:
            try:
                os.unlink(path)
            except FileNotFoundError:  # another collector was first
                pass
    return Collection(expired, files, size, dry_run)
