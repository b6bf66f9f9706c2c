"""Nhật ký hệ thống: admins search the append-only event log and export it to xlsx.

An admin of a top-level unit sees every event; another admin sees the events of the units they
administer, and the unit-less events (logins) of users who hold a role there.
"""
from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from engine.calendar.hours import MAX_YEAR, MIN_YEAR, iso_day
from engine.calendar.working import TZ
from engine.ground.errors import Invalid
from engine.ground.search_text import fold
from engine.models import Dossier, Event, RoleGrant, Unit, User
from engine.org.tree import admin_scope, subtree_ids
from forms.spreadsheet import append_row

PAGE_SIZE = 50
MAX_EXPORT = 50_000
COLUMNS = ("Thời điểm", "Loại sự kiện", "Mã sự kiện", "Tên đăng nhập", "Người thực hiện", "Mã đơn vị", "Đơn vị",
           "Mã hồ sơ", "Nội dung", "Chi tiết")


@dataclass(frozen=True)
class AuditQuery:
    """The filters of the audit page: who, which dossier, which unit (and below), which days."""

    user: str = ""
    dossier: str = ""
    unit: str = ""
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> AuditQuery:
        """Read the filters from a request's arguments; Invalid names a malformed date."""
        errors, days = {}, {}
        for key in ("date_from", "date_to"):
            text = (args.get(key) or "").strip()
            try:
                days[key] = iso_day(text) if text else None
            except ValueError:
                errors[key] = f"Ngày cần dạng YYYY-MM-DD, năm từ {MIN_YEAR} đến {MAX_YEAR}."
        if errors:
            raise Invalid("Khoảng thời gian không hợp lệ", errors)
        page = str(args.get("page") or "1")
        return cls(user=(args.get("user") or "").strip(), dossier=(args.get("dossier") or "").strip(),
                   unit=(args.get("unit") or "").strip(), kind=(args.get("kind") or "").strip(),
                   page=int(page) if page.isdigit() and int(page) > 0 else 1, **days)

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (without the page)."""
        values = {"user": self.user, "dossier": self.dossier, "unit": self.unit, "kind": self.kind,
                  "date_from": self.date_from.isoformat() if self.date_from else "",
                  "date_to": self.date_to.isoformat() if self.date_to else ""}
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class AuditRow:
    """One event with the names an auditor reads."""

    event: Event
    username: str | None
    full_name: str | None
    unit_code: str | None
    unit_name: str | None
    dossier_code: str | None


@dataclass(frozen=True)
class AuditPage:
    """One page of matching events, newest first."""

    rows: list[AuditRow]
    total: int
    page: int
    pages: int


def _scoped(session: Session, actor: User | None, query: Select) -> Select:
    scope = admin_scope(session, actor)
    if scope is None:
        return query
    people = select(RoleGrant.user_id).where(RoleGrant.unit_id.in_(scope))
    return query.where(or_(Event.unit_id.in_(scope), and_(Event.unit_id.is_(None), Event.user_id.in_(people))))


def _filtered(session: Session, q: AuditQuery, query: Select) -> Select:
    if q.user:  # a login name, or part of a full name with or without diacritics (folded here: few accounts)
        text, folded = q.user.lower(), fold(q.user)
        people = [row.id for row in session.execute(select(User.id, User.username, User.full_name))
                  if row.username.lower() == text or folded in fold(row.full_name)]
        query = query.where(Event.user_id.in_(people or [-1]))
    if q.dossier:
        query = query.where(func.upper(Dossier.code) == q.dossier.replace(" ", "").upper())
    if q.unit:
        unit = session.scalar(select(Unit).where(Unit.code == q.unit))
        if unit is None:
            raise Invalid(f"Không có đơn vị mã {q.unit}", {"unit": "Mã đơn vị không tồn tại."})
        query = query.where(Event.unit_id.in_(subtree_ids(session, [unit.id])))
    if q.kind:
        query = query.where(Event.kind.like(f"{q.kind}%"))
    if q.date_from:
        query = query.where(Event.at >= datetime.combine(q.date_from, time.min, TZ))
    if q.date_to:
        query = query.where(Event.at < datetime.combine(q.date_to + timedelta(days=1), time.min, TZ))
    return query


def _statement(session: Session, actor: User | None, q: AuditQuery) -> Select:
    query = (select(Event, User.username, User.full_name, Unit.code, Unit.name, Dossier.code)
             .outerjoin(User, Event.user_id == User.id).outerjoin(Unit, Event.unit_id == Unit.id)
             .outerjoin(Dossier, Event.dossier_id == Dossier.id))
    return _filtered(session, q, _scoped(session, actor, query))


def search_events(session: Session, actor: User | None, q: AuditQuery) -> AuditPage:
    """Tra cứu nhật ký: the events matching the filters that the actor may see, newest first, paged."""
    query = _statement(session, actor, q)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(q.page, pages)
    rows = session.execute(query.order_by(Event.at.desc(), Event.id.desc())
                           .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return AuditPage([AuditRow(*row) for row in rows], total, page, pages)


def export_events(session: Session, actor: User | None, q: AuditQuery) -> list[AuditRow]:
    """Every matching event (at most MAX_EXPORT), newest first, for the xlsx export."""
    rows = session.execute(_statement(session, actor, q).order_by(Event.at.desc(), Event.id.desc())
                           .limit(MAX_EXPORT)).all()
    return [AuditRow(*row) for row in rows]


def _cells(row: AuditRow, labels: Mapping[str, str]) -> list[Any]:
    event = row.event
    return [event.at.astimezone(TZ).replace(tzinfo=None), str(labels.get(event.kind, event.kind)), event.kind,
            row.username or "", row.full_name or "", row.unit_code or "", row.unit_name or "",
            row.dossier_code or "", event.message or "",
            json.dumps(event.payload or {}, ensure_ascii=False, sort_keys=True)]


def audit_xlsx(rows: list[AuditRow], labels: Mapping[str, str] | None = None) -> bytes:
    """The rows as an xlsx workbook: one header line, then one line per event, times in Vietnam's zone."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhật ký"
    append_row(sheet, COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, _cells(row, labels or {}))
    for cell in sheet["A"][1:]:
        cell.number_format = "dd/mm/yyyy hh:mm:ss"
    for letter, width in zip("ABCDEFGHIJ", (20, 28, 24, 16, 24, 12, 32, 22, 40, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
