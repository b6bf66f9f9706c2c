"""Một cửa liên thông: the bundled groups LT.01 (birth) and LT.02 (death) driven end to end through the engine."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from engine.catalogue.groups import group_problems, members_of
from engine.catalogue.procedures import get_procedure
from engine.dossier import group as groups
from engine.dossier import lifecycle
from engine.dossier.stop import stop_dossier
from engine.ground.errors import Invalid
from engine.models import Dossier, DossierGroup, Unit
from engine.operations import jobs
from engine.operations.demo import DEMO_PASSWORD, demo_ward
from engine.operations.lien_thong import load_agencies, publish_lien_thong
from engine.printing.results import preview_html
from engine.supervision import metrics  # noqa: F401  (statistics per unit read the member dossiers)
from tests.procedures.drive import APPLICANT, ready_tasks, step, user

FOLDER = Path(__file__).resolve().parents[2] / "procedures" / "lien-thong"
BIRTH = {"child_full_name": "Phạm Minh An", "child_birth_date": "2026-02-20"}


@pytest.fixture
def lien_thong(session, clock):
    """The demo data holds the agencies and the bundled groups; loading them again changes nothing."""
    ward = demo_ward(session)
    load_agencies(session, [ward], clock(), DEMO_PASSWORD)
    assert all(line.endswith("(không đổi)") for line in publish_lien_thong(session, FOLDER, clock()))
    session.commit()
    return ward


def members(session, group: DossierGroup) -> dict[str, Dossier]:
    session.refresh(group)
    return {m.version.procedure.code: m for m in group.members}


def agency_step(session, clock, dossier, element, key, username):
    tasks = ready_tasks(session, dossier)
    assert [t.element_id for t in tasks] == [element]
    lifecycle.complete_task(session, tasks[0].id, user(session, username), _DATA[key], clock())
    session.commit()


_DATA = {"receive": {"intake_decision": "receive"},
         "propose_approve": {"appraisal_decision": "propose_approve", "appraisal_opinion": "Hồ sơ hợp lệ"},
         "approve": {"approval_decision": "approve"},
         "refuse": {"approval_decision": "refuse", "refuse_reason": "Không đủ điều kiện hưởng"}}


def handle(session, clock, dossier, specialist, leader, decision="approve"):
    agency_step(session, clock, dossier, "Task_Appraise", "propose_approve", specialist)
    agency_step(session, clock, dossier, "Task_Approve", decision, leader)


def handle_death(session, clock, death):
    """The ward's own member of LT.02: the desk receives the death registration, then it is appraised and approved."""
    agency_step(session, clock, death, "Task_Intake", "receive", "desk1")
    assert death.received_at is not None  # the statutory clock of the member starts at its intake
    handle(session, clock, death, "specialist1", "leader1")


def death_handled(session, clock, declaration: dict) -> tuple[DossierGroup, Dossier, dict[str, Dossier]]:
    """LT.02 received at the desk and its death registration approved: the group, that member, the members then."""
    group = lifecycle.create_group(session, user(session, "desk1"), "LT.02", "in_person", APPLICANT, declaration,
                                   clock())
    session.commit()
    death = members(session, group)["1.000656"]
    handle_death(session, clock, death)
    return group, death, members(session, group)


