"""Nhật ký: search the event log by user, dossier, unit (and below) and period; export it to xlsx."""
from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.ground.errors import Invalid
from engine.operations.audit import AuditPage, AuditQuery, audit_xlsx, export_events, search_events
from webapp import labels as label_table
from webapp.admin import admin_view, bp
from webapp.auth import official
from webapp.db import get_session, now

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def label(kind: str) -> str:
    """The Vietnamese name of an event kind."""
    return label_table.label("event", kind)


@bp.get("/audit")
@admin_view
def audit():
    """Nhật ký hệ thống: matching events, newest first, 50 a page."""
    try:
        query = AuditQuery.parse(request.args)
        result = search_events(get_session(), official(), query)
    except Invalid as err:
        query, result = AuditQuery(), AuditPage([], 0, 1, 1)
        if request.headers.get("HX-Request"):  # the table's place says what was wrong (motcua.js swaps a 422)
            return render_template("admin/_audit_table.html", query=query, result=result, label=label,
                                   errors=err.fields, args=request.args, filter_labels=filter_labels()), 422
        return render_template("admin/audit.html", query=query, result=result, label=label,
                               errors=err.fields, args=request.args, filter_labels=filter_labels(),
                               kinds=KIND_GROUPS), 422
    template = "admin/_audit_table.html" if request.headers.get("HX-Request") else "admin/audit.html"
    return render_template(template, query=query, result=result, label=label, errors={}, args=request.args,
                           kinds=KIND_GROUPS)


KIND_GROUPS = {  # what the "Loại sự kiện" box offers: a prefix per area, then any exact kind may be typed
    "auth.": _l("Đăng nhập, mật khẩu"), "user.": _l("Tài khoản người dùng"), "role.": _l("Vai trò"),
    "unit.": _l("Đơn vị"), "procedure.": _l("Thủ tục, quy trình"), "studio.": _l("Xưởng quy trình"),
    "calendar.": _l("Lịch làm việc"), "dossier.": _l("Hồ sơ"), "group.": _l("Hồ sơ liên thông"),
    "applicant.": _l("Công dân"), "integration.": _l("Kết nối hệ thống khác"),
}


def filter_labels() -> dict:
    """The audit filters' labels, as the form shows them, for a refusal said in the table's place."""
    return {"user": _("Người thực hiện"), "dossier": _("Mã hồ sơ"), "unit": _("Mã đơn vị (gồm đơn vị trực thuộc)"),
            "kind": _("Loại sự kiện (tiền tố)"), "date_from": _("Từ ngày"), "date_to": _("Đến ngày")}


@bp.get("/audit.xlsx")
@admin_view
def audit_export():
    """Xuất nhật ký: the filtered events (all pages) as an xlsx workbook."""
    try:
        query = AuditQuery.parse(request.args)
        rows = export_events(get_session(), official(), query)
    except Invalid as err:
        return Response(err.message, status=422, mimetype="text/plain")
    labels = {row.event.kind: label(row.event.kind) for row in rows}
    filename = f"nhat-ky-{now():%Y%m%d-%H%M}.xlsx"
    return Response(audit_xlsx(rows, labels), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
