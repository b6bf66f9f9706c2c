"""Staged uploads: the files of an online submission between "check" and "send".

`engine.dossier.online.prepare` stores the files (by content hash) before the applicant confirms; each
such file is recorded here for the account, expires after STAGED_FOR (a day), and counts against
the account's quota (QUOTA_BYTES of files not yet sent and not expired), so that nobody can fill the
disk by checking submissions they never send. The same file staged again renews its row rather than
counting twice. Sending the dossier releases the rows (its files are then the dossier's documents);
a draft whose files have expired cannot be sent. Files no row and no document refer to are collected
by engine.dossier.blob_gc.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from engine.ground.errors import Invalid
from engine.models import ApplicantAccount, StagedUpload

STAGED_FOR = timedelta(hours=24)
QUOTA_BYTES = 50 * 1024 * 1024


def _live(account: ApplicantAccount, now: datetime):
    return (StagedUpload.account_id == account.id) & (StagedUpload.expires_at > now)


def used_bytes(session: Session, account: ApplicantAccount, now: datetime, except_hashes: set[str] = frozenset()) -> int:
    """The bytes of the account's staged files not yet expired (leaving out `except_hashes`)."""
    query = select(func.coalesce(func.sum(StagedUpload.size), 0)).where(_live(account, now))
    if except_hashes:
        query = query.where(StagedUpload.sha256.not_in(except_hashes))
    return int(session.scalar(query) or 0)


def check_quota(session: Session, account: ApplicantAccount, files: dict[str, int], now: datetime,
                quota: int = QUOTA_BYTES) -> None:
    """Invalid, before anything is stored, when staging `files` (hash: size) would pass the account's quota."""
    adding = sum(files.values())
    used = used_bytes(session, account, now, set(files))
    if used + adding > quota:
        mb = 1024 * 1024
        raise Invalid(f"Tổng dung lượng tệp đang chờ nộp vượt hạn mức {quota // mb} MB của tài khoản",
                      {"files": f"Các tệp đã tải lên nhưng chưa gửi đang chiếm {used / mb:.1f} MB; thêm "
                                f"{adding / mb:.1f} MB sẽ vượt hạn mức {quota // mb} MB. Hãy gửi hoặc bỏ hồ sơ "
                                f"đang khai dở, hoặc chờ tệp cũ hết hạn sau {int(STAGED_FOR.total_seconds() // 3600)} giờ."})


def stage(session: Session, account: ApplicantAccount, files: dict[str, int], now: datetime) -> None:
    """Record (or renew) the account's staged files, each expiring STAGED_FOR from now."""
    for sha256, size in files.items():
        row = session.scalar(select(StagedUpload).where(StagedUpload.account_id == account.id,
                                                        StagedUpload.sha256 == sha256))
        if row is None:
            session.add(StagedUpload(account_id=account.id, sha256=sha256, size=size, created_at=now,
                                     expires_at=now + STAGED_FOR))
        else:
            row.expires_at, row.size = now + STAGED_FOR, size
    session.flush()


def check_live(session: Session, account: ApplicantAccount, hashes: set[str], now: datetime) -> None:
    """Invalid when any of the draft's files is no longer staged for this account (expired or never staged)."""
    live = set(session.scalars(select(StagedUpload.sha256).where(_live(account, now),
                                                                 StagedUpload.sha256.in_(hashes)))) if hashes else set()
    if hashes - live:
        raise Invalid("Tệp đã tải lên đã hết hạn (giữ 24 giờ); hãy khai và tải lên lại",
                      {"files": "Các tệp chờ nộp chỉ được giữ 24 giờ."})


def release(session: Session, account: ApplicantAccount, hashes: set[str]) -> None:
    """The draft was sent: its files are the dossier's now and no longer count against the quota."""
    if hashes:
        session.execute(delete(StagedUpload).where(StagedUpload.account_id == account.id,
                                                   StagedUpload.sha256.in_(hashes)))


def drop_expired(session: Session, now: datetime, dry_run: bool = False) -> int:
    """Forget the staged files that have expired; returns how many rows (counted only when `dry_run`)."""
    expired = StagedUpload.expires_at <= now
    if dry_run:
        return int(session.scalar(select(func.count()).select_from(StagedUpload).where(expired)) or 0)
    return session.execute(delete(StagedUpload).where(expired)).rowcount or 0
