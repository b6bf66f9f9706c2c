"""Giờ làm việc của đơn vị: a unit's office hours, same-day cut-off and due-warning lead, kept by its admins."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.calendar.hours import OfficeHours, parse_budget
from engine.ground import events
from engine.ground.errors import Forbidden, Invalid
from engine.models import Unit, User
from engine.org.tree import may_administer


def set_office_hours(session: Session, unit: Unit, text: str, cutoff: str, user: User | None, now: datetime,
                     warn_before: str | None = None) -> Unit:
    """Set a unit's office hours (`07:30-11:30,13:00-17:00`), same-day cut-off (`15:00`) and,
    optionally, how long before a due time officials are warned (`P1D`, working time)."""
    if not may_administer(user, unit):
        raise Forbidden(f"Chỉ quản trị viên mới được sửa lịch làm việc của {unit.name}")
    try:
        hours = OfficeHours.parse(text, cutoff)
    except ValueError as err:
        raise Invalid(str(err), {"office_hours": str(err)}) from err
    settings = dict(unit.settings or {})
    if warn_before is not None:
        try:
            parse_budget(warn_before, hours.minutes_per_day)
        except ValueError as err:
            raise Invalid(str(err), {"warn_before": str(err)}) from err
        settings["warn_before"] = warn_before.strip().upper()
    unit.office_hours, unit.same_day_cutoff, unit.settings = str(hours), f"{hours.cutoff:%H:%M}", settings
    session.flush()
    events.record(session, "unit.office_hours_set", now, user=user, unit_id=unit.id, office_hours=unit.office_hours,
                  cutoff=unit.same_day_cutoff, warn_before=settings.get("warn_before"))
    return unit
