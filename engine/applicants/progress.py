"""Tiến độ hồ sơ: what "Hồ sơ của tôi" shows a citizen after submitting.

The steps as a timeline with dates (the dossier's events that matter to the applicant, and the
process's steps with when they began and ended; no official's name), what is asked of the
citizen now (bring a supplement, pay the fee, collect the result, rate the service), and why a
dossier ended without a result (refused, stopped at their request, closed).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import ApplicantDossier, Dossier, DossierRating, Event, HumanTask

# The dossier's events a citizen is told of, in the timeline (labels: webapp.labels, table "event").
CITIZEN_EVENTS = ("dossier.submitted", "dossier.received", "dossier.supplement_requested",
                  "dossier.supplement_received", "dossier.refused", "dossier.payment_requested", "dossier.paid",
                  "payment.paid", "dossier.extended", "dossier.done", "dossier.returned", "dossier.withdrawal_asked",
                  "dossier.stopped", "dossier.closed", "result.issued", "postal.delivered", "postal.returned")
AT_THE_DESK = "desk.submitted"  # not an event: a counter dossier's submission, which the timeline names itself
# How a dossier ended without its result, and the event that says why.
ENDINGS = {"refused": "dossier.refused", "stopped": "dossier.stopped", "closed": "dossier.closed"}
REASON_KEYS = ("reason", "note", "items")


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: an event (`kind`) or a step of the process (`name`, begun and maybe ended)."""

    at: datetime
    kind: str | None = None
    name: str | None = None
    ended_at: datetime | None = None
    current: bool = False


@dataclass(frozen=True)
class Todo:
    """Việc cần làm: what the citizen should do now; `action` is supplement, pay, collect or rate."""

    action: str
    detail: str | None = None


@dataclass(frozen=True)
class Ending:
    """Why the dossier ended without a result: the status, when, the reason and the event (its notice)."""

    status: str
    at: datetime | None
    reason: str | None
    event_id: int | None


def timeline(session: Session, dossier: Dossier) -> list[Entry]:
    """The dossier's events and steps, oldest first; the steps still open are `current`."""
    events = session.scalars(select(Event).where(Event.dossier_id == dossier.id, Event.kind.in_(CITIZEN_EVENTS))
                             .order_by(Event.at, Event.id)).all()
    entries = [Entry(e.at, kind=e.kind) for e in events]
    if dossier.submitted_at and not any(e.kind == "dossier.submitted" for e in events):
        entries.insert(0, Entry(dossier.submitted_at, kind=AT_THE_DESK))  # a counter dossier
    tasks = session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id,
                                                    HumanTask.state != "cancelled")
                            .order_by(HumanTask.created_at, HumanTask.id)).all()
    entries += [Entry(t.created_at, name=t.name, ended_at=t.completed_at, current=t.state == "ready") for t in tasks]
    return sorted(entries, key=_order_at_one_instant)


def _order_at_one_instant(entry: Entry) -> tuple:
    """At one instant: the submission, a step begun and ended then (the counter's intake), what was decided, and
    then the steps that began (the next step after a decision)."""
    if entry.kind in ("dossier.submitted", AT_THE_DESK):
        rank = 0
    elif entry.kind:
        rank = 2
    else:
        rank = 1 if entry.ended_at == entry.at else 3
    return entry.at, rank


def todo(session: Session, dossier: Dossier, link: ApplicantDossier | None, rating: DossierRating | None,
         fee_awaited: bool) -> list[Todo]:
    """What the citizen is asked to do now, most urgent first (nothing once the dossier has ended)."""
    items: list[Todo] = []
    if dossier.status in ("supplement_at_intake", "supplement_requested"):
        asked = session.scalar(select(Event).where(Event.dossier_id == dossier.id,
                                                   Event.kind == "dossier.supplement_requested")
                               .order_by(Event.id.desc()).limit(1))
        items.append(Todo("supplement", (asked.payload or {}).get("items") if asked else None))
    if fee_awaited or dossier.status == "payment_requested":
        items.append(Todo("pay"))
    if dossier.status == "done":
        items.append(Todo("collect"))
    if dossier.status == "returned" and rating is None:
        items.append(Todo("rate"))
    return items


def ending(session: Session, dossier: Dossier) -> Ending | None:
    """Why a refused, stopped or closed dossier ended, from its last such event; None for any other dossier."""
    kind = ENDINGS.get(dossier.status)
    if kind is None:
        return None
    event = session.scalar(select(Event).where(Event.dossier_id == dossier.id, Event.kind == kind)
                           .order_by(Event.id.desc()).limit(1))
    payload = (event.payload or {}) if event else {}
    reason = next((str(payload[k]) for k in REASON_KEYS if payload.get(k)), None)
    if reason is None and dossier.status == "stopped":
        link = session.get(ApplicantDossier, dossier.id)
        reason = link.withdrawal_reason if link else None
    return Ending(dossier.status, event.at if event else dossier.completed_at, reason, event.id if event else None)
