"""Nộp hồ sơ liên thông trực tuyến: one declaration for a procedure group, files, review, submit; the group's page.

engine.dossier.online_group does the work; webapp/online.py sends a group's code here.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from engine.applicants.my_data import CONSENT_VERSION
from engine.calendar.working import local_date
from engine.catalogue.groups import members_of
from engine.catalogue.procedures import get_procedure
from engine.dossier import group as groups
from engine.dossier import online_group
from engine.dossier.documents import MAX_BYTES, Upload
from engine.dossier.online import Draft, handling_units
from engine.dossier.staged_uploads import QUOTA_BYTES
from engine.ground.errors import DomainError, Invalid
from engine.ground.vocabulary import STATUS_LABELS
from forms.render import form_data_from_request, render_form
from webapp.applicants import applicant, applicant_required
from webapp.db import get_session, now
from webapp.online import expired, held_draft, own_errors
from webapp.ratelimit import submission_wait

bp = Blueprint("online_group", __name__, url_prefix="/cong-dan")
DRAFT_KEY = "online_group_draft"


def _group(code: str):
    procedure = get_procedure(get_session(), code)
    if not online_group.accepts_online_group(procedure):
        abort(404)
    return procedure


def _members(procedure) -> list[tuple[dict, object]]:
    db = get_session()
    return [(m, get_procedure(db, str(m["procedure"]))) for m in members_of(procedure.catalogue)]


def _page(procedure, values=None, errors=None, unit_code: str = "", status: int = 200):
    db = get_session()
    form = online_group.declaration_form(db, procedure)
    return render_template("applicants/group_submit.html", procedure=procedure, errors=errors or {},
                           unit_code=unit_code, units=handling_units(db, procedure), members=_members(procedure),
                           docs=online_group.group_documents(db, procedure), max_mb=MAX_BYTES // 2**20,
                           fields=render_form(form, values, own_errors(form, errors), today=local_date(now()))
                           if form else ""), status


def _limited(procedure, step: str, values, unit_code: str):
    wait = submission_wait(applicant().id, step)
    if wait is None:
        return None
    flash(_("Bạn đã nộp quá nhiều hồ sơ trong thời gian ngắn; hãy thử lại sau %(minutes)d phút.",
            minutes=max(1, -(-wait // 60))), "danger")
    body, status = _page(procedure, values, None, unit_code, 429)
    return body, status, {"Retry-After": str(wait)}


@bp.get("/nop-lien-thong/<code>")
@applicant_required
def start(code: str):
    """The group's form: where to submit, the one declaration, the documents, the members it goes to."""
    return _page(_group(code), unit_code=request.args.get("unit", ""))


@bp.post("/nop-lien-thong/<code>")
@applicant_required
def review(code: str):
    """Check everything and show the review page; errors come back on the form."""
    procedure, db = _group(code), get_session()
    form = online_group.declaration_form(db, procedure)
    values = form_data_from_request(form, request.form) if form else {}
    unit_code = request.form.get("unit", "")
    limited = _limited(procedure, "upload", values, unit_code)
    if limited:
        return limited
    uploads = {}
    for index, _doc in enumerate(online_group.group_documents(db, procedure)):
        f = request.files.get(f"doc_{index}")
        if f and f.filename:
            uploads[index] = Upload(f.filename, f.read())
    try:
        draft = online_group.prepare_group(db, code, unit_code, values, uploads, current_app.config["STORAGE_DIR"],
                                           now(), applicant(), int(current_app.config.get("UPLOAD_QUOTA_BYTES",
                                                                                          QUOTA_BYTES)))
        db.commit()
    except Invalid as err:
        db.rollback()
        flash(err.message, "danger")
        return _page(procedure, values, err.fields, unit_code, 422)
    session[DRAFT_KEY] = draft.to_dict()
    return redirect(url_for("online_group.review_page", code=code), 303)


@bp.get("/nop-lien-thong/<code>/xem-lai")
@applicant_required
def review_page(code: str):
    """Xem lại hồ sơ liên thông: a page of its own, as for one procedure (webapp.online.review_page)."""
    raw = held_draft(DRAFT_KEY, code)
    if raw is None:
        return expired("online_group.start", code)
    return _review_page(_group(code), Draft(**raw))


def _review_page(procedure, draft, consent_error: bool = False):
    db = get_session()
    form = online_group.declaration_form(db, procedure)
    unit = next(u for u in handling_units(db, procedure) if u.code == draft.unit_code)
    return render_template("applicants/group_review.html", procedure=procedure, draft=draft, unit=unit,
                           members=_members(procedure), consent_error=consent_error,
                           summary=render_form(form, draft.data, readonly=True) if form else "")


@bp.post("/nop-lien-thong/<code>/gui")
@applicant_required
def submit(code: str):
    """Gửi hồ sơ liên thông: the reviewed draft opens the group; its page shows the group's code and members."""
    raw = held_draft(DRAFT_KEY, code)
    if raw is None:
        return expired("online_group.start", code)
    limited = _limited(_group(code), "send", raw.get("data"), raw.get("unit_code", ""))
    if limited:
        return limited
    if request.form.get("consent") != "yes":  # Decree 13/2023: agreed for each submission, as for one procedure
        flash(_("Hãy đánh dấu đồng ý xử lý dữ liệu cá nhân trước khi gửi hồ sơ."), "danger")
        return _review_page(_group(code), Draft(**raw), consent_error=True), 422
    db = get_session()
    try:
        group = online_group.submit_group(db, applicant(), Draft(**raw), current_app.config["STORAGE_DIR"], now(),
                                          consent_version=CONSENT_VERSION)
        db.commit()
    except DomainError as err:
        db.rollback()
        flash(err.message, "danger")
        return redirect(url_for("online_group.start", code=code))
    session.pop(DRAFT_KEY, None)
    flash(_("Đã nộp hồ sơ liên thông %(code)s. Bộ phận Một cửa sẽ tiếp nhận hoặc hướng dẫn bổ sung trong 8 giờ "
            "làm việc; các cơ quan liên thông giải quyết tiếp sau đó.", code=group.code), "success")
    return redirect(url_for("online_group.group_page", code=group.code))


@bp.get("/lien-thong/<code>")
@applicant_required
def group_page(code: str):
    """The applicant's group: its status and due time, each member with its agency, status, due time and link."""
    db = get_session()
    group = online_group.owned_group(db, applicant(), code)
    catalogue = get_procedure(db, group.procedure_code).catalogue
    return render_template("applicants/group.html", group=group, procedure_name=catalogue.get("name"),
                           summary=groups.group_summary(group, catalogue), statuses=STATUS_LABELS,
                           names={m.code: m for m in group.members})


@bp.app_context_processor
def _groups_helper() -> dict:
    return {"online_groups": my_groups}


def my_groups() -> list:
    """The signed-in applicant's groups, for "Hồ sơ của tôi"."""
    db = get_session()
    return [(g, groups.group_summary(g, get_procedure(db, g.procedure_code).catalogue), {m.code: m for m in g.members})
            for g in online_group.my_groups(db, applicant())]
