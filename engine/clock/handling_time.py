"""Thời gian giải quyết: a released dossier's handling time in working minutes.

From receipt to release on the handling unit's calendar, less the working time the dossier
waited for the applicant's supplement or fee (its `supplement` and `payment` steps after receipt): the time
Decision 766 counts. Stored on the dossier when it is classified, so that a city's dashboard
sums a column instead of walking calendars; the dashboard computes it for rows without it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock.statutory import calendar_for
from engine.models import Dossier, HumanTask

APPLICANT_STEP = "supplement"
APPLICANT_STEPS = (APPLICANT_STEP, "payment")  # the applicant's waits: a supplement, a fee to pay


def handling_minutes(session: Session, dossier: Dossier, released: datetime | None = None,
                     tasks: list[HumanTask] | None = None) -> int | None:
    """Working minutes from receipt to release (default: its completion) less the supplement waiting;
    None for a dossier never received or not yet released. `tasks`: every worklist row of the dossier, if
    the caller holds them (else the waits are read)."""
    released = released or dossier.completed_at
    if dossier.received_at is None or released is None:
        return None
    cal = calendar_for(dossier.unit)
    if tasks is None:
        waits = session.execute(select(HumanTask.created_at, HumanTask.completed_at).where(
            HumanTask.dossier_id == dossier.id, HumanTask.kind.in_(APPLICANT_STEPS),
            HumanTask.completed_at.is_not(None), HumanTask.created_at >= dossier.received_at)).all()
    else:
        waits = [(t.created_at, t.completed_at) for t in tasks if t.kind in APPLICANT_STEPS
                 and t.completed_at is not None and t.created_at >= dossier.received_at]
    waited = sum(max(0, cal.working_minutes_between(start, end)) for start, end in waits)
    return max(0, cal.working_minutes_between(dossier.received_at, released) - waited)
