"""Conditions and scripts inside diagrams run restricted: what works, and what is refused at run time."""
from __future__ import annotations

import pytest
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from bpmn.parser import MotcuaParser, script_engine
from bpmn.scripts import RestrictedEnvironment, ScriptRefused, names_read, script_problems

DATA = {"intake_decision": "receive", "area": 120.5, "floors": 3, "documents": ["don", "ban_ve"],
        "applicant": {"ho_ten": "Nguyễn Văn A", "tinh": "Hà Nội"}, "fee": 0}


@pytest.fixture
def env() -> RestrictedEnvironment:
    return RestrictedEnvironment()


@pytest.mark.parametrize(("condition", "expected"), [
    ("intake_decision in ('receive', 'supplement')", True),
    ("intake_decision not in ('refuse',)", True),
    ("area > 100 and floors <= 3", True),
    ("area >= 250 or floors != 3", False),
    ("len(documents) == 2", True),
    ("'ban_ve' in documents", True),
    ("applicant['tinh'] == 'Hà Nội'", True),
    ("applicant.get('quan', 'none') == 'none'", True),
    ("all(d for d in documents) and not fee", True),
    ("sum(1 for d in documents if d.startswith('b')) == 1", True),
    ("f'{floors} tầng' == '3 tầng'", True),
    ("min(area, 100) == 100", True),
])
def test_a_condition_over_task_data_evaluates(env, condition, expected):
    assert env.evaluate(condition, dict(DATA)) is expected


def test_a_script_assigns_variables_into_the_task_data(env):
    data = dict(DATA)
    env.execute("fee = 500000 if area > 100 else 0\nfee += 10000 * floors\nsummary = f'{floors} tầng'", data)
    assert data["fee"] == 530000 and data["summary"] == "3 tầng"


def test_a_script_may_use_every_in_place_operator(env):
    data = {"n": 7, "tags": {"a"}}
    env.execute("n **= 2\nn //= 2\nn %= 10\ntags |= {'b'}", data)
    assert data == {"n": 4, "tags": {"a", "b"}}


def test_a_script_changes_lists_and_dicts_it_reads(env):
    data = {"items": [1], "info": {}}
    env.execute("items.append(2)\ninfo['checked'] = True", data)
    assert data == {"items": [1, 2], "info": {"checked": True}}


def test_helper_functions_a_script_defines_do_not_leak_into_the_task_data(env):
    data = {"x": 2}
    env.execute("def double(v):\n    return v * 2\ny = double(x)", data)
    assert data == {"x": 2, "y": 4}


@pytest.mark.parametrize("source", [
    "__import__('os').system('id')",
    "open('/etc/passwd').read()",
    "getattr(fee, 'real')",
    "type(fee)",
    "eval('1')",
    "fee.__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "'{0.__class__}'.format(fee)",
    "globals()",
])
def test_an_escape_from_a_condition_is_refused_at_run_time(env, source):
    with pytest.raises(ScriptRefused):
        env.evaluate(source, dict(DATA))


@pytest.mark.parametrize("source", [
    "import os",
    "from subprocess import run",
    "handle = open('/tmp/x', 'w')",
    "cls = fee.__class__",
    "loader = __builtins__",
    "x = __import__('os')",
])
def test_an_escape_from_a_script_is_refused_at_run_time_and_changes_nothing(env, source):
    data = dict(DATA)
    with pytest.raises(ScriptRefused):
        env.execute(source, data)
    assert data == DATA


def test_refusals_are_explained_in_vietnamese():
    assert script_problems("import os", "exec") == ["không được import module"]
    assert script_problems("open('x')") == ["không được dùng 'open'"]
    assert script_problems("x.__class__") == ["không được truy cập thuộc tính '__class__'"]
    assert script_problems("x ==") == ["lỗi cú pháp ở dòng 1: invalid syntax"]


def test_a_condition_names_the_fields_it_reads_without_builtins_or_its_own_variables():
    assert names_read("len(documents) > 0 and area > 100") == {"documents", "area"}
    assert names_read("any(d == kind for d in documents)") == {"documents", "kind"}


SCRIPT_DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_S"
    targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_S" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" />
    <bpmn:scriptTask id="Script_1" scriptFormat="python"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="EndEvent_1" />
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Script_1" />
    <bpmn:sequenceFlow id="F2" sourceRef="Script_1" targetRef="EndEvent_1" />
  </bpmn:process>
</bpmn:definitions>
"""


def _run(script: str) -> BpmnWorkflow:
    parser = MotcuaParser()
    parser.add_bpmn_str(SCRIPT_DIAGRAM.format(script=script).encode("utf-8"), filename="s.bpmn")
    workflow = BpmnWorkflow(parser.get_spec("Process_S"), script_engine=script_engine())
    workflow.do_engine_steps()
    return workflow


def test_a_workflow_runs_its_script_tasks_restricted():
    workflow = _run("fee = 2 * 50000")
    assert workflow.is_completed() and workflow.data["fee"] == 100000


def test_a_diagram_that_skipped_the_check_still_cannot_import_when_it_runs():
    with pytest.raises(Exception) as caught:  # noqa: PT011 - SpiffWorkflow wraps the refusal
        _run("import os")
    chain, err = [], caught.value
    while err is not None:
        chain.append(err)
        err = getattr(err, "error", None) or err.__cause__ or err.__context__
    assert any(isinstance(e, ScriptRefused) for e in chain)
