"""Kiểm tra chữ ký số: validate the PAdES signature of a PDF with pyHanko against the trusted roots."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Verification:
    """What a PDF's last signature says: whether it is intact and trusted, who signed it and when."""

    sha256: str
    signed: bool
    intact: bool = False  # the signed bytes are unchanged
    trusted: bool = False  # the signer's certificate chains to a trusted root
    covers_whole_file: bool = False  # nothing was added after the signature
    signer: str = ""
    signed_at: datetime | None = None
    problem: str = ""

    @property
    def valid(self) -> bool:
        """Intact, trusted and covering the whole file."""
        return self.signed and self.intact and self.trusted and self.covers_whole_file


def load_roots(paths: list[str | Path]) -> list:
    """The trusted root certificates from PEM or DER files (missing files are skipped)."""
    from pyhanko.keys import load_cert_from_pemder

    return [load_cert_from_pemder(str(p)) for p in paths if Path(p).is_file()]


def verify_pdf(content: bytes, trust_roots: list) -> Verification:
    """Validate the last signature of `content` (pyHanko: integrity, chain to `trust_roots`, signing time)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from engine.integrations.signing import outside_event_loop, subject_of

    digest = hashlib.sha256(content).hexdigest()
    if not content.startswith(b"%PDF-"):
        return Verification(digest, False, problem="Tệp không phải PDF")
    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - a damaged PDF is an answer, not an error
        return Verification(digest, False, problem="Không đọc được tệp PDF (tệp hỏng hoặc đã bị sửa)")
    if not signatures:
        return Verification(digest, False, problem="Tệp không có chữ ký số")
    embedded = signatures[-1]
    try:
        context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
        status = outside_event_loop(lambda: validate_pdf_signature(embedded, context))
    except Exception as err:  # noqa: BLE001
        return Verification(digest, True, problem=f"Không kiểm tra được chữ ký: {err}")

    coverage = getattr(status, "coverage", None)
    whole = coverage is not None and coverage.name in ("ENTIRE_FILE",)
    return Verification(digest, True, intact=bool(status.intact and status.valid), trusted=bool(status.trusted),
                        covers_whole_file=whole, signer=subject_of(status.signing_cert),
                        signed_at=status.signer_reported_dt)
