"""Danh mục thủ tục: the catalogue with its fields, a procedure's details, zip import and export."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.catalogue import admin
from engine.ground.errors import Invalid
from engine.org.tree import is_global_admin
from webapp.admin import admin_view, bp, form_failed
from webapp.auth import official
from webapp.db import get_session, now


@bp.get("/procedures")
@admin_view
def procedures():
    """Danh mục TTHC: code, name, field, authority, time limit, fees, documents, channels, units offering it."""
    rows = admin.catalogue_rows(get_session(), request.args.get("q", ""))
    return render_template("admin/procedures.html", rows=rows, q=request.args.get("q", ""),
                           can_import=is_global_admin(official()))


@bp.get("/procedures/<code>")
@admin_view
def procedure(code: str):
    """One procedure's catalogue entry in full."""
    rows = [row for row in admin.catalogue_rows(get_session(), code) if row.procedure.code == code]
    if not rows:
        abort(404)
    return render_template("admin/procedure.html", row=rows[0], catalogue=rows[0].procedure.catalogue or {})


@bp.get("/procedures/<code>/export")
@admin_view
def procedure_export(code: str):
    """Xuất thủ tục: the current version's folder as a zip (the format of procedures/)."""
    filename, data = admin.export_zip(get_session(), code)
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/procedures/import", methods=["GET", "POST"])
@admin_view
def procedure_import():
    """Nhập thủ tục: upload a zipped procedure folder; it is checked, then published as a version."""
    if not is_global_admin(official()):
        abort(403)
    if request.method == "GET":
        return render_template("admin/procedure_import.html", errors={}, note="")
    session, upload = get_session(), request.files.get("file")
    note = request.form.get("note", "").strip()
    try:
        if upload is None or not upload.filename:
            raise Invalid(_("Hãy chọn tệp .zip của thư mục thủ tục"), {"file": _("Chưa chọn tệp.")})
        version, created = admin.import_zip(session, official(), upload.read(), now(), note or None)
        session.commit()
    except Invalid as err:
        return form_failed(err, "admin/procedure_import.html", note=note)
    code = version.procedure.code
    if created:
        flash(_("Đã công bố thủ tục %(code)s, phiên bản %(number)s.", code=code, number=version.number), "success")
    else:
        flash(_("Nội dung không đổi: thủ tục %(code)s giữ phiên bản %(number)s.", code=code, number=version.number),
              "info")
    return redirect(url_for("admin.procedure", code=code))
