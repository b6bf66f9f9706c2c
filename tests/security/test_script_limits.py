"""Nothing an analyst writes can stop the site: scripts and conditions have a line, time and size budget.

The cases that would hang or fill memory on unguarded code run in a child process with a timeout
and a memory limit, so that this suite fails (instead of hanging) where a bound is missing.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from bpmn.script_limits import ScriptBudgetExceeded, deadline
from bpmn.scripts import RestrictedEnvironment, ScriptRefused, script_problems
from engine.catalogue.sandbox_process import run_draft_isolated

UNBOUNDED = {
    "while True": "while True:\n    x = 1",
    "while 1": "n = 0\nwhile 1:\n    n += 1",
    "tower of powers": "x = 9**9**9",
    "huge text": "x = 'a' * 10**9",
    "huge list": "x = [0] * 10**9",
    "huge shift": "x = 1 << 10**10",
    "huge format width": "x = f'{1:>999999999}'",
    "catch everything": "try:\n    x = 1\nexcept:\n    x = 2",
    "SystemExit": "raise SystemExit(1)",
}

# Written so that no literal gives them away: the check passes them, the run must stop them.
SKIPPED_CHECK = {
    "counting loop": "x = 0\nwhile x >= 0:\n    x += 1",
    "tower of powers": "n = 9\nx = n ** n ** n",
    "text times a power": "n = 10\nx = 'a' * n ** 9",
    "sum of a huge range": "n = 10\nx = sum(range(n ** 12))",
    "pow builtin": "n = 9\nx = pow(n, n ** n)",
    "doubling text": "s = 'ab'\nfor i in range(60):\n    s = s + s",
    "in-place doubling": "s = ['ab']\nfor i in range(60):\n    s *= 2",
    "shift": "n = 10\nx = 1 << n ** 10",
    "percent width": "w = '%0' + str(10 ** 9) + 'd'\nx = w % 1",
    "ljust": "n = 10\nx = 'a'.ljust(n ** 9)",
    "join": "x = 'a' * 100000\ny = ''.join([x] * 100000)",
    "replace": "x = 'a' * 100000\nx = x.replace('a', x)",
    "list growth": "x = []\nfor i in range(100000):\n    x.append('a' * 100000)",
    "loop of loops": "t = 0\nfor i in range(100000):\n    for j in range(100000):\n        t += 1",
}


@pytest.mark.parametrize("source", UNBOUNDED.values(), ids=UNBOUNDED.keys())
def test_the_check_refuses_constructs_that_can_only_hang_or_fill_memory(source):
    assert script_problems(source, "exec"), source


def test_ordinary_arithmetic_and_text_still_pass_the_check():
    for source in ("x = 2 ** 10", "x = 'ab' * 3", "x = [0] * 12", "x = f'{3:>5}'", "x = 1 << 8",
                   "try:\n    x = int('a')\nexcept ValueError:\n    x = 0"):
        assert script_problems(source, "exec") == [], source


CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024,) * 2)
from bpmn.scripts import RestrictedEnvironment
env = RestrictedEnvironment()
try:
    env.execute(sys.argv[1], {})
    print(json.dumps({"raised": None}))
except BaseException as err:
    print(json.dumps({"raised": type(err).__name__, "base_only": not isinstance(err, Exception)}))
"""


@pytest.mark.parametrize("source", SKIPPED_CHECK.values(), ids=SKIPPED_CHECK.keys())
def test_a_script_that_skipped_the_check_stops_within_its_budget(source):
    """Run as if the check had been skipped (RestrictedEnvironment refuses only what the check names)."""
    assert script_problems(source, "exec") == [], "this case must get past the check"
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(CHILD), source], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == {"raised": "ScriptBudgetExceeded", "base_only": False}


def test_a_script_can_never_raise_system_exit_or_keyboard_interrupt_out_of_the_sandbox():
    env = RestrictedEnvironment()
    with pytest.raises(ScriptRefused):
        env.execute("raise SystemExit(3)", {})
    for escape in (SystemExit, GeneratorExit):
        with pytest.raises(ScriptRefused, match=escape.__name__):  # an escape that came in through the context
            env.execute("raise stop(3)", {}, {"stop": escape})
        with pytest.raises(ScriptRefused, match=escape.__name__):
            env.evaluate("(i for i in [1]).throw(stop)", {}, {"stop": escape})


def test_an_outer_deadline_stops_a_script_early():
    with deadline(0), pytest.raises(ScriptBudgetExceeded):
        RestrictedEnvironment().execute("x = 0\nfor i in range(100000):\n    x += 1", {})


def test_a_script_cannot_leave_more_than_a_megabyte_in_the_workflow_data():
    data: dict = {}
    with pytest.raises(ScriptBudgetExceeded, match="KB"):
        RestrictedEnvironment().execute("x = ['a' * 1000 for i in range(2000)]", data)
    assert data == {}


LOOP_DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_L"
    targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="Process_L" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" />
    <bpmn:scriptTask id="Script_1" scriptFormat="python"><bpmn:script>n = 1</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="Gateway_1" default="F3" />
    <bpmn:endEvent id="EndEvent_1" />
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Script_1" />
    <bpmn:sequenceFlow id="F2" sourceRef="Script_1" targetRef="Gateway_1" />
    <bpmn:sequenceFlow id="F3" sourceRef="Gateway_1" targetRef="Script_1" />
    <bpmn:sequenceFlow id="F4" sourceRef="Gateway_1" targetRef="EndEvent_1">
      <bpmn:conditionExpression>n == 2</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>
"""


def test_the_studio_test_run_of_a_memory_hog_ends_in_words_and_takes_its_memory_with_it():
    xml = LOOP_DIAGRAM.replace("<bpmn:script>n = 1</bpmn:script>",
                               "<bpmn:script>x = [[0] * 10000 for i in range(100000)]\nn = 2</bpmn:script>")
    run = run_draft_isolated({"process.bpmn": xml}, {"time_limit": {"value": 1, "unit": "working_days"}}, {},
                             memory_bytes=400 * 1024 * 1024)
    assert not run.finished and run.stopped
    assert "bộ nhớ" in run.stopped or "MemoryError" in run.stopped


def test_the_studio_test_run_still_runs_an_ordinary_draft():
    xml = LOOP_DIAGRAM.replace("<bpmn:script>n = 1</bpmn:script>", "<bpmn:script>n = 2</bpmn:script>")
    run = run_draft_isolated({"process.bpmn": xml}, {}, {})
    assert run.finished and run.stopped is None and "Script_1" in run.path
