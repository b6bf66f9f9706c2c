"""Quản trị tổ chức: admins create, edit and move units within the part of the tree they administer.

Every change is an event (`unit.created`, `unit.updated`, `unit.moved`; office hours go through
engine.clock.calendar_days and record `unit.office_hours_set`). The caller commits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.working import OfficeHours
from engine.ground import events
from engine.ground.errors import Forbidden, Invalid, NotFound
from engine.models import Unit, User
from engine.models.org import DEFAULT_OFFICE_HOURS
from engine.org.office_hours import set_office_hours
from engine.org.tree import check_admin, is_global_admin, subtree_ids

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
LEVEL_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Levels the forms suggest; any lowercase word is accepted (levels are data).
LEVELS = ("province", "district", "commune", "service_centre", "branch", "department", "division",
          "desk", "leadership")


@dataclass
class UnitForm:
    """What an admin types about a unit."""

    code: str
    name: str
    level: str
    admin_code: str = ""
    office_hours: str = DEFAULT_OFFICE_HOURS
    same_day_cutoff: str = "15:00"


def get_unit_by_id(session: Session, unit_id: int) -> Unit:
    """The unit with this id; NotFound otherwise."""
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(f"Không có đơn vị số {unit_id}")
    return unit


def _clean(session: Session, form: UnitForm, unit: Unit | None) -> UnitForm:
    errors: dict[str, str] = {}
    code, name, level = form.code.strip(), " ".join(form.name.split()), form.level.strip()
    if not CODE_RE.match(code):
        errors["code"] = "Mã định danh gồm chữ, số, dấu chấm hoặc gạch, tối đa 40 ký tự (ví dụ H26.70)."
    else:
        other = session.scalar(select(Unit).where(Unit.code == code))
        if other is not None and other is not unit:
            errors["code"] = f"Mã {code} đã dùng cho {other.name}."
    if not name:
        errors["name"] = "Cần tên đơn vị."
    elif len(name) > 255:  # said, not cut: a cut name would be printed on receipts and results
        errors["name"] = f"Tên đơn vị tối đa 255 ký tự (đang có {len(name)})."
    if not LEVEL_RE.match(level):
        errors["level"] = "Cấp đơn vị là một từ viết thường, ví dụ commune, district, desk."
    admin_code = form.admin_code.strip()
    if admin_code and not admin_code.isdigit():
        errors["admin_code"] = "Mã đơn vị hành chính chỉ gồm chữ số (ví dụ 00070)."
    try:
        OfficeHours.parse(form.office_hours)
    except ValueError as err:
        errors["office_hours"] = str(err)
    try:  # the cut-off apart, so that its error stands by its own field
        OfficeHours.parse(DEFAULT_OFFICE_HOURS, form.same_day_cutoff)
    except ValueError as err:
        errors["same_day_cutoff"] = str(err)
    if errors:
        raise Invalid("Thông tin đơn vị chưa hợp lệ", errors)
    return UnitForm(code, name, level, admin_code, form.office_hours, form.same_day_cutoff)


def _check_parent(actor: User | None, parent: Unit | None) -> None:
    if parent is None:
        if not is_global_admin(actor):
            raise Forbidden("Chỉ quản trị viên cấp cao nhất mới được tạo đơn vị gốc")
        return
    check_admin(actor, parent)


def create_unit(session: Session, actor: User | None, parent: Unit | None, form: UnitForm, now: datetime) -> Unit:
    """Tạo đơn vị: a new unit under `parent` (None: a new root), with its office hours."""
    _check_parent(actor, parent)
    data = _clean(session, form, None)
    unit = Unit(code=data.code, name=data.name, level=data.level, parent=parent,
                admin_code=data.admin_code or None, settings={})
    session.add(unit)
    session.flush()
    events.record(session, "unit.created", now, user=actor, unit_id=unit.id, message=unit.name,
                  code=unit.code, level=unit.level, parent=parent.code if parent else None)
    _set_hours(session, actor, unit, data, now, created=True)
    return unit


def _set_hours(session: Session, actor: User | None, unit: Unit, data: UnitForm, now: datetime,
               created: bool = False) -> None:
    hours, cutoff = data.office_hours.strip(), data.same_day_cutoff.strip()
    if created or hours != unit.office_hours or cutoff != unit.same_day_cutoff:
        set_office_hours(session, unit, hours, cutoff, actor, now)


def update_unit(session: Session, actor: User | None, unit: Unit, form: UnitForm, now: datetime) -> Unit:
    """Sửa đơn vị: name, agency code, level, administrative code and office hours.

    A new agency code applies to dossiers received from now on; codes already issued never change.
    """
    check_admin(actor, unit)
    data = _clean(session, form, unit)
    before = {"code": unit.code, "name": unit.name, "level": unit.level, "admin_code": unit.admin_code}
    unit.code, unit.name, unit.level, unit.admin_code = data.code, data.name, data.level, data.admin_code or None
    after = {"code": unit.code, "name": unit.name, "level": unit.level, "admin_code": unit.admin_code}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    session.flush()
    if changes:
        events.record(session, "unit.updated", now, user=actor, unit_id=unit.id, message=unit.name, changes=changes)
    _set_hours(session, actor, unit, data, now)
    return unit


def move_unit(session: Session, actor: User | None, unit: Unit, new_parent: Unit | None, now: datetime) -> Unit:
    """Chuyển đơn vị: put the unit (and everything under it) under another parent, never under itself."""
    check_admin(actor, unit)
    _check_parent(actor, new_parent)
    if new_parent is not None and new_parent.id in subtree_ids(session, [unit.id]):
        raise Invalid("Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó",
                      {"parent": "Chọn một đơn vị không nằm dưới đơn vị này."})
    old = unit.parent
    if old is new_parent:
        return unit
    unit.parent = new_parent
    session.flush()
    events.record(session, "unit.moved", now, user=actor, unit_id=unit.id, message=unit.name,
                  old_parent=old.code if old else None, new_parent=new_parent.code if new_parent else None)
    return unit
