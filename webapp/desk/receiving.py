"""Bộ phận Một cửa at the counter: choose a procedure, receive a dossier, print the receipt."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.catalogue.groups import is_group
from engine.catalogue.procedures import get_procedure, list_procedures
from engine.dossier import counter
from engine.dossier.documents import Upload
from engine.ground.errors import DomainError, Invalid
from engine.ground.vocabulary import HANDLING, DossierStatus
from webapp.auth import official, role_required
from webapp.db import get_session, now
from webapp.desk import bp
from webapp.errors import status_of
from webapp.helpers import storage_dir, viewable_dossier
from webapp.printing import form_response

APPLICANT_FIELDS = ("name", "id_number", "address", "phone", "email", "authorised_person")
DECISIONS = {"receive": {"intake_decision": "receive"}, "queue": None}
INTAKE_FORMS = {"supplement_at_intake": "02", "refused": "03"}
FIELD_LABELS = {"name": _l("Họ và tên"), "id_number": _l("Số định danh cá nhân (12 số)"), "address": _l("Địa chỉ"),
                "phone": _l("Số điện thoại"), "email": _l("Thư điện tử"),
                "authorised_person": _l("Người được ủy quyền (nếu có)")}
# the longest text each field takes: the dossier's columns (name 255, ID 20) and what a slip can print
LIMITS = {"name": 255, "id_number": 12, "address": 500, "phone": 15, "email": 254, "authorised_person": 255,
          "supplement_items": 2000, "refuse_reason": 1000}


def render_form(procedure, form, errors: dict, status: int = 200, **extra):
    """The intake form (desk/receive.html) with its labels and limits, and the procedure's application form."""
    from engine.dossier.case_file import LIMIT_TEXT
    from engine.dossier.declaration import application_form
    from forms.render import form_data_from_request
    from forms.render import render_form as render_fields

    app_form = application_form(procedure.current_version)
    declared = form_data_from_request(app_form, form, prefix="data.") if app_form and form else None
    own = {k.removeprefix("data."): v for k, v in errors.items() if k.startswith("data.")}
    from engine.calendar.working import local_date

    declaration = render_fields(app_form, declared, own, prefix="data.", today=local_date(now())) if app_form else None
    return render_template("desk/receive.html", procedure=procedure, form=form, errors=errors,
                           fields=FIELD_LABELS, limits=LIMITS, declaration=declaration, limit_text=LIMIT_TEXT,
                           **extra), status


def _declaration(procedure, decision: dict | None) -> dict:
    """The declaration typed at the counter, checked as online (required fields and all) when the dossier is
    received; a supplement request or refusal checks only what was typed. Nothing typed: a paper declaration."""
    from engine.dossier import declaration
    from forms.render import form_data_from_request

    app_form = declaration.application_form(procedure.current_version)
    if app_form is None:
        return {}
    values = form_data_from_request(app_form, request.form, prefix="data.")
    if declaration.is_empty(app_form, values):
        return {}
    receiving = bool(decision) and decision.get("intake_decision") == "receive"
    return declaration.validate(app_form, values, now(), partial=not receiving)


def _file_fields(catalogue: dict) -> list[str]:
    return ["scans"] + [f"scan_{index}" for index, _doc in enumerate(catalogue.get("documents") or [])]


def _fresh_files(catalogue: dict) -> dict[str, list[Upload]]:
    """The files uploaded with this request, by form field."""
    found = {}
    for field in _file_fields(catalogue):
        files = [Upload(f.filename or "", f.read()) for f in request.files.getlist(field) if f and f.filename]
        if files:
            found[field] = files
    return found


def _staged_rows(catalogue: dict) -> list:
    """The files kept from the officer's refused try that are still ticked (engine.dossier.desk_staging)."""
    from engine.dossier import desk_staging

    ids = [int(v) for field in _file_fields(catalogue) for v in request.form.getlist(f"staged_{field}") if v.isdigit()]
    return desk_staging.kept(get_session(), official(), ids, now())


def _with_staged(rows: list, fresh: dict[str, list[Upload]]) -> dict[str, list[Upload]]:
    """Staged files first, then the ones uploaded now, by field."""
    from engine.dossier import desk_staging

    files: dict[str, list[Upload]] = {}
    for row in rows:
        upload = desk_staging.upload_of(storage_dir(), row)
        if upload is not None:
            files.setdefault(row.field, []).append(upload)
    for field, uploads in fresh.items():
        files.setdefault(field, []).extend(uploads)
    return files


def _item_scans(files: dict[str, list[Upload]]) -> dict[int, list[Upload]]:
    return {int(field.removeprefix("scan_")): uploads for field, uploads in files.items() if field.startswith("scan_")}


def _keep_for_next_try(rows: list, fresh: dict[str, list[Upload]]) -> dict[str, list]:
    """After a refused form: keep the files of this request (those that pass the content check) beside the
    ones already kept, commit, and return them by field for the form to show."""
    from engine.dossier import desk_staging

    session, user = get_session(), official()
    kept = list(rows)
    for field, uploads in fresh.items():
        for upload in uploads:
            row = desk_staging.stage(session, storage_dir(), user, field, upload, now())
            if row is not None:
                kept.append(row)
    session.commit()
    by_field: dict[str, list] = {}
    for row in kept:
        by_field.setdefault(row.field, []).append(row)
    return by_field


