"""Chạy thử: test-run a draft's process in memory, and add up the step budgets along every path.

Nothing here touches the database: the process is parsed from the draft's files, run with
sample data where the analyst chooses the gateway branches by giving decision values
(`intake_decision=receive`, …), and the path of element ids comes back with its budget sum.
`path_budgets` enumerates the loop-free paths from a start to an end event and compares each
path's sum with the procedure's legal time limit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from bpmn import budgets as bpmn_budgets
from bpmn import run_errors
from bpmn.check import NS, flow_graph
from bpmn.connector_task import attach_runner
from bpmn.connectors import CONNECTORS
from bpmn.folder import diagram_roots
from bpmn.process import parse_process
from bpmn.script_limits import ScriptBudgetExceeded, StepBudget
from engine.calendar.hours import MINUTES_PER_WORKING_DAY, parse_budget

MAX_STEPS = 100
MAX_VISITS = 3  # a loop (send back, supplement) is followed at most this often with the same decisions
MAX_PATHS = 200


@dataclass
class SandboxRun:
    """The outcome of one test-run: the elements passed, the user tasks done, the budget and the end."""

    path: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)  # user tasks, in order
    names: dict[str, str] = field(default_factory=dict)  # element id -> its name on the diagram
    stopped_at: str | None = None  # the element where it stopped (a ready step, a failing gateway)
    minutes: int = 0
    limit_minutes: int | None = None
    finished: bool = False
    stopped: str | None = None  # why the run stopped before an end event, in words

    @property
    def exceeds(self) -> bool:
        """The steps' budgets add up to more than the procedure's time limit."""
        return self.limit_minutes is not None and self.minutes > self.limit_minutes


@dataclass(frozen=True)
class PathBudget:
    """One loop-free path from a start to an end event and the sum of its steps' budgets."""

    path: tuple[str, ...]
    steps: tuple[str, ...]
    minutes: int
    exceeds: bool


def limit_minutes(catalogue: dict[str, Any]) -> int | None:
    """The procedure's time limit in working minutes (0 working days, "in the day", counts as one day)."""
    limit = catalogue.get("time_limit") or {}
    value = limit.get("value")
    if not isinstance(value, (int, float)):
        return None
    if limit.get("unit") == "working_hours":
        return int(value * 60)
    return int(max(value, 1) * MINUTES_PER_WORKING_DAY)


def _budget(text: str | None) -> int:
    try:
        return parse_budget(text) if text else 0
    except ValueError:
        return 0


def _dry_connector(task, name: str, inputs: dict) -> dict:
    """A connector in a test run: nothing leaves; its outputs are set as if it had worked."""
    return dict.fromkeys(CONNECTORS[name].outputs, True)


def decision_at(decisions: dict[str, Any], visit: int) -> dict[str, Any]:
    """The decisions for a step's `visit`-th time (1, 2, …): a list of values gives its n-th value to the
    n-th visit and its last to the visits after, so a loop is walked (supplement, then receive)."""
    return {key: (value[min(visit, len(value)) - 1] if value else None) if isinstance(value, list) else value
            for key, value in decisions.items()}


