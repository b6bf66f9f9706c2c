"""BPMN timer events on an injected clock.

SpiffWorkflow 3.2's timer definitions read `datetime.now()` themselves. Ours ask the clock attached
to the running workflow (`attach_clock`) for the current time and for the end of a duration, so the
engine decides what "now" is (tests inject it; the scheduler passes its own) and whether a duration
counts working time (`camunda:property name="working_time" value="true"` on the event).
A workflow without a clock uses the wall clock and calendar durations.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.event_definition import TimerConditionalEventDefinitionConverter
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.util.task import TaskState

from bpmn.cron import looks_like_cron, next_fire

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
WORKING_TIME_PROPERTY = "working_time"
_ATTRIBUTE = "motcua_timer_clock"


class TimerClock:
    """The wall clock with calendar durations: what timers use when the engine attached none."""

    zone: tzinfo = datetime.now().astimezone().tzinfo or UTC

    def now(self) -> datetime:
        """The current time (aware)."""
        return datetime.now(UTC)

    def after(self, start: datetime, duration: str, working_time: bool) -> datetime:
        """The end of an ISO 8601 `duration` from `start`; this clock ignores `working_time`."""
        parsed = TimerEventDefinition.parse_iso_duration(duration)
        return start + TimerEventDefinition.get_timedelta_from_start(parsed, start)

    def is_working_day(self, day: date) -> bool:
        """Whether a cron timer counting working time may fire on `day`; this clock has no calendar."""
        return True


_WALL_CLOCK = TimerClock()


def attach_clock(workflow, clock: TimerClock) -> None:
    """Make every timer of `workflow` (and of its subprocesses) read time from `clock`."""
    setattr(workflow, _ATTRIBUTE, clock)


def clock_of(task) -> TimerClock:
    """The clock attached to the task's top workflow, else the wall clock."""
    return getattr(task.workflow.top_workflow, _ATTRIBUTE, None) or _WALL_CLOCK


def _aware(value: str, zone: tzinfo) -> datetime:
    moment = datetime.fromisoformat(str(value).strip())
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


class _InjectedTimer:
    """What our timer definitions share: the working-time flag and expression evaluation."""

    def __init__(self, name, expression, working_time: bool = False, **kwargs) -> None:
        super().__init__(name, expression, **kwargs)
        self.working_time = working_time

    def _value(self, my_task) -> str:
        return str(my_task.workflow.script_engine.evaluate(my_task, self.expression)).strip()

    def _keys(self, my_task) -> tuple[str, str]:
        """The task's internal-data keys for this timer's due time and whether it fired.

        A timer after an event-based gateway lives on the gateway's task beside the other events'
        timers: each keeps its own keys (by the catching event's id) so one firing is not all firing."""
        if getattr(my_task.task_spec, "event_definition", None) is self:
            return "event_value", "event_fired"
        return f"event_value.{self.name}", f"event_fired.{self.name}"

    def _when(self, my_task):
        return my_task._get_internal_data(self._keys(my_task)[0])

    def _remember(self, my_task, when: str) -> None:
        my_task._set_internal_data(**{self._keys(my_task)[0]: when})

    def _fire_if_due(self, my_task, when: str, clock: TimerClock) -> bool:
        fired_key = self._keys(my_task)[1]
        if datetime.fromisoformat(when) <= clock.now():
            my_task._set_internal_data(**{fired_key: True})
        return my_task._get_internal_data(fired_key, False)


class DateTimer(_InjectedTimer, TimeDateEventDefinition):
    """A timer at a date and time (`timeDate`); a time without zone is the clock's zone."""

    def has_fired(self, my_task) -> bool:
        """Fire once the clock reaches the date (kept as an aware ISO value in the task)."""
        clock = clock_of(my_task)
        when = self._when(my_task)
        if when is None:
            when = _aware(self._value(my_task), clock.zone).isoformat()
            self._remember(my_task, when)
        return self._fire_if_due(my_task, when, clock)


class DurationTimer(_InjectedTimer, DurationTimerEventDefinition):
    """A timer after a duration (`timeDuration`) from the moment the event is reached."""

    def has_fired(self, my_task) -> bool:
        """Fire once the clock reaches the end of the duration counted from when the event was reached."""
        clock = clock_of(my_task)
        when = self._when(my_task)
        if when is None:
            when = clock.after(clock.now(), self._value(my_task), self.working_time).isoformat()
            self._remember(my_task, when)
        return self._fire_if_due(my_task, when, clock)


