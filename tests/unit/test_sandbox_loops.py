"""Chạy thử with loops: several values per decision walk a loop (supplement then receive, send back then
approve); steps carry their names; a run-time failure is said in Vietnamese with the element it stopped at."""
from __future__ import annotations

from pathlib import Path

from engine.catalogue.sandbox import decision_at, run_draft

FOLDER = Path(__file__).resolve().parents[2] / "procedures" / "1.001193-dang-ky-khai-sinh"
FILES = {p.name: p.read_text(encoding="utf-8") for p in FOLDER.iterdir() if p.is_file()}
CATALOGUE = {"time_limit": {"value": 1, "unit": "working_days"}}
ON = {"appraisal_decision": "propose_approve", "approval_decision": "approve", "return_method": "desk",
      "supplement_received": True}


def test_a_list_gives_each_visit_its_value_and_the_last_one_after():
    decisions = {"intake_decision": ["supplement", "receive"], "return_method": "desk"}
    assert [decision_at(decisions, n)["intake_decision"] for n in (1, 2, 3)] == ["supplement", "receive", "receive"]
    assert decision_at(decisions, 1)["return_method"] == "desk"


def test_supplement_then_receive_walks_the_intake_loop_to_the_end():
    run = run_draft(FILES, CATALOGUE, {**ON, "intake_decision": ["supplement", "receive"]})
    assert run.finished, run.stopped
    assert run.steps[:3] == ["Task_Intake", "Task_IntakeSupplement", "Task_Intake"]
    assert run.names["Task_Intake"] and run.names["Task_Intake"] != "Task_Intake"


def test_send_back_then_approve_walks_the_approval_loop():
    run = run_draft(FILES, CATALOGUE, {**ON, "intake_decision": "receive",
                                       "approval_decision": ["send_back", "approve"]})
    assert run.finished, run.stopped
    assert run.steps == ["Task_Intake", "Task_Appraise", "Task_Approve", "Task_Appraise", "Task_Approve",
                         "Task_Return"]


def test_the_same_choice_round_a_loop_stops_at_the_step_with_its_name():
    run = run_draft(FILES, CATALOGUE, {**ON, "intake_decision": "supplement"})
    assert not run.finished and run.stopped_at == "Task_Intake"
    assert run.names["Task_Intake"] in run.stopped and "dấu phẩy" in run.stopped


def test_a_gateway_without_a_matching_flow_stops_there_in_vietnamese():
    run = run_draft(FILES, CATALOGUE, {**ON, "intake_decision": "unknown"})
    assert not run.finished and run.stopped_at == "Gateway_Intake"
    assert "không có luồng đi ra nào khớp" in run.stopped and "No conditions" not in run.stopped
