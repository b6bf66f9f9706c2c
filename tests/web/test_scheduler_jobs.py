"""The scheduler keeps running when a job fails, and says so in proportion."""
from __future__ import annotations

import logging

from engine.integrations.http import IntegrationError
from webapp.scheduler import run_job


def test_a_system_out_of_reach_is_one_warning_line_and_the_job_runs_again_next_time(app, caplog):
    calls = []

    def pull_from_portal(_session, _now):
        calls.append(1)
        raise IntegrationError("GET /hoso/moi: [Errno 111] Connection refused")

    with caplog.at_level(logging.WARNING, logger="webapp.scheduler"):
        assert run_job(app, pull_from_portal) == 0
        assert run_job(app, pull_from_portal) == 0
    warnings = [r for r in caplog.records if r.name == "webapp.scheduler"]
    assert len(calls) == 2 and len(warnings) == 2
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in warnings)
    assert "pull_from_portal: GET /hoso/moi: [Errno 111] Connection refused" in warnings[0].getMessage()


def test_any_other_failure_is_logged_with_its_traceback(app, caplog):
    def broken(_session, _now):
        raise ZeroDivisionError("division by zero")

    with caplog.at_level(logging.ERROR, logger="webapp.scheduler"):
        assert run_job(app, broken) == 0
    errors = [r for r in caplog.records if r.name == "webapp.scheduler" and r.levelno == logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None and "broken" in errors[0].getMessage()
