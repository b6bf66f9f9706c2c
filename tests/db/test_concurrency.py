"""Concurrency is real: two officials on one task, many desks issuing codes at once."""
from __future__ import annotations

from sqlalchemy import select

from engine.dossier import lifecycle
from engine.ground.errors import Conflict
from engine.models import Dossier
from tests.procedures.drive import APPLICANT, DATA, new_dossier, ready_tasks, user
from tests.race import race


def test_of_two_concurrent_completions_of_one_task_exactly_one_wins(sessions, session, clock):
    dossier = new_dossier(session, clock)
    task_id = ready_tasks(session, dossier)[0].id

    def complete(s, _i):
        return lifecycle.complete_task(s, task_id, user(s, "desk1"), DATA["receive"], clock()).id

    results = race(sessions, 2, complete)
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "int"], results
    conflict = next(r for r in results if isinstance(r, Conflict))
    assert "đã được xử lý" in conflict.message or "người khác" in conflict.message
    if "đã được xử lý" in conflict.message:  # the second official learns who did it and that nothing was kept
        assert f"bởi {user(session, 'desk1').full_name} lúc" in conflict.message
        assert conflict.message.endswith("nội dung bạn vừa nhập chưa được lưu.")
    session.expire_all()
    assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Appraise"]


def test_concurrent_desks_issue_codes_without_gaps_or_duplicates(sessions, session, clock):
    def create(s, _i):
        return lifecycle.create_dossier(s, user(s, "desk1"), "1.001193", "in_person", APPLICANT, {}, clock()).code

    results = race(sessions, 6, create)
    assert all(isinstance(r, str) for r in results), results
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in results)
    assert numbers == list(range(1, 7))
    stored = session.scalars(select(Dossier.code)).all()
    assert sorted(stored) == sorted(results)


def test_a_failed_creation_gives_its_number_back(session, clock):
    first = new_dossier(session, clock)
    try:
        lifecycle.create_dossier(session, user(session, "desk1"), "1.001193", "in_person", {"name": ""}, {}, clock())
    except Exception:  # noqa: BLE001
        session.rollback()
    second = new_dossier(session, clock)
    assert int(second.code[-4:]) == int(first.code[-4:]) + 1
