"""The one scheduler process (`motcua scheduler`): APScheduler runs the engine's jobs on intervals.

The jobs live in engine.operations.jobs and keep no state here: the database says what is due, so this
process can be killed, restarted or run twice without firing anything twice.
"""
from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from datetime import datetime

import click
from flask import Flask
from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.dossier import portal_intake
from engine.integrations.http import IntegrationError
from engine.operations import jobs
from engine.printing import issuance
from webapp.adapters import Adapters, adapters_of

log = logging.getLogger(__name__)
_WARNED_ON: dict[str, object] = {}  # database -> the local day its expected-days warning was last logged


def warn_expected_days(session: Session, now: datetime) -> int:
    """Log a warning (once a local day) while the calendar counts days no announcement confirms."""
    from engine.clock.announced import expected_warning

    today, database = now.astimezone(TZ).date(), str(session.get_bind().url)
    if _WARNED_ON.get(database) == today:
        return 0
    text = expected_warning(session, today)
    _WARNED_ON[database] = today
    if text:
        log.warning(text)
    return 1 if text else 0


def jobs_for(adapters: Adapters) -> list[Callable[[Session, datetime], int]]:
    """The scheduler's jobs, the outbox's and the portal's with this deployment's adapters passed in."""
    def deliver_outbox(session: Session, now: datetime) -> int:
        return jobs.deliver_outbox(session, now, adapters.notices, adapters.integrations)

    def pull_national_portal(session: Session, now: datetime) -> int:
        """Take dossiers submitted on the national portal into the intake queues (none when not configured)."""
        if adapters.national_portal is None:
            return 0
        return portal_intake.pull_submissions(session, adapters.national_portal, now)

    named = {"deliver_outbox": deliver_outbox}
    return [named.get(job.__name__, job) for job in jobs.JOBS] + [pull_national_portal, warn_expected_days]


def run_job(app: Flask, job: Callable) -> int:
    """Run one job with its own session at the app's current time; errors are logged, not raised."""
    with app.extensions["motcua"]["sessions"]() as session:
        try:
            return job(session, app.config["NOW"]())
        except IntegrationError as err:  # a system out of reach (not up yet, down): one line, tried next run
            session.rollback()
            log.warning("scheduled job %s: %s; tried again at the next run", job.__name__, err)
            return 0
        except Exception:  # noqa: BLE001 - a failing run must not stop the scheduler
            session.rollback()
            log.exception("scheduled job %s failed", job.__name__)
            return 0


def configured_jobs(app: Flask) -> list[Callable[[Session, datetime], int]]:
    """The jobs with the adapters built from the app's configuration (warns when mail cannot go out)."""
    adapters = adapters_of(app)
    if adapters.notices is None:
        log.warning("no MOTCUA_SMTP_HOST: outbox messages stay pending")
    return (jobs_for(adapters) + [issuance_job(adapters, app.config["STORAGE_DIR"]),
                                  storage_job(app.config["STORAGE_DIR"])])


ISSUANCE_SECONDS = 2.0  # approved results are signed this soon after the approval


def issuance_job(adapters: Adapters, storage_dir: str) -> Callable[[Session, datetime], int]:
    """Sign the results approved since the last run (engine.printing.issuance), every ISSUANCE_SECONDS."""
    def issue_results(session: Session, now: datetime) -> int:
        return issuance.issue_queued(session, now, adapters.signer, storage_dir)
    issue_results.interval = ISSUANCE_SECONDS  # type: ignore[attr-defined]
    return issue_results


def storage_job(storage_dir: str) -> Callable[[Session, datetime], int]:
    """The document store's collection (engine.dossier.blob_gc) as a scheduler job: files removed."""
    last: list[datetime] = []

    def collect_storage(session: Session, now: datetime) -> int:
        """At most once an hour (it walks the whole store)."""
        from engine.dossier.blob_gc import GRACE, collect

        if last and now - last[0] < GRACE:
            return 0
        last[:] = [now]
        result = collect(session, storage_dir, now)
        session.commit()
        return result.files + result.expired_staged
    return collect_storage


def run_once(app: Flask) -> dict[str, int]:
    """Run every job once, in order; returns each job's count."""
    return {job.__name__: run_job(app, job) for job in configured_jobs(app)}


def run_scheduler(app: Flask, once: bool = False, interval: float = 30.0) -> None:
    """Run every job every `interval` seconds until stopped; `once` runs each job once and returns."""
    app = getattr(app, "_get_current_object", lambda: app)()  # the jobs run in threads, outside the CLI's context
    if once:
        for name, count in run_once(app).items():
            click.echo(f"{name}: {count}")
        return
    from apscheduler.schedulers.blocking import BlockingScheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # issue_results runs every 2 s and may work longer while results queue up: a run skipped then is expected
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    for chatty in ("weasyprint", "fontTools"):  # a line per rendering step of each result otherwise
        logging.getLogger(chatty).setLevel(logging.WARNING)
    scheduler_jobs = configured_jobs(app)
    scheduler = BlockingScheduler(timezone=TZ)
    for job in scheduler_jobs:
        seconds = min(interval, getattr(job, "interval", interval))
        scheduler.add_job(run_job, "interval", seconds=seconds, args=(app, job), id=job.__name__,
                          name=job.__name__, max_instances=1, coalesce=True, next_run_time=datetime.now(TZ))
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))  # `make run` stops it so
    click.echo(f"Bộ lập lịch chạy {len(scheduler_jobs)} công việc mỗi {interval:g} giây; Ctrl+C để dừng.")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)