class CycleTimer(_InjectedTimer, CycleTimerEventDefinition):
    """A repeating timer (`timeCycle`): `R3/PT1H`, `R/PT1H`, `R3/<start>/PT1H`, or a Quartz cron expression
    (bpmn.cron), which repeats until its activity ends, on working days only when the event says so."""

    def _first(self, my_task, clock: TimerClock) -> dict:
        text = self._value(my_task)
        if looks_like_cron(text):
            return {"cycles": -1, "cron": text, "next": self._next_cron(text, clock.now(), clock)}
        parts = self._value(my_task).upper().replace("--", "/").removeprefix("R").split("/")
        cycles = int(parts[0]) if parts[0] else -1
        if len(parts) == 3 and not parts[1].startswith("P"):
            start, interval = _aware(parts[1], clock.zone), parts[2]
        else:
            interval = parts[1]
            start = clock.after(clock.now(), interval, self.working_time)
        return {"cycles": cycles, "next": start.isoformat(), "interval": interval}

    def cycle_complete(self, my_task) -> bool:
        """True when the next repetition is due (and move to the one after); done after the last."""
        clock = clock_of(my_task)
        value = my_task._get_internal_data("event_value") or self._first(my_task, clock)
        ready = False
        if value.get("cron") and value.get("next") is None:
            my_task.internal_data["event_fired"] = True  # a cron with no occurrence left (a past year)
        elif value["cycles"] != 0:
            upcoming = datetime.fromisoformat(value["next"])
            if upcoming <= clock.now():
                if value.get("cron"):  # missed occurrences fire once; the next is after now, as Camunda does
                    value["next"] = self._next_cron(value["cron"], max(upcoming, clock.now()), clock)
                else:
                    value["next"] = clock.after(upcoming, value["interval"], self.working_time).isoformat()
                    value["cycles"] -= 1
                ready = True
        else:
            my_task.internal_data["event_fired"] = True
        my_task._set_internal_data(event_value=value)
        return ready


    def _next_cron(self, text: str, after: datetime, clock: TimerClock) -> str | None:
        upcoming = next_fire(text, after, clock.zone, clock.is_working_day if self.working_time else None)
        return upcoming.isoformat() if upcoming is not None else None


_INJECTED = {TimeDateEventDefinition: DateTimer, DurationTimerEventDefinition: DurationTimer,
             CycleTimerEventDefinition: CycleTimer}


def injected(definition: TimerEventDefinition, working_time: bool) -> TimerEventDefinition:
    """The clock-injected counterpart of one of SpiffWorkflow's timer definitions."""
    target = _INJECTED.get(type(definition))
    if target is None:
        return definition
    return target(definition.name, definition.expression, working_time=working_time,
                  description=definition.description)


def working_time_flag(event_node) -> bool:
    """Whether an event element carries `camunda:property name="working_time" value="true"`."""
    path = (f"{{{BPMN_NS}}}extensionElements/{{{CAMUNDA_NS}}}properties/{{{CAMUNDA_NS}}}property"
            f"[@name='{WORKING_TIME_PROPERTY}']")
    prop = event_node.find(path)
    return prop is not None and (prop.get("value") or "").strip().lower() == "true"


class InjectedTimerConverter(TimerConditionalEventDefinitionConverter):
    """Serializes our timer definitions with their working-time flag."""

    def to_dict(self, event_definition) -> dict:
        dct = super().to_dict(event_definition)
        dct["working_time"] = event_definition.working_time
        return dct


SERIALIZER_CONFIG = {cls: InjectedTimerConverter for cls in _INJECTED.values()}


@dataclass(frozen=True)
class PendingTimer:
    """A timer event waiting in a running workflow, and when it is due."""

    task_id: UUID
    element_id: str
    fire_at: datetime


def pending_timers(workflow) -> list[PendingTimer]:
    """Every waiting timer of the workflow (subprocesses included) whose due time is known.

    An event-based gateway waiting for several timers gives one, its earliest (named by the catching
    event): when it fires the gateway takes that branch and the others are withdrawn."""
    zone = getattr(workflow, _ATTRIBUTE, _WALL_CLOCK).zone
    found = []
    for task in list(workflow.event_manager.tasks.values()):
        definition = getattr(task.task_spec, "event_definition", None)
        if isinstance(definition, MultipleEventDefinition) and task.state == TaskState.WAITING:
            found += _gateway_timer(task, definition, zone)
            continue
        value = task._get_internal_data("event_value")
        if not isinstance(definition, TimerEventDefinition) or value is None or task.state != TaskState.WAITING:
            continue
        if isinstance(value, dict):
            if value.get("cycles") == 0 or value.get("next") is None:
                continue
            value = value["next"]
        found.append(PendingTimer(task.id, task.task_spec.bpmn_id, _aware(value, zone)))
    return found


def _gateway_timer(task, multiple, zone: tzinfo) -> list[PendingTimer]:
    due = []
    for definition in multiple.event_definitions:
        if isinstance(definition, _InjectedTimer):
            when = definition._when(task)
            if isinstance(when, str):
                due.append(PendingTimer(task.id, definition.name or task.task_spec.bpmn_id, _aware(when, zone)))
    return [min(due, key=lambda p: p.fire_at)] if due else []


def fired_here(task, element_id: str) -> bool:
    """Whether a task that ran did so by the timer of `element_id`: an event-based gateway may have run by
    another of its events (a message, another timer), and then this timer was withdrawn, not fired."""
    definition = getattr(task.task_spec, "event_definition", None)
    if not isinstance(definition, MultipleEventDefinition):
        return True
    return any(getattr(getattr(event, "event_definition", None), "name", None) == element_id
               for event in task.internal_data.get("seen_events", []))


def has_timers(task_specs) -> bool:
    """Whether any of these task specs waits for a timer."""
    for spec in task_specs:
        definition = getattr(spec, "event_definition", None)
        inner = getattr(definition, "event_definitions", None) or [definition]
        if any(isinstance(d, TimerEventDefinition) for d in inner):
            return True
    return False
