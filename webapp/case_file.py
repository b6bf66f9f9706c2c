"""Officials' case file pages: the declaration (shown read-only, corrected with an audit trail), scans and
attachments added at any step, and documents taken from the citizen's store (kho dữ liệu)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.calendar.working import local_date
from engine.dossier import case_file, declaration
from engine.dossier.documents import Upload
from engine.ground.errors import Forbidden, Invalid
from engine.org.accounts import has_role
from forms.render import form_data_from_request, render_form
from webapp.auth import official, role_required
from webapp.db import get_session, now
from webapp.helpers import safe_next, storage_dir, viewable_dossier

bp = Blueprint("case", __name__)


def case_panels(dossier, task=None) -> dict:
    """What the declaration and documents cards show on a step's or a dossier's page."""
    session, user = get_session(), official()
    form = declaration.application_form(dossier)
    may_add = case_file.may_add(session, user, dossier)
    return {"declaration_html": render_form(form, dossier.data or {}, readonly=True) if form else None,
            "carried": carried(session, dossier) if form is None else [],
            "declaration_empty": not dossier.data,
            "may_correct": form is not None and declaration.locked_reason(dossier) is None and (
                has_role(user, "mot_cua", dossier.unit_id) or (task is not None and task.state == "ready")),
            "may_add_files": may_add, "kinds": case_file.KINDS, "kind_labels": case_file.KIND_LABELS, "limit_text": case_file.LIMIT_TEXT,
            "checklist_items": [d.get("name", "") for d in dossier.version.procedure.catalogue.get("documents") or []],
            "citizen_store": case_file.store_of_dossier(session, dossier) if may_add else [],
            "back": request.path}


def carried(session, dossier) -> list[tuple[str, str]]:
    """The data of a dossier that has no application form of its own (a liên thông member: what its group's
    declaration and earlier members passed on), each value under the label the group's form gives it."""
    from engine.catalogue.groups import members_of
    from engine.catalogue.procedures import get_procedure

    data = dossier.data or {}
    labels: dict[str, str] = {}
    if data and dossier.group_id is not None:
        members = members_of(get_procedure(session, dossier.group.procedure_code).catalogue)
        member = members[dossier.group_member] if 0 <= (dossier.group_member or 0) < len(members) else {}
        # the group's declaration is typed on its members' application forms (the first one's, at the desk)
        forms = [declaration.application_form(get_procedure(session, str(m["procedure"])).current_version)
                 for m in members]
        for key, source in (member.get("data") or {}).items():
            origin = str(source).split(".")
            fields = [f.field(origin[1]) for f in forms if f is not None] if origin[0] == "declaration" else []
            field = next((f for f in fields if f is not None and f.label), None)
            if field is not None:
                labels[key] = field.label
            elif origin[0] == "results" and origin[-1] == "code":
                code = ".".join(origin[1:-1])
                labels[key] = _("Mã hồ sơ %(procedure)s", procedure=f"{get_procedure(session, code).name} ({code})")
    return [(labels.get(key, key), _shown(value)) for key, value in data.items() if value not in (None, "")]


