"""Giấy tờ kết quả: the result document drafted, numbered, rendered to PDF, signed and stored.

The specialist previews the draft (`preview_html`: the procedure's result.html filled from the declaration
and the steps, marked DỰ THẢO, without a number). When the leader approves, `ResultIssuer` (handed in by the
web edge with its signing adapter) gives the result its register number (engine.printing.result_register)
and queues its signing; the PDF is rendered, signed and stored right after, by the scheduler or by the desk's
return step, whichever comes first (engine.printing.issuance).
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.catalogue.procedures import forms_of
from engine.ground.errors import Invalid
from engine.models import Dossier, HumanTask, IssuedResult
from engine.printing import result_register as register
from engine.printing.unit_documents import agency_of
from forms.printing import qr_data_uri
from forms.printing.contexts import SIGN_SEAL, header, signature
from forms.printing.result import render_result
from forms.printing.text import date_text
from forms.render_values import describe_value

VERIFY_PATH = "/xac-thuc"
SIGNED = "(Đã ký số)"  # under the signatory of an issued result: the signature is the PDF's, not ink

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def verify_url(base_url: str) -> str:
    """The public page that checks a result."""
    return base_url.rstrip("/") + VERIFY_PATH


def _shown(dossier: Dossier) -> dict[str, str]:
    """The declaration as printed: choices by label, dates dd/mm/yyyy (forms.render_values)."""
    catalogue_form = (dossier.version.procedure.catalogue or {}).get("application_form") or ""
    form = forms_of(dossier.version).get(catalogue_form)
    data = dossier.data or {}
    if form is None:  # a member of a group fed from another's data: dates still read dd/mm/yyyy
        return {key: _printed(value) for key, value in data.items() if value not in (None, "")}
    return {key: describe_value(form, key, value) for key, value in data.items()}


def _printed(value: object) -> str:
    text = str(value)
    if ISO_DATE.fullmatch(text):
        return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
    return text


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


def template_of(dossier: Dossier) -> tuple[register.ResultSpec, str]:
    spec = register.result_spec(dossier)
    if spec is None:
        raise Invalid(f"Thủ tục {dossier.version.procedure.name} không có mẫu giấy tờ kết quả")
    return spec, dossier.version.files[spec.template]


def preview_html(session: Session, dossier: Dossier, now: datetime, *, base_url: str, font_url: str | None = None,
                 toolbar: str = "", nonce: str = "") -> str:
    """The draft result (DỰ THẢO, no number yet) as a printable page."""
    _spec, text = template_of(dossier)
    context = result_context(session, dossier, number="", issued_at=now, draft=True, base_url=base_url)
    return render_result(text, context, font_url=font_url, toolbar=toolbar, nonce=nonce)


def issued_results(session: Session, dossier: Dossier) -> list[IssuedResult]:
    """The results issued for the dossier, oldest first."""
    return list(session.scalars(select(IssuedResult).where(IssuedResult.dossier_id == dossier.id)
                                .order_by(IssuedResult.id)))
