"""Lưu nháp, Sửa lại: the online form keeps what the applicant typed and uploaded (engine.dossier.online_drafts).

The routes hang on the online blueprint (webapp.online imports this module at its end)."""
from __future__ import annotations

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _

from engine.dossier import online_drafts
from engine.dossier.documents import Upload
from engine.dossier.staged_uploads import QUOTA_BYTES
from engine.ground.errors import Invalid
from forms.render import form_data_from_request
from webapp.applicants import applicant, applicant_required
from webapp.db import get_session, now
from webapp.online import DRAFT_KEY, _application_form, _page, _procedure, bp
from webapp.pages import local_time


def files_from_request(procedure) -> tuple[dict[int, Upload], dict[int, dict], dict[int, int]]:
    """The form's files: (new uploads, files kept from an earlier try, store documents chosen), per item."""
    uploads, kept, reuse = {}, {}, {}
    for index in range(len(procedure.catalogue.get("documents") or [])):
        f = request.files.get(f"doc_{index}")
        if f and f.filename:
            uploads[index] = Upload(f.filename, f.read())
        sha = request.form.get(f"keep_{index}", "")
        if len(sha) == 64 and all(c in "0123456789abcdef" for c in sha):
            kept[index] = {"sha256": sha, "filename": request.form.get(f"keep_name_{index}", "")}
        if request.form.get(f"reuse_{index}", "").isdigit():
            reuse[index] = int(request.form[f"reuse_{index}"])
    return uploads, kept, reuse


def resume(procedure):
    """What the form starts from: (values, kept files, store choices, unit, saved draft or None).

    After "Sửa lại" on the review page, the reviewed submission; else the account's saved draft, if any."""
    raw = session.get(DRAFT_KEY)
    if request.args.get("sua") and raw and raw.get("procedure_code") == procedure.code:
        files = raw.get("files") or []
        return (raw.get("data") or {}, online_drafts.kept_of(get_session(), applicant(), files, now()),
                _reused(files), raw.get("unit_code", ""), None)
    draft = online_drafts.find(get_session(), applicant(), procedure, now())
    if draft is None:
        return None, [], {}, "", None
    return (draft.data, online_drafts.kept_of(get_session(), applicant(), draft.files, now()), _reused(draft.files),
            draft.unit_code or "", draft)


def _reused(files: list[dict]) -> dict[int, int]:
    return {f["index"]: f["reused_from"] for f in files if f.get("reused_from")}


@bp.post("/<code>/nhap")
@applicant_required
def save_draft(code: str):
    """Lưu nháp: keep the values as typed (unchecked) and the files that pass their checks, to finish later."""
    procedure = _procedure(code)
    form = _application_form(procedure)
    values = form_data_from_request(form, request.form) if form else {}
    uploads, kept, reuse = files_from_request(procedure)
    unit_code = request.form.get("unit", "")
    db = get_session()
    try:
        files, errors = online_drafts.accept_files(db, applicant(), procedure, uploads, kept,
                                                   current_app.config["STORAGE_DIR"], now(),
                                                   int(current_app.config.get("UPLOAD_QUOTA_BYTES", QUOTA_BYTES)))
    except Invalid as err:  # the quota
        db.rollback()
        flash(err.message, "danger")
        return _page(procedure, values, err.fields, unit_code, 422)
    files += [{"index": i, "reused_from": d, "title": "", "filename": "", "sha256": ""} for i, d in reuse.items()
              if i not in {f["index"] for f in files}]
    draft = online_drafts.save(db, applicant(), procedure, unit_code, values, files, now())
    db.commit()
    if errors:
        flash(_("Đã lưu nháp, nhưng có tệp không được giữ; hãy chọn lại tệp đó khi tiếp tục."), "warning")
        return _page(procedure, values, errors, unit_code, 422, kept=[f for f in files if not f.get("reused_from")],
                     reuse_selected=_reused(files), saved=draft)
    flash(_("Đã lưu nháp hồ sơ %(name)s. Bản nháp được giữ đến %(until)s; mở lại từ mục \"Bản nháp\" để nộp tiếp.",
            name=procedure.name, until=local_time(draft.expires_at)),
          "success")
    return redirect(url_for("applicants.my_dossiers"))


@bp.post("/<code>/nhap/xoa")
@applicant_required
def discard_draft(code: str):
    """Bỏ bản nháp: forget the draft and release its files from the account's quota."""
    procedure = _procedure(code)
    if online_drafts.discard(get_session(), applicant(), procedure):
        get_session().commit()
        flash(_("Đã bỏ bản nháp hồ sơ %(name)s.", name=procedure.name), "info")
    return redirect(url_for("applicants.my_dossiers"))
