"""`motcua calendar …`: the admins' working calendar from the command line."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from engine.ground.errors import DomainError


def _session():
    return current_app.extensions["motcua"]["sessions"]()


def _unit(session, code: str | None):
    from engine.org.accounts import get_unit

    return get_unit(session, code) if code else None


@click.group("calendar")
def calendar() -> None:
    """Lịch làm việc: ngày nghỉ, ngày làm bù, giờ làm việc."""


@calendar.command("add-day")
@click.argument("day")
@click.option("--kind", type=click.Choice(["off", "working"]), default="off", show_default=True,
              help="off: ngày nghỉ; working: ngày làm việc (làm bù)")
@click.option("--note", default=None, help="Ghi chú, ví dụ: Nghỉ bù Quốc khánh")
@click.option("--unit", "unit_code", default=None, help="Mã đơn vị (bỏ trống: áp dụng mọi nơi)")
@with_appcontext
def add_day(day: str, kind: str, note: str | None, unit_code: str | None) -> None:
    """Declare DAY (YYYY-MM-DD) a day off or a make-up working day."""
    from engine.clock.calendar_days import add_day as add

    with _session() as session:
        try:
            row = add(session, day, kind, None, current_app.config["NOW"](), note, _unit(session, unit_code))
        except DomainError as err:
            raise click.ClickException(err.message) from err
        session.commit()
        where = unit_code or "mọi nơi"
        click.echo(f"{row.day:%d/%m/%Y}: {'ngày làm việc' if kind == 'working' else 'ngày nghỉ'} ({where})")


@calendar.command("remove-day")
@click.argument("day")
@click.option("--unit", "unit_code", default=None, help="Mã đơn vị (bỏ trống: ngày áp dụng mọi nơi)")
@with_appcontext
def remove_day(day: str, unit_code: str | None) -> None:
    """Take back an admin's DAY."""
    from engine.clock.calendar_days import remove_day as remove

    with _session() as session:
        try:
            remove(session, day, None, current_app.config["NOW"](), _unit(session, unit_code))
        except DomainError as err:
            raise click.ClickException(err.message) from err
        session.commit()
    click.echo(f"Đã bỏ ngày {day}")


@calendar.command("list")
@click.option("--year", type=int, default=None, help="Năm (mặc định: năm nay)")
@click.option("--unit", "unit_code", default=None, help="Mã đơn vị: thêm các ngày riêng của đơn vị")
@with_appcontext
def list_days(year: int | None, unit_code: str | None) -> None:
    """List a year's holidays, swaps and the admins' days."""
    from engine.calendar.working import TZ
    from engine.clock.calendar_days import year_listing

    year = year or current_app.config["NOW"]().astimezone(TZ).year
    with _session() as session:
        try:
            entries = year_listing(session, year, _unit(session, unit_code))
        except DomainError as err:
            raise click.ClickException(err.message) from err
    for e in entries:
        kind = "làm việc" if e.working else "nghỉ"
        if e.source == "admin":
            source = "quản trị" + (f" {e.unit}" if e.unit else "")
        elif e.source == "announced":
            source = f"đã công bố: {e.document}"
        else:
            source = "dự kiến" if e.expected else "theo luật, trùng ngày nghỉ hằng tuần"
        click.echo(f"{e.day:%Y-%m-%d} {e.day:%a}  {kind:<8}  {e.name}  [{source}]")
    if any(e.expected for e in entries):
        click.echo("Cảnh báo: có ngày dự kiến chưa được văn bản nào xác nhận; quản trị viên cần xác nhận hoặc sửa.",
                   err=True)


@calendar.command("sync")
@with_appcontext
def sync() -> None:
    """Load the shipped legal calendar (engine/data/calendar_vn.toml) into the calendar table."""
    from engine.clock.announced import DATA_FILE, load
    from engine.clock.announced import sync as sync_days
    from engine.ground import events

    now = current_app.config["NOW"]()
    with _session() as session:
        try:
            report = sync_days(session, now, load(DATA_FILE))
        except ValueError as err:
            raise click.ClickException(str(err)) from err
        events.record(session, "calendar.synced", now, added=len(report.added), changed=len(report.changed),
                      removed=len(report.removed), kept_admin=[d.isoformat() for d in report.kept_admin])
        session.commit()
    click.echo(f"Lịch đã công bố: thêm {len(report.added)}, sửa {len(report.changed)}, bỏ {len(report.removed)} ngày")
    for day in report.kept_admin:
        click.echo(f"{day:%d/%m/%Y}: giữ ngày do quản trị viên khai báo (khác hoặc trùng văn bản công bố)")


@calendar.command("due")
@click.option("--unit", "unit_code", required=True, help="Mã đơn vị, ví dụ H26.70")
@click.option("--from", "received", required=True, help="Thời điểm tiếp nhận, ví dụ 2025-12-31T10:00 (giờ Việt Nam)")
@click.option("--limit", required=True, help="Thời hạn giải quyết theo thời gian làm việc: P1D, PT4H, P0D (trong ngày)")
@with_appcontext
def due(unit_code: str, received: str, limit: str) -> None:
    """Print the due time the engine would give (ISO 8601, +07:00), without creating a dossier."""
    from engine.clock.calendar_days import ask_due

    with _session() as session:
        try:
            answer = ask_due(session, _unit(session, unit_code), received, limit)
        except DomainError as err:
            raise click.ClickException(err.message) from err
    click.echo(answer.due_at.isoformat())
    if answer.clock_start != answer.received_at:
        click.echo(f"Bắt đầu tính: {answer.clock_start.isoformat()}", err=True)
    if answer.expected:
        days = ", ".join(f"{d:%d/%m/%Y}" for d in answer.expected)
        click.echo(f"Cảnh báo: kết quả phụ thuộc ngày dự kiến chưa xác nhận: {days}", err=True)


@calendar.command("hours")
@click.argument("unit_code")
@click.argument("office_hours")
@click.option("--cutoff", default="15:00", show_default=True, help="Giờ chốt nhận hồ sơ trong ngày")
@click.option("--warn-before", default=None, help="Cảnh báo trước hạn (thời gian làm việc, ví dụ P1D, PT4H)")
@with_appcontext
def hours(unit_code: str, office_hours: str, cutoff: str, warn_before: str | None) -> None:
    """Set a unit's OFFICE_HOURS, e.g. 07:30-11:30,13:00-17:00."""
    from engine.org.office_hours import set_office_hours

    with _session() as session:
        try:
            unit = set_office_hours(session, _unit(session, unit_code), office_hours, cutoff, None,
                                    current_app.config["NOW"](), warn_before)
        except DomainError as err:
            raise click.ClickException(f"{err.message}") from err
        session.commit()
        click.echo(f"{unit.code}: {unit.office_hours}, chốt nhận {unit.same_day_cutoff}")
