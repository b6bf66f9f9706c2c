"""Sổ theo dõi hồ sơ (form 07): the book of a unit's received dossiers, one volume a year.

A dossier's serial is its place among the unit's dossiers received in the same calendar year
(by receipt time, then id): the receipt (form 01) prints the same volume and serial.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from engine.calendar.hours import MAX_YEAR, MIN_YEAR, iso_day
from engine.calendar.working import TZ
from engine.ground.errors import Invalid
from engine.ground.vocabulary import LATENESS_LABELS
from engine.models import Dossier, Event, PostalShipment, Unit
from engine.printing.unit_documents import agency_of
from forms.printing import BookPeriod, BookRow, tracking_book

RETURN_METHODS = {"desk": "Trực tiếp tại Bộ phận Một cửa", "post": "Qua dịch vụ bưu chính",
                  "electronic": "Trả kết quả điện tử"}
MAX_DAYS = 366


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), TZ)


def book_entry(session: Session, dossier: Dossier) -> tuple[str, int]:
    """Quyển số, số thứ tự: the volume (the year) and the serial of a received dossier."""
    local = dossier.received_at.astimezone(TZ)
    serial = session.scalar(select(func.count()).select_from(Dossier).where(
        Dossier.unit_id == dossier.unit_id, Dossier.received_at >= _start_of(date(local.year, 1, 1)),
        or_(Dossier.received_at < dossier.received_at,
            and_(Dossier.received_at == dossier.received_at, Dossier.id <= dossier.id)))) or 0
    return str(local.year), serial


def issued_due_times(session: Session, dossiers: list[Dossier]) -> dict[int, datetime]:
    """Ngày hẹn trả as issued on form 01: the due time each dossier's receipt recorded.

    An extension (form 04) or a pause moves `dossier.due_at`, never what the receipt promised.
    Falls back on the due time before the extension, then the current one (dossiers received before
    the receipt event carried it).
    """
    ids = [d.id for d in dossiers]
    found: dict[int, datetime] = {}
    events = session.scalars(select(Event).where(Event.kind == "dossier.received", Event.dossier_id.in_(ids))
                             .order_by(Event.id)) if ids else []
    for event in events:
        text = (event.payload or {}).get("due_at")
        if text and event.dossier_id not in found:
            found[event.dossier_id] = datetime.fromisoformat(text)
    return {d.id: found.get(d.id) or d.original_due_at or d.due_at for d in dossiers}


def parse_period(start: object, end: object, today: date) -> tuple[date, date]:
    """The book's dates from `YYYY-MM-DD` text: by default from the first of this month to today."""
    errors, days = {}, {}
    for key, value, default in (("from", start, today.replace(day=1)), ("to", end, today)):
        try:
            days[key] = iso_day(str(value)) if value not in (None, "") else default
        except ValueError:
            errors[key] = f"Ngày theo dạng NNNN-TT-NN, ví dụ 2026-03-01 (năm từ {MIN_YEAR} đến {MAX_YEAR})."
    if not errors and days["from"] > days["to"]:
        errors["to"] = "Ngày cuối phải sau ngày đầu."
    if not errors and (days["to"] - days["from"]).days >= MAX_DAYS:
        errors["to"] = f"Mỗi lần in tối đa {MAX_DAYS} ngày."
    if errors:
        raise Invalid("Kỳ theo dõi không hợp lệ", errors)
    return days["from"], days["to"]


def _received(session: Session, unit: Unit, start: date, end: date) -> list[Dossier]:
    return list(session.scalars(select(Dossier).where(
        Dossier.unit_id == unit.id, Dossier.received_at >= _start_of(start),
        Dossier.received_at < _start_of(end + timedelta(days=1))).order_by(Dossier.received_at, Dossier.id)))


def _earlier_in_year(session: Session, unit: Unit, start: date) -> int:
    return session.scalar(select(func.count()).select_from(Dossier).where(
        Dossier.unit_id == unit.id, Dossier.received_at >= _start_of(date(start.year, 1, 1)),
        Dossier.received_at < _start_of(start))) or 0


def _returns(session: Session, dossiers: list[Dossier]) -> dict[int, dict]:
    ids = [d.id for d in dossiers]
    events = session.scalars(select(Event).where(Event.kind == "dossier.returned", Event.dossier_id.in_(ids))
                             .order_by(Event.id)) if ids else []
    return {e.dossier_id: e.payload or {} for e in events}


def _tracking_numbers(session: Session, dossiers: list[Dossier]) -> dict[int, str]:
    ids = [d.id for d in dossiers]
    rows = session.execute(select(PostalShipment.dossier_id, PostalShipment.tracking_number).where(
        PostalShipment.dossier_id.in_(ids), PostalShipment.tracking_number.is_not(None))) if ids else []
    return {dossier_id: number for dossier_id, number in rows}


def _return_method(back: dict, tracking_number: str | None) -> str:
    text = RETURN_METHODS.get(back.get("method"), back.get("method") or "")
    if back.get("method") == "post" and tracking_number:
        text += f" (số hiệu bưu gửi {tracking_number})"
    return text


HIDDEN = "(không hiển thị)"


def book_rows(session: Session, unit: Unit, start: date, end: date,
              may_read: Callable[[Dossier], bool] | None = None) -> list[BookRow]:
    """One row per dossier the unit received from `start` to `end` (inclusive), with its serial.

    Given `may_read`, the applicant's name, address, phone and the receiver's name appear only on the
    rows of dossiers it allows (the reader's right to read the dossier); the others show HIDDEN.
    """
    dossiers = _received(session, unit, start, end)
    returns = _returns(session, dossiers)
    tracking = _tracking_numbers(session, dossiers)
    issued = issued_due_times(session, dossiers)
    serial, year, rows = _earlier_in_year(session, unit, start), start.year, []
    for d in dossiers:
        local_year = d.received_at.astimezone(TZ).year
        if local_year != year:
            serial, year = 0, local_year
        serial += 1
        back = returns.get(d.id, {})
        rows.append(BookRow(
            serial=serial, code=d.code, procedure=d.version.procedure.name, applicant=d.applicant_name,
            address=(d.applicant or {}).get("address", ""), phone=(d.applicant or {}).get("phone", ""),
            lead_unit=d.unit.name, received_at=d.received_at, due_at=issued[d.id], returned_at=d.returned_at,
            return_method=_return_method(back, tracking.get(d.id)),
            receiver=back.get("receiver") or "", note=LATENESS_LABELS.get(d.lateness or "", ""),
            extended_due_at=d.due_at if d.due_at != issued[d.id] else None, completed_at=d.completed_at))
        if may_read is not None and not may_read(d):
            rows[-1] = replace(rows[-1], applicant=HIDDEN, address=HIDDEN, phone="",
                               receiver=HIDDEN if rows[-1].receiver else "")
    return rows


def tracking_book_context(session: Session, unit: Unit, start: date, end: date, now: datetime,
                          may_read: Callable[[Dossier], bool] | None = None) -> dict:
    """The context of form 07 for a unit and period, for forms.printing (HTML, PDF or xlsx); personal data
    only where `may_read` allows (see book_rows)."""
    period = BookPeriod(unit=unit.name, start=start, end=end, rows=book_rows(session, unit, start, end, may_read))
    return tracking_book(agency_of(unit), period, now)