def _shown(value: object) -> str:
    """A carried value as read: an ISO date as 25/11/2026, anything else as it is."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            pass
    return str(value)


def prefill(form, declared: dict) -> dict | None:
    """A step form's first values from the declaration: a field whose key is a declaration field's starts
    with the declared value (the specialist checks it rather than types it); None when nothing is prefilled."""
    values = {f.key: declared[f.key] for f in form.fields if declared.get(f.key) not in (None, "")}
    return values or None


@bp.route("/dossiers/<code>/declaration", methods=["GET", "POST"])
@login_required
def correct_declaration(code: str):
    """Sửa tờ khai: the application form filled with the declaration; each change is recorded."""
    session, dossier = get_session(), viewable_dossier(code)
    form = declaration.application_form(dossier)
    if form is None:
        raise Invalid(_("Thủ tục này không có tờ khai theo mẫu"))
    user = official()
    if not has_role(user, "mot_cua", dossier.unit_id) and case_file._task_of(session, dossier, user) is None:
        raise Forbidden(_("Chỉ Bộ phận Một cửa hoặc người đang xử lý hồ sơ được sửa tờ khai"))
    back = safe_next(request.values.get("next") or url_for("officials.dossier_page", code=dossier.code))
    locked = declaration.locked_reason(dossier)
    if locked:  # the form is not offered: saving it would be refused
        flash(locked, "warning")
        return redirect(back)
    values, errors, status = dossier.data or {}, {}, 200
    if request.method == "POST":
        values = form_data_from_request(form, request.form, prefix="data.")
        try:
            diff = declaration.correct(session, dossier, user, values, now())
            session.commit()
            flash(_("Đã sửa tờ khai: %(fields)s.", fields=", ".join(c["label"] for c in diff)) if diff
                  else _("Tờ khai không thay đổi."), "success" if diff else "info")
            return redirect(back)
        except Invalid as err:
            session.rollback()
            flash(err.message, "danger")
            errors, status = {k.removeprefix("data."): v for k, v in err.fields.items()}, 422
    return render_template("officials/declaration_edit.html", dossier=dossier, back=back,
                           fields=render_form(form, values, errors, prefix="data.",
                                              today=local_date(now()))), status


def _back(dossier):
    return redirect(safe_next(request.form.get("next") or url_for("officials.dossier_page", code=dossier.code)))


@bp.post("/dossiers/<code>/files")
@login_required
def add_file(code: str):
    """Thêm tệp: a scan for a checklist item, an attachment (an agency's letter with number and date) or a result."""
    session, dossier = get_session(), viewable_dossier(code)
    upload = request.files.get("file")
    try:
        case_file.require_may_add(session, official(), dossier)
        if upload is None or not upload.filename:
            raise Invalid(_("Hãy chọn tệp để tải lên"), {"file": _("Chưa chọn tệp.")})
        meta = case_file.parse_meta(request.form.get("kind"), request.form.get("checklist_item"),
                                    request.form.get("title", "").strip(), request.form.get("reference_number", ""),
                                    request.form.get("reference_date", ""))
        document = case_file.add_document(session, storage_dir(), dossier, Upload(upload.filename, upload.read()),
                                          meta, official(), now())
        session.commit()
        flash(_("Đã thêm tệp “%(title)s”.", title=document.title), "success")
    except Invalid as err:
        session.rollback()
        _log_refusal(code, err, upload)
        flash(err.message + (": " + "; ".join(err.fields.values()) if err.fields else ""), "danger")
    return _back(dossier)


def _log_refusal(code: str, err: Invalid, upload) -> None:
    """A refused file is an event of the dossier (who, which file, why); nothing of the file is kept."""
    from engine.ground import events

    session = get_session()
    events.record(session, "document.refused", now(), dossier=viewable_dossier(code), user=official(),
                  reason=err.message[:500], filename=(getattr(upload, "filename", "") or "")[:255],
                  fields=dict(err.fields or {}))
    session.commit()


@bp.post("/dossiers/<code>/files/reuse")
@login_required
def reuse_file(code: str):
    """Dùng lại giấy tờ trong kho dữ liệu của công dân, instead of a new upload."""
    session, dossier = get_session(), viewable_dossier(code)
    try:
        case_file.require_may_add(session, official(), dossier)
        source = request.form.get("document", "")
        item = request.form.get("checklist_item", "")
        if not source.isdigit():
            raise Invalid(_("Hãy chọn giấy tờ trong kho dữ liệu"))
        meta = case_file.parse_meta("scan", item, "")
        document = case_file.reuse_document(session, dossier, int(source), meta.checklist_index, official(), now())
        session.commit()
        flash(_("Đã dùng lại “%(title)s” từ kho dữ liệu của công dân.", title=document.title), "success")
    except Invalid as err:
        session.rollback()
        flash(err.message + (": " + "; ".join(err.fields.values()) if err.fields else ""), "danger")
    return _back(dossier)


@bp.post("/desk/store")
@role_required("mot_cua")
def counter_store():
    """At the counter: the documents of the citizen with this ID number (htmx fragment), to reuse."""
    id_number = request.form.get("id_number", "").strip()
    code = request.form.get("procedure", "")
    from engine.catalogue.procedures import get_procedure

    procedure = get_procedure(get_session(), code)
    found = case_file.citizen_store(get_session(), id_number) if len(id_number) == 12 and id_number.isdigit() else []
    return render_template("desk/_store.html", store=found, id_number=id_number, searched=True,
                           items=[d.get("name", "") for d in procedure.catalogue.get("documents") or []])


def counter_reuse(form) -> dict[int, int | None]:
    """The store documents the desk chose (`reuse_<id>` = checklist index, or `x` for another paper)."""
    chosen = {}
    for key, value in form.items():
        if key.startswith("reuse_") and key[6:].isdigit() and value != "":
            chosen[int(key[6:])] = int(value) if value.isdigit() else None
    return chosen
