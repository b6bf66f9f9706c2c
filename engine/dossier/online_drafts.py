"""Bản nháp hồ sơ trực tuyến: what an applicant typed and uploaded, kept to finish later.

The files an applicant gave on the online form are kept server-side whatever happens next: a check that
finds mistakes, the review page's "Sửa lại", or "Lưu nháp". `accept_files` stores the new uploads that pass
their checks and carries on those already kept (named by hash in the form, each verified to be a live staged
upload of the account: engine.dossier.staged_uploads), so the applicant never uploads a file twice.

`save` keeps one draft per account and procedure (the form's values as typed, unchecked, and the kept files);
it expires with its files (STAGED_FOR from the last save, within the same quota), so an abandoned draft goes
when `staged_uploads.drop_expired` runs; sending the dossier deletes it (engine.dossier.online.submit).
"""
from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.dossier import documents, staged_uploads
from engine.dossier.documents import Upload
from engine.ground.errors import Invalid
from engine.models import ApplicantAccount, OnlineDraft, Procedure, StagedUpload

EXPIRED = "Tệp đã giữ trước đây đã hết hạn (giữ 24 giờ); hãy tải lên lại."


def _title(procedure: Procedure, index: int, fallback: str) -> str:
    names = procedure.catalogue.get("documents") or []
    return names[index].get("name", fallback) if index < len(names) else fallback


def _live_sizes(session: Session, account: ApplicantAccount, hashes: set[str], now: datetime) -> dict[str, int]:
    if not hashes:
        return {}
    rows = session.execute(select(StagedUpload.sha256, StagedUpload.size).where(
        StagedUpload.account_id == account.id, StagedUpload.expires_at > now, StagedUpload.sha256.in_(hashes)))
    return {sha: size for sha, size in rows}


def accept_files(session: Session, account: ApplicantAccount, procedure: Procedure, uploads: dict[int, Upload],
                 kept: dict[int, dict], storage_dir: str | Path, now: datetime,
                 quota: int = staged_uploads.QUOTA_BYTES) -> tuple[list[dict], dict[str, str]]:
    """The files of a form to keep: ([{index, title, filename, sha256, size}], errors by `doc_<index>`).

    New `uploads` that fail their checks are left out with an error; `kept` files ({sha256, filename} per
    checklist index, from an earlier try) stay when they are still staged for the account, and a new upload of
    the same item replaces them. Raises Invalid when the new files would pass the account's quota."""
    errors: dict[str, str] = {}
    good: dict[int, Upload] = {}
    for index, upload in uploads.items():
        try:
            documents.check_upload(upload, f"doc_{index}")
            good[index] = upload
        except Invalid as err:
            errors.update(err.fields)
    kept = {i: k for i, k in kept.items() if i not in good and k.get("sha256")}
    live = _live_sizes(session, account, {k["sha256"] for k in kept.values()}, now)
    sizes = {hashlib.sha256(u.content).hexdigest(): len(u.content) for u in good.values()}
    staged_uploads.check_quota(session, account, sizes, now, quota)
    staged_uploads.stage(session, account, {**sizes, **live}, now)  # kept files are renewed
    files = [{"index": i, "title": _title(procedure, i, u.filename), "filename": os.path.basename(u.filename)[:255],
              "sha256": documents.store(storage_dir, u.content), "size": len(u.content)}
             for i, u in sorted(good.items())]
    for index, k in sorted(kept.items()):
        if k["sha256"] in live and documents.blob_path(storage_dir, k["sha256"]).is_file():
            files.append({"index": index, "title": _title(procedure, index, k.get("filename") or ""),
                          "filename": os.path.basename(k.get("filename") or "tep")[:255], "sha256": k["sha256"],
                          "size": live[k["sha256"]]})
        else:
            errors.setdefault(f"doc_{index}", EXPIRED)
    return sorted(files, key=lambda f: f["index"]), errors


def find(session: Session, account: ApplicantAccount, procedure: Procedure, now: datetime) -> OnlineDraft | None:
    """The account's draft of this procedure, unless it has expired."""
    return session.scalar(select(OnlineDraft).where(OnlineDraft.account_id == account.id,
                                                    OnlineDraft.procedure_id == procedure.id,
                                                    OnlineDraft.expires_at > now))


def of_account(session: Session, account: ApplicantAccount, now: datetime) -> list[OnlineDraft]:
    """Bản nháp: the account's drafts not yet expired, the latest saved first."""
    return list(session.scalars(select(OnlineDraft).where(OnlineDraft.account_id == account.id,
                                                          OnlineDraft.expires_at > now)
                                .order_by(OnlineDraft.saved_at.desc(), OnlineDraft.id.desc())))


def drafts_of_account(session: Session, account: ApplicantAccount) -> list[OnlineDraft]:
    """Every draft of the account, expired or not (the citizen's own data: engine.applicants.my_data)."""
    return list(session.scalars(select(OnlineDraft).where(OnlineDraft.account_id == account.id)
                                .order_by(OnlineDraft.id)))


def save(session: Session, account: ApplicantAccount, procedure: Procedure, unit_code: str, data: dict,
         files: list[dict], now: datetime) -> OnlineDraft:
    """Lưu nháp: keep (or replace) the account's draft of the procedure; it expires with its files."""
    draft = session.scalar(select(OnlineDraft).where(OnlineDraft.account_id == account.id,
                                                     OnlineDraft.procedure_id == procedure.id))
    if draft is None:
        draft = OnlineDraft(account_id=account.id, procedure_id=procedure.id)
        session.add(draft)
    draft.unit_code, draft.data, draft.files = unit_code or None, dict(data), [dict(f) for f in files]
    draft.saved_at, draft.expires_at = now, now + staged_uploads.STAGED_FOR
    session.flush()
    return draft


def kept_of(session: Session, account: ApplicantAccount, files: list[dict], now: datetime) -> list[dict]:
    """The files of a draft (or a reviewed submission) still staged for the account, to show as kept."""
    plain = [f for f in files if not f.get("reused_from")]
    live = _live_sizes(session, account, {f["sha256"] for f in plain}, now)
    return [f for f in plain if f["sha256"] in live]


def discard(session: Session, account: ApplicantAccount, procedure: Procedure, release_files: bool = True) -> bool:
    """Bỏ bản nháp (or, after sending, forget it); its files stop counting unless `release_files` is False."""
    draft = session.scalar(select(OnlineDraft).where(OnlineDraft.account_id == account.id,
                                                     OnlineDraft.procedure_id == procedure.id))
    if draft is None:
        return False
    if release_files:
        staged_uploads.release(session, account, {f["sha256"] for f in draft.files if not f.get("reused_from")})
    session.delete(draft)
    session.flush()
    return True


def drop_expired(session: Session, now: datetime) -> int:
    """Forget the drafts whose time has run out (their files expire with them); returns how many."""
    return session.execute(delete(OnlineDraft).where(OnlineDraft.expires_at <= now)).rowcount or 0
