"""Sixteen officials at once, through the engine and through the REST API of a live threaded server.

Each client has its own database connection (a pool sized for all of them). Whatever the timing:
a step completes once, one claim wins, the loser's data is not merged into the winner's, and dossier
codes are issued without gaps or duplicates.
"""
from __future__ import annotations

import threading
from collections import Counter
from uuid import UUID

import pytest
import requests
from sqlalchemy import func, select

from engine.dossier import lifecycle
from engine.dossier.counter import receive_at_counter
from engine.dossier.documents import Upload
from engine.dossier.workflow import load_workflow
from engine.ground.errors import Conflict
from engine.models import Dossier, Event, HumanTask, WorkflowState
from tests.procedures.drive import APPLICANT, DATA, new_dossier, ready_tasks, step, user
from tests.race import race
from tests.reliability.helpers import CLIENTS, TIMER_PROCEDURE, add_officials, dossier_problems, wide_sessions

ROUNDS = 3  # races of each kind per backend through the engine


@pytest.fixture
def racing(db_url):
    """A session factory with a real connection for every client."""
    factory, engine = wide_sessions(db_url)
    yield factory
    engine.dispose()


def _losers_conflict(results: list) -> tuple[list, list]:
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, Conflict) for r in losers), [repr(r) for r in losers if not isinstance(r, Conflict)]
    return winners, losers


def _events(session, dossier, kind: str) -> int:
    return session.scalar(select(func.count(Event.id)).where(Event.dossier_id == dossier.id, Event.kind == kind))


def test_sixteen_desks_completing_one_intake_step_complete_it_once(racing, session, clock):
    desks = add_officials(session, "desk_r", "mot_cua", now=clock())
    for _round in range(ROUNDS):
        dossier = new_dossier(session, clock)
        task_id = ready_tasks(session, dossier)[0].id

        def complete(s, i, task_id=task_id):
            return lifecycle.complete_task(s, task_id, user(s, desks[i]), DATA["receive"], clock()).id

        winners, losers = _losers_conflict(race(racing, CLIENTS, complete))
        assert (len(winners), len(losers)) == (1, CLIENTS - 1)
        session.expire_all()
        assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Appraise"]
        assert _events(session, dossier, "task.completed") == 1
        assert session.get(WorkflowState, dossier.id).version == 2
        assert session.get(Dossier, dossier.id).status == "received"
        assert dossier_problems(session, dossier) == []


def test_sixteen_specialists_claiming_one_step_leave_one_holder(racing, session, clock):
    specialists = add_officials(session, "spec_c", "chuyen_vien", now=clock())
    for _round in range(ROUNDS):
        dossier = new_dossier(session, clock)
        step(session, clock, dossier, "Task_Intake", "receive")
        task_id = ready_tasks(session, dossier)[0].id

        def claim(s, i, task_id=task_id):
            return lifecycle.claim_task(s, task_id, user(s, specialists[i]), clock()).assignee.username

        winners, losers = _losers_conflict(race(racing, CLIENTS, claim))
        assert len(winners) == 1 and len(losers) == CLIENTS - 1
        session.expire_all()
        assert session.get(HumanTask, task_id).assignee.username == winners[0]
        assert _events(session, dossier, "task.claimed") == 1
        assert all("đang do" in err.message for err in losers)


def test_of_sixteen_different_appraisals_one_wins_whole_and_the_others_get_conflict(racing, session, clock):
    """No lost update: the winner's opinion is stored as sent, nothing of a loser's is merged into it."""
    specialists = add_officials(session, "spec_e", "chuyen_vien", now=clock())
    for _round in range(ROUNDS):
        dossier = new_dossier(session, clock)
        step(session, clock, dossier, "Task_Intake", "receive")
        task_id = ready_tasks(session, dossier)[0].id

        def appraise(s, i, task_id=task_id):
            data = {**DATA["propose_approve"], "appraisal_opinion": f"Ý kiến của cán bộ số {i}"}
            lifecycle.complete_task(s, task_id, user(s, specialists[i]), data, clock())
            return i

        winners, losers = _losers_conflict(race(racing, CLIENTS, appraise))
        assert len(winners) == 1 and len(losers) == CLIENTS - 1
        winner = winners[0]
        session.expire_all()
        task = session.get(HumanTask, task_id)
        assert task.data["appraisal_opinion"] == f"Ý kiến của cán bộ số {winner}"
        assert user(session, specialists[winner]).id == task.completed_by_id
        _state, workflow = load_workflow(session, session.get(Dossier, dossier.id))
        spiff = workflow.get_task_from_id(UUID(task.task_uuid))
        assert spiff.data["appraisal_opinion"] == task.data["appraisal_opinion"]
        opinions = {e.payload["data"]["appraisal_opinion"] for e in session.scalars(select(Event).where(
            Event.dossier_id == dossier.id, Event.kind == "task.completed", Event.payload["task"].as_string()
            == "Task_Appraise"))}
        assert opinions == {f"Ý kiến của cán bộ số {winner}"}
        assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Approve"]
        assert dossier_problems(session, dossier) == []


def test_sixteen_desks_creating_and_receiving_at_once_get_consecutive_codes(racing, session, clock, tmp_path):
    """Half create through the API's use case, half receive at the counter with a scan: codes 1 … 16 of today."""
    desks = add_officials(session, "desk_k", "mot_cua", now=clock())
    scan = Upload("don.pdf", b"%PDF-1.4 test scan\n%%EOF")

    def create(s, i):
        actor = user(s, desks[i])
        if i % 2:
            return lifecycle.create_dossier(s, actor, "1.001193", "in_person", APPLICANT, {}, clock()).code
        return receive_at_counter(s, actor, "1.001193", APPLICANT, {0: 0, 1: 1, 5: 0}, [scan], DATA["receive"], tmp_path,
                                  clock()).code

    codes = race(racing, CLIENTS, create)
    assert all(isinstance(c, str) for c in codes), codes
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, CLIENTS + 1))
    session.expire_all()
    stored = session.scalars(select(Dossier).order_by(Dossier.code)).all()
    assert sorted(d.code for d in stored) == sorted(codes)
    for dossier in stored:
        assert dossier_problems(session, dossier) == []


