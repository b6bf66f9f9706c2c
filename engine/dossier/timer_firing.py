"""Firing a dossier's due BPMN timers: the scheduler's job and an incident's retry run the same code."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.catalogue.procedures import process_of
from engine.dossier import group, workflow_end
from engine.dossier.workflow import load_workflow, run_engine_steps, save_workflow, sync_tasks
from engine.models import Dossier, Timer


def fire_timers_of(session: Session, dossier: Dossier, now: datetime) -> int:
    """Fire the locked dossier's timers due by `now` and run its process on; returns how many were due
    (0 when another scheduler was first). A process that cannot run on raises StepFailed."""
    due = session.scalar(select(func.count(Timer.id)).where(
        Timer.dossier_id == dossier.id, Timer.state == "pending", Timer.fire_at <= now))
    if not due:
        return 0
    state, workflow = load_workflow(session, dossier, now)
    workflow.refresh_timers()
    run_engine_steps(workflow)
    sync_tasks(session, dossier, process_of(dossier.version), workflow, now)
    save_workflow(session, dossier, state, workflow, now)
    workflow_end.workflow_completed(session, dossier, workflow, now)
    group.member_ended(session, dossier, now)  # a member of a liên thông group that ended moves its group on
    return due
