"""Xưởng quy trình (studio): analysts edit drafts in bpmn-js and form-js; admins publish versions.

The page loads the draft's files as JSON and saves them back as JSON (the bundle in
webapp/static_src/studio.js); every other action is a plain form. Checks are engine.catalogue.studio.check_draft,
the same code as `motcua procedures check`.
"""
from __future__ import annotations

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from bpmn.diff import diff_folders
from bpmn.folder import CATALOGUE_FILE, FolderError, parse_catalogue
from engine.catalogue import scope as procedure_scope
from engine.catalogue import studio
from engine.catalogue.new_procedure import AUTHORITIES, CHANNELS, LIMIT_UNITS, NewProcedure, create_draft
from engine.catalogue.procedures import list_procedures
from engine.catalogue.step_templates import element_templates, template_forms
from engine.ground.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from engine.ground.vocabulary import ROLE_LABELS, STANDARD_ROLES
from engine.models import Procedure, ProcedureDraft, RoleGrant, Unit
from webapp.auth import official
from webapp.db import get_session, now
from webapp.errors import status_of
from webapp.studio import bp, draft_view, editor_view, open_draft, problem_dicts


def _error(err: DomainError, status: int):
    return jsonify({"error": {"code": type(err).__name__.lower(), "message": err.message,
                              **({"fields": err.fields} if getattr(err, "fields", None) else {})}}), status


@bp.get("/")
@editor_view
def index():
    """The procedures to open in the studio, and the zip import."""
    session = get_session()
    procedures = list_procedures(session)
    drafts = list(session.scalars(select(ProcedureDraft).order_by(ProcedureDraft.code)))
    published = {p.code for p in procedures}
    return render_template("studio/index.html", procedures=procedures, drafts={d.code for d in drafts},
                           new_drafts=[(d, _draft_name(d)) for d in drafts if d.code not in published])


def _draft_name(draft: ProcedureDraft) -> str:
    try:
        return parse_catalogue(draft.files.get(CATALOGUE_FILE, ""), CATALOGUE_FILE)["name"]
    except FolderError:
        return ""


@bp.route("/new", methods=["GET", "POST"])
@editor_view
def new_procedure():
    """Thủ tục mới: code, name, field, authority, time limit and channels; the draft starts from the template."""
    if request.method == "GET":
        return _wizard(NewProcedure(), {})
    form = request.form
    answers = NewProcedure(code=form.get("code", "")[:100], name=form.get("name", "")[:1000],
                           field=form.get("field", "")[:1000], authority=form.get("authority", ""),
                           limit_value=form.get("limit_value", "")[:10], limit_unit=form.get("limit_unit", ""),
                           channels=form.getlist("channels"))
    session = get_session()
    try:
        draft = create_draft(session, official(), answers, now())
    except (Invalid, Conflict) as err:
        session.rollback()
        return _wizard(answers, err.fields, err.message), status_of(err)
    session.commit()
    flash(_("Đã tạo bản nháp của thủ tục mới %(code)s từ quy trình mẫu; hãy sửa sơ đồ, biểu mẫu và thông tin "
            "thủ tục rồi đề nghị công bố.", code=draft.code), "success")
    return redirect(url_for("studio.edit", code=draft.code))


def _wizard(answers: NewProcedure, errors: dict, message: str = "") -> str:
    return render_template("studio/new.html", answers=answers, errors=errors, message=message,
                           authorities=AUTHORITIES, limit_units=LIMIT_UNITS, channels=CHANNELS)


@bp.get("/<code>")
@draft_view
def edit(code: str):
    """The studio page: diagram and properties, forms, catalogue entry, problems beside them."""
    return _edit_page(code)


def _edit_page(code: str) -> str:
    session = get_session()
    draft = open_draft(code)
    session.commit()
    forms = sorted(n for n in draft.files if n.endswith(".form"))
    return render_template("studio/edit.html", draft=draft, forms=forms, problems=studio.check_draft(draft),
                           notes=studio.draft_notes(draft),
                           can_publish=procedure_scope.covers(session, official(), code, procedure_scope.PUBLISH_ROLES),
                           pickers=pickers(session),
                           unchanged=draft.base_version is not None and draft.files == draft.base_version.files)


