"""Lịch làm việc: the year's calendar for admins, with which days are announced and which expected.

Announced days come from the shipped legal calendar with their document; a day the `holidays`
package gives that nobody confirmed is "dự kiến" (expected), with a warning, until an admin confirms
it (declares it a day off) or corrects it (declares it a working day).
"""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from engine.calendar.working import TZ, WorkingCalendar
from engine.clock import calendar_days as calendar_admin
from engine.clock.announced import EXPECTED_RULES, expected_warning, load
from engine.clock.statutory import expected_rule
from engine.dossier.calendar_change import declare_day
from engine.dossier.codes import FORMATS, code_format, set_code_format
from engine.dossier.lifecycle import can_view, get_dossier
from engine.ground.errors import DomainError, Forbidden
from engine.org.tree import may_administer, unit_in_scope
from webapp.admin import admin_view, bp
from webapp.auth import official
from webapp.db import get_session, now


def _year() -> int:
    year = request.values.get("year", type=int) or now().astimezone(TZ).year
    return year if 2000 <= year <= 2100 else now().astimezone(TZ).year


def _back(year: int, unit_code: str | None):
    return redirect(url_for("admin.calendar_page", year=year, unit=unit_code or None)), 303


def _unit(code: str):
    """The unit an admin names, the same 403 whether it is unknown or outside their scope."""
    return unit_in_scope(get_session(), code, lambda unit: may_administer(official(), unit))


@bp.get("/calendar")
@admin_view
def calendar_page():
    """The year's days off and swaps, each with where it comes from; the expected days flagged."""
    return _render(_year(), request.args.get("unit") or None)


def _render(year: int, unit_code: str | None, status: int = 200, typed=None, unit_error: str = ""):
    """The calendar page; `typed` (the add form as posted) and `unit_error` after a unit code that is not
    the admin's."""
    session = get_session()
    unit = _unit(unit_code) if unit_code else None
    entries = calendar_admin.year_listing(session, year, unit)
    warning = expected_warning(session, now().astimezone(TZ).date())
    return render_template(
        "admin/calendar.html", year=year, unit=unit, entries=entries, warning=warning,
        announced_years=sorted(load().years), rules=EXPECTED_RULES, formats=FORMATS,
        rule=expected_rule(unit), code_format=code_format(unit) if unit else None,
        year_expected=[e for e in entries if e.expected], typed=typed or {}, unit_error=unit_error), status


@bp.post("/calendar/confirm")
@admin_view
def calendar_confirm():
    """Xác nhận: an expected day becomes an admin's day everywhere, as the package has it."""
    session, year = get_session(), _year()
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        flash(_("Ngày không hợp lệ."), "danger")
        return _render(year, request.form.get("unit") or None, 422)
    plain = WorkingCalendar()
    kind = "working" if plain.is_working_day(day) else "off"
    name = plain.holiday_name(day) or _("Ngày làm bù")
    return _change(lambda: calendar_admin.add_day(session, day, kind, official(), now(),
                                                  _("Xác nhận: %(name)s", name=name)),
                   _("Đã xác nhận ngày %(day)s.", day=day.strftime("%d/%m/%Y")), year, request.form.get("unit"))


@bp.post("/calendar/days")
@admin_view
def calendar_add():
    """Khai báo: a day off or a make-up working day, everywhere or for a unit (also: correct an expected day).

    The open dossiers whose issued appointment spans the day are named: they keep it (form 04 moves one)."""
    session, year = get_session(), _year()
    unit_code = (request.form.get("unit") or "").strip() or None
    try:
        unit = _unit(unit_code) if unit_code else None
    except Forbidden as err:  # unknown or not the admin's (one answer): said by its field, what was typed kept
        return _render(year, None, 403, typed=request.form, unit_error=err.message)

    def add() -> None:
        extend = request.form.get("issued") == "extend"
        change = declare_day(session, request.form.get("day", ""), request.form.get("kind", ""), official(), now(),
                             request.form.get("note"), unit, apply_to_issued=extend)
        spanning = change.spanning
        if extend and change.row.kind == "off":
            _flash_extensions(change)
        elif spanning:
            codes = ", ".join(d.code for d in spanning[:10]) + (", …" if len(spanning) > 10 else "")
            flash(_("%(n)s hồ sơ đang giải quyết có hạn đã hẹn đi qua ngày này (%(codes)s): hạn đã hẹn trên giấy "
                    "tiếp nhận không đổi; muốn đổi hạn của hồ sơ nào thì lãnh đạo gia hạn (mẫu 04).",
                    n=len(spanning), codes=codes), "warning")

    return _change(add, _("Đã lưu ngày vào lịch."), year, unit_code)


def _flash_extensions(change) -> None:
    """Name the dossiers extended with form 04 (with a link to print it) and those the rules kept."""
    if change.extended:
        session, reader = get_session(), official()

        def named(code: str) -> Markup:  # a link to form 04 where the admin may read the dossier
            if can_view(reader, get_dossier(session, code), session):
                return Markup('<a href="{}">{}</a>').format(url_for("printing.dossier_form", code=code, name="04"), code)
            return escape(code)

        links = Markup(", ").join(Markup("{} (hẹn mới {})").format(named(code), f"{due.astimezone(TZ):%H:%M %d/%m/%Y}")
                                  for code, due in change.extended)
        flash(escape(_("Đã gia hạn %(n)s hồ sơ, mỗi hồ sơ có Phiếu xin lỗi và hẹn lại (mẫu 04), đã gửi cho người "
                       "nộp; Bộ phận Một cửa in phiếu từ trang hồ sơ:", n=len(change.extended)))
              + Markup(" ") + links + Markup("."), "success")
    for code, why in change.kept:
        flash(_("Hồ sơ %(code)s giữ ngày hẹn cũ: %(why)s", code=code, why=why), "warning")
    if not change.extended and not change.kept:
        flash(_("Không có hồ sơ đã hẹn trả nào có hạn đi qua ngày này."), "info")


@bp.post("/calendar/days/remove")
@admin_view
def calendar_remove():
    """Bỏ: take back an admin's day (an announced day cannot be removed, only corrected)."""
    session, year = get_session(), _year()
    unit_code = request.form.get("unit") or None
    return _change(lambda: calendar_admin.remove_day(
        session, request.form.get("day", ""), official(), now(), _unit(unit_code) if unit_code else None),
        _("Đã bỏ ngày khỏi lịch."), year, unit_code)


@bp.post("/calendar/settings")
@admin_view
def calendar_settings():
    """A unit's rule for expected days and its dossier code format."""
    session, year = get_session(), _year()
    unit_code = request.form.get("unit") or ""
    def save() -> None:
        unit = _unit(unit_code)
        if request.form.get("expected_days"):
            calendar_admin.set_expected_rule(session, unit, request.form["expected_days"], official(), now())
        if request.form.get("code_format"):
            set_code_format(session, unit, request.form["code_format"], official(), now())

    return _change(save, _("Đã lưu cài đặt của đơn vị."), year, unit_code)


def _change(action, done: str, year: int, unit_code: str | None):
    """Run one admin change: commit, flash `done` and go back; a refusal re-shows the page (422)."""
    session = get_session()
    try:
        action()
    except DomainError as err:
        session.rollback()
        if err.code in ("forbidden", "not_found"):
            raise
        flash(err.message, "danger")
        return _render(year, unit_code, 422)
    session.commit()
    flash(done, "success")
    return _back(year, unit_code)
