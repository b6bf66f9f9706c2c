"""The numbers of the dashboard, each defined once as a filter on dossiers.

The same filter counts a number and lists the dossiers behind it, so a number and its list
always agree. Definitions, for a unit's subtree and a quarter [start, end):

- received (đã tiếp nhận): received_at in the quarter; also per channel;
- in progress (đang giải quyết): being handled now and received before the quarter's end;
- released (đã giải quyết): received, completed_at in the quarter with a class (early, on time or
  late, engine.clock.lateness); refusals at intake and closed dossiers are not released;
- refused at intake (từ chối tiếp nhận, form 03): refused at the counter, never received, with
  completed_at in the quarter; counted apart, never as resolved;
- early / on time / late: the released ones by class; on-time rate = (early + on time) ÷ released;
- returned (đã trả kết quả): returned_at in the quarter;
- overdue now (quá hạn): handled with the clock running (not waiting for a supplement) and due
  before now;
- due soon (sắp đến hạn): the same, due from now to the end of the unit's warning lead
  (`warn_before`, default one working day, engine.clock.calendar_days);
- online answered late (trực tuyến quá 8 giờ làm việc): online dossiers whose submission in the
  quarter the desk received, refused or sent back for a supplement more than 8 working hours later,
  or has still not answered past that time (engine.supervision.online_answers; worked out on each
  unit's calendar when the window is made, so the filter is the list of those dossiers).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, false, or_
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from engine.clock.due_soon import due_soon_limits
from engine.ground.vocabulary import CLOCK_RUNNING, HANDLING
from engine.models import Dossier
from engine.supervision.online_answers import late_answer_ids
from engine.supervision.scope import Period

CHANNELS = ("in_person", "post", "online")
LATENESS = ("early", "on_time", "late")
METRIC_LABELS = {
    "received": "Đã tiếp nhận", "received.in_person": "Tiếp nhận trực tiếp", "received.post": "Tiếp nhận qua bưu chính",
    "received.online": "Tiếp nhận trực tuyến", "in_progress": "Đang giải quyết", "released": "Đã giải quyết",
    "early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn", "returned": "Đã trả kết quả",
    "overdue": "Đang quá hạn", "due_soon": "Sắp đến hạn", "refused_at_intake": "Từ chối tiếp nhận",
    "online_answer_late": "Trực tuyến xử lý chậm quá 8 giờ làm việc",
}


@dataclass(frozen=True)
class Window:
    """What every filter needs: the units (a subtree), the quarter and the present moment."""

    unit_ids: frozenset[int]
    period: Period
    now: datetime
    due_soon_until: tuple[tuple[frozenset[int], datetime], ...] = ()
    late_answer_ids: frozenset[int] = frozenset()  # online dossiers past the 8-working-hour rule


def window(session: Session, unit_ids: set[int], period: Period, now: datetime) -> Window:
    """A window whose due-soon limits and 8-hour breaches are worked out per calendar (office hours, lead)."""
    return Window(frozenset(unit_ids), period, now, due_soon_limits(session, unit_ids, now),
                  late_answer_ids(session, unit_ids, period, now))


def _in_period(column, w: Window) -> ColumnElement:
    return and_(column >= w.period.start, column < w.period.end)


def _due_soon(w: Window) -> ColumnElement:
    parts = [and_(Dossier.unit_id.in_(ids), Dossier.due_at < until) for ids, until in w.due_soon_until]
    return and_(Dossier.status.in_(CLOCK_RUNNING), Dossier.due_at >= w.now, or_(*parts) if parts else false())


def _received_by(channel: str) -> Callable[[Window], ColumnElement]:
    return lambda w: and_(_in_period(Dossier.received_at, w), Dossier.channel == channel)


def _lateness(kind: str) -> Callable[[Window], ColumnElement]:
    return lambda w: and_(_in_period(Dossier.completed_at, w), Dossier.lateness == kind,
                          Dossier.received_at.is_not(None))


FILTERS: dict[str, Callable[[Window], ColumnElement]] = {
    "received": lambda w: _in_period(Dossier.received_at, w),
    **{f"received.{c}": _received_by(c) for c in CHANNELS},
    "in_progress": lambda w: and_(Dossier.status.in_(HANDLING), Dossier.received_at < w.period.end),
    "released": lambda w: and_(_in_period(Dossier.completed_at, w), Dossier.lateness.in_(LATENESS),
                               Dossier.received_at.is_not(None)),
    **{kind: _lateness(kind) for kind in LATENESS},
    "returned": lambda w: _in_period(Dossier.returned_at, w),
    "overdue": lambda w: and_(Dossier.status.in_(CLOCK_RUNNING), Dossier.due_at < w.now),
    "due_soon": _due_soon,
    "online_answer_late": lambda w: Dossier.id.in_(sorted(w.late_answer_ids)) if w.late_answer_ids else false(),
    "refused_at_intake": lambda w: and_(_in_period(Dossier.completed_at, w), Dossier.status == "refused",
                                        Dossier.received_at.is_(None)),
}


def condition(metric: str, w: Window) -> ColumnElement:
    """The WHERE clause of a number for the window's units; KeyError for an unknown number."""
    return and_(Dossier.unit_id.in_(w.unit_ids), FILTERS[metric](w))


def on_time_rate(early: int, on_time: int, released: int) -> float | None:
    """(early + on time) ÷ released, None when nothing was released."""
    return (early + on_time) / released if released else None