def pickers(session) -> dict[str, list[dict[str, str]]]:
    """What the properties panel's "Một Cửa" group offers: the roles that exist and the units of the tree."""
    held = set(session.scalars(select(RoleGrant.role).distinct()))
    roles = [{"code": role, "label": ROLE_LABELS.get(role, role)} for role in (*STANDARD_ROLES, *sorted(held - set(STANDARD_ROLES)))]
    units = [{"code": code, "name": name} for code, name in session.execute(
        select(Unit.code, Unit.name).order_by(Unit.code).limit(UNIT_PICKER_LIMIT))]
    return {"roles": roles, "units": units}


UNIT_PICKER_LIMIT = 3000


@bp.get("/step-templates.json")
@editor_view
def step_templates():
    """Mẫu bước chuẩn: the element templates of the standard steps and the forms they name."""
    return jsonify({"templates": element_templates(), "forms": template_forms()})


@bp.get("/<code>/files.json")
@draft_view
def files(code: str):
    """The draft's files (name -> text) and its problems."""
    draft = open_draft(code)
    get_session().commit()
    return jsonify({"code": draft.code, "files": draft.files, "problems": problem_dicts(studio.check_draft(draft))})


@bp.post("/<code>/draft")
@draft_view
def save(code: str):
    """Save changed files into the draft (JSON `{"files": {name: text}}`); answers with the problems."""
    session = get_session()
    body = request.get_json(silent=True)
    changed = body.get("files") if isinstance(body, dict) else None
    if not isinstance(changed, dict) or not all(isinstance(v, str) for v in changed.values()):
        return _error(Invalid(_("Cần {\"files\": {tên tệp: nội dung}}")), 422)
    try:
        draft = studio.save_draft(session, code, changed, official(), now())
    except NotFound as err:
        return _error(err, 404)
    except Invalid as err:
        session.rollback()
        return _save_without_catalogue(code, changed, err)
    session.commit()
    return jsonify({"saved": sorted(changed), "problems": problem_dicts(studio.check_draft(draft)),
                    "notes": problem_dicts(studio.draft_notes(draft))})


def _save_without_catalogue(code: str, changed: dict, err: Invalid):
    """A procedure.yaml that does not parse blocks only itself: the diagram and forms sent with it are saved."""
    others = {name: text for name, text in changed.items() if name != CATALOGUE_FILE}
    if CATALOGUE_FILE not in changed or not others:
        return _error(err, 422)
    session = get_session()
    try:
        studio.save_draft(session, code, others, official(), now())
    except Invalid:
        session.rollback()
        return _error(err, 422)
    session.commit()
    said = Invalid(_("Sơ đồ và biểu mẫu đã được lưu; procedure.yaml chưa lưu: %(error)s", error=err.message),
                   err.fields)
    response, status = _error(said, 422)  # the error's shape, and the files saved beside it
    return jsonify({**response.get_json(), "saved": sorted(others)}), status


@bp.get("/<code>/check")
@draft_view
def check(code: str):
    """The draft's problems (the same checks as `motcua procedures check`)."""
    draft = open_draft(code)
    get_session().commit()
    return jsonify({"problems": problem_dicts(studio.check_draft(draft)),
                    "notes": problem_dicts(studio.draft_notes(draft))})


@bp.post("/<code>/check")
@draft_view
def check_unsaved(code: str):
    """The problems of what the editor shows now, unsaved (JSON `{"files": {name: text}}` over the draft)."""
    body = request.get_json(silent=True)
    changed = body.get("files") if isinstance(body, dict) else None
    if not isinstance(changed, dict):
        return _error(Invalid(_("Cần {\"files\": {tên tệp: nội dung}}")), 422)
    session, draft = get_session(), open_draft(code)
    try:
        files = studio.unsaved_files(draft, changed)
    except Invalid as err:
        return _error(err, 422)
    problems = studio.check_draft_files(session, code, files)
    session.commit()
    return jsonify({"problems": problem_dicts(problems), "saved": False})


@bp.post("/<code>/import-bpmn")
@draft_view
def import_bpmn(code: str):
    """Put a .bpmn drawn in another modeler into the draft; what cannot run is listed in words."""
    session, upload = get_session(), request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Hãy chọn một tệp .bpmn."), "warning")
        return redirect(url_for("studio.edit", code=code))
    try:
        _draft_, problems = studio.import_bpmn(session, code, upload.filename, upload.read(), official(), now())
    except Invalid as err:  # nothing written: the page shows the draft as it was, and why
        session.rollback()
        flash(err.message, "danger")
        return _edit_page(code), 422
    session.commit()
    if problems:
        flash(_("Đã nhập sơ đồ %(name)s vào bản nháp; còn %(count)d vấn đề cần sửa.",
                name=upload.filename, count=len(problems)), "warning")
    else:
        flash(_("Đã nhập sơ đồ %(name)s vào bản nháp.", name=upload.filename), "success")
    return redirect(url_for("studio.edit", code=code))


