"""Studio view of a draft's catalogue entry (procedure.yaml) as a form; a broken file is shown to fix."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from bpmn.folder import CATALOGUE_FILE, FolderError
from engine.catalogue import catalogue_form, studio
from engine.ground.errors import Invalid
from webapp.auth import official
from webapp.db import get_session, now
from webapp.studio import bp, draft_view, open_draft


@bp.route("/<code>/catalogue", methods=["GET", "POST"])
@draft_view
def catalogue(code: str):
    """Thông tin thủ tục: name, field, authority, time limit, channels… of the draft, as a form."""
    session = get_session()
    draft = open_draft(code)
    session.commit()
    text = draft.files.get(CATALOGUE_FILE, "")
    if request.method == "POST":
        try:
            if request.form.get("raw") is not None:
                new_text = request.form["raw"]
            else:
                new_text = catalogue_form.apply_form(text, {**request.form.to_dict(),
                                                            "channels": request.form.getlist("channels")})
            studio.save_draft(session, code, {CATALOGUE_FILE: new_text}, official(), now())
            session.commit()
        except Invalid as err:
            session.rollback()
            return _page(code, text, request.form, err.message, err.fields, request.form.get("raw")), 422
        flash(_("Đã lưu thông tin thủ tục vào bản nháp."), "success")
        return redirect(url_for("studio.catalogue", code=code)), 303
    return _page(code, text)


def _page(code: str, text: str, posted=None, message: str | None = None, errors: dict | None = None,
          raw: str | None = None):
    try:
        values = catalogue_form.form_values(text)
    except FolderError as err:  # only this part is blocked: the diagram and forms are edited as before
        return render_template("studio/catalogue.html", code=code, broken=str(err), raw=raw or text,
                               message=message, errors=errors or {}, choices=catalogue_form.CHOICES)
    if posted is not None and raw is None:
        values |= {**posted.to_dict(), "channels": posted.getlist("channels"), "one_stop": "one_stop" in posted}
    return render_template("studio/catalogue.html", code=code, values=values, broken=None, message=message,
                           errors=errors or {}, choices=catalogue_form.CHOICES)
