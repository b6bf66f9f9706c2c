"""Hồ sơ của tôi: what an applicant does with their own dossiers after submitting.

Only the owner reaches a dossier here: anyone else gets NotFound, so a code does not reveal
whether a dossier exists. Supplements complete the step that waits for them at once (the clock
resumes at the upload's system time, as for an online submission); a withdrawal is a request
that a leader of the unit acts on (engine.dossier.stop); a returned dossier can be rated once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.applicants.satisfaction import is_satisfied
from engine.dossier import documents
from engine.dossier.documents import Upload
from engine.dossier.lifecycle import complete_for_applicant, get_dossier
from engine.ground import events
from engine.ground.errors import Conflict, Invalid, NotFound
from engine.ground.vocabulary import DECIDED
from engine.models import ApplicantAccount, ApplicantDossier, Document, Dossier, DossierRating, HumanTask

SUPPLEMENT_STATES = ("supplement_at_intake", "supplement_requested")
NO_WITHDRAWAL = DECIDED


@dataclass(frozen=True)
class MyDossier:
    """A row of "Hồ sơ của tôi"."""

    dossier: Dossier
    link: ApplicantDossier
    rating: DossierRating | None


def my_dossiers(session: Session, account: ApplicantAccount) -> list[MyDossier]:
    """The account's dossiers, newest first."""
    rows = session.execute(select(Dossier, ApplicantDossier, DossierRating)
                           .join(ApplicantDossier, ApplicantDossier.dossier_id == Dossier.id)
                           .outerjoin(DossierRating, DossierRating.dossier_id == Dossier.id)
                           .where(ApplicantDossier.account_id == account.id)
                           .order_by(Dossier.submitted_at.desc(), Dossier.id.desc())).all()
    return [MyDossier(*row) for row in rows]


def owned(session: Session, account: ApplicantAccount, code: str) -> MyDossier:
    """The account's dossier with this code; NotFound for an unknown code and for anyone else's."""
    try:
        dossier = get_dossier(session, code)
    except NotFound:
        dossier = None
    link = session.get(ApplicantDossier, dossier.id) if dossier else None
    if link is None or link.account_id != account.id:
        raise NotFound(f"Không tìm thấy hồ sơ mã {code} trong hồ sơ của bạn")
    return MyDossier(dossier, link, session.get(DossierRating, dossier.id))


def results(session: Session, dossier: Dossier) -> list[Document]:
    """The dossier's electronic results (documents of kind `result`)."""
    return [d for d in documents.documents_of(session, dossier) if d.kind == "result"]


def result_document(session: Session, mine: MyDossier, document_id: int) -> Document:
    """One of the dossier's electronic results; NotFound for any other file."""
    for doc in results(session, mine.dossier):
        if doc.id == document_id:
            return doc
    raise NotFound("Không có tệp kết quả này")


def supplement(session: Session, mine: MyDossier, uploads: list[Upload], note: str, storage_dir: str | Path,
               now: datetime) -> Dossier:
    """Nộp bổ sung: attach the files and complete the step waiting for them; the dossier returns to the desk."""
    dossier = mine.dossier
    if dossier.status not in SUPPLEMENT_STATES:
        raise Conflict(f"Hồ sơ {dossier.code} không ở trạng thái chờ bổ sung")
    if not uploads:
        raise Invalid("Hãy tải lên giấy tờ bổ sung", {"files": "Cần ít nhất một tệp."})
    for upload in uploads:
        documents.check_upload(upload)
    task = session.scalar(select(HumanTask).where(HumanTask.dossier_id == dossier.id, HumanTask.state == "ready",
                                                  HumanTask.kind == "supplement"))
    if task is None:
        raise Conflict(f"Hồ sơ {dossier.code} không có bước nào chờ bổ sung")
    for upload in uploads:
        documents.attach(session, storage_dir, dossier, upload, f"Bổ sung: {upload.filename}", None, now,
                         kind="supplement")
    text = "Công dân nộp bổ sung trực tuyến" + (f": {note.strip()}" if note.strip() else "")
    complete_for_applicant(session, task.id, {"supplement_received": True, "supplement_note": text[:2000]}, now)
    return dossier


def ask_withdrawal(session: Session, mine: MyDossier, reason: str, now: datetime) -> None:
    """Xin rút hồ sơ: record the request; a leader of the unit then stops the dossier (form 05)."""
    dossier, link = mine.dossier, mine.link
    if dossier.status in NO_WITHDRAWAL:
        raise Conflict(f"Hồ sơ {dossier.code} đã kết thúc hoặc đã có kết quả; không thể rút")
    if link.withdrawal_asked_at is not None:
        raise Conflict(f"Bạn đã xin rút hồ sơ {dossier.code}; cơ quan đang xem xét")
    if not reason.strip():
        raise Invalid("Hãy nêu lý do xin rút hồ sơ", {"reason": "Cần lý do."})
    link.withdrawal_asked_at, link.withdrawal_reason = now, reason.strip()[:2000]
    events.record(session, "dossier.withdrawal_asked", now, dossier=dossier, reason=link.withdrawal_reason,
                  account_id=link.account_id)


COMMENT_LIMIT = 2000


def rate(session: Session, mine: MyDossier, satisfied: bool, comment: str, now: datetime,
         scores: dict[str, int] | None = None) -> DossierRating:
    """Đánh giá: the one rating of a returned dossier, and a comment. With the survey's scores
    (engine.applicants.satisfaction) whether it is satisfied follows from them."""
    dossier = mine.dossier
    if dossier.status != "returned":
        raise Conflict(f"Chỉ đánh giá được sau khi hồ sơ {dossier.code} đã trả kết quả")
    if mine.rating is not None or session.get(DossierRating, dossier.id) is not None:
        raise Conflict(f"Hồ sơ {dossier.code} đã được đánh giá")
    if len(comment.strip()) > COMMENT_LIMIT:  # said, not cut: the citizen's words are kept whole or not at all
        raise Invalid(f"Ý kiến tối đa {COMMENT_LIMIT} ký tự (đang có {len(comment.strip())})",
                      {"comment": f"Tối đa {COMMENT_LIMIT} ký tự."})
    if scores is not None:
        satisfied = is_satisfied(scores)
    rating = DossierRating(dossier_id=dossier.id, account_id=mine.link.account_id, satisfied=satisfied,
                           comment=comment.strip() or None, created_at=now, scores=scores)
    session.add(rating)
    events.record(session, "dossier.rated", now, dossier=dossier, satisfied=satisfied)
    return rating
