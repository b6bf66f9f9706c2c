"""The statutory clock end to end, on an injected clock: supplements, extension, lateness, closure."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from engine.calendar.working import TZ
from engine.clock.lateness import control_slip
from engine.dossier import lifecycle
from engine.dossier.extension import extend_due
from engine.ground.errors import Conflict, Forbidden, Invalid
from engine.messaging.portal_status import NATIONAL_CODES
from engine.models import Event, HumanTask
from engine.operations.jobs import close_unfinished_supplements
from tests.procedures.drive import APPLICANT, CODES, new_dossier, ready_tasks, step, user


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


def event(session, dossier, kind: str) -> Event:
    return session.scalars(select(Event).where(Event.dossier_id == dossier.id, Event.kind == kind)).one()


def test_a_paused_supplement_adds_the_applicants_waiting_time_to_the_due_time(session, clock):
    dossier = new_dossier(session, clock, "permit")  # 15 working days, supplement_clock: pause
    step(session, clock, dossier, "Task_Intake", "receive")
    assert dossier.due_at == vn(2026, 3, 23, 9)
    clock.set(2026, 3, 3, 10)
    step(session, clock, dossier, "Task_Appraise", "appraisal_supplement")
    assert dossier.status == "supplement_requested" and dossier.paused_at == clock()
    clock.set(2026, 3, 5, 10)  # two working days later
    step(session, clock, dossier, "Task_Supplement", "supplied")
    assert dossier.due_at == vn(2026, 3, 25, 9) and dossier.paused_at is None
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    step(session, clock, dossier, "Task_Consult", "consult")
    step(session, clock, dossier, "Task_Approve", "approve")
    step(session, clock, dossier, "Task_Return", "return")
    assert dossier.lateness == "early"


def test_a_restarted_supplement_counts_the_full_time_limit_again(session, clock):
    dossier = new_dossier(session, clock, "business")  # 3 working days, supplement_clock: restart
    step(session, clock, dossier, "Task_Intake", "receive")
    assert dossier.due_at == vn(2026, 3, 5, 9)
    clock.set(2026, 3, 3, 10)
    step(session, clock, dossier, "Task_Appraise", "appraisal_supplement")
    clock.set(2026, 3, 9, 10)
    step(session, clock, dossier, "Task_Supplement", "supplied")
    assert dossier.due_at == vn(2026, 3, 12, 10)


def test_a_restart_policy_dossier_closes_after_fifteen_working_days_without_supplement(session, clock):
    dossier = new_dossier(session, clock, "business")
    waiting = new_dossier(session, clock, "permit")  # pause policy: never closed by the clock
    for d in (dossier, waiting):
        step(session, clock, d, "Task_Intake", "receive")
    clock.set(2026, 3, 3, 10)
    for d in (dossier, waiting):
        step(session, clock, d, "Task_Appraise", "appraisal_supplement")
    clock.set(2026, 3, 24, 9, 59)
    assert close_unfinished_supplements(session, clock()) == 0
    clock.set(2026, 3, 24, 10, 0)  # 15 working days after the request
    assert close_unfinished_supplements(session, clock()) == 1
    session.expire_all()
    assert dossier.status == "closed" and dossier.completed_at == clock()
    assert NATIONAL_CODES["closed"] == 8 and ready_tasks(session, dossier) == []
    assert "15 ngày làm việc" in event(session, dossier, "dossier.closed").payload["reason"]
    assert waiting.status == "supplement_requested"
    assert close_unfinished_supplements(session, clock()) == 0


def test_a_leader_extends_the_due_time_once_with_form_04(session, clock):
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")
    clock.set(2026, 3, 19, 9)
    with pytest.raises(Forbidden):
        extend_due(session, dossier, user(session, "specialist1"), "Hồ sơ phức tạp", "2026-03-27T17:00", clock())
    session.rollback()
    form = extend_due(session, dossier, user(session, "leader1"), "Cần xác minh thực địa", "2026-03-27T17:00",
                      clock())
    session.commit()
    assert dossier.due_at == vn(2026, 3, 27, 17) and dossier.original_due_at == vn(2026, 3, 23, 9)
    assert form["original_due_at"].startswith("2026-03-23T09:00") and form["reason"] == "Cần xác minh thực địa"
    assert form["addressee"] == APPLICANT["name"] and form["procedure_code"] == CODES["permit"]
    assert event(session, dossier, "dossier.extended").payload["new_due_at"].startswith("2026-03-27T17:00")
    with pytest.raises(Conflict) as second:
        extend_due(session, dossier, user(session, "leader1"), "Lần nữa", "2026-03-31", clock())
    assert "lần thứ hai" in second.value.message
    session.rollback()
    clock.set(2026, 3, 25, 10)
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    step(session, clock, dossier, "Task_Consult", "consult")
    step(session, clock, dossier, "Task_Approve", "approve")
    step(session, clock, dossier, "Task_Return", "return")
    assert dossier.lateness == "early"  # late against the old due time, early against the new one


@pytest.mark.parametrize(("now", "new_due", "field"), [
    (vn(2026, 3, 20, 14), "2026-03-27T17:00", "new_due_at"),  # less than a working day before the due time
    (vn(2026, 3, 19, 9), "2026-03-20T17:00", "new_due_at"),  # earlier than the current due time
    (vn(2026, 3, 19, 9), "2026-03-28", "new_due_at"),  # a Saturday
    (vn(2026, 3, 19, 9), "ngày mai", "new_due_at"),
])
def test_an_extension_too_late_or_to_a_bad_date_is_refused(session, clock, now, new_due, field):
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")
    clock.now = now
    with pytest.raises(Invalid) as refused:
        extend_due(session, dossier, user(session, "leader1"), "Lý do", new_due, clock())
    assert field in refused.value.fields
    session.rollback()
    assert dossier.extended_at is None


def test_an_extension_needs_a_reason(session, clock):
    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")
    with pytest.raises(Invalid) as refused:
        extend_due(session, dossier, user(session, "leader1"), "  ", "2026-03-27", clock())
    assert set(refused.value.fields) == {"reason"}


def test_a_late_dossier_is_classified_and_its_lateness_attributed_to_the_step_that_overran(session, clock):
    dossier = new_dossier(session, clock, "birth")  # same day: due 17:00
    step(session, clock, dossier, "Task_Intake", "receive")
    assert dossier.due_at == vn(2026, 3, 2, 17)
    clock.set(2026, 3, 3, 9)  # appraisal (PT3H, due 13:30) done the next morning
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    clock.set(2026, 3, 3, 9, 30)
    step(session, clock, dossier, "Task_Approve", "approve")
    clock.set(2026, 3, 3, 10)
    step(session, clock, dossier, "Task_Return", "return")
    assert dossier.status == "returned" and dossier.lateness == "late"
    steps = {t.element_id: t for t in session.scalars(select(HumanTask).where(HumanTask.dossier_id == dossier.id))}
    assert (steps["Task_Appraise"].lateness, steps["Task_Appraise"].overrun_minutes) == ("late", 300)
    assert steps["Task_Approve"].lateness == "on_time" and steps["Task_Intake"].lateness == "on_time"
    attribution = event(session, dossier, "dossier.classified").payload["late_steps"]
    assert attribution == [{"element_id": "Task_Appraise", "name": "Thẩm định hồ sơ", "unit": "H26.70",
                            "unit_name": steps["Task_Appraise"].unit.name, "overrun_minutes": 300}]
    slip = control_slip(session, dossier)
    assert [r.element_id for r in slip] == ["Task_Intake", "Task_Appraise", "Task_Approve", "Task_Return"]
    appraise = slip[1]
    assert (appraise.result, appraise.handed_by, appraise.received_by) == ("late", "Trần Văn Minh", "Lê Hoàng Nam")
    assert appraise.received_at == vn(2026, 3, 2, 9) and appraise.handed_over_at == vn(2026, 3, 3, 9)
    assert appraise.note == "Quá hạn 5 giờ làm việc"
    assert slip[-1].received_by == "Phạm Minh Đức"


def test_a_dossier_returned_in_the_morning_for_an_afternoon_due_time_is_early(session, clock):
    dossier = new_dossier(session, clock, "birth")
    for element, key in (("Task_Intake", "receive"), ("Task_Appraise", "propose_approve"),
                         ("Task_Approve", "approve"), ("Task_Return", "return")):
        step(session, clock, dossier, element, key)
        clock.advance(minutes=20)
    assert dossier.lateness == "early"


def test_a_postal_dossier_counts_from_its_postmark(session, clock):
    clock.set(2026, 3, 3, 9)
    dossier = lifecycle.create_dossier(session, user(session, "desk1"), CODES["business"], "post", APPLICANT, {},
                                      clock(), postmarked_at="2026-02-27T14:00:00+07:00")
    session.commit()
    assert dossier.postmarked_at == vn(2026, 2, 27, 14) and dossier.due_at == vn(2026, 3, 4, 14)
    step(session, clock, dossier, "Task_Intake", "receive")
    assert dossier.received_at == clock() and dossier.due_at == vn(2026, 3, 4, 14)


@pytest.mark.parametrize(("channel", "postmark", "field"), [
    ("in_person", "2026-02-27T16:00", "postmarked_at"),
    ("post", "2026-03-10T16:00", "postmarked_at"),  # after it arrived
    ("post", "hôm qua", "postmarked_at"),
])
def test_a_bad_postmark_is_refused(session, clock, channel, postmark, field):
    with pytest.raises(Invalid) as refused:
        lifecycle.create_dossier(session, user(session, "desk1"), CODES["business"], channel, APPLICANT, {}, clock(),
                                postmarked_at=postmark)
    assert field in refused.value.fields


def test_an_online_dossier_counts_from_its_submission_not_from_the_desks_check(session, clock):
    clock.set(2026, 3, 7, 10)  # submitted online on Saturday
    dossier = new_dossier(session, clock, "business", channel="online")
    clock.set(2026, 3, 9, 14)  # the desk checks it on Monday afternoon
    step(session, clock, dossier, "Task_Intake", "receive")
    assert dossier.received_at == clock() and dossier.due_at == vn(2026, 3, 11, 17)
