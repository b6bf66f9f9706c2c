"""The scheduler's jobs. Each takes (session, now), commits its own work and returns a count.

The database is the source of truth: a job reads what is due, locks each dossier before touching
it and checks again under the lock, so several schedulers (or one restarted mid-run) never fire a
timer or write a warning twice. Locks are always taken dossier first, as complete_task does.

Each dossier's work runs alone: in its own transaction, within DOSSIER_SECONDS (every script,
condition and automatic step inside stops at that deadline, bpmn.script_limits.deadline), and a
dossier whose work failed is left alone for a while that doubles with each failure (BACKOFF), so
that one bad diagram never delays another dossier's timer. The back-off lives in this process only:
a restarted scheduler tries every dossier again once.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bpmn.script_limits import deadline
from engine.catalogue.procedures import process_of
from engine.clock.statutory import calendar_for
from engine.dossier import group
from engine.dossier.timer_firing import fire_timers_of
from engine.dossier.workflow import load_workflow, lock_dossier, save_workflow, sync_tasks
from engine.ground import events
from engine.ground.errors import StepFailed
from engine.messaging import due_warnings, outbox
from engine.models import Dossier, Timer
from engine.operations import incidents

log = logging.getLogger(__name__)
SUPPLEMENT_DEADLINE_DAYS = 15  # Decree 297/2025: a restarted clock closes the dossier after this
DOSSIER_SECONDS = 20.0
BACKOFF_FIRST, BACKOFF_MAX = timedelta(minutes=1), timedelta(hours=6)
BACKOFF: dict[int, tuple[int, datetime]] = {}  # dossier id -> (failures in a row, not before)


def backed_off(now: datetime) -> set[int]:
    """The dossiers whose last job failed and whose pause has not ended yet."""
    return {dossier_id for dossier_id, (_n, until) in BACKOFF.items() if until > now}


def _failed(dossier_id: int, now: datetime) -> None:
    failures = BACKOFF.get(dossier_id, (0, now))[0] + 1
    BACKOFF[dossier_id] = (failures, now + min(BACKOFF_FIRST * 2 ** (failures - 1), BACKOFF_MAX))


def claim_dossier(session: Session, dossier_id: int) -> Dossier | None:
    """Lock a dossier for a job; on PostgreSQL skip it (None) while someone else holds it."""
    if session.get_bind().dialect.name == "postgresql":
        got = session.scalar(select(Dossier.id).where(Dossier.id == dossier_id).with_for_update(skip_locked=True))
        if got is None:
            return None
    return lock_dossier(session, dossier_id)


def _each_dossier(session: Session, ids: list[int], work: Callable[[Dossier], int],
                  now: datetime | None = None) -> int:
    """Run `work` on each dossier under its lock, one transaction each, within DOSSIER_SECONDS; a failure
    stays local and pauses that dossier's jobs (BACKOFF)."""
    session.rollback()
    done = 0
    paused = backed_off(now) if now is not None else set()
    for dossier_id in ids:
        if dossier_id in paused:
            continue
        try:
            with deadline(DOSSIER_SECONDS):
                dossier = claim_dossier(session, dossier_id)
                done += work(dossier) if dossier is not None else 0
            session.commit()
            BACKOFF.pop(dossier_id, None)
        except StepFailed as err:  # the diagram's fault: an incident for admins, not only a log line
            session.rollback()
            if now is not None:
                _failed(dossier_id, now)
                err.dossier_id, err.source = err.dossier_id or dossier_id, "timer"
                incidents.record(session, err, now)
                session.commit()
            log.warning("scheduled job stopped on dossier %s: %s", dossier_id, err.message)
        except Exception:  # noqa: BLE001 - one broken dossier must not stop the others
            session.rollback()
            if now is not None:
                _failed(dossier_id, now)
            log.exception("scheduled job failed on dossier %s", dossier_id)
    return done


def fire_due_timers(session: Session, now: datetime, limit: int = 200) -> int:
    """Fire the BPMN timers whose time has come; returns how many fired."""
    query = select(Timer.dossier_id).where(Timer.state == "pending", Timer.fire_at <= now)
    paused = backed_off(now)
    if paused:
        query = query.where(Timer.dossier_id.not_in(paused))
    ids = list(session.scalars(query.group_by(Timer.dossier_id).order_by(func.min(Timer.fire_at)).limit(limit)))

    def fire(dossier: Dossier) -> int:
        return fire_timers_of(session, dossier, now)

    return _each_dossier(session, ids, fire, now)


def close_unfinished_supplements(session: Session, now: datetime) -> int:
    """Đóng hồ sơ: close restart-policy dossiers whose supplement has not come in 15 working days."""
    ids = list(session.scalars(select(Dossier.id).where(
        Dossier.status == "supplement_requested", Dossier.paused_at <= now - timedelta(days=SUPPLEMENT_DEADLINE_DAYS))))

    def close(dossier: Dossier) -> int:
        catalogue = dossier.version.procedure.catalogue
        if dossier.status != "supplement_requested" or catalogue.get("supplement_clock") != "restart":
            return 0
        deadline = calendar_for(dossier.unit).add_working_days(dossier.paused_at, SUPPLEMENT_DEADLINE_DAYS)
        if deadline > now:
            return 0
        state, workflow = load_workflow(session, dossier, now)
        workflow.cancel()
        sync_tasks(session, dossier, process_of(dossier.version), workflow, now)
        save_workflow(session, dossier, state, workflow, now)
        dossier.status, dossier.completed_at = "closed", now
        events.record(session, "dossier.closed", now, dossier=dossier, deadline=deadline.isoformat(),
                      reason="Quá 15 ngày làm việc không bổ sung đầy đủ hồ sơ")
        group.member_ended(session, dossier, now)
        return 1

    return _each_dossier(session, ids, close, now)


def warn_due_soon(session: Session, now: datetime) -> int:
    """Warn officials and leaders of steps and dossiers near their due time; returns messages written."""
    written = due_warnings.write_due_soon(session, now)
    session.commit()
    return written


def deliver_outbox(session: Session, now: datetime, sender: outbox.Sender | None = None,
                   adapters: Mapping[str, outbox.Sender] | None = None) -> int:
    """Hand pending outbox messages to the sender and adapters given, one committed message at a time."""
    sent = outbox.deliver_pending(session, now, sender, adapters=adapters, commit=True)
    session.commit()
    return sent


def prune_outbox(session: Session, now: datetime) -> int:
    """Delete delivered outbox messages older than outbox.RETENTION."""
    return outbox.prune_sent(session, now)


def move_groups_on(session: Session, now: datetime) -> int:
    """Liên thông: move on every open procedure group whose current members have all ended (a safety net
    behind the moves made when a member ends)."""
    moved = group.sweep(session, now)
    session.commit()
    return moved


JOBS: tuple[Callable[[Session, datetime], int], ...] = (
    fire_due_timers, warn_due_soon, close_unfinished_supplements, move_groups_on, deliver_outbox, prune_outbox)
