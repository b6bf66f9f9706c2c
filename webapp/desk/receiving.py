"""Bộ phận Một cửa at the counter: choose a procedure, receive a dossier, print the receipt."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.catalogue.procedures import get_procedure, list_procedures
from engine.dossier import counter
from engine.dossier.documents import Upload
from engine.ground.errors import DomainError, Invalid
from webapp.auth import official, role_required
from webapp.db import get_session, now
from webapp.desk import bp
from webapp.helpers import storage_dir, viewable_dossier
from webapp.printing import form_response

APPLICANT_FIELDS = ("name", "id_number", "address", "phone", "email", "authorised_person")
DECISIONS = {"receive": {"intake_decision": "receive"}, "queue": None}
INTAKE_FORMS = {"supplement_at_intake": "02", "refused": "03"}


@bp.get("/new")
@role_required("mot_cua")
def choose_procedure():
    """Chọn thủ tục: the catalogue, searchable by name or code."""
    text = request.args.get("q", "").strip().lower()
    items = [p for p in list_procedures(get_session()) if not text or text in p.name.lower() or text in p.code]
    return render_template("desk/choose.html", procedures=items, q=request.args.get("q", ""))


def _checklist(catalogue: dict) -> dict[int, int | None]:
    received = {}
    for index, _doc in enumerate(catalogue.get("documents") or []):
        if request.form.get(f"doc_{index}"):
            copies = request.form.get(f"copies_{index}", "0").strip()
            received[index] = int(copies) if copies.isdigit() else 0
    return received


def _decision() -> dict | None:
    choice = request.form.get("decision", "")
    if choice == "supplement":
        return {"intake_decision": "supplement", "supplement_items": request.form.get("supplement_items", "")}
    if choice == "refuse":
        return {"intake_decision": "refuse", "refuse_reason": request.form.get("refuse_reason", "")}
    if choice not in DECISIONS:
        raise Invalid(_("Hãy chọn cách xử lý hồ sơ"),
                      {"decision": _("Chọn tiếp nhận, yêu cầu bổ sung, từ chối hoặc đưa vào hàng chờ.")})
    return DECISIONS[choice]


@bp.route("/new/<code>", methods=["GET", "POST"])
@role_required("mot_cua")
def receive(code: str):
    """Tiếp nhận hồ sơ: applicant, documents received, scans, then receive / supplement / refuse."""
    procedure = get_procedure(get_session(), code)
    if request.method == "GET":
        return render_template("desk/receive.html", procedure=procedure, form={}, errors={})
    session = get_session()
    uploads = [Upload(f.filename or "", f.read()) for f in request.files.getlist("scans") if f and f.filename]
    applicant = {k: request.form.get(k, "").strip() for k in APPLICANT_FIELDS}
    try:
        decision = _decision()
        dossier = counter.receive_at_counter(session, official(), code, applicant, _checklist(procedure.catalogue),
                                          uploads, decision, storage_dir(), now(),
                                          channel=request.form.get("channel", "in_person"),
                                          postmarked_at=request.form.get("postmarked_at", "").strip() or None)
        session.commit()
    except DomainError as err:
        session.rollback()
        flash(err.message, "danger")
        status = 422 if isinstance(err, Invalid) else 403
        return render_template("desk/receive.html", procedure=procedure, form=request.form, errors=err.fields), status
    return _after_intake(dossier)


def _after_intake(dossier):
    if dossier.status == "received":
        flash(_("Đã tiếp nhận hồ sơ %(code)s.", code=dossier.code), "success")
        return redirect(url_for("desk.receipt", code=dossier.code, print=1))
    messages = {"supplement_at_intake": _("Đã gửi yêu cầu bổ sung hồ sơ %(code)s.", code=dossier.code),
                "refused": _("Đã từ chối tiếp nhận hồ sơ %(code)s.", code=dossier.code)}
    flash(messages.get(dossier.status, _("Hồ sơ %(code)s đang chờ tiếp nhận.", code=dossier.code)), "info")
    form = INTAKE_FORMS.get(dossier.status)  # the slip to hand over: 02 supplement, 03 refusal
    if form:
        return redirect(url_for("printing.dossier_form", code=dossier.code, name=form, print=1))
    return redirect(url_for("officials.dossier_page", code=dossier.code))


@bp.get("/queue")
@role_required("mot_cua")
def queue():
    """Hàng chờ tiếp nhận: dossiers that arrived online or by post, or were put aside, awaiting intake."""
    return redirect(url_for("officials.worklist_page", kind="intake"))


@bp.get("/receipt/<code>")
@role_required("mot_cua")
def receipt(code: str):
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (form 01), for printing (`?print=1` opens the print dialog)."""
    dossier = viewable_dossier(code)
    return form_response(dossier, "01", links=[(_("Tiếp nhận hồ sơ khác"), url_for("desk.choose_procedure"))])

