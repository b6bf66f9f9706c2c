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
from engine.dossier import portal_intake, shipments
from engine.integrations import national_portal
from engine.messaging import delivery, outbox
from engine.operations.jobs import JOBS as ENGINE_JOBS

PORTAL: national_portal.NationalPortal | None = None  # set by configure_delivery


def pull_national_portal(session: Session, now: datetime) -> int:
    """Take dossiers submitted on the national portal into the intake queues (none when not configured)."""
    if PORTAL is None:
        return 0
    return portal_intake.pull_submissions(session, PORTAL, now)


JOBS: list[Callable] = [*ENGINE_JOBS, pull_national_portal]
log = logging.getLogger(__name__)


def run_job(app: Flask, job: Callable) -> int:
    """Run one job with its own session at the app's current time; errors are logged, not raised."""
    with app.extensions["motcua"]["sessions"]() as session:
        try:
            return job(session, app.config["NOW"]())
        except Exception:  # noqa: BLE001 - a failing run must not stop the scheduler
            session.rollback()
            log.exception("scheduled job %s failed", job.__name__)
            return 0


def configure_delivery(app: Flask) -> None:
    """Deliver the outbox through the configured SMTP server and SMS simulator (engine.messaging.delivery) and the
    national portal adapter (engine.integrations.national_portal)."""
    global PORTAL
    outbox.SENDER = delivery.sender_from_config(app.config, app.instance_path)
    if outbox.SENDER is None:
        log.warning("no MOTCUA_SMTP_HOST: outbox messages stay pending")
    PORTAL = national_portal.portal_from_config(app.config)
    outbox.ADAPTERS.clear()
    if PORTAL is not None:
        outbox.ADAPTERS[national_portal.KIND] = national_portal.PortalSender(PORTAL)
    postal_sender = shipments.sender_from_config(app.config, app.config["NOW"])
    if postal_sender is not None:  # results sent by post are booked at the postal service (engine.dossier.shipments)
        outbox.ADAPTERS[shipments.KIND] = postal_sender


def run_once(app: Flask) -> dict[str, int]:
    """Run every job once, in order; returns each job's count."""
    configure_delivery(app)
    return {job.__name__: run_job(app, job) for job in JOBS}


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
    configure_delivery(app)
    scheduler = BlockingScheduler(timezone=TZ)
    for job in JOBS:
        scheduler.add_job(run_job, "interval", seconds=interval, args=(app, job), id=job.__name__,
                          name=job.__name__, max_instances=1, coalesce=True, next_run_time=datetime.now(TZ))
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))  # `make run` stops it so
    click.echo(f"Bộ lập lịch chạy {len(JOBS)} công việc mỗi {interval:g} giây; Ctrl+C để dừng.")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)
