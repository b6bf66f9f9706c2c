"""What every HTML page shares: CSRF protection, language, date formats, error pages."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, request, send_from_directory, session
from flask_babel import Babel, get_locale
from flask_babel import lazy_pgettext as pgettext  # lazy; named so pybabel's default keywords extract it
from flask_wtf.csrf import CSRFProtect

from engine.calendar.working import TZ
from forms.render import render_form

csrf = CSRFProtect()
# History entries; the "event" context keeps their English apart from the same words on buttons and menus.
EVENT_LABELS = {
    "dossier.created": pgettext("event", "Tạo hồ sơ"), "dossier.received": pgettext("event", "Tiếp nhận hồ sơ"),
    "dossier.supplement_requested": pgettext("event", "Yêu cầu bổ sung hồ sơ"),
    "dossier.supplement_received": pgettext("event", "Nhận hồ sơ bổ sung"),
    "dossier.refused": pgettext("event", "Từ chối"), "dossier.done": pgettext("event", "Có kết quả giải quyết"),
    "dossier.sent_back": pgettext("event", "Trả lại để thẩm định lại"), "dossier.returned": pgettext("event", "Trả kết quả"),
    "task.completed": pgettext("event", "Hoàn thành bước"), "task.claimed": pgettext("event", "Nhận xử lý"),
    "task.unclaimed": pgettext("event", "Trả lại công việc"), "task.reassigned": pgettext("event", "Giao việc"),
    "document.attached": pgettext("event", "Đính kèm tệp"),
    "dossier.payment_requested": pgettext("event", "Yêu cầu nộp phí"), "dossier.paid": pgettext("event", "Đã nộp phí"),
    "message.received": pgettext("event", "Nhận thông điệp"), "timer.fired": pgettext("event", "Đến giờ hẹn"),
}
LANGUAGES = ("vi", "en")


def select_locale() -> str:
    """Vietnamese unless the user chose English (?lang=en, kept in the session)."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
    return session.get("lang", "vi")


def local_time(moment: datetime | None, fmt: str = "%H:%M %d/%m/%Y") -> str:
    """A moment as Vietnamese documents write it, in Vietnam's time zone."""
    return moment.astimezone(TZ).strftime(fmt) if moment else ""


def init_app(app: Flask) -> None:
    """Wire CSRF, Babel and the filters (error pages: webapp.errors)."""
    csrf.init_app(app)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters["vn"] = local_time
    app.jinja_env.globals["event_label"] = lambda kind: EVENT_LABELS.get(kind, kind)
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "vi")
    app.jinja_env.globals["render_readonly"] = lambda form, values: render_form(form, values, readonly=True)
    app.jinja_env.filters["vnd"] = lambda amount: f"{int(amount or 0):,}".replace(",", ".") + " đ"

    @app.get("/favicon.ico")
    def favicon():
        return send_from_directory(app.static_folder, "favicon.svg", mimetype="image/svg+xml")
