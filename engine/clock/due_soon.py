"""Sắp đến hạn: the one definition of "due soon", from each unit's warning lead (`warn_before`, default P1D).

A due time is soon when no more than the unit's lead of working time separates it from now. The worklist,
the due warnings and supervision all ask here.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

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


def due_soon_limits(session: Session, unit_ids: set[int] | frozenset[int],
                    now: datetime) -> tuple[tuple[frozenset[int], datetime], ...]:
    """`due_soon_limit` for many units at once, grouped: (the units, their limit) per calendar and lead,
    so that a query can say "due before the limit of its unit" in one clause per group."""
    units = list(session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))) if unit_ids else []
    return due_soon_limits_of(units, now)


def due_soon_limits_of(units, now: datetime) -> tuple[tuple[frozenset[int], datetime], ...]:
    """`due_soon_limits` of units already loaded (a user's grants bring theirs): no statement."""
    limits: dict[datetime, set[int]] = {}
    known: dict[tuple[int, int], datetime] = {}
    for unit in units:
        cal, lead = calendar_for(unit), warn_before_minutes(unit)
        key = (id(cal), lead)  # calendars are shared by every unit with the same hours and days
        if key not in known:
            known[key] = cal.add_working_minutes(cal.next_working_start(now), lead)
        limits.setdefault(known[key], set()).add(unit.id)
    return tuple((frozenset(ids), until) for until, ids in limits.items())
