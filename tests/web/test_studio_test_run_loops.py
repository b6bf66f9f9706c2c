"""The studio's test-run page walks a loop with several values, names each step and draws the path."""
from __future__ import annotations

import json
import re

CODE = "1.001193"


def test_the_test_run_walks_a_loop_names_the_steps_and_marks_the_path_on_the_diagram(browser):
    page = browser("analyst1").post(f"/studio/{CODE}/test-run", {
        "decisions": "intake_decision=supplement, receive\nsupplement_received=true\n"
                     "appraisal_decision=propose_approve\napproval_decision=send_back, approve\n"
                     "return_method=desk"}).get_data(as_text=True)
    assert "Quy trình tới sự kiện kết thúc" in page
    steps = re.findall(r'<li data-step="([^"]+)">', page)
    assert steps == ["Task_Intake", "Task_IntakeSupplement", "Task_Intake", "Task_Appraise", "Task_Approve",
                     "Task_Appraise", "Task_Approve", "Task_Return"]
    done = json.loads(re.search(r"id=\"run-diagram\"[^>]*data-done='([^']*)'", page).group(1))
    assert "Task_IntakeSupplement" in done and done[-1] == "EndEvent_Returned"
    assert 'id="run-diagram-xml"' in page and "data-bpmn-viewer" in page


def test_a_gateway_failure_is_said_in_vietnamese_and_marked_where_it_stopped(browser):
    page = browser("analyst1").post(f"/studio/{CODE}/test-run", {"decisions": "intake_decision=nothing"})
    text = page.get_data(as_text=True)
    assert "không có luồng đi ra nào khớp" in text
    assert "data-current='[\"Gateway_Intake\"]'" in text
