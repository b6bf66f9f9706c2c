"""Sự cố quy trình: dossiers whose process stopped on an error, for admins to see, retry or migrate.

A step whose diagram fails (a script or condition error, a gateway with no matching flow) rolls back: the
step stays ready and nothing moved. `record` then keeps, in a transaction of its own, what failed and what
would run it again: the step and the data its official sent, or the dossier's due timers. The same failure
again adds to the count of the open incident. An admin retries after a fix (a newer version the dossier was
migrated to, or data the process needed); a retry that works closes the incident.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from engine.dossier import lifecycle, workflow
from engine.dossier.step import open_step
from engine.dossier.timer_firing import fire_timers_of
from engine.ground import events
from engine.ground.errors import Conflict, Forbidden, NotFound, StepFailed
from engine.ground.vocabulary import ENDED, TaskState
from engine.models import Dossier, HumanTask, Incident, ProcedureVersion, User
from engine.org.accounts import has_role
from engine.org.tree import admin_scope, within


def record(session: Session, err: StepFailed, now: datetime) -> Incident | None:
    """Keep the failure as an open incident of its dossier (None when the dossier is not stored, as when
    the first steps of a new dossier fail); the same element failing again counts on the open one."""
    if err.dossier_id is None or session.get(Dossier, err.dossier_id) is None:
        return None
    incident = session.scalar(select(Incident).where(
        Incident.dossier_id == err.dossier_id, Incident.element_id == err.element_id,
        Incident.source == err.source, Incident.resolved_at.is_(None)))
    if incident is None:
        incident = Incident(dossier_id=err.dossier_id, source=err.source, element_id=err.element_id, kind=err.kind,
                            message=err.message, original=err.original, failures=0, first_at=now)
        session.add(incident)
    incident.failures += 1
    incident.last_at, incident.message, incident.original = now, err.message, err.original
    incident.task_id, incident.user_id, incident.data = err.task_id, err.user_id, dict(err.data or {})
    session.flush()
    return incident


def _require_admin(user: User | None) -> None:
    if user is None or not has_role(user, "admin"):
        raise Forbidden("Chỉ quản trị viên được xem và xử lý sự cố quy trình")


def open_incidents(session: Session, user: User | None) -> list[Incident]:
    """The open incidents of the dossiers whose handling unit the admin administers, latest first."""
    _require_admin(user)
    scope = admin_scope(session, user)
    rows = session.scalars(select(Incident).where(Incident.resolved_at.is_(None))
                           .options(joinedload(Incident.dossier).joinedload(Dossier.version)
                                    .joinedload(ProcedureVersion.procedure))
                           .order_by(Incident.last_at.desc(), Incident.id.desc()))
    return [row for row in rows if within(scope, row.dossier.unit_id)]


def get_incident(session: Session, user: User | None, incident_id: int) -> Incident:
    """One incident the admin may handle; NotFound otherwise (also for another unit's)."""
    _require_admin(user)
    incident = session.get(Incident, incident_id)
    if incident is None or not within(admin_scope(session, user), incident.dossier.unit_id):
        raise NotFound(f"Không có sự cố số {incident_id}")
    return incident


def newer_version(session: Session, incident: Incident) -> ProcedureVersion | None:
    """The procedure's current version when the dossier runs an older one (a migration target)."""
    procedure = incident.dossier.version.procedure
    current = procedure.current_version
    return current if current is not None and current.id != incident.dossier.procedure_version_id else None


def retry(session: Session, user: User | None, incident: Incident, now: datetime, issue=None) -> str:
    """Thử lại: run what failed again, on the dossier's version as it is now. Returns "retried" (it ran on:
    the incident is closed) or "gone" (nothing is left to run: the step was completed, the dossier ended).
    A failure again raises StepFailed (the caller rolls back and records it)."""
    _require_admin(user)
    if incident.resolved_at is not None:
        raise Conflict(f"Sự cố số {incident.id} đã được xử lý")
    source, task_id = incident.source, incident.task_id
    outcome = _run_again(session, incident, now, issue)
    incident = session.get(Incident, incident.id)
    incident.resolved_at, incident.resolved_by_id, incident.resolution = now, user.id, outcome
    events.record(session, "incident.resolved", now, dossier=incident.dossier, user=user,
                  message=incident.element_id, incident=incident.id, resolution=outcome, source=source,
                  task=task_id)
    return outcome


def _run_again(session: Session, incident: Incident, now: datetime, issue) -> str:
    dossier = workflow.lock_dossier(session, incident.dossier_id)
    if dossier is None or dossier.status in ENDED:
        return "gone"
    try:
        if incident.source == "step":
            task = session.get(HumanTask, incident.task_id) if incident.task_id else None
            if task is None or task.state != TaskState.READY:
                return "gone"
            locked = open_step(session, task.id)
            official = session.get(User, incident.user_id) if incident.user_id else None
            lifecycle.run_step(session, locked, official, dict(incident.data), now, issue)
            return "retried"
        return "retried" if fire_timers_of(session, dossier, now) else "gone"
    except StepFailed as err:
        err.dossier_id, err.source = incident.dossier_id, incident.source
        raise