def check_lengths(values: dict) -> None:
    """Invalid naming each text longer than its limit (LIMITS), before anything is written."""
    errors = {}
    for key, value in values.items():
        if key in LIMITS and len(value or "") > LIMITS[key]:
            target = key if key in ("supplement_items", "refuse_reason") else f"applicant.{key}"
            errors[target] = _("Tối đa %(n)s ký tự (đã nhập %(m)s).", n=LIMITS[key], m=len(value))
    if errors:
        raise Invalid(_("Có trường nhập quá dài"), errors)


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
    if is_group(procedure.catalogue):  # liên thông: one declaration for the group (webapp.desk.groups)
        from webapp.desk.groups import receive_group, render_group_form

        return render_group_form(procedure, {}, {}) if request.method == "GET" else receive_group(procedure)
    if request.method == "GET":
        return render_form(procedure, {}, {})
    from engine.dossier import desk_staging

    session = get_session()
    fresh, staged = _fresh_files(procedure.catalogue), _staged_rows(procedure.catalogue)
    files = _with_staged(staged, fresh)
    applicant = {k: request.form.get(k, "").strip() for k in APPLICANT_FIELDS}
    try:
        check_lengths(applicant | {k: request.form.get(k, "") for k in ("supplement_items", "refuse_reason")})
        decision = _decision()
        warnings = confirmations(session, procedure, applicant)
        if warnings:
            flash(_("Hãy xem lại cảnh báo và xác nhận trước khi ghi nhận."), "warning")
            return render_form(procedure, request.form, {}, 409, warnings=warnings,
                               staged=_keep_for_next_try(staged, fresh))
        from webapp.case_file import counter_reuse

        declared = _declaration(procedure, decision)
        dossier = counter.receive_at_counter(session, official(), code, applicant, _checklist(procedure.catalogue),
                                          files.get("scans", []), decision, storage_dir(), now(),
                                          channel=request.form.get("channel", "in_person"), data=declared,
                                          postmarked_at=request.form.get("postmarked_at", "").strip() or None,
                                          item_scans=_item_scans(files),
                                          reuse=counter_reuse(request.form))
        desk_staging.release(session, staged)
        session.commit()
    except DomainError as err:
        session.rollback()
        flash(err.message, "danger")
        status = status_of(err)
        return render_form(procedure, request.form, err.fields, status, staged=_keep_for_next_try(staged, fresh))
    return _after_intake(dossier)


OPEN = (DossierStatus.SUBMITTED, DossierStatus.SUPPLEMENT_AT_INTAKE, *HANDLING)  # a dossier still open


def confirmations(session, procedure, applicant: dict) -> dict[str, str]:
    """What the officer must confirm before the dossier is written (each by ticking `confirm_<key>`):
    an open dossier of the same ID number and procedure; a postmark older than the procedure's time limit."""
    from sqlalchemy import select

    from engine.calendar.working import TZ
    from engine.clock.statutory import parse_moment, statutory_due
    from engine.dossier.lifecycle import desk_unit
    from engine.models import Dossier, ProcedureVersion

    warnings = {}
    id_number = applicant.get("id_number") or ""
    if id_number and not request.form.get("confirm_duplicate"):
        existing = session.scalar(select(Dossier.code).join(ProcedureVersion, ProcedureVersion.id == Dossier.procedure_version_id)
                                  .where(Dossier.applicant_id_number == id_number, Dossier.status.in_(OPEN),
                                         ProcedureVersion.procedure_id == procedure.id).limit(1))
        if existing:
            warnings["duplicate"] = _("Số định danh %(id)s đã có hồ sơ %(code)s của thủ tục này đang giải quyết.",
                                      id=id_number, code=existing)
    postmark = request.form.get("postmarked_at", "").strip()
    if postmark and request.form.get("channel") == "post" and not request.form.get("confirm_postmark"):
        try:
            moment = parse_moment(postmark, "postmarked_at")
            due = statutory_due(desk_unit(official(), None), procedure.catalogue, moment)
        except DomainError:
            return warnings  # the engine names the bad field when the dossier is written
        if due < now():
            warnings["postmark"] = _("Theo dấu bưu điện, hạn giải quyết đã qua (%(due)s); xác nhận ngày trên dấu bưu điện.",
                                     due=f"{due.astimezone(TZ):%H:%M %d/%m/%Y}")
    return warnings


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


@bp.get("/in-progress")
@role_required("mot_cua")
def in_progress():
    """Hồ sơ đang giải quyết: what this desk received that others now hold, by due time."""
    from engine.dossier.group import STATUS_LABELS as GROUP_STATUS_LABELS
    from engine.dossier.group_return import awaiting_at
    from engine.dossier.worklist import PAGE_SIZE, held_elsewhere
    from engine.ground.vocabulary import STATUS_LABELS

    page = max(1, request.args.get("page", 1, type=int) or 1)
    session = get_session()
    rows, total = held_elsewhere(session, official(), page)
    desks = sorted({g.unit_id for g in official().grants if g.role == "mot_cua"})
    waiting = [group for unit_id in desks for group in awaiting_at(session, unit_id)]  # liên thông results to hand over
    return render_template("desk/in_progress.html", rows=rows, total=total, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)), now=now(), statuses=STATUS_LABELS,
                           groups_waiting=waiting, group_statuses=GROUP_STATUS_LABELS)


@bp.get("/receipt/<code>")
@role_required("mot_cua")
def receipt(code: str):
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (form 01), for printing (`?print=1` opens the print dialog)."""
    dossier = viewable_dossier(code)
    return form_response(dossier, "01", links=[(_("Tiếp nhận hồ sơ khác"), url_for("desk.choose_procedure"))])

