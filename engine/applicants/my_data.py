"""Dữ liệu của tôi: an applicant's own personal data as one zip (Decree 13/2023, the data subject's right
to obtain their data): their account, dossiers with declarations, documents' files, ratings and feedback.

Nothing of other people and nothing internal to the agency (no officials' notes, no password hash).
"""
from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from engine.applicants.feedback import of_account
from engine.applicants.own_dossiers import my_dossiers
from engine.dossier.documents import documents_of, read_verified
from engine.ground.errors import DomainError
from engine.models import ApplicantAccount, DossierRating

ACCOUNT_FIELDS = ("email", "full_name", "id_number", "phone", "address", "provider", "created_at", "consent_at",
                  "consent_version")
# the version of the privacy notice (webapp's applicants/privacy.html) a consent refers to
CONSENT_VERSION = "2026-12-v1"


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export(session: Session, account: ApplicantAccount, storage_dir: str | Path) -> bytes:
    """The zip: du-lieu.json and, under ho-so/<code>/, the files of each of the account's dossiers."""
    data: dict = {"tai_khoan": {f: (_when(getattr(account, f)) if f.endswith("_at") else getattr(account, f))
                                for f in ACCOUNT_FIELDS}, "ho_so": [], "phan_anh_kien_nghi": []}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in my_dossiers(session, account):
            dossier = item.dossier
            files = []
            for doc in documents_of(session, dossier):
                name = f"ho-so/{dossier.code}/{doc.id}-{Path(doc.filename).name}"
                try:
                    archive.writestr(name, read_verified(storage_dir, doc))
                except (DomainError, OSError):
                    name = None  # gone or altered: listed without its file
                files.append({"title": doc.title, "filename": doc.filename, "sha256": doc.sha256, "file": name,
                              "uploaded_at": _when(doc.uploaded_at)})
            rating = session.get(DossierRating, dossier.id)
            data["ho_so"].append({
                "code": dossier.code, "procedure": dossier.version.procedure.name, "status": str(dossier.status),
                "applicant": dossier.applicant, "declaration": dossier.data, "submitted_at": _when(dossier.submitted_at),
                "received_at": _when(dossier.received_at), "due_at": _when(dossier.due_at),
                "returned_at": _when(dossier.returned_at), "documents": files,
                "rating": None if rating is None else {"satisfied": rating.satisfied, "scores": rating.scores,
                                                       "comment": rating.comment,
                                                       "created_at": _when(rating.created_at)}})
        for fb in of_account(session, account):
            data["phan_anh_kien_nghi"].append({"kind": fb.kind, "content": fb.content, "created_at": _when(fb.created_at),
                                               "dossier": fb.dossier.code if fb.dossier else None,
                                               "answer": fb.answer, "answered_at": _when(fb.answered_at)})
        from engine.dossier.online_drafts import drafts_of_account  # bản nháp: what they typed, not yet sent

        data["ban_nhap"] = [{"procedure": d.procedure.name, "saved_at": _when(d.saved_at),
                             "expires_at": _when(d.expires_at), "declaration": d.data,
                             "files": [f.get("filename") for f in d.files if f.get("filename")]}
                            for d in drafts_of_account(session, account)]
        archive.writestr("du-lieu.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
    return buffer.getvalue()