# --- the same races over HTTP, against a live threaded server -------------------------------------------


def _tokens(app, session, usernames: list[str]) -> list[str]:
    """Bearer tokens as POST /auth/token issues them (the login itself is not what races here)."""
    from webapp.api.auth import issue_token

    with app.app_context():
        return [issue_token(user(session, name)) for name in usernames]


def _http_race(count: int, call) -> list[requests.Response]:
    barrier, results = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        barrier.wait()
        results[i] = call(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_sixteen_clients_over_http_claim_complete_and_create_without_a_500(app, live_server, session, clock):
    specialists = add_officials(session, "spec_h", "chuyen_vien", now=clock())
    desks = add_officials(session, "desk_h", "mot_cua", now=clock())
    spec_tokens, desk_tokens = _tokens(app, session, specialists), _tokens(app, session, desks)

    def post(token: str, path: str, body: dict) -> requests.Response:
        return requests.post(f"{live_server}/api/v1{path}", json=body, timeout=120,
                             headers={"Authorization": f"Bearer {token}"})

    dossier = new_dossier(session, clock)
    intake = ready_tasks(session, dossier)[0].id
    results = _http_race(CLIENTS, lambda i: post(desk_tokens[i], f"/tasks/{intake}/complete",
                                                 {"data": DATA["receive"]}))
    assert sorted(r.status_code for r in results) == [200] + [409] * (CLIENTS - 1), [r.text for r in results]
    assert all(r.json()["error"]["code"] == "conflict" for r in results if r.status_code == 409)

    session.expire_all()
    appraise = ready_tasks(session, dossier)[0].id
    claims = _http_race(CLIENTS, lambda i: post(spec_tokens[i], f"/tasks/{appraise}/claim", {}))
    assert sorted(r.status_code for r in claims) == [200] + [409] * (CLIENTS - 1), [r.text for r in claims]
    holder = next(i for i, r in enumerate(claims) if r.status_code == 200)

    opinions = _http_race(CLIENTS, lambda i: post(spec_tokens[i], f"/tasks/{appraise}/complete", {"data": {
        **DATA["propose_approve"], "appraisal_opinion": f"Ý kiến HTTP {i}"}}))
    assert [i for i, r in enumerate(opinions) if r.status_code == 200] == [holder]
    assert sorted(r.status_code for r in opinions) == [200] + [409] * (CLIENTS - 1)
    session.expire_all()
    assert session.get(HumanTask, appraise).data["appraisal_opinion"] == f"Ý kiến HTTP {holder}"

    before = session.scalar(select(func.count(Dossier.id)))
    created = _http_race(CLIENTS, lambda i: post(desk_tokens[i], "/dossiers", {
        "procedure_code": "1.001193", "channel": "in_person", "applicant": APPLICANT, "data": {}}))
    assert [r.status_code for r in created] == [201] * CLIENTS, [r.text for r in created]
    numbers = sorted(int(r.json()["code"].rsplit("-", 1)[1]) for r in created)
    assert numbers == list(range(before + 1, before + CLIENTS + 1))
    session.expire_all()
    for each in session.scalars(select(Dossier)):
        assert dossier_problems(session, each) == []


def test_a_due_timer_and_sixteen_completions_of_its_step_race_and_only_one_side_wins(racing, session, clock):
    """Eight schedulers fire the escalation timer of the appraisal while eight specialists complete it."""
    from engine.catalogue.procedures import publish_folder
    from engine.models import Timer
    from engine.operations.jobs import fire_due_timers

    specialists = add_officials(session, "spec_t", "chuyen_vien", now=clock())
    publish_folder(session, TIMER_PROCEDURE, clock(), "test")
    session.commit()
    outcomes = Counter()
    for _round in range(ROUNDS):
        clock.set(2026, 3, 2, 9, 0)
        dossier = lifecycle.create_dossier(session, user(session, "desk1"), "9.000002", "in_person", APPLICANT, {},
                                          clock())
        session.commit()
        step(session, clock, dossier, "Task_Intake", "receive")
        task_id = ready_tasks(session, dossier)[0].id
        clock.set(2026, 3, 2, 15, 0)  # the two working hours are over: the timer is due

        def work(s, i, task_id=task_id):
            if i % 2:
                return ("fired", fire_due_timers(s, clock()))
            lifecycle.complete_task(s, task_id, user(s, specialists[i]), DATA["propose_approve"], clock())
            return ("completed", 1)

        results = race(racing, CLIENTS, work)
        done = [r for r in results if not isinstance(r, Exception)]
        assert all(isinstance(r, Conflict) for r in results if isinstance(r, Exception)), results
        fired = sum(n for what, n in done if what == "fired")
        completed = sum(n for what, n in done if what == "completed")
        assert (fired, completed) in ((1, 0), (0, 1)), results
        session.expire_all()
        ready = [t.element_id for t in ready_tasks(session, dossier)]
        assert ready == (["Task_Escalated"] if fired else ["Task_Approve"])
        timer = session.scalar(select(Timer).where(Timer.dossier_id == dossier.id,
                                                   Timer.element_id == "Timer_Escalate"))
        assert timer.state == ("fired" if fired else "cancelled")
        assert dossier_problems(session, dossier) == []
        outcomes["timer" if fired else "step"] += 1
    assert sum(outcomes.values()) == ROUNDS
