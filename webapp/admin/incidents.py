"""Sự cố quy trình: dossiers whose process stopped on an error, for admins to retry or migrate."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.ground.errors import StepFailed
from engine.operations import incidents
from webapp.admin import admin_view, bp
from webapp.auth import official
from webapp.db import get_session, now

KIND_LABELS = {  # bpmn.run_errors.KINDS, translated
    "no_flow": _l("Cổng rẽ nhánh không có luồng phù hợp"),
    "expression": _l("Lỗi điều kiện"),
    "script": _l("Lỗi kịch bản"),
    "budget": _l("Vượt giới hạn chạy"),
    "other": _l("Lỗi thực thi"),
}


@bp.get("/incidents")
@admin_view
def incidents_page():
    """Open incidents in the admin's units: the dossier, the step, the error in Vietnamese, retry, migrate."""
    session = get_session()
    rows = incidents.open_incidents(session, official())
    newer = {row.id: incidents.newer_version(session, row) for row in rows}
    return render_template("admin/incidents.html", incidents=rows, newer=newer, kind_labels=KIND_LABELS)


@bp.post("/incidents/<int:incident_id>/retry")
@admin_view
def incident_retry(incident_id: int):
    """Thử lại: run the failed step or timers again; a new failure is recorded and shown."""
    from webapp.results import issuer

    session = get_session()
    incident = incidents.get_incident(session, official(), incident_id)
    try:
        outcome = incidents.retry(session, official(), incident, now(), issue=issuer())
        session.commit()
    except StepFailed as err:
        session.rollback()
        incidents.record(session, err, now())
        session.commit()
        flash(_("Vẫn chưa chạy được: %(message)s", message=err.message), "danger")
        return redirect(url_for("admin.incidents_page")), 303
    if outcome == "gone":
        flash(_("Không còn gì để chạy lại: bước đã được xử lý hoặc hồ sơ đã kết thúc; sự cố được đóng."), "info")
    else:
        flash(_("Đã chạy lại; quy trình của hồ sơ đã chạy tiếp."), "success")
    return redirect(url_for("admin.incidents_page")), 303
