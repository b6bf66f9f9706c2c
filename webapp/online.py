"""Nộp hồ sơ trực tuyến: choose the unit, fill the procedure's form, upload documents, review, submit."""
from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.applicants.my_data import CONSENT_VERSION
from engine.calendar.working import local_date
from engine.catalogue.groups import is_group
from engine.catalogue.procedures import forms_of, get_procedure
from engine.dossier import online
from engine.dossier.documents import MAX_BYTES
from engine.dossier.staged_uploads import QUOTA_BYTES
from engine.ground.errors import DomainError, Invalid
from forms.render import form_data_from_request, render_form
from webapp.applicants import applicant, applicant_required
from webapp.db import get_session, now
from webapp.errors import answer
from webapp.ratelimit import submission_wait

bp = Blueprint("online", __name__, url_prefix="/cong-dan/nop")
DRAFT_KEY = "online_draft"


def _procedure(code: str):
    procedure = get_procedure(get_session(), code)
    if is_group(procedure.catalogue):  # liên thông: one declaration for the group (webapp.online_group)
        abort(redirect(url_for("online_group.start", code=code)))
    if not online.accepts_online(procedure):
        abort(404)
    return procedure


def _application_form(procedure):
    return forms_of(procedure.current_version).get(procedure.catalogue.get("application_form") or "")


