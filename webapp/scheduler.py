"""The one scheduler process: periodic jobs with their own sessions."""
from __future__ import annotations

import time

import click
from flask import Flask

JOBS: list = []


def run_scheduler(app: Flask, once: bool = False, interval: float = 60.0) -> None:
    """Run every registered job, then wait; each job gets its own session and commit."""
    while True:
        for job in JOBS:
            with app.extensions["motcua"]["sessions"]() as session:
                job(session, app.config["NOW"]())
                session.commit()
        if once:
            click.echo(f"Đã chạy {len(JOBS)} công việc định kỳ.")
            return
        time.sleep(interval)
