"""Every bundled process survives a save/restore round trip at every step, without its spec."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from SpiffWorkflow.util.task import TaskState

from bpmn.folder import read_folder
from bpmn.process import parse_process
from tests.procedures.drive import DATA

ROOT = Path(__file__).resolve().parents[2] / "procedures"
PATHS = {
    "1.001193": ["receive", "propose_approve", "approve", "return"],
    "1.001612": ["intake_supplement", "supplied", "receive", "appraisal_supplement", "supplied",
                 "propose_approve", "send_back", "propose_refuse", "approval_refuse", "return"],
    "1.013225": ["receive", "propose_approve", "paid", "consult", "approve", "return"],
}


@pytest.mark.parametrize("code", sorted(PATHS))
def test_a_process_restored_from_its_saved_state_runs_on_identically(code):
    folder = read_folder(next(ROOT.glob(f"{code}-*")))
    process = parse_process(folder.bpmn_files)
    workflow = process.new_workflow()
    workflow.do_engine_steps()
    for key in PATHS[code]:
        state = process.dump(workflow)
        assert "spec" not in state and json.loads(json.dumps(state)) == state
        workflow = process.restore(state)
        assert process.dump(workflow) == state
        (task,) = workflow.get_tasks(state=TaskState.READY, manual=True)
        task.data.update(DATA[key])
        task.run()
        workflow.do_engine_steps()
    assert workflow.completed


def test_user_tasks_carry_role_form_budget_and_kind():
    folder = read_folder(next(ROOT.glob("1.013225-*")))
    tasks = parse_process(folder.bpmn_files).user_tasks
    consult = tasks["Task_Consult"]
    assert (consult.role, consult.form_id, consult.budget, consult.kind, consult.unit) == (
        "chuyen_vien", "consult", "P5D", "consult", "H26.39")
    assert tasks["Task_Intake"].role == "mot_cua" and tasks["Task_Approve"].kind == "approval"


def test_a_task_without_candidate_groups_takes_its_role_from_the_lane():
    from bpmn.parser import role_of

    assert role_of({"laneId": "Lane_lanh_dao"}, "Lãnh đạo UBND") == "lanh_dao"
    assert role_of({}, "thu_ky") == "thu_ky"
    assert role_of({"candidateGroups": "chuyen_vien, lanh_dao"}, None) == "chuyen_vien"
