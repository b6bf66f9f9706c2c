"""The 8-working-hour rule: an online submission is received, refused or answered with a supplement
request within 8 working hours of its (last complete) submission, counted on the unit's calendar.

A submission outside office hours counts from the next session start. Only dossiers still waiting
at the desk (status `submitted`, channel online) are measured; any intake decision ends the count.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.clock.statutory import calendar_for
from engine.ground.vocabulary import Channel, DossierStatus
from engine.models import Dossier

ANSWER_WITHIN_MINUTES = 8 * 60


@dataclass(frozen=True)
class OnlineAnswer:
    """When the desk must answer an online submission, and whether that time has passed."""

    due_at: datetime
    overdue: bool


def answer_due(unit, submitted: datetime) -> datetime:
    """When the desk must have answered a submission made at `submitted` (8 working hours, unit's calendar)."""
    cal = calendar_for(unit)
    return cal.add_working_minutes(cal.next_working_start(submitted), ANSWER_WITHIN_MINUTES)


def online_answer(dossier: Dossier, now: datetime) -> OnlineAnswer | None:
    """The 8-working-hour deadline of an online dossier waiting for intake, or None for any other."""
    if dossier.channel != Channel.ONLINE or dossier.status != DossierStatus.SUBMITTED:
        return None
    submitted = dossier.resubmitted_at or dossier.submitted_at
    if submitted is None:
        return None
    due = answer_due(dossier.unit, submitted)
    return OnlineAnswer(due, now > due)