def _too_many(procedure, step: str, values=None, unit_code: str = ""):
    """None while the applicant may take this step; else the form again with 429 and Retry-After."""
    wait = submission_wait(applicant().id, step)
    if wait is None:
        return None
    flash(_("Bạn đã nộp quá nhiều hồ sơ trong thời gian ngắn; hãy thử lại sau %(minutes)d phút.",
            minutes=max(1, -(-wait // 60))), "danger")
    body, status = _page(procedure, values, None, unit_code, 429)
    return body, status, {"Retry-After": str(wait)}


def _summary(procedure, form, errors: dict) -> list[tuple[str, str, str]]:
    """The error summary above the form: (anchor, label, message) per error, with the labels the applicant
    sees (the place, the form's field labels, the documents' names), never an internal key."""
    docs = procedure.catalogue.get("documents") or []
    rows = []
    for key, message in (errors or {}).items():
        field = form.field(key) if form else None
        if key == "unit":
            rows.append(("unit", _("Nơi nộp hồ sơ"), message))
        elif key.startswith("doc_") and key[4:].isdigit() and int(key[4:]) < len(docs):
            rows.append((key, docs[int(key[4:])].get("name", ""), message))
        elif field is not None and field.label:
            rows.append(("fld-" + re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-"), field.label, message))
        else:
            rows.append(("", "", message))
    return rows


def _page(procedure, values=None, errors=None, unit_code: str = "", status: int = 200, kept=(), reuse_selected=None,
          saved=None):
    """The form, prefilled with `values`, the files `kept` from an earlier try and the store documents chosen;
    `saved`, the applicant's draft it continues (webapp.online_drafts)."""
    form = _application_form(procedure)
    from engine.dossier.case_file import citizen_store

    return render_template("applicants/submit.html", procedure=procedure, errors=errors or {}, unit_code=unit_code,
                           units=online.handling_units(get_session(), procedure), max_mb=MAX_BYTES // 2**20,
                           max_total_mb=_max_total_mb(), summary=_summary(procedure, form, errors or {}),
                           store=citizen_store(get_session(), None, applicant().id),
                           kept={f["index"]: f for f in kept}, reuse_selected=reuse_selected or {}, saved=saved,
                           fields=render_form(form, values, own_errors(form, errors), today=local_date(now()))
                           if form else ""), status


def own_errors(form, errors: dict | None) -> dict:
    """The errors the declaration's form shows: those of the place (`unit`) and of the papers (`doc_N`) are shown
    by the page beside their own controls, not again inside the form under their keys."""
    return {key: message for key, message in (errors or {}).items()
            if form.field(key) is not None or not PAGE_KEYS.fullmatch(key)}


PAGE_KEYS = re.compile(r"unit|doc_\d+")


def _max_total_mb() -> int:
    """What one request may carry (MAX_CONTENT_LENGTH), in whole MB, said on the form before anything is sent."""
    return int(current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 2**20


@bp.errorhandler(413)
def too_large(_err):
    """A form bigger than one request may carry: the form again (its values are lost with the refused body)
    with the limits, 413, never the bare error page."""
    code = (request.view_args or {}).get("code", "")
    try:
        procedure = get_procedure(get_session(), code) if code else None
    except DomainError:
        procedure = None
    message = _("Hồ sơ gửi lên vượt quá %(total)s MB cho một lần gửi; hãy chọn tệp nhỏ hơn (tối đa %(mb)s MB mỗi tệp) "
                "rồi gửi lại.", total=_max_total_mb(), mb=MAX_BYTES // 2**20)
    if (procedure is None or not online.accepts_online(procedure) or not current_user.is_authenticated
            or current_user.kind != "applicant"):
        return answer(413, "too_large", message)  # not an applicant on a form: our error page, with the limits
    flash(message, "danger")
    return _page(procedure, unit_code=request.args.get("unit", ""), status=413)


@bp.get("/<code>")
@applicant_required
def start(code: str):
    """The form: where to submit, the procedure's application form, the documents to upload; after "Sửa lại",
    or with a saved draft, everything the applicant gave before (webapp.online_drafts.resume)."""
    procedure = _procedure(code)
    values, kept, reuse, unit_code, saved = online_drafts.resume(procedure)
    return _page(procedure, values, None, request.args.get("unit") or unit_code, kept=kept, reuse_selected=reuse,
                 saved=saved)


@bp.post("/<code>")
@applicant_required
def review(code: str):
    """Check everything and show the review page; errors come back on the form."""
    procedure = _procedure(code)
    form = _application_form(procedure)
    values = form_data_from_request(form, request.form) if form else {}
    limited = _too_many(procedure, "upload", values, request.form.get("unit", ""))
    if limited:
        return limited
    uploads, kept, reuse = online_drafts.files_from_request(procedure)
    unit_code = request.form.get("unit", "")
    try:
        draft = online.prepare(get_session(), code, unit_code, values, uploads, current_app.config["STORAGE_DIR"],
                               now(), applicant(), reuse,
                               int(current_app.config.get("UPLOAD_QUOTA_BYTES", QUOTA_BYTES)), kept)
        get_session().commit()  # the staged files' rows: the quota and the expiry
    except Invalid as err:
        files = getattr(err, "files", [])
        get_session().commit() if files else get_session().rollback()  # accepted files stay staged for the next try
        flash(err.message, "danger")
        return _page(procedure, values, err.fields, unit_code, 422, kept=[f for f in files if not f.get("reused_from")],
                     reuse_selected=online_drafts._reused(files))
    session[DRAFT_KEY] = draft.to_dict()
    return redirect(url_for("online.review_page", code=code), 303)


def held_draft(key: str, code: str) -> dict | None:
    """The checked submission of procedure `code` this web session keeps under `key`; None when there is none
    (sent already, lapsed, or another procedure's)."""
    raw = session.get(key)
    return raw if raw and raw.get("procedure_code") == code else None


def expired(start_endpoint: str, code: str):
    """Back to a fresh form when the checked submission is gone, saying so."""
    flash(_("Phiên nộp hồ sơ đã hết; hãy khai lại."), "warning")
    return redirect(url_for(start_endpoint, code=code))


@bp.get("/<code>/xem-lai")
@applicant_required
def review_page(code: str):
    """Xem lại: the checked submission, a page of its own, so that going back to it or reloading it shows it
    again instead of asking to send the form once more."""
    raw = held_draft(DRAFT_KEY, code)
    if raw is None:
        return expired("online.start", code)
    return _review_page(_procedure(code), online.Draft(**raw))


def _review_page(procedure, draft, consent_error: bool = False):
    form = _application_form(procedure)
    unit = next(u for u in online.handling_units(get_session(), procedure) if u.code == draft.unit_code)
    return render_template("applicants/review.html", procedure=procedure, draft=draft, unit=unit,
                           consent_error=consent_error,
                           summary=render_form(form, draft.data, readonly=True) if form else "")


@bp.post("/<code>/gui")
@applicant_required
def submit(code: str):
    """Gửi hồ sơ: the reviewed draft becomes a dossier; the confirmation shows its code at once."""
    raw = held_draft(DRAFT_KEY, code)
    if raw is None:
        return expired("online.start", code)
    limited = _too_many(_procedure(code), "send", raw.get("data"), raw.get("unit_code", ""))
    if limited:
        return limited
    if request.form.get("consent") != "yes":  # Decree 13/2023: the personal data in the dossier, agreed each time
        flash(_("Hãy đánh dấu đồng ý xử lý dữ liệu cá nhân trước khi gửi hồ sơ."), "danger")
        return _review_page(_procedure(code), online.Draft(**raw), consent_error=True), 422
    db = get_session()
    try:
        dossier = online.submit(db, applicant(), online.Draft(**raw), current_app.config["STORAGE_DIR"], now(),
                                consent_version=CONSENT_VERSION)
        db.commit()
    except DomainError as err:
        db.rollback()
        flash(err.message, "danger")
        return redirect(url_for("online.start", code=code))
    session.pop(DRAFT_KEY, None)
    flash(_("Đã nộp hồ sơ %(code)s. Bộ phận Một cửa sẽ tiếp nhận hoặc hướng dẫn bổ sung trong 8 giờ làm việc.",
            code=dossier.code), "success")
    return redirect(url_for("applicants.dossier_page", code=dossier.code, submitted=1))


from webapp import online_drafts  # noqa: E402  (its routes hang on this blueprint)
