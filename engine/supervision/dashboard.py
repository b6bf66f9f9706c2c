"""Bảng điều khiển: the numbers of a unit's subtree for a quarter, by sub-unit and by procedure.

Every number is a count of one filter of engine.supervision.metrics, grouped by the handling
unit and rolled up to the children of the chosen unit; the average handling time per procedure
is working time (the unit's calendar) from receipt to release, less the working time spent
waiting for the applicant's supplement (engine.clock.handling_time; engine.supervision.times).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from engine.models import Dossier, Procedure, ProcedureVersion, Unit
from engine.org.tree import natural_key, subtree_ids
from engine.supervision.metrics import (
    CHANNELS,
    CLOCK_RUNNING,
    FILTERS,
    HANDLING,
    LATENESS,
    Window,
    condition,
    on_time_rate,
    window,
)
from engine.supervision.scope import SUB_UNIT_LEVELS, Period
from engine.supervision.times import ReleasedGroup, computed_minutes, released_by_procedure


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


RECEIVED_BY_CHANNEL = {f"received.{c}": c for c in CHANNELS}
RELEASED_BY_CLASS = ("released", *LATENESS)
OPEN_NOW = ("in_progress", "overdue", "due_soon")  # all among dossiers still being handled


def _counts_by_unit(session: Session, w: Window, received_by_version: dict[int, int] | None = None,
                    released_by_version: dict[tuple[int, str], list[int]] | None = None) -> dict[str, dict[int, int]]:
    """Every metric counted per unit, in four passes instead of one query per metric.

    One pass over the quarter's receipts (grouped by channel), one over its releases (grouped by class),
    both index-only scans on PostgreSQL; one over the returns; one over the dossiers still being handled
    that counts the open-now metrics together. Any other metric gets its own query.
    The receipts per procedure version are added to `received_by_version` when given, and the releases per
    (version, class) to `released_by_version` as [count, stored handling minutes summed, how many stored].
    """
    counts: dict[str, dict[int, int]] = {metric: {} for metric in FILTERS}

    def add(metric: str, unit_id: int, n: int) -> None:
        if n:
            counts[metric][unit_id] = counts[metric].get(unit_id, 0) + int(n)

    for unit_id, channel, version_id, n in session.execute(
            select(Dossier.unit_id, Dossier.channel, Dossier.procedure_version_id, func.count())
            .where(condition("received", w)).group_by(Dossier.unit_id, Dossier.channel, Dossier.procedure_version_id)):
        add("received", unit_id, n)
        if received_by_version is not None:
            received_by_version[version_id] = received_by_version.get(version_id, 0) + n
        if f"received.{channel}" in RECEIVED_BY_CHANNEL:
            add(f"received.{channel}", unit_id, n)
    for unit_id, lateness, version_id, n, minutes, counted in session.execute(
            select(Dossier.unit_id, Dossier.lateness, Dossier.procedure_version_id, func.count(),
                   func.coalesce(func.sum(Dossier.handling_minutes), 0), func.count(Dossier.handling_minutes))
            .where(condition("released", w))
            .group_by(Dossier.unit_id, Dossier.lateness, Dossier.procedure_version_id)):
        add("released", unit_id, n)
        add(lateness, unit_id, n)
        if released_by_version is not None:
            group = released_by_version.setdefault((version_id, lateness), [0, 0, 0])
            group[0], group[1], group[2] = group[0] + n, group[1] + int(minutes), group[2] + counted
    open_now = [m for m in OPEN_NOW if m in FILTERS]
    if open_now:
        query = select(Dossier.unit_id, *[func.sum(case((FILTERS[m](w), 1), else_=0)) for m in open_now]).where(
            Dossier.unit_id.in_(w.unit_ids), Dossier.status.in_(HANDLING | CLOCK_RUNNING))
        for unit_id, *values in session.execute(query.group_by(Dossier.unit_id)):
            for metric, n in zip(open_now, values, strict=True):
                add(metric, unit_id, n or 0)
    done = {"received", *RECEIVED_BY_CHANNEL, *RELEASED_BY_CLASS, *open_now}
    for metric in FILTERS:
        if metric not in done:
            for unit_id, n in session.execute(select(Dossier.unit_id, func.count()).where(condition(metric, w))
                                              .group_by(Dossier.unit_id)):
                add(metric, unit_id, n)
    return counts


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
    received_by_version: dict[int, int] = {}
    released_by_version: dict[tuple[int, str], list[int]] = {}
    by_unit = _counts_by_unit(session, w, received_by_version, released_by_version)
    children, owner = _child_of(session, unit, ids)
    total, rows = Numbers(), {child.id: Numbers() for child in children}
    for metric, counts in by_unit.items():
        for unit_id, count in counts.items():
            total.counts[metric] += count
            if unit_id in owner:
                rows[owner[unit_id]].counts[metric] += count
    return Dashboard(unit, period, now, total, [(c, rows[c.id]) for c in children],
                     procedure_rows(session, w, received_by_version, released_by_version))


def procedure_rows(session: Session, w: Window, received_by_version: dict[int, int] | None = None,
                   released_by_version: dict[tuple[int, str], list[int]] | None = None) -> list[ProcedureRow]:
    """Per procedure: received, released by class and handling times, most received first.

    `received_by_version` and `released_by_version`, when _counts_by_unit has counted them, save two passes.
    """
    rows: dict[int, ProcedureRow] = {}

    def row(procedure_id: int, code: str, name: str) -> ProcedureRow:
        return rows.setdefault(procedure_id, ProcedureRow(procedure_id, code, name))

    if received_by_version is None:
        received = session.execute(
            select(Procedure.id, Procedure.code, Procedure.name, func.count())
            .join(ProcedureVersion, ProcedureVersion.procedure_id == Procedure.id)
            .join(Dossier, Dossier.procedure_version_id == ProcedureVersion.id)
            .where(condition("received", w)).group_by(Procedure.id, Procedure.code, Procedure.name))
        for procedure_id, code, name, count in received:
            row(procedure_id, code, name).received = count
    versions = {}
    if received_by_version is not None or released_by_version is not None:
        wanted = set(received_by_version or ()) | {v for v, _class in released_by_version or ()}
        versions = {version_id: (procedure_id, code, name) for version_id, procedure_id, code, name in session.execute(
            select(ProcedureVersion.id, Procedure.id, Procedure.code, Procedure.name)
            .join(Procedure, ProcedureVersion.procedure_id == Procedure.id)
            .where(ProcedureVersion.id.in_(wanted)))} if wanted else {}
    for version_id, count in (received_by_version or {}).items():
        row(*versions[version_id]).received += count
    if released_by_version is None:
        released = released_by_procedure(session, w)
    else:
        released = [ReleasedGroup(*versions[version_id], lateness, n, minutes, counted)
                    for (version_id, lateness), (n, minutes, counted) in released_by_version.items()]
        names = {pid: (code, name) for pid, code, name in versions.values()}
        released += [ReleasedGroup(pid, *names[pid], lateness, 0, minutes, 1)
                     for pid, lateness, minutes in computed_minutes(session, w)]
    for line in released:
        target = row(line.procedure_id, line.code, line.name)
        setattr(target, line.lateness, getattr(target, line.lateness) + line.count)
        target.minutes_sum += line.minutes_sum
        target.minutes_count += line.minutes_count
    return sorted(rows.values(), key=lambda r: (-r.received, r.code))
