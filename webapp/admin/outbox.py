"""Thư đi lỗi: outbound messages (notifications, national systems) that failed, for admins to see and retry."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from engine.ground import events
from engine.ground.errors import Conflict
from engine.messaging import outbox
from engine.models import Dossier, OutboxMessage
from engine.org.tree import admin_scope, within
from webapp.admin import admin_view, bp
from webapp.auth import official
from webapp.db import get_session, now


@bp.get("/outbox")
@admin_view
def outbox_page():
    """Dead messages and those retrying after a failure, with their last error and a retry button; below them
    the messages still waiting for their first attempt (pending, e.g. while no mail server is configured)."""
    session = get_session()
    scope = admin_scope(session, official())
    messages = outbox.troubled(session, scope)
    queued = outbox.waiting(session, scope)
    ids = {m.dossier_id for m in messages + queued if m.dossier_id}
    codes = {row.id: row.code for row in session.execute(select(Dossier.id, Dossier.code).where(Dossier.id.in_(ids)))}
    return render_template("admin/outbox.html", messages=messages, queued=queued, codes=codes,
                           max_attempts=outbox.MAX_ATTEMPTS)


@bp.post("/outbox/<int:message_id>/retry")
@admin_view
def outbox_retry(message_id: int):
    """Gửi lại: put the message back in the queue; the scheduler sends it on its next run."""
    session = get_session()
    message = session.get(OutboxMessage, message_id)
    dossier = session.get(Dossier, message.dossier_id) if message and message.dossier_id else None
    if message is None or not within(admin_scope(session, official()), dossier.unit_id if dossier else None):
        abort(404, _("Không có thư đi này trong phạm vi quản trị của bạn."))  # like an unknown number
    try:
        outbox.retry(session, message_id, now())
    except Conflict as err:
        session.rollback()
        flash(err.message, "warning")
        return redirect(url_for("admin.outbox_page")), 303
    events.record(session, "outbox.retried", now(), dossier=dossier, user=official(),
                  message_id=message.id, message_kind=message.kind)
    session.commit()
    flash(_("Đã đưa thư đi số %(id)s vào hàng đợi gửi lại.", id=message_id), "success")
    return redirect(url_for("admin.outbox_page")), 303
