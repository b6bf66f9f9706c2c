"""Giấy tờ kết quả: the result document drafted, numbered, rendered to PDF, signed and stored.

The specialist previews the draft (`preview_html`: the procedure's result.html filled from the declaration
and the steps, marked DỰ THẢO, without a number). When the leader approves, `ResultIssuer` (handed in by the
web edge with its signing adapter) gives the result its register number (engine.printing.result_register),
renders the PDF through WeasyPrint, signs it (engine.integrations.signing), stores the signed file as a
Document of kind "result" and records an IssuedResult with its hash. All of it in the approval's
transaction: a failure raises before anything is stored, and the approval rolls back with its number.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.catalogue.procedures import forms_of
from engine.dossier.documents import store
from engine.ground.errors import Invalid
from engine.ground.search_text import fold
from engine.integrations.signing import Signer, SigningKeyMissing
from engine.models import Document, Dossier, HumanTask, IssuedResult, User
from engine.printing import result_register as register
from engine.printing.unit_documents import agency_of
from forms.printing import qr_data_uri
from forms.printing.contexts import SIGN_SEAL, header, signature
from forms.printing.result import ResultTemplateError, render_pdf_of, render_result
from forms.printing.text import date_text
from forms.render_values import describe_value

VERIFY_PATH = "/xac-thuc"
SIGNED = "(Đã ký số)"  # under the signatory of an issued result: the signature is the PDF's, not ink


def verify_url(base_url: str) -> str:
    """The public page that checks a result."""
    return base_url.rstrip("/") + VERIFY_PATH


def _shown(dossier: Dossier) -> dict[str, str]:
    """The declaration as printed: choices by label, dates dd/mm/yyyy (forms.render_values)."""
    catalogue_form = (dossier.version.procedure.catalogue or {}).get("application_form") or ""
    form = forms_of(dossier.version).get(catalogue_form)
    data = dossier.data or {}
    if form is None:
        return {key: str(value) for key, value in data.items() if value not in (None, "")}
    return {key: describe_value(form, key, value) for key, value in data.items()}


def _steps(session: Session, dossier: Dossier) -> dict[str, dict]:
    """The data of each completed step by kind (the latest one of a kind wins)."""
    rows = session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id,
                                                   HumanTask.state == "completed").order_by(HumanTask.id))
    return {row.kind or row.element_id: dict(row.data or {}) for row in rows}


def result_context(session: Session, dossier: Dossier, *, number: str, issued_at: datetime, draft: bool,
                   base_url: str, signer_name: str = "") -> dict:
    """What result.html is filled from."""
    agency = agency_of(dossier.unit)
    spec = register.result_spec(dossier)
    return {"code": dossier.code, "title": spec.title if spec else "", "number": number, "draft": draft,
            "header": header(agency, "", issued_at), "agency": agency, "declaration": dict(dossier.data or {}),
            "shown": _shown(dossier), "applicant": dossier.applicant or {}, "steps": _steps(session, dossier),
            "procedure_name": dossier.version.procedure.name, "registered_on": date_text(issued_at.astimezone(TZ)),
            "signatures": [{"title": [], "note": "", "name": ""},
                           signature(agency.signatory_title, signer_name or agency.signatory_name,
                                     SIGN_SEAL if draft else SIGNED)],
            "verify_url": verify_url(base_url), "qr": qr_data_uri(verify_url(base_url) + f"?ma={dossier.code}")}


def _template(dossier: Dossier) -> tuple[register.ResultSpec, str]:
    spec = register.result_spec(dossier)
    if spec is None:
        raise Invalid(f"Thủ tục {dossier.version.procedure.name} không có mẫu giấy tờ kết quả")
    return spec, dossier.version.files[spec.template]


def preview_html(session: Session, dossier: Dossier, now: datetime, *, base_url: str, font_url: str | None = None,
                 toolbar: str = "", nonce: str = "") -> str:
    """The draft result (DỰ THẢO, no number yet) as a printable page."""
    _spec, text = _template(dossier)
    context = result_context(session, dossier, number="", issued_at=now, draft=True, base_url=base_url)
    return render_result(text, context, font_url=font_url, toolbar=toolbar, nonce=nonce)


def issued_results(session: Session, dossier: Dossier) -> list[IssuedResult]:
    """The results issued for the dossier, oldest first."""
    return list(session.scalars(select(IssuedResult).where(IssuedResult.dossier_id == dossier.id)
                                .order_by(IssuedResult.id)))


@dataclass(frozen=True)
class ResultIssuer:
    """Issues the result of an approved dossier: the web edge builds it with its signing adapter."""

    signer: Signer | None
    storage_dir: str
    base_url: str

    def __call__(self, session: Session, dossier: Dossier, user: User | None, now: datetime) -> dict | None:
        """The payload of the `result.issued` event, or None when the procedure has no result template."""
        if register.result_spec(dossier) is None:
            return None
        issued = issue_result(session, dossier, user, now, self.signer, self.storage_dir, self.base_url)
        return {"number": issued.number, "title": issued.title, "document": issued.document_id,
                "sha256": issued.sha256, "signer": issued.signer}


def issue_result(session: Session, dossier: Dossier, user: User | None, now: datetime, signer: Signer | None,
                 storage_dir: str, base_url: str) -> IssuedResult:
    """Number, render, sign and store the dossier's result; raises (and stores nothing) when any part fails."""
    spec, text = _template(dossier)
    procedure_code = dossier.version.procedure.code
    pattern = register.check_pattern(register.number_pattern(dossier.unit, procedure_code, spec), spec.register)
    if signer is None:
        raise SigningKeyMissing("Chưa cấu hình ký số cho đơn vị (tệp PKCS#12 hoặc dịch vụ ký số từ xa); kết quả "
                                "chưa thể phê duyệt và cấp số")
    year = now.astimezone(TZ).year
    serial = register.next_serial(session, dossier.unit, procedure_code, year)
    number = register.format_number(pattern, serial, year, dossier.unit.code)
    if not number.strip():
        raise Invalid(f"{spec.register} không cấp được số cho kết quả; kết quả chưa được phê duyệt")
    context = result_context(session, dossier, number=number, issued_at=now, draft=False, base_url=base_url,
                             signer_name=user.full_name if user else "")
    try:
        pdf = render_pdf_of(render_result(text, context))
    except ResultTemplateError as err:
        raise Invalid(str(err)) from err
    signed = signer.sign_pdf(pdf, reason=f"Cấp {spec.title} số {number}", location=dossier.unit.name,
                             reference=f"{dossier.code}:{number}", now=now)
    digest = store(storage_dir, signed.pdf)
    filename = f"{fold(spec.title).replace(' ', '-')}-{dossier.code}.pdf"  # plain letters: every system opens it
    document = Document(dossier_id=dossier.id, kind="result", title=f"{spec.title} số {number} (bản điện tử có ký số)",
                        filename=filename[:255], content_type="application/pdf", size=len(signed.pdf),
                        sha256=digest, uploaded_by_id=user.id if user else None, uploaded_at=now)
    session.add(document)
    session.flush()
    issued = IssuedResult(dossier_id=dossier.id, document_id=document.id, unit_id=dossier.unit_id,
                          procedure_code=procedure_code, year=year, serial=serial, number=number, title=spec.title,
                          sha256=digest, signer=signed.signer[:500], signed_at=now,
                          issued_by_id=user.id if user else None)
    session.add(issued)
    session.flush()
    return issued
