"""The 8-working-hour rule in supervision: online submissions the desk answered late, or has not answered.

Each online submission (and each resubmission after a supplement request at intake) opens an intake
step at the desk; the desk must receive, refuse or ask for a supplement within 8 working hours of it
(engine.clock.online_answer, counted on the unit's calendar). A breach is an intake step of an online
dossier, opened in the quarter, that was answered after that time or is still open past it. A dossier
with several breaches counts once in the number; the report lists every breach.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock.online_answer import answer_due
from engine.ground.vocabulary import Channel, TaskState
from engine.models import Dossier, HumanTask, Unit
from engine.supervision.scope import Period


@dataclass(frozen=True)
class LateAnswer:
    """One online submission the desk did not answer within 8 working hours."""

    dossier_id: int
    code: str
    unit_name: str
    submitted_at: datetime
    answer_due_at: datetime
    answered_at: datetime | None  # None: still waiting at the desk


def late_answers(session: Session, unit_ids: frozenset[int] | set[int], period: Period,
                 now: datetime) -> list[LateAnswer]:
    """The breaches of the 8-working-hour rule among the units' online submissions of the quarter."""
    if not unit_ids:
        return []
    rows = session.execute(
        select(HumanTask.created_at, HumanTask.completed_at, HumanTask.state, Dossier.id, Dossier.code, Unit)
        .join(Dossier, Dossier.id == HumanTask.dossier_id).join(Unit, Unit.id == Dossier.unit_id)
        .where(Dossier.unit_id.in_(unit_ids), Dossier.channel == Channel.ONLINE, HumanTask.kind == "intake",
               HumanTask.state != TaskState.CANCELLED, HumanTask.created_at >= period.start,
               HumanTask.created_at < period.end, HumanTask.created_at <= now)
        .order_by(HumanTask.created_at, HumanTask.id)).all()
    found = []
    for opened, answered, state, dossier_id, code, unit in rows:
        due = answer_due(unit, opened)
        if state != TaskState.READY and answered is None:
            continue
        if (answered is not None and answered > due) or (answered is None and now > due):
            found.append(LateAnswer(dossier_id, code, unit.name, opened, due, answered))
    return found


def late_answer_ids(session: Session, unit_ids: frozenset[int] | set[int], period: Period,
                    now: datetime) -> frozenset[int]:
    """The dossiers with at least one breach (the number on the dashboard and its list)."""
    return frozenset(late.dossier_id for late in late_answers(session, unit_ids, period, now))