@bp.post("/<code>/revert")
@draft_view
def revert(code: str):
    """Bỏ bản nháp, trở về bản đã công bố: only with the box ticked that says what is lost."""
    session = get_session()
    if request.form.get("confirm") != "yes":
        flash(_("Hãy đánh dấu ô xác nhận: mọi thay đổi chưa công bố của bản nháp sẽ mất."), "warning")
        return _edit_page(code), 422
    draft = studio.revert_draft(session, code, official(), now())
    session.commit()
    if draft is None:
        flash(_("Đã bỏ bản nháp của thủ tục %(code)s (thủ tục chưa có phiên bản công bố).", code=code), "success")
        return redirect(url_for("studio.index"))
    flash(_("Đã bỏ các thay đổi; bản nháp trở về phiên bản đang công bố."), "success")
    return redirect(url_for("studio.edit", code=code))


@bp.get("/<code>/export.zip")
@draft_view
def export(code: str):
    """The draft's folder as a zip."""
    draft = open_draft(code)
    get_session().commit()
    filename, data = studio.export_draft_zip(draft)
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.post("/import-zip")
@editor_view
def import_zip():
    """A zipped procedure folder becomes the draft of its procedure (nothing is published)."""
    session, upload = get_session(), request.files.get("file")
    try:
        draft = studio.import_zip_draft(session, upload.read() if upload else b"", official(), now())
    except Invalid as err:
        session.rollback()
        flash(err.message, "danger")
        return redirect(url_for("studio.index"))
    session.commit()
    flash(_("Đã nhập bản nháp của thủ tục %(code)s.", code=draft.code), "success")
    return redirect(url_for("studio.edit", code=draft.code))


NOTE_LIMIT = 500


def _confirmation(code: str, errors: dict[str, str], note: str = "", status: int = 200):
    """The page that asks before publishing: the problems, the diff against the current version, a note."""
    session = get_session()
    _check_may_publish(code)
    draft = open_draft(code)
    procedure = session.scalar(select(Procedure).where(Procedure.code == code))
    current = procedure.current_version if procedure is not None else None
    diff = diff_folders(current.files if current is not None else {}, draft.files)
    problems = studio.check_draft(draft)
    session.commit()
    return render_template("studio/publish.html", draft=draft, code=code, diff=diff, problems=problems,
                           current=current, errors=errors, note=note, note_limit=NOTE_LIMIT), status


def _check_may_publish(code: str) -> None:
    if not procedure_scope.covers(get_session(), official(), code, procedure_scope.PUBLISH_ROLES):
        raise Forbidden("Chỉ quản trị viên của mọi đơn vị mà thủ tục tới được công bố phiên bản của thủ tục này")


@bp.get("/<code>/publish")
@draft_view
def publish_confirm(code: str):
    """Trước khi công bố: what will change (the diff first), the problems, and the required note."""
    return _confirmation(code, {})


@bp.post("/<code>/publish")
@draft_view
def publish(code: str):
    """Công bố: the draft becomes a new immutable version (admins only), with a required note."""
    session = get_session()
    note = (request.form.get("note") or "").strip()
    if not note or len(note) > NOTE_LIMIT:
        message = (_("Hãy ghi chú phiên bản: thay đổi gì và vì sao.") if not note
                   else _("Ghi chú dài quá %(limit)d ký tự.", limit=NOTE_LIMIT))
        return _confirmation(code, {"note": message}, note[:NOTE_LIMIT], 422)
    try:
        version, created = studio.publish_draft(session, code, official(), now(), note)
    except Forbidden:
        raise  # 403 with the reason (webapp.errors)
    except DomainError as err:
        session.rollback()
        flash(err.message, "danger")
        return redirect(url_for("studio.edit", code=code))
    session.commit()
    if created:
        flash(_("Đã công bố phiên bản %(number)d của thủ tục %(code)s.", number=version.number, code=code), "success")
    else:
        flash(_("Nội dung không đổi; giữ phiên bản %(number)d.", number=version.number), "info")
    return redirect(url_for("studio.versions", code=code))

