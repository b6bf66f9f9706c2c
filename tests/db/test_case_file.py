"""The case file in the engine (issue 18 A), on SQLite and PostgreSQL: the declaration in the process data,
its corrections as events, and the citizen's store (only accepted scans and results, only their own)."""
from __future__ import annotations

import pytest
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine.dossier import case_file, counter, declaration, lifecycle
from engine.dossier.documents import Upload
from engine.dossier.workflow import load_workflow
from engine.ground.errors import Forbidden, Invalid
from engine.models import Event
from tests.procedures.drive import APPLICANT, DATA, ready_tasks, user
from tests.web.test_desk_pages import PDF, PNG

DECLARED = {"child_full_name": "Nguyễn Thị Bình An", "child_birth_date": "2026-02-20", "child_gender": "nu",
            "child_ethnicity": "Kinh", "child_nationality": "Việt Nam", "child_birth_place": "Bệnh viện Phụ sản",
            "mother_full_name": "Trần Thị Mai", "requester_relationship": "me"}


def at_counter(session, clock, tmp_path, decision=DATA["receive"], applicant=APPLICANT, data=DECLARED, scans=True):
    dossier = counter.receive_at_counter(
        session, user(session, "desk1"), "1.001193", applicant, {0: 1, 1: 1, 5: 0}, [], decision, tmp_path,
        clock(), data=data, item_scans={0: [Upload("a.pdf", PDF)], 1: [Upload("b.png", PNG)]} if scans else {})
    session.commit()
    return dossier


def spiff_data(session, dossier):
    _state, workflow = load_workflow(session, dossier)
    return [t.data for t in workflow.get_tasks(state=TaskState.READY, manual=True)]


def test_the_process_data_carries_the_declaration_as_corrected(session, clock, tmp_path):
    dossier = at_counter(session, clock, tmp_path, decision=None)
    [data] = spiff_data(session, dossier)
    assert data[declaration.WORKFLOW_NAME]["child_gender"] == "nu" and data["child_full_name"] == DECLARED["child_full_name"]
    changed = declaration.correct(session, dossier, user(session, "desk1"), DECLARED | {"child_gender": "nam"},
                                  clock(), coerce=False)
    assert [c["field"] for c in changed] == ["child_gender"] and changed[0]["new_text"] == "Nam"
    [intake] = ready_tasks(session, dossier)
    lifecycle.complete_task(session, intake.id, user(session, "desk1"), DATA["receive"], clock())
    session.commit()
    [data] = spiff_data(session, dossier)  # the appraisal's data: what a gateway after intake tests
    assert data["declaration"]["child_gender"] == "nam"
    kinds = list(session.scalars(select(Event.kind).where(Event.dossier_id == dossier.id,
                                                          Event.kind.like("declaration.%"))))
    assert kinds == ["declaration.corrected"]  # before receipt


def test_a_bad_correction_changes_nothing(session, clock, tmp_path):
    dossier = at_counter(session, clock, tmp_path)
    with pytest.raises(Invalid) as caught:
        declaration.correct(session, dossier, user(session, "desk1"), DECLARED | {"mother_id_number": "12"},
                            clock(), coerce=False)
    assert "data.mother_id_number" in caught.value.fields
    session.rollback()
    assert session.get(type(dossier), dossier.id).data == DECLARED


def test_the_store_holds_accepted_scans_of_the_same_citizen_only(session, clock, tmp_path):
    kept = at_counter(session, clock, tmp_path)
    at_counter(session, clock, tmp_path, decision={"intake_decision": "refuse", "refuse_reason": "Sai thẩm quyền"})
    store = case_file.citizen_store(session, APPLICANT["id_number"])
    assert {d.dossier_id for d in store} == {kept.id} and len(store) == 2
    other = at_counter(session, clock, tmp_path, applicant=APPLICANT | {"id_number": "001099000111"})
    with pytest.raises(Forbidden):
        case_file.reuse_document(session, other, store[0].id, 1, user(session, "desk1"), clock())
    with pytest.raises(Invalid):  # the same file is already on a dossier that has these scans
        case_file.reuse_document(session, kept, store[0].id, 1, user(session, "desk1"), clock())
    later = at_counter(session, clock, tmp_path, decision=None, scans=False)
    reused = case_file.reuse_document(session, later, store[0].id, 1, user(session, "desk1"), clock())
    session.commit()
    assert reused.sha256 == store[0].sha256 and reused.reused_from_id == store[0].id
    assert store[0].id not in {d.id for d in case_file.store_of_dossier(session, later)}  # not offered twice
