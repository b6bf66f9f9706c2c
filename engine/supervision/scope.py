"""Giám sát: who may supervise which units, and the reporting periods (quarters).

A supervisor (`supervisor`, Văn phòng UBND) or an admin sees the units where they hold that role
and every unit below them. Numbers for a unit roll up its whole subtree. Periods are calendar
quarters in Vietnam's time, written `2026-Q1`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.ground.errors import Forbidden, Invalid, NotFound
from engine.models import Unit, User
from engine.org.tree import natural_key, subtree_ids

SUPERVISING_ROLES = ("supervisor", "admin")
# the sub-units of a ward (desk, office, leadership) are shown inside their ward, not picked alone
SUB_UNIT_LEVELS = ("desk", "division", "leadership")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """A quarter: [start, end) in Vietnam's time."""

    year: int
    quarter: int

    @property
    def start(self) -> datetime:
        """The first moment of the quarter."""
        return datetime.combine(date(self.year, 3 * self.quarter - 2, 1), time(0), TZ)

    @property
    def end(self) -> datetime:
        """The first moment after the quarter."""
        if self.quarter == 4:
            return datetime.combine(date(self.year + 1, 1, 1), time(0), TZ)
        return datetime.combine(date(self.year, 3 * self.quarter + 1, 1), time(0), TZ)

    @property
    def key(self) -> str:
        """`2026-Q1`."""
        return f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        """`Quý 1/2026`."""
        return f"Quý {self.quarter}/{self.year}"

    def previous(self) -> Period:
        """The quarter before."""
        return Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)


def quarter_of(moment: datetime) -> Period:
    """The quarter that contains `moment` (in Vietnam's time)."""
    local = moment.astimezone(TZ)
    return Period(local.year, (local.month - 1) // 3 + 1)


def parse_quarter(text: object, now: datetime) -> Period:
    """A quarter from `2026-Q1` (or `2026Q1`); empty means the current quarter; Invalid otherwise."""
    if text in (None, ""):
        return quarter_of(now)
    match = _QUARTER.match(str(text).strip())
    if not match:
        raise Invalid("Kỳ báo cáo không hợp lệ", {"quarter": "Ghi quý theo dạng 2026-Q1."})
    return Period(int(match.group(1)), int(match.group(2)))


def recent_quarters(now: datetime, count: int = 8) -> list[Period]:
    """The current quarter and the ones before it, newest first (for the period picker)."""
    periods = [quarter_of(now)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods


def supervised_ids(session: Session, user: User) -> set[int]:
    """The ids of the units the user supervises: where they hold supervisor or admin, and below."""
    return subtree_ids(session, [g.unit_id for g in user.grants if g.role in SUPERVISING_ROLES])


def supervised_units(session: Session, user: User) -> list[Unit]:
    """The units the user may pick on the dashboard (not the sub-units of a ward), by code."""
    ids = supervised_ids(session, user)
    units = session.scalars(select(Unit).where(Unit.id.in_(ids), Unit.level.not_in(SUB_UNIT_LEVELS))) if ids else []
    return sorted(units, key=lambda unit: natural_key(unit.code))


def unit_by_code(session: Session, code: str) -> Unit:
    """The unit with this agency code; NotFound otherwise."""
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise NotFound(f"Không có đơn vị mã {code}")
    return unit


def check_supervises(session: Session, user: User, unit: Unit) -> None:
    """Forbidden unless the unit lies in the user's supervised subtree."""
    if unit.id not in supervised_ids(session, user):
        raise Forbidden(f"Bạn không có quyền giám sát {unit.name} ({unit.code})")


def default_unit(session: Session, user: User) -> Unit | None:
    """The highest unit the user supervises (the first of the picker)."""
    units = supervised_units(session, user)
    return min(units, key=lambda u: (_depth(u), natural_key(u.code))) if units else None


def _depth(unit: Unit) -> int:
    depth, node = 0, unit.parent
    while node is not None:
        depth, node = depth + 1, node.parent
    return depth
