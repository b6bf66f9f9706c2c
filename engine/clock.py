"""The statutory clock of dossiers and steps, over the working-time calendar of each unit."""
from __future__ import annotations

from datetime import datetime, time
from functools import lru_cache

from engine.calendar import OfficeHours, WorkingCalendar, parse_budget
from engine.models import Dossier, Unit


@lru_cache(maxsize=512)
def _calendar(office_hours: str, cutoff: str) -> WorkingCalendar:
    return WorkingCalendar(OfficeHours.parse(office_hours, cutoff))


def calendar_for(unit: Unit) -> WorkingCalendar:
    """The working calendar of a unit (its office hours; Vietnam's holidays)."""
    return _calendar(unit.office_hours, unit.same_day_cutoff)


def _cutoff(catalogue: dict) -> time | None:
    text = catalogue.get("same_day_cutoff")
    if not text:
        return None
    hours, minutes = str(text).split(":")
    return time(int(hours), int(minutes))


def statutory_due(unit: Unit, catalogue: dict, received_at: datetime) -> datetime:
    """Ngày hẹn trả: the due time of a dossier received at `received_at`, by the procedure's time limit."""
    limit = catalogue["time_limit"]
    return calendar_for(unit).due_at(received_at, limit["value"], limit["unit"], _cutoff(catalogue))


def step_due(unit: Unit, ready_at: datetime, budget: str | None) -> datetime | None:
    """The due time of a step that became ready at `ready_at`, by its working-time budget."""
    if not budget:
        return None
    cal = calendar_for(unit)
    return cal.add_working_minutes(cal.next_working_start(ready_at), parse_budget(budget))


def pause(dossier: Dossier, now: datetime) -> None:
    """Stop the clock while the applicant supplements."""
    dossier.paused_at = now


def resume(dossier: Dossier, catalogue: dict, now: datetime) -> None:
    """Restart the clock on a complete supplement: pause adds the waiting time, restart counts anew."""
    if dossier.paused_at is None or dossier.due_at is None:
        return
    cal = calendar_for(dossier.unit)
    if catalogue.get("supplement_clock", "pause") == "restart":
        dossier.due_at = statutory_due(dossier.unit, catalogue, now)
    else:
        waited = max(0, cal.working_minutes_between(dossier.paused_at, now))
        dossier.due_at = cal.add_working_minutes(dossier.due_at, waited)
    dossier.paused_at = None
