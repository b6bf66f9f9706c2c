"""Sắp đến hạn: the one definition of "due soon", from each unit's warning lead (`warn_before`, default P1D).

A due time is soon when no more than the unit's lead of working time separates it from now. The worklist,
the due warnings and supervision all ask here.
"""
from __future__ import annotations

from datetime import datetime

from engine.calendar.hours import parse_budget
from engine.clock.statutory import calendar_for
from engine.models import Unit

DEFAULT_WARN_BEFORE = "P1D"


def warn_before_minutes(unit: Unit) -> int:
    """How many working minutes before a due time the unit's officials are warned (default 1 day)."""
    hours = calendar_for(unit).hours
    return parse_budget((unit.settings or {}).get("warn_before") or DEFAULT_WARN_BEFORE, hours.minutes_per_day)


def due_soon_limit(unit: Unit, now: datetime) -> datetime:
    """The latest due time that counts as soon now: the unit's lead of working time from now."""
    cal = calendar_for(unit)
    return cal.add_working_minutes(cal.next_working_start(now), warn_before_minutes(unit))


def is_due_soon(unit: Unit, due: datetime, now: datetime) -> bool:
    """Whether a due time not yet passed is within the unit's warning lead."""
    return now < due and calendar_for(unit).working_minutes_between(now, due) <= warn_before_minutes(unit)
