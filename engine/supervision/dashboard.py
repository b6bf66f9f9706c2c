"""Bảng điều khiển: the numbers of a unit's subtree for a quarter, by sub-unit and by procedure.

Every number is a count of one filter of engine.supervision.metrics, grouped by the handling
unit and rolled up to the children of the chosen unit; the average handling time per procedure
is working time (the unit's calendar) from receipt to release, less the working time spent
waiting for the applicant's supplement (engine.handling_time; engine.supervision.times).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.models import Dossier, Procedure, ProcedureVersion, Unit
from engine.org_tree import natural_key, subtree_ids
from engine.supervision.metrics import FILTERS, Window, condition, on_time_rate, window
from engine.supervision.scope import SUB_UNIT_LEVELS, Period
from engine.supervision.times import released_by_procedure


@dataclass
class Numbers:
    """The counts of one unit (its whole subtree), keyed by metric name."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FILTERS, 0))

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) ÷ released."""
        return on_time_rate(self.counts["early"], self.counts["on_time"], self.counts["released"])


@dataclass
class ProcedureRow:
    """One procedure's line: received, released by class, average working minutes to release."""

    procedure_id: int
    code: str
    name: str
    received: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    minutes_sum: int = 0
    minutes_count: int = 0

    @property
    def released(self) -> int:
        """Released in the quarter."""
        return self.early + self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) ÷ released."""
        return on_time_rate(self.early, self.on_time, self.released)

    @property
    def average_minutes(self) -> float | None:
        """Average working minutes from receipt to release (supplement waiting excluded)."""
        return self.minutes_sum / self.minutes_count if self.minutes_count else None


@dataclass
class Dashboard:
    """A unit's numbers for a quarter: the totals, each child unit's, and each procedure's."""

    unit: Unit
    period: Period
    now: datetime
    total: Numbers
    children: list[tuple[Unit, Numbers]]
    procedures: list[ProcedureRow]


def _counts_by_unit(session: Session, w: Window) -> dict[str, dict[int, int]]:
    """Every metric counted per unit, one query each (each an index-only scan on PostgreSQL)."""
    return {metric: dict(session.execute(select(Dossier.unit_id, func.count()).where(condition(metric, w))
                                         .group_by(Dossier.unit_id)).all())
            for metric in FILTERS}


def _child_of(session: Session, unit: Unit, ids: set[int]) -> tuple[list[Unit], dict[int, int]]:
    """The unit's children shown as rows, and for each unit below, which row it rolls into."""
    parents = dict(session.execute(select(Unit.id, Unit.parent_id).where(Unit.id.in_(ids))).all()) if ids else {}
    children = sorted(session.scalars(select(Unit).where(Unit.parent_id == unit.id,
                                                         Unit.level.not_in(SUB_UNIT_LEVELS))),
                      key=lambda u: natural_key(u.code))
    rows = {child.id for child in children}
    owner: dict[int, int] = {}
    for unit_id in ids:
        node = unit_id
        while node is not None and node not in rows and node != unit.id:
            node = parents.get(node)
        if node in rows:
            owner[unit_id] = node
    return children, owner


def dashboard(session: Session, unit: Unit, period: Period, now: datetime) -> Dashboard:
    """The dashboard of `unit` (its whole subtree) for `period`, as it stands at `now`."""
    ids = subtree_ids(session, [unit.id])
    w = window(session, ids, period, now)
    by_unit = _counts_by_unit(session, w)
    children, owner = _child_of(session, unit, ids)
    total, rows = Numbers(), {child.id: Numbers() for child in children}
    for metric, counts in by_unit.items():
        for unit_id, count in counts.items():
            total.counts[metric] += count
            if unit_id in owner:
                rows[owner[unit_id]].counts[metric] += count
    return Dashboard(unit, period, now, total, [(c, rows[c.id]) for c in children],
                     procedure_rows(session, w))


def procedure_rows(session: Session, w: Window) -> list[ProcedureRow]:
    """Per procedure: received, released by class and handling times, most received first."""
    rows: dict[int, ProcedureRow] = {}

    def row(procedure_id: int, code: str, name: str) -> ProcedureRow:
        return rows.setdefault(procedure_id, ProcedureRow(procedure_id, code, name))

    received = session.execute(
        select(Procedure.id, Procedure.code, Procedure.name, func.count())
        .join(ProcedureVersion, ProcedureVersion.procedure_id == Procedure.id)
        .join(Dossier, Dossier.procedure_version_id == ProcedureVersion.id)
        .where(condition("received", w)).group_by(Procedure.id, Procedure.code, Procedure.name))
    for procedure_id, code, name, count in received:
        row(procedure_id, code, name).received = count
    for line in released_by_procedure(session, w):
        target = row(line.procedure_id, line.code, line.name)
        setattr(target, line.lateness, getattr(target, line.lateness) + line.count)
        target.minutes_sum += line.minutes_sum
        target.minutes_count += line.minutes_count
    return sorted(rows.values(), key=lambda r: (-r.received, r.code))
