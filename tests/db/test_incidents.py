"""Sự cố quy trình: a step whose diagram fails at run time stays ready, is said in Vietnamese, is kept as an
incident for the admins of its unit, and runs on when an admin retries it after a fix."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from engine.catalogue.admin import get_procedure
from engine.catalogue.procedures import publish_files
from engine.dossier import version_migration
from engine.ground.errors import Forbidden, StepFailed
from engine.models import Event, Incident
from engine.operations import incidents
from tests.procedures.drive import DATA, new_dossier, ready_tasks, step, user

RECEIVE = "intake_decision == 'receive'"


def break_current_version(session, old: str, new: str) -> dict[str, str]:
    """Turn the birth registration's current version into one that fails at run time (as a version published
    before a check existed would); returns the good files."""
    version = get_procedure(session, "1.001193").current_version
    good = dict(version.files)
    assert old in good["process.bpmn"]
    version.files = {**good, "process.bpmn": good["process.bpmn"].replace(old, new)}
    version.content_hash = hashlib.sha256(version.files["process.bpmn"].encode()).hexdigest()  # parsed once per hash
    session.commit()
    return good


def fail_intake(session, clock, dossier) -> StepFailed:
    with pytest.raises(StepFailed) as failed:
        step(session, clock, dossier, "Task_Intake", "receive")
    session.rollback()
    return failed.value


def test_a_gateway_without_a_matching_flow_stops_the_step_in_vietnamese_and_keeps_it_ready(session, clock):
    break_current_version(session, RECEIVE, "intake_decision == 'received'")
    dossier = new_dossier(session, clock)
    err = fail_intake(session, clock, dossier)
    assert err.code == "step_failed" and err.kind == "no_flow" and err.element_id == "Gateway_Intake"
    assert "không có luồng đi ra nào khớp" in err.message and "No conditions satisfied" in err.original
    assert (err.dossier_id, err.data) == (dossier.id, DATA["receive"])
    assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Intake"]


def test_a_condition_reading_a_missing_field_names_the_field(session, clock):
    break_current_version(session, RECEIVE, RECEIVE + " and so_ban_sao > 0")
    err = fail_intake(session, clock, new_dossier(session, clock))
    assert err.kind == "expression" and "hồ sơ chưa có trường 'so_ban_sao'" in err.message


def test_an_incident_is_listed_for_the_units_admins_and_counts_each_failure(session, clock):
    break_current_version(session, RECEIVE, "intake_decision == 'received'")
    dossier = new_dossier(session, clock)
    for _ in range(2):
        incidents.record(session, fail_intake(session, clock, dossier), clock())
        session.commit()
    [incident] = incidents.open_incidents(session, user(session, "admin1"))
    assert (incident.dossier_id, incident.failures, incident.source) == (dossier.id, 2, "step")
    assert incident.user_id == user(session, "desk1").id and incident.data == DATA["receive"]
    with pytest.raises(Forbidden):
        incidents.open_incidents(session, user(session, "desk1"))


def test_retry_after_migrating_to_a_fixed_version_runs_the_step_on_and_closes_the_incident(session, clock):
    good = break_current_version(session, RECEIVE, "intake_decision == 'received'")
    dossier = new_dossier(session, clock)
    incident = incidents.record(session, fail_intake(session, clock, dossier), clock())
    session.commit()
    admin = user(session, "admin1")
    with pytest.raises(StepFailed):
        incidents.retry(session, admin, incident, clock())
    session.rollback()
    fixed, created = publish_files(session, good, "1.001193", clock(), "admin1", "sửa điều kiện tiếp nhận")
    session.commit()
    assert created and incidents.newer_version(session, incident).id == fixed.id
    version_migration.migrate(session, fixed, admin, [dossier.id], clock())
    session.commit()
    assert incidents.retry(session, admin, session.get(Incident, incident.id), clock()) == "retried"
    session.commit()
    assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Appraise"]
    assert incidents.open_incidents(session, admin) == []
    resolved = session.scalars(select(Event).where(Event.kind == "incident.resolved")).one()
    assert resolved.payload["resolution"] == "retried" and resolved.user_id == admin.id


def test_retry_of_a_step_completed_since_closes_the_incident_as_gone(session, clock):
    break_current_version(session, RECEIVE, "intake_decision == 'received'")
    dossier = new_dossier(session, clock)
    incident = incidents.record(session, fail_intake(session, clock, dossier), clock())
    session.commit()
    step(session, clock, dossier, "Task_Intake", "intake_refuse")  # the refusal's flow still works
    assert incidents.retry(session, user(session, "admin1"), incident, clock()) == "gone"
    session.commit()
    assert session.get(Incident, incident.id).resolution == "gone"
