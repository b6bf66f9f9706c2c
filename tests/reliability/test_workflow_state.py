"""A dossier's process data survives its stored state on both backends (PostgreSQL's JSONB reorders keys)."""
from __future__ import annotations

import random
from uuid import UUID

from engine.dossier.workflow import load_workflow
from engine.models import Dossier, HumanTask
from tests.procedures.drive import new_dossier, ready_tasks, step


def test_every_steps_data_is_still_in_the_workflow_after_it_is_stored_and_restored(session, clock):
    dossier = new_dossier(session, clock)
    step(session, clock, dossier, "Task_Intake", "receive")
    appraisal = ready_tasks(session, dossier)[0]
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    session.expire_all()
    _state, workflow = load_workflow(session, session.get(Dossier, dossier.id))
    done = workflow.get_task_from_id(UUID(session.get(HumanTask, appraisal.id).task_uuid))
    assert done.data["intake_decision"] == "receive"
    assert done.data["appraisal_opinion"] == "Hồ sơ đầy đủ, hợp lệ"
    [approve] = [t for t in workflow.get_tasks() if t.task_spec.name == "Task_Approve"]
    assert approve.data["appraisal_decision"] == "propose_approve"  # the next step sees what came before


def test_the_restore_does_not_depend_on_the_order_of_the_stored_tasks(session, clock):
    from bpmn.process import parents_first

    dossier = new_dossier(session, clock)
    step(session, clock, dossier, "Task_Intake", "receive")
    session.expire_all()
    state, _workflow = load_workflow(session, session.get(Dossier, dossier.id))
    keys = list(state.state["tasks"])
    for seed in range(5):
        random.Random(seed).shuffle(keys)
        shuffled = {k: state.state["tasks"][k] for k in keys}
        ordered = list(parents_first(shuffled))
        for key in ordered:
            parent = shuffled[key].get("parent")
            assert parent is None or ordered.index(parent) < ordered.index(key)
        assert sorted(ordered) == sorted(keys)
