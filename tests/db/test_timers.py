"""BPMN timers fire on time on the injected clock, through the scheduler's job, once each."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import func, select

from engine.calendar.working import TZ
from engine.catalogue.procedures import publish_folder
from engine.dossier import lifecycle
from engine.models import Event, Timer
from engine.operations.jobs import fire_due_timers
from tests.procedures.drive import APPLICANT, ready_tasks, step, user
from tests.race import race
from webapp.cli import main

TIMER_PROCEDURE = Path(__file__).resolve().parents[1] / "data" / "timer"


def timer_dossier(session, clock):
    publish_folder(session, TIMER_PROCEDURE, clock(), "test")
    dossier = lifecycle.create_dossier(session, user(session, "desk1"), "9.000002", "in_person", APPLICANT, {},
                                      clock())
    session.commit()
    return dossier


def timers_of(session, dossier) -> list[Timer]:
    session.expire_all()
    return list(session.scalars(select(Timer).where(Timer.dossier_id == dossier.id).order_by(Timer.id)))


def ready(session, dossier) -> list[str]:
    session.expire_all()
    return [t.element_id for t in ready_tasks(session, dossier)]


def test_an_escalation_after_two_working_hours_skips_the_lunch_break(session, clock):
    clock.set(2026, 3, 2, 10, 30)
    dossier = timer_dossier(session, clock)
    step(session, clock, dossier, "Task_Intake", "receive")
    [timer] = timers_of(session, dossier)
    assert (timer.element_id, timer.state) == ("Timer_Escalate", "pending")
    assert timer.fire_at.astimezone(TZ).strftime("%d/%m %H:%M") == "02/03 14:00"

    clock.set(2026, 3, 2, 13, 59)
    assert fire_due_timers(session, clock()) == 0
    assert ready(session, dossier) == ["Task_Appraise"]

    clock.set(2026, 3, 2, 14, 0)
    assert fire_due_timers(session, clock()) == 1
    assert ready(session, dossier) == ["Task_Escalated"]
    [timer] = timers_of(session, dossier)
    assert (timer.state, timer.fired_at) == ("fired", clock())
    assert fire_due_timers(session, clock()) == 0


def test_a_timer_set_on_friday_afternoon_fires_on_monday_morning(session, clock):
    clock.set(2026, 3, 6, 16, 0)  # Friday: one working hour left
    dossier = timer_dossier(session, clock)
    step(session, clock, dossier, "Task_Intake", "receive")
    [timer] = timers_of(session, dossier)
    assert timer.fire_at.astimezone(TZ).strftime("%a %d/%m %H:%M") == "Mon 09/03 08:30"
    clock.set(2026, 3, 8, 20, 0)
    assert fire_due_timers(session, clock()) == 0


def test_a_calendar_time_wait_fires_an_hour_later_even_after_office_hours(session, clock):
    clock.set(2026, 3, 2, 9, 0)
    dossier = timer_dossier(session, clock)
    step(session, clock, dossier, "Task_Intake", "receive")
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    clock.set(2026, 3, 2, 16, 30)
    step(session, clock, dossier, "Task_Approve", "approve")
    assert ready(session, dossier) == []
    wait = [t for t in timers_of(session, dossier) if t.element_id == "Timer_Wait"][0]
    assert wait.fire_at.astimezone(TZ).strftime("%H:%M") == "17:30"
    clock.set(2026, 3, 2, 17, 29)
    assert fire_due_timers(session, clock()) == 0
    clock.set(2026, 3, 2, 17, 30)
    assert fire_due_timers(session, clock()) == 1
    assert ready(session, dossier) == ["Task_Return"]


def test_a_step_finished_in_time_cancels_its_timer(session, clock):
    clock.set(2026, 3, 2, 9, 0)
    dossier = timer_dossier(session, clock)
    step(session, clock, dossier, "Task_Intake", "receive")
    clock.set(2026, 3, 2, 10, 0)
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    escalation = [t for t in timers_of(session, dossier) if t.element_id == "Timer_Escalate"][0]
    assert escalation.state == "cancelled"
    clock.set(2026, 3, 3, 9, 0)
    assert fire_due_timers(session, clock()) == 0
    assert ready(session, dossier) == ["Task_Approve"]


def test_two_schedulers_at_once_fire_each_timer_exactly_once(sessions, session, clock):
    clock.set(2026, 3, 2, 9, 0)
    created = []
    for _ in range(4):
        dossier = timer_dossier(session, clock)
        step(session, clock, dossier, "Task_Intake", "receive")
        created.append(dossier)
    clock.set(2026, 3, 2, 15, 0)
    counts = race(sessions, 2, lambda own, _i: fire_due_timers(own, clock()))
    assert sum(counts) == 4, counts
    session.expire_all()
    for dossier in created:
        fired = session.scalar(select(func.count(Event.id)).where(
            Event.dossier_id == dossier.id, Event.kind == "timer.fired"))
        assert fired == 1
        assert ready(session, dossier) == ["Task_Escalated"]
    assert fire_due_timers(session, clock()) == 0


def test_the_scheduler_command_runs_every_job_once(app, clock):
    clock.set(2026, 3, 2, 9, 0)
    with app.extensions["motcua"]["sessions"]() as session:
        dossier = timer_dossier(session, clock)
        step(session, clock, dossier, "Task_Intake", "receive")
    clock.set(2026, 3, 3, 9, 0)
    result = CliRunner().invoke(main, ["scheduler", "--once"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert "fire_due_timers: 1" in result.output
    with app.extensions["motcua"]["sessions"]() as session:
        assert ready(session, dossier) == ["Task_Escalated"]