def test_birth_group_end_to_end_each_agency_its_own_dossier_and_lateness(session, clock, lien_thong):
    group = lifecycle.create_group(session, user(session, "desk1"), "LT.01", "in_person", APPLICANT, BIRTH, clock())
    session.commit()
    assert group.code.startswith("LT-") and group.status == "processing" and group.due_at > group.submitted_at
    opened = members(session, group)
    assert list(opened) == ["1.001193"]  # stage 2 waits for the birth certificate
    birth = opened["1.001193"]
    assert birth.unit_id == lien_thong.id and birth.data["child_full_name"] == "Phạm Minh An"
    step(session, clock, birth, "Task_Intake", "receive")
    step(session, clock, birth, "Task_Appraise", "propose_approve")
    step(session, clock, birth, "Task_Approve", "approve")
    # the birth certificate exists once approved: the next agencies start now, not when the desk hands it over
    assert set(members(session, group)) == {"1.001193", "CA.01", "BHXH.01"}
    step(session, clock, birth, "Task_Return", "return")
    opened = members(session, group)
    assert set(opened) == {"1.001193", "CA.01", "BHXH.01"}
    police, bhxh = opened["CA.01"], opened["BHXH.01"]
    assert police.unit.level == "police" and police.unit.parent_id == lien_thong.id
    assert bhxh.unit.code == "H26.BHXH"
    assert len({birth.code, police.code, bhxh.code}) == 3
    # the data flows from the declaration and the birth result: nothing retyped
    assert police.data == {"child_full_name": "Phạm Minh An", "child_birth_date": "2026-02-20",
                           "birth_dossier": birth.code}
    assert police.status == "received" and police.due_at is not None and police.received_at is not None
    assert police.channel == bhxh.channel == "in_person"  # handed over, but the citizen came to the desk
    draft = preview_html(session, police, clock(), base_url="http://motcua.test")
    assert "20/02/2026" in draft and "2026-02-20" not in draft  # the police's form has no date field to format it
    handle(session, clock, police, "police1", "police_lead1")
    assert members(session, group)["CA.01"].status == "returned" and group.status == "processing"
    clock.advance(days=7)  # the social insurance overruns its 2 working days
    handle(session, clock, bhxh, "bhxh1", "bhxh_lead1")
    session.refresh(group)
    assert group.status == "done" and group.completed_at is not None
    opened = members(session, group)
    assert opened["CA.01"].lateness in ("early", "on_time")
    assert opened["BHXH.01"].lateness == "late"  # lateness is the social insurance's, not the group desk's
    assert opened["1.001193"].lateness in ("early", "on_time")
    # statistics per agency: each member counts in its own unit
    by_unit = dict(session.execute(select(Unit.code, Dossier.lateness).join(Unit, Dossier.unit_id == Unit.id)
                                   .where(Dossier.group_id == group.id)).all())
    assert by_unit["H26.BHXH"] == "late" and by_unit[police.unit.code] != "late"
    summary = groups.group_summary(group, get_procedure(session, "LT.01").catalogue)
    assert [m["procedure"] for m in summary["members"]] == ["1.001193", "CA.01", "BHXH.01"]
    assert all(m["code"] and m["status"] == "returned" for m in summary["members"])


def test_death_group_continues_after_a_refused_member(session, clock, lien_thong):
    group, death, opened = death_handled(session, clock, {"deceased_name": "Phạm Văn Bình"})
    assert set(opened) == {"1.000656", "CA.02", "BHXH.02"}
    assert opened["CA.02"].data == {"deceased_name": "Phạm Văn Bình", "death_dossier": death.code}
    handle(session, clock, opened["BHXH.02"], "bhxh1", "bhxh_lead1", "refuse")
    session.refresh(group)
    assert group.status == "processing"  # continue: the police still deletes the residence
    handle(session, clock, opened["CA.02"], "police1", "police_lead1")
    session.refresh(group)
    assert group.status == "partial"
    assert group.data["results"]["BHXH.02"]["result"] == "refused"


def test_birth_group_stops_when_the_birth_is_refused(session, clock, lien_thong):
    group = lifecycle.create_group(session, user(session, "desk1"), "LT.01", "in_person", APPLICANT, BIRTH, clock())
    session.commit()
    birth = members(session, group)["1.001193"]
    step(session, clock, birth, "Task_Intake", "intake_refuse")
    session.refresh(group)
    assert group.status == "stopped" and list(members(session, group)) == ["1.001193"]
    assert jobs.move_groups_on(session, clock()) == 0  # nothing left waiting


def test_a_stopped_member_moves_the_group_on(session, clock, lien_thong):
    group, _death, opened = death_handled(session, clock, {})
    police = opened["CA.02"]
    stop_dossier(session, police, user(session, "police_lead1"), "Theo đề nghị của người nộp", clock())
    session.commit()
    handle(session, clock, members(session, group)["BHXH.02"], "bhxh1", "bhxh_lead1")
    session.refresh(group)
    assert group.status == "partial"


def test_check_refuses_unpublished_member_missing_agency_and_budgets_over_the_limit(session, clock, lien_thong):
    catalogue = dict(get_procedure(session, "LT.01").catalogue)
    bad = {**catalogue, "group": {"on_member_refused": "stop", "members": [
        {"procedure": "9.999999", "unit_kind": "commune", "stage": 1, "budget": {"value": 1, "unit": "working_days"}},
        {"procedure": "CA.01", "unit": "H26.KHONG", "stage": 2, "budget": {"value": 1, "unit": "working_days"}},
        {"procedure": "BHXH.01", "unit_kind": "tax", "stage": 2, "budget": {"value": 1, "unit": "working_days"}}]}}
    messages = [p.message for p in group_problems(session, bad, "LT.01")]
    assert any("9.999999 chưa được công bố" in m for m in messages)
    assert any("không có đơn vị H26.KHONG" in m for m in messages)
    assert any("chưa có đơn vị loại tax" in m for m in messages)
    over = {**catalogue, "group": {**catalogue["group"], "members": [
        {**m, "budget": {"value": 2, "unit": "working_days"}} for m in members_of(catalogue)]}}
    assert any("vượt thời hạn của nhóm" in p.message for p in group_problems(session, over, "LT.01"))
    with pytest.raises(Invalid):
        lifecycle.create_group(session, user(session, "desk1"), "1.001193", "in_person", APPLICANT, {}, clock())
