"""BPMN timers of dossiers: the engine's clock for them, and the `timer` rows the scheduler reads."""
from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from bpmn.process import ParsedProcess
from bpmn.timers import TimerClock, attach_clock, fired_here, pending_timers
from engine.calendar.working import TZ
from engine.clock import statutory
from engine.ground import events
from engine.models import Dossier, Timer

_RAN = (TaskState.READY, TaskState.STARTED, TaskState.COMPLETED)


class WorkingTimerClock(TimerClock):
    """The engine's time for a dossier's timers: `now` as given, working time by the unit's calendar."""

    zone = TZ

    def __init__(self, dossier: Dossier, now: datetime) -> None:
        """A clock standing at `now`, counting working time in the calendar of the dossier's unit."""
        self._dossier, self._now = dossier, now

    def now(self) -> datetime:
        """The injected current time."""
        return self._now

    def after(self, start: datetime, duration: str, working_time: bool) -> datetime:
        """The end of `duration` from `start`: in working time (the step-budget rule) when asked."""
        if not working_time:
            return super().after(start, duration, False)
        return statutory.step_due(self._dossier.unit, start, duration)

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a working day of the unit's calendar (a cron timer counting working time)."""
        return statutory.calendar_for(self._dossier.unit).is_working_day(day)


def attach(workflow, dossier: Dossier, now: datetime) -> None:
    """Make the workflow's timers see `now` and the dossier's unit calendar."""
    attach_clock(workflow, WorkingTimerClock(dossier, now))


def sync_timers(session: Session, dossier: Dossier, process: ParsedProcess, workflow,
                now: datetime) -> list[Timer]:
    """Make the timer rows match the workflow's waiting timers; returns the rows that fired.

    A timer no longer waiting has fired if its event ran, else it was cancelled (its activity
    finished first). A repeating timer stays pending with its next time.
    """
    if not process.has_timers:
        return []
    waiting = {str(p.task_id): p for p in pending_timers(workflow)}
    rows = session.scalars(select(Timer).where(Timer.dossier_id == dossier.id, Timer.state == "pending")).all()
    fired = []
    for row in rows:
        still = waiting.pop(row.task_uuid, None)
        if still is not None:
            if still.fire_at != row.fire_at and row.fire_at <= now:
                row.fired_at = now
                fired.append(row)
            row.fire_at = still.fire_at
        elif _ran(workflow, row.task_uuid, row.element_id):
            row.state, row.fired_at = "fired", now
            fired.append(row)
        else:
            row.state = "cancelled"
    session.add_all(Timer(dossier_id=dossier.id, task_uuid=str(p.task_id), element_id=p.element_id,
                          fire_at=p.fire_at, state="pending", created_at=now) for p in waiting.values())
    for row in fired:
        events.record(session, "timer.fired", now, dossier=dossier, element=row.element_id)
    return fired


def _ran(workflow, task_uuid: str, element_id: str) -> bool:
    try:
        task = workflow.get_task_from_id(UUID(task_uuid))
    except TaskNotFoundException:
        return False
    return task is not None and task.state in _RAN and fired_here(task, element_id)
