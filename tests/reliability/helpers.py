"""Shared helpers of the reliability tests: extra officials, real separate connections, consistency checks."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select

from engine.dossier.workflow import load_workflow
from engine.ground.db import make_engine, make_session_factory
from engine.models import Event, HumanTask, Timer, Unit, User, WorkflowState
from engine.org.accounts import grant_role

CLIENTS = 16
TIMER_PROCEDURE = Path(__file__).resolve().parents[1] / "data" / "timer"  # 9.000002, two BPMN timers
PASSWORD = "demo1234"


def add_officials(session, prefix: str, role: str, count: int = CLIENTS, unit_code: str = "H26.70",
                  now=None) -> list[str]:
    """`count` officials holding `role` in the unit (named prefix01 …, password demo1234); their usernames."""
    unit = session.scalar(select(Unit).where(Unit.code == unit_code))
    known_hash = session.scalar(select(User.password_hash).where(User.username == "desk1"))  # demo1234
    names = []
    for i in range(1, count + 1):
        name = f"{prefix}{i:02d}"
        user = User(username=name, full_name=f"Cán bộ {name}", password_hash=known_hash, created_at=now)
        session.add(user)
        grant_role(session, user, unit, role)
        names.append(name)
    session.commit()
    return names


def wide_sessions(db_url: str, size: int = CLIENTS + 4):
    """A session factory whose pool holds a real connection for each racing client; and its engine."""
    engine = make_engine(db_url, pool_size=size, max_overflow=0)
    return make_session_factory(engine), engine


def dossier_problems(session, dossier) -> list[str]:
    """What is inconsistent in a dossier: the worklist against the workflow, steps done twice, the version counter."""
    problems = []
    _state, workflow = load_workflow(session, dossier)

    ready_in_workflow = {str(t.id) for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    rows = session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id)).all()
    ready_rows = {r.task_uuid for r in rows if r.state == "ready"}
    if ready_rows != ready_in_workflow:
        problems.append(f"{dossier.code}: worklist {sorted(ready_rows)} != workflow {sorted(ready_in_workflow)}")
    for row in rows:
        if row.state == "completed" and (row.completed_at is None or row.data is None):
            problems.append(f"{dossier.code}: task {row.id} half-completed")
    completions = Counter(e.payload.get("task") for e in session.scalars(select(Event).where(
        Event.dossier_id == dossier.id, Event.kind == "task.completed")))
    completed_rows = Counter(r.element_id for r in rows if r.state == "completed")
    if completions != completed_rows:
        problems.append(f"{dossier.code}: completion events {dict(completions)} != completed rows {dict(completed_rows)}")
    fired = session.scalar(select(func.count(Event.id)).where(Event.dossier_id == dossier.id,
                                                                 Event.kind == "timer.fired"))
    fired_rows = session.scalar(select(func.count(Timer.id)).where(Timer.dossier_id == dossier.id,
                                                                   Timer.fired_at.is_not(None)))
    if fired != fired_rows:
        problems.append(f"{dossier.code}: {fired} timer.fired events for {fired_rows} fired timers")
    expected_version = 1 + sum(completed_rows.values()) + fired
    stored = session.get(WorkflowState, dossier.id).version
    if stored != expected_version:
        problems.append(f"{dossier.code}: workflow version {stored}, expected {expected_version}")
    return problems
