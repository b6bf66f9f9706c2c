"""Xác thực giấy tờ: does a file (or a dossier code and a hash) match a result this system issued?

Answers without personal data: what was issued (title, number, unit, procedure, when, who signed for the
unit) and whether the file's signature is intact and trusted. A file whose hash matches no issued result
is "not issued here" even when it carries a valid signature; a file that matches but whose signature
does not hold (or whose stored copy changed) is flagged as altered.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.dossier.codes import normalise_code
from engine.ground.errors import Invalid
from engine.integrations.pades import Verification, verify_pdf
from engine.models import Dossier, IssuedResult, Procedure, Unit
from engine.printing.issuance import pending

HASH = re.compile(r"^[0-9a-f]{64}$")
VALID, ALTERED, UNKNOWN = "valid", "altered", "unknown"


@dataclass(frozen=True)
class Check:
    """The answer of /xac-thuc."""

    outcome: str  # valid | altered | unknown
    message: str
    sha256: str = ""
    title: str = ""
    number: str = ""
    unit: str = ""
    procedure: str = ""
    issued_at: datetime | None = None
    signer: str = ""
    signed_at: datetime | None = None


def _issued_check(session: Session, issued: IssuedResult, outcome: str, message: str, sha256: str,
                  verification: Verification | None = None) -> Check:
    unit = session.get(Unit, issued.unit_id)
    procedure = session.scalar(select(Procedure).where(Procedure.code == issued.procedure_code))
    return Check(outcome, message, sha256, issued.title, issued.number, unit.name if unit else "",
                 procedure.name if procedure else issued.procedure_code, issued.signed_at,
                 (verification.signer if verification and verification.signer else issued.signer),
                 verification.signed_at if verification else None)


def check_file(session: Session, content: bytes, trust_roots: list) -> Check:
    """Check an uploaded file against the issued results and its own signature."""
    if not content:
        raise Invalid("Chưa chọn tệp để kiểm tra", {"file": "Chọn tệp PDF của giấy tờ kết quả."})
    digest = hashlib.sha256(content).hexdigest()
    issued = session.scalar(select(IssuedResult).where(IssuedResult.sha256 == digest))
    verification = verify_pdf(content, trust_roots)
    if issued is not None and verification.valid:
        return _issued_check(session, issued, VALID, "Giấy tờ hợp lệ: tệp đúng là bản đã cấp và chữ ký số còn "
                             "nguyên vẹn, do tổ chức được tin cậy cấp chứng thư.", digest, verification)
    if issued is not None:
        return _issued_check(session, issued, ALTERED, "Tệp trùng mã băm với bản đã cấp nhưng chữ ký số không "
                             f"kiểm tra được ({_why(verification)}).", digest, verification)
    if verification.signed and verification.intact and not verification.covers_whole_file:
        return Check(ALTERED, "Tệp đã bị sửa sau khi ký: nội dung thêm vào sau chữ ký số không được ký; "
                     "không khớp với bất kỳ giấy tờ nào đã cấp.", digest)
    if verification.signed and not verification.intact:
        return Check(ALTERED, "Tệp đã bị sửa: chữ ký số không còn khớp với nội dung; không khớp với bất kỳ "
                     "giấy tờ nào đã cấp.", digest)
    return Check(UNKNOWN, "Không tìm thấy giấy tờ nào đã cấp có tệp này (mã băm không khớp). "
                 + (verification.problem + "." if verification.problem else ""), digest)


def _why(verification: Verification) -> str:
    if not verification.signed:
        return verification.problem or "không có chữ ký"
    if not verification.intact:
        return "chữ ký không khớp nội dung"
    if not verification.trusted:
        return "chứng thư số không thuộc tổ chức được tin cậy"
    return "có nội dung thêm vào sau chữ ký"


def check_code_hash(session: Session, code: str, sha256: str) -> Check:
    """Check a dossier code and the SHA-256 of a file against the results issued for that dossier."""
    digest = (sha256 or "").strip().lower()
    errors = {}
    canonical = normalise_code(code or "")
    if not canonical:
        errors["code"] = "Nhập mã hồ sơ in trên giấy tờ (ví dụ H26.1.1-261202-0001)."
    if not HASH.match(digest):
        errors["sha256"] = "Mã băm SHA-256 gồm đúng 64 ký tự 0-9, a-f."
    if errors:
        raise Invalid("Thông tin kiểm tra chưa hợp lệ", errors)
    dossier = session.scalar(select(Dossier).where(Dossier.code == canonical))
    found = [] if dossier is None else list(session.scalars(
        select(IssuedResult).where(IssuedResult.dossier_id == dossier.id).order_by(IssuedResult.id)))
    match = next((r for r in found if r.sha256 == digest), None)
    if match is not None:
        return _issued_check(session, match, VALID, "Mã băm khớp với bản đã cấp cho hồ sơ này. Để kiểm tra cả "
                             "chữ ký số, hãy tải tệp lên.", digest)
    if found:
        return Check(ALTERED, "Hồ sơ có giấy tờ đã cấp nhưng mã băm không khớp: tệp của Ông/Bà khác bản đã "
                     "cấp (có thể đã bị sửa).", digest)
    if dossier is not None and pending(session, dossier):
        return Check(UNKNOWN, "Kết quả đang được ký số: hồ sơ đã được phê duyệt, bản điện tử có ký số sẽ có sau ít "
                     "phút. Ông/Bà kiểm tra lại sau.", digest)
    return Check(UNKNOWN, "Không tìm thấy giấy tờ đã cấp với mã hồ sơ này.", digest)
