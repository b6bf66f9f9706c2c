"""The scheduler: one dossier's failing job never delays another's, and is retried later, less and less often."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bpmn.script_limits import ScriptBudgetExceeded
from bpmn.scripts import RestrictedEnvironment
from engine.operations import jobs
from tests.procedures.drive import new_dossier


@pytest.fixture(autouse=True)
def no_backoff():
    jobs.BACKOFF.clear()
    yield
    jobs.BACKOFF.clear()


def test_a_failing_dossier_is_backed_off_while_the_others_go_on(session, clock):
    bad, good = new_dossier(session, clock).id, new_dossier(session, clock).id
    seen: list[int] = []

    def work(dossier):
        seen.append(dossier.id)
        if dossier.id == bad:  # a diagram whose timer script loops: its budget ends it with an error
            RestrictedEnvironment().execute("x = 0\nwhile x >= 0:\n    x += 1", {})
        return 1

    now = clock()
    with jobs_deadline(0.5):
        assert jobs._each_dossier(session, [bad, good], work, now) == 1
    assert seen == [bad, good] and jobs.backed_off(now) == {bad}
    seen.clear()
    assert jobs._each_dossier(session, [bad, good], work, now + timedelta(seconds=30)) == 1
    assert seen == [good]  # the bad one waits out its pause
    seen.clear()
    with jobs_deadline(0.5):
        jobs._each_dossier(session, [bad, good], work, now + timedelta(minutes=2))
    assert seen == [bad, good]
    failures, until = jobs.BACKOFF[bad]
    assert failures == 2 and until == now + timedelta(minutes=2) + jobs.BACKOFF_FIRST * 2


def test_a_dossier_that_works_again_loses_its_pause(session, clock):
    dossier = new_dossier(session, clock).id
    jobs._failed(dossier, clock())
    jobs._each_dossier(session, [dossier], lambda d: 1, clock() + timedelta(hours=1))
    assert dossier not in jobs.BACKOFF


class jobs_deadline:  # noqa: N801 - shortens the per-dossier deadline so the looping script ends soon
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self):
        self.saved, jobs.DOSSIER_SECONDS = jobs.DOSSIER_SECONDS, self.seconds

    def __exit__(self, *exc):
        jobs.DOSSIER_SECONDS = self.saved


def test_the_per_dossier_deadline_reaches_every_script_inside(session, clock):
    dossier = new_dossier(session, clock).id
    raised = []

    def work(_dossier):
        try:
            RestrictedEnvironment().execute("x = 0\nfor i in range(100000):\n    x += 1", {})
        except ScriptBudgetExceeded as err:
            raised.append(str(err))
            raise
        return 1

    with jobs_deadline(0):
        assert jobs._each_dossier(session, [dossier], work, clock()) == 0
    assert raised and "thời gian" in raised[0]
