"""Handling times of the dossiers released in a window, summed per procedure and class.

Dossiers classified by the engine carry their handling time (`dossier.handling_minutes`,
engine.clock.handling_time), so the database sums it. Rows without it (released before the column
existed, or loaded from elsewhere) are computed here on the fly with a cumulative working-minute
clock per calendar, which costs two look-ups a dossier.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, Integer, and_, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from engine.clock.statutory import calendar_for
from engine.models import Dossier, HumanTask, Procedure, ProcedureVersion, Unit
from engine.supervision.metrics import Window, condition
from engine.supervision.worktime import CumulativeClock


@dataclass(frozen=True)
class ReleasedGroup:
    """Released dossiers of one procedure and class: how many, and their handling minutes."""

    procedure_id: int
    code: str
    name: str
    lateness: str
    count: int
    minutes_sum: int
    minutes_count: int


def _released(w: Window):
    return (select(Procedure.id, Procedure.code, Procedure.name, Dossier.lateness)
            .select_from(Dossier)
            .join(ProcedureVersion, Dossier.procedure_version_id == ProcedureVersion.id)
            .join(Procedure, ProcedureVersion.procedure_id == Procedure.id)
            .where(condition("released", w)))


def released_by_procedure(session: Session, w: Window) -> list[ReleasedGroup]:
    """Per (procedure, class): count and handling minutes, stored ones summed by the database."""
    stored = _released(w).add_columns(func.count(), func.coalesce(func.sum(Dossier.handling_minutes), 0),
                                      func.count(Dossier.handling_minutes))
    groups = {(pid, lateness): [pid, code, name, lateness, n, int(total), counted]
              for pid, code, name, lateness, n, total, counted in session.execute(
                  stored.group_by(Procedure.id, Procedure.code, Procedure.name, Dossier.lateness))}
    for pid, lateness, minutes in computed_minutes(session, w):
        groups[(pid, lateness)][5] += minutes
        groups[(pid, lateness)][6] += 1
    return [ReleasedGroup(*values) for values in groups.values()]


def epoch_seconds(session: Session, column) -> ColumnElement:
    """A datetime column as Unix seconds, computed by the database (fast to fetch in bulk)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("epoch", column), BigInteger)  # not numeric: Decimal is slow
    return cast(func.strftime("%s", column), Integer)  # SQLite keeps UTC without a zone


def computed_minutes(session: Session, w: Window) -> list[tuple[int, str, int]]:
    """(procedure id, class, handling minutes) of released dossiers without a stored time."""
    rows = session.execute(
        select(Dossier.id, ProcedureVersion.procedure_id, Dossier.unit_id, Dossier.lateness,
               epoch_seconds(session, Dossier.received_at), epoch_seconds(session, Dossier.completed_at))
        .join(ProcedureVersion, Dossier.procedure_version_id == ProcedureVersion.id)
        .where(condition("released", w), Dossier.handling_minutes.is_(None),
               Dossier.received_at.is_not(None), Dossier.completed_at.is_not(None))).all()
    if not rows:
        return []
    waits = _supplement_waits(session, w)
    clocks = _clocks(session, {r[2] for r in rows})
    result = []
    for dossier_id, pid, unit_id, lateness, received_at, completed_at in rows:
        cum = clocks[unit_id]
        minutes = cum.at_epoch(completed_at) - cum.at_epoch(received_at) - sum(
            cum.between(a, b) for a, b in waits.get(dossier_id, ()))
        result.append((pid, lateness, max(0, minutes)))
    return result


def _supplement_waits(session: Session, w: Window) -> dict[int, list[tuple[datetime, datetime]]]:
    rows = session.execute(
        select(HumanTask.dossier_id, HumanTask.created_at, HumanTask.completed_at)
        .join(Dossier, Dossier.id == HumanTask.dossier_id)
        .where(condition("released", w), Dossier.handling_minutes.is_(None), HumanTask.kind == "supplement",
               HumanTask.completed_at.is_not(None),
               and_(Dossier.received_at.is_not(None), HumanTask.created_at >= Dossier.received_at)))
    waits: dict[int, list] = defaultdict(list)
    for dossier_id, start, end in rows:
        waits[dossier_id].append((start, end))
    return waits


def _clocks(session: Session, unit_ids: set[int]) -> dict[int, CumulativeClock]:
    by_calendar: dict[int, CumulativeClock] = {}
    clocks = {}
    for unit in session.scalars(select(Unit).where(Unit.id.in_(unit_ids))) if unit_ids else []:
        cal = calendar_for(unit)
        clocks[unit.id] = by_calendar.setdefault(id(cal), CumulativeClock(cal))
    return clocks
