"""Parsed process versions (cached once per content hash) and workflow state without the spec."""
from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

import orjson
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SPIFF_SERIALIZER_VERSION
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG

from bpmn.entry import entry_process
from bpmn.folder import diagram_roots
from bpmn.kinds import inferred_kinds
from bpmn.messages import SERIALIZER_CONFIG as MESSAGE_CONFIG
from bpmn.parser import HUMAN_TASKS, UserTaskInfo, new_parser, script_engine, user_task_info
from bpmn.timers import SERIALIZER_CONFIG as TIMER_CONFIG
from bpmn.timers import has_timers

SERIALIZER_VERSION = f"spiff-{SPIFF_SERIALIZER_VERSION}"


def parents_first(tasks: dict) -> dict:
    """The serialized tasks reordered so each comes after its parent.

    SpiffWorkflow stores a task's data as a delta from its parent's and rebuilds it from the parent
    already restored, in the mapping's order; PostgreSQL's JSONB sorts object keys, so without this a
    restored task finds no parent yet and its data (every process variable) is silently lost.
    """
    ordered: dict = {}
    queue = deque(key for key, task in tasks.items() if task.get("parent") not in tasks)
    while queue:
        key = queue.popleft()
        if key in ordered or key not in tasks:
            continue
        ordered[key] = tasks[key]
        queue.extend(tasks[key].get("children") or [])
    ordered.update((key, task) for key, task in tasks.items() if key not in ordered)
    return ordered


class SpeclessWorkflowConverter(BpmnWorkflowConverter):
    """Serializes a workflow without its spec; the spec comes from the version cache on restore."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict:
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def restore_with(self, dct: dict, spec: Any, subprocess_specs: dict) -> BpmnWorkflow:
        """Rebuild a workflow from its state and an already parsed spec."""
        dct = _copy(dct)  # the restore pops keys; never touch the caller's dict
        dct["tasks"] = parents_first(dct["tasks"])
        for sub in dct.get("subprocesses", {}).values():
            if isinstance(sub, dict) and isinstance(sub.get("tasks"), dict):
                sub["tasks"] = parents_first(sub["tasks"])
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_CONFIG = dict(CAMUNDA_CONFIG)
_CONFIG[BpmnWorkflow] = SpeclessWorkflowConverter
_CONFIG.update(TIMER_CONFIG)
_CONFIG.update(MESSAGE_CONFIG)
SERIALIZER_REGISTRY = BpmnWorkflowSerializer.configure(_CONFIG)
_SERIALIZER = BpmnWorkflowSerializer(SERIALIZER_REGISTRY)


@dataclass
class ParsedProcess:
    """A process version parsed once: its spec, subprocess specs and user tasks."""

    process_id: str
    spec: Any
    subprocess_specs: dict
    user_tasks: dict[str, UserTaskInfo] = field(default_factory=dict)
    has_timers: bool = False

    def new_workflow(self) -> BpmnWorkflow:
        """A fresh workflow of this process with the restricted script engine."""
        return BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=script_engine())

    def dump(self, workflow: BpmnWorkflow) -> dict:
        """The workflow's state as a JSON-ready dict, without the spec."""
        SERIALIZER_REGISTRY._encoder_mode = True
        try:
            dct = _SERIALIZER.to_dict(workflow)
            try:
                return orjson.loads(orjson.dumps(dct, default=_ENCODER.default, option=_ORJSON_OPTIONS))
            except TypeError:  # what orjson refuses (integers beyond 64 bits): the standard library's way
                return json.loads(json.dumps(dct, cls=_SERIALIZER._encoder_cls))
        finally:
            SERIALIZER_REGISTRY._encoder_mode = False

    def restore(self, state: dict) -> BpmnWorkflow:
        """A running workflow from a state made by `dump`."""
        workflow = _WORKFLOW_CONVERTER.restore_with(state, self.spec, self.subprocess_specs)
        workflow.script_engine = script_engine()
        return workflow


_WORKFLOW_CONVERTER = SpeclessWorkflowConverter(BpmnWorkflow, SERIALIZER_REGISTRY)
# orjson with SpiffWorkflow's JSON encoder as the fallback for what it does not write itself; datetimes,
# dataclasses and subclasses of built-in types go to the encoder too, so the state is what the standard
# library would write (a UUID in process data, which no form or script here makes, would be written as text).
_ENCODER = _SERIALIZER._encoder_cls()
_ORJSON_OPTIONS = (orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
                   | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_NON_STR_KEYS)


def _copy(dct: dict) -> dict:
    """A deep copy of a JSON-ready dict (orjson: several times faster than copy.deepcopy or json)."""
    try:
        return orjson.loads(orjson.dumps(dct, option=orjson.OPT_NON_STR_KEYS))
    except TypeError:
        return json.loads(json.dumps(dct))


def parse_process(bpmn_files: dict[str, str]) -> ParsedProcess:
    """Parse the executable process of a version's BPMN files (name -> XML text)."""
    parser = new_parser()
    for name, text in sorted(bpmn_files.items()):
        parser.add_bpmn_str(text.encode("utf-8"), filename=name)
    if not parser.get_process_ids():
        raise ValueError("không có quy trình (bpmn:process) nào có thể thực thi")
    process_id = entry_process(list(diagram_roots(bpmn_files)))
    if process_id is None:
        raise ValueError("không xác định được quy trình bắt đầu hồ sơ: cần đúng một quy trình thực thi "
                         "không được callActivity nào gọi")
    spec = parser.get_spec(process_id)
    subprocess_specs = parser.get_subprocess_specs(process_id)
    inferred = inferred_kinds(diagram_roots(bpmn_files))  # steps without a kind (bpmn.kinds)
    user_tasks = {}
    for ts in _all_task_specs(spec, subprocess_specs):
        if isinstance(ts, HUMAN_TASKS):
            info = user_task_info(ts)
            if info.kind is None and ts.bpmn_id in inferred:
                info = replace(info, kind=inferred[ts.bpmn_id])
            user_tasks[ts.bpmn_id] = info
    return ParsedProcess(process_id, spec, subprocess_specs, user_tasks,
                         has_timers(_all_task_specs(spec, subprocess_specs)))


def _all_task_specs(spec: Any, subprocess_specs: dict):
    yield from spec.task_specs.values()
    for sub in subprocess_specs.values():
        yield from sub.task_specs.values()


_CACHE: dict[str, ParsedProcess] = {}
_LOCK = threading.Lock()


def cached_process(content_hash: str, bpmn_files: Callable[[], dict[str, str]]) -> ParsedProcess:
    """The parsed process of a published version; `bpmn_files` is called on first use only."""
    parsed = _CACHE.get(content_hash)
    if parsed is None:
        parsed = parse_process(bpmn_files())
        with _LOCK:
            _CACHE.setdefault(content_hash, parsed)
    return _CACHE[content_hash]
