"""API endpoints of the statutory clock: the extension (form 04) and the admins' calendar."""
from __future__ import annotations

from flask import g, request

from engine.calendar.working import TZ
from engine.clock.calendar_days import add_day, ask_due, remove_day, year_listing
from engine.clock.due_soon import DEFAULT_WARN_BEFORE
from engine.dossier import lifecycle
from engine.dossier.extension import extend_due
from engine.ground.errors import Forbidden, Invalid
from engine.org.accounts import get_unit
from engine.org.office_hours import set_office_hours
from engine.org.tree import may_administer, unit_in_scope
from webapp.api import bp
from webapp.api.auth import json_body, login_required
from webapp.api.schemas import iso
from webapp.db import get_session, now


@bp.post("/dossiers/<code>/extension")
@login_required
def extension(code: str):
    """Gia hạn: a leader of the dossier's unit sets a new due time once, with a reason."""
    body, session = json_body(), get_session()
    dossier = lifecycle.get_dossier(session, code)
    form = extend_due(session, dossier, g.user, body.get("reason"), body.get("new_due_at"), now())
    session.commit()
    return {"code": dossier.code, "status": dossier.status, "due_at": iso(dossier.due_at),
            "original_due_at": iso(dossier.original_due_at), "form_04": form}


def _unit_arg(session, code: str | None):
    return get_unit(session, code) if code else None


def _admin_unit(session, code: str | None):
    """A unit an admin changes: the same 403 whether it is unknown or outside their scope."""
    return unit_in_scope(session, str(code), lambda unit: may_administer(g.user, unit)) if code else None


@bp.get("/calendar/days")
@login_required
def calendar_days():
    """A year's public holidays, swaps and admins' days (everywhere, and the unit's when asked)."""
    session = get_session()
    year = request.args.get("year", now().astimezone(TZ).year, type=int)
    if not 1900 <= year <= 2200:
        raise Invalid(f"Năm {year} không hợp lệ", {"year": "Năm từ 1900 đến 2200."})
    entries = year_listing(session, year, _unit_arg(session, request.args.get("unit")))
    return {"year": year, "items": [{"day": e.day.isoformat(), "working": e.working, "name": e.name,
                                     "source": e.source, "unit": e.unit, "document": e.document,
                                     "expected": e.expected} for e in entries]}


@bp.get("/calendar/due")
@login_required
def calendar_due():
    """Hỏi đồng hồ: the due time the engine would give for `unit`, `from` (receipt) and `limit` (P1D…)."""
    if not g.user.grants:
        raise Forbidden("Chỉ cán bộ, công chức có vai trò tại một đơn vị mới được hỏi hạn xử lý")
    session, args = get_session(), request.args
    for name in ("unit", "from", "limit"):
        if not args.get(name):
            raise Invalid(f"Thiếu tham số {name}", {name: "Bắt buộc."})
    answer = ask_due(session, get_unit(session, args["unit"]), args["from"], args["limit"])
    return {"unit": answer.unit, "from": iso(answer.received_at), "limit": answer.limit,
            "clock_start": iso(answer.clock_start), "due_at": iso(answer.due_at),
            "expected_days": [d.isoformat() for d in answer.expected]}


@bp.post("/calendar/days")
@login_required
def add_calendar_day():
    """An admin declares a day off or a make-up working day."""
    body, session = json_body(), get_session()
    row = add_day(session, body.get("day"), str(body.get("kind") or ""), g.user, now(),
                                 body.get("note"), _admin_unit(session, body.get("unit")))
    session.commit()
    return {"day": row.day.isoformat(), "kind": row.kind, "note": row.note,
            "unit": row.unit.code if row.unit else None}, 201


@bp.delete("/calendar/days/<day>")
@login_required
def remove_calendar_day(day: str):
    """An admin takes back a day (`?unit=` for a unit's own day)."""
    session = get_session()
    remove_day(session, day, g.user, now(), _admin_unit(session, request.args.get("unit")))
    session.commit()
    return {"day": day, "removed": True}


@bp.put("/units/<code>/office-hours")
@login_required
def office_hours(code: str):
    """An admin sets a unit's office hours, same-day cut-off and warning lead."""
    body, session = json_body(), get_session()
    unit = set_office_hours(session, _admin_unit(session, code), str(body.get("office_hours") or ""),
                                           str(body.get("same_day_cutoff") or "15:00"), g.user, now(),
                                           body.get("warn_before"))
    session.commit()
    return {"unit": unit.code, "office_hours": unit.office_hours, "same_day_cutoff": unit.same_day_cutoff,
            "warn_before": (unit.settings or {}).get("warn_before", DEFAULT_WARN_BEFORE)}