def run_draft(files: dict[str, str], catalogue: dict[str, Any], decisions: dict[str, Any],
             sample: dict[str, Any] | None = None) -> SandboxRun:
    """Run the process of `files` in memory: each user task completes with `sample` and its visit's
    decisions (decision_at); a failure is said in Vietnamese (bpmn.run_errors) with where it happened."""
    result = SandboxRun(limit_minutes=limit_minutes(catalogue))
    longest = max([len(v) for v in decisions.values() if isinstance(v, list)] + [0])
    try:
        process = parse_process({n: t for n, t in files.items() if n.endswith(".bpmn")})
        result.names = _names(process)
        workflow = process.new_workflow()
        attach_runner(workflow, _dry_connector)  # a test run sends nothing
        workflow.task_tree.data.update(sample or {})
        seen: set = set()
        visits: dict[str, int] = {}
        for _ in range(MAX_STEPS):
            workflow.do_engine_steps(will_complete_task=StepBudget())
            _collect(workflow, seen, result)
            ready = workflow.get_tasks(state=TaskState.READY, manual=True)
            if not ready:
                break
            task = ready[0]
            bpmn_id = task.task_spec.bpmn_id
            visits[bpmn_id] = visits.get(bpmn_id, 0) + 1
            if visits[bpmn_id] > max(MAX_VISITS, longest):
                result.stopped_at = bpmn_id
                result.stopped = (f"bước '{result.names.get(bpmn_id, bpmn_id)}' lặp lại quá "
                                  f"{max(MAX_VISITS, longest)} lần với cùng lựa chọn; hãy đổi lựa chọn hoặc ghi "
                                  "nhiều giá trị cách nhau bằng dấu phẩy")
                return result
            task.data.update(sample or {})
            task.data.update(decision_at(decisions, visits[bpmn_id]))
            task.run()
            info = process.user_tasks.get(bpmn_id)
            result.steps.append(bpmn_id)
            if info is None or info.kind not in bpmn_budgets.CLOCK_STOPPED_KINDS:  # the applicant's wait: clock stopped
                result.minutes += _budget(info.budget if info else None)
        _collect(workflow, seen, result)
        result.finished = workflow.is_completed()
        if not result.finished and result.stopped is None:
            waiting = workflow.get_tasks(state=TaskState.WAITING)
            result.stopped_at = waiting[0].task_spec.bpmn_id if waiting else None
            result.stopped = "quy trình dừng chờ sự kiện (hẹn giờ hoặc tin nhắn), chưa tới sự kiện kết thúc"
    except (SpiffWorkflowException, ScriptBudgetExceeded) as err:
        said = run_errors.describe(err)
        result.stopped_at = said.element_id or None
        result.stopped = f"không chạy tiếp được: {said.message}"
    except ValueError as err:
        result.stopped = f"không chạy tiếp được: {err}"
    except Exception as err:  # noqa: BLE001 - a diagram from another modeler may break the parser anywhere
        result.stopped = f"không chạy được sơ đồ này: {err}"
    return result


def element_names(files: dict[str, str]) -> dict[str, str]:
    """Element id -> its name, over the draft's diagrams (the test-run's table names its steps)."""
    return {el.get("id"): el.get("name") for _n, root in diagram_roots(files)
            for el in root.iter() if isinstance(el.tag, str) and el.get("id") and el.get("name")}


def _names(process) -> dict[str, str]:
    specs = [*process.spec.task_specs.values(), *(t for sub in process.subprocess_specs.values()
                                                   for t in sub.task_specs.values())]
    return {spec.bpmn_id: spec.bpmn_name for spec in specs if getattr(spec, "bpmn_id", None)
            and getattr(spec, "bpmn_name", None)}


def _collect(workflow, seen: set, result: SandboxRun) -> None:
    for task in workflow.get_tasks(state=TaskState.COMPLETED):
        if task.id in seen:
            continue
        seen.add(task.id)
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if bpmn_id and bpmn_id != workflow.spec.name:
            result.path.append(bpmn_id)


def path_budgets(files: dict[str, str], catalogue: dict[str, Any]) -> list[PathBudget]:
    """Every loop-free path from a start to an end event with the sum of its steps' budgets (the steps of an
    embedded subprocess on it counted by its heaviest path inside, as the check counts them)."""
    limit = limit_minutes(catalogue)
    result: list[PathBudget] = []
    for _name, root in diagram_roots(files):
        for process in root.findall("bpmn:process", NS):
            for path, steps, minutes in bpmn_budgets.path_budgets(process, flow_graph, _budget):
                result.append(PathBudget(path, steps, minutes, limit is not None and minutes > limit))
    return result[:MAX_PATHS]


__all__ = ["PathBudget", "SandboxRun", "decision_at", "element_names", "limit_minutes", "path_budgets",
           "run_draft"]
