"""Checks of BPMN diagrams: XSD, what we can execute, roles, forms, budgets, conditions, reachability."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import XSD_PATH
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from bpmn.parser import TASK_KINDS, MotcuaParser, role_of
from bpmn.scripts import names_read, script_problems

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
NS = {"bpmn": BPMN, "camunda": CAMUNDA}
UNSUPPORTED = {
    "complexGateway": "cổng phức hợp (complexGateway)",
    "serviceTask": "tác vụ dịch vụ (serviceTask) gọi mã Java",
    "sendTask": "tác vụ gửi (sendTask)",
    "receiveTask": "tác vụ nhận (receiveTask)",
    "businessRuleTask": "bảng quyết định DMN (businessRuleTask)",
    "transaction": "giao dịch (transaction)",
    "adHocSubProcess": "tiến trình con ad-hoc",
    "callActivity": "gọi tiến trình khác (callActivity)",
}
FLOW_NODES = ("startEvent", "endEvent", "userTask", "scriptTask", "task", "manualTask", "exclusiveGateway",
              "parallelGateway", "inclusiveGateway", "eventBasedGateway", "intermediateCatchEvent",
              "intermediateThrowEvent", "boundaryEvent", "subProcess", *UNSUPPORTED)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, naming the file, line and BPMN element."""

    file: str
    line: int
    element: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.element or '-'}: {self.message}"


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(XSD_PATH))


def check_bpmn(name: str, text: str, form_keys: dict[str, set[str]] | None = None,
               extra_keys: frozenset[str] = frozenset(),
               budget_parser: Callable[[str], object] | None = None) -> list[Problem]:
    """Every problem of one BPMN file; `form_keys` maps form ids of the folder to their field keys."""
    try:
        root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as err:
        return [Problem(name, err.lineno or 0, "", f"XML không hợp lệ: {err.msg}")]
    schema = _schema()
    if not schema.validate(root):
        return [Problem(name, e.line, "", f"không đúng lược đồ BPMN 2.0: {e.message}") for e in schema.error_log]
    problems = _unsupported(name, root)
    processes = root.findall("bpmn:process", NS)
    if not any(p.get("isExecutable") == "true" for p in processes):
        problems.append(Problem(name, 0, "", "không có quy trình nào đánh dấu isExecutable=\"true\""))
    for process in processes:
        problems += _user_task_problems(name, process, form_keys, budget_parser)
        problems += _script_problems(name, process)
        problems += _reachability(name, process)
        problems += _decision_fields(name, process, form_keys, extra_keys)
    if not problems:
        problems += _spiff_parse(name, text)
    return sorted(set(problems))


def _unsupported(name: str, root) -> list[Problem]:
    out = []
    for tag, what in UNSUPPORTED.items():
        for el in root.iter(f"{{{BPMN}}}{tag}"):
            out.append(Problem(name, el.sourceline or 0, el.get("id", ""), f"chưa hỗ trợ thực thi {what}"))
    for el in root.iter():
        for attr in ("class", "delegateExpression", "expression"):
            if el.get(f"{{{CAMUNDA}}}{attr}") is not None:
                out.append(Problem(name, el.sourceline or 0, el.get("id", ""),
                                   f"chưa hỗ trợ camunda:{attr} (mã Java hoặc biểu thức của Camunda)"))
    return out


def _properties(task) -> dict[str, str]:
    props = task.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS)
    return {p.get("name"): p.get("value") for p in props}


def _lane_of(process, element_id: str):
    for lane in process.iter(f"{{{BPMN}}}lane"):
        if any((ref.text or "").strip() == element_id for ref in lane.findall("bpmn:flowNodeRef", NS)):
            return lane
    return None


def _user_task_problems(name, process, form_keys, budget_parser) -> list[Problem]:
    out = []
    for task in process.iter(f"{{{BPMN}}}userTask"):
        tid, line = task.get("id", ""), task.sourceline or 0
        props = _properties(task)
        lane = _lane_of(process, tid)
        ext = {"candidateGroups": task.get(f"{{{CAMUNDA}}}candidateGroups"),
               "laneId": lane.get("id") if lane is not None else None}
        if not role_of(ext, lane.get("name") if lane is not None else None):
            out.append(Problem(name, line, tid, "tác vụ người dùng chưa có vai trò (camunda:candidateGroups hoặc làn)"))
        form_ref = task.get(f"{{{CAMUNDA}}}formRef")
        if not form_ref:
            out.append(Problem(name, line, tid, "tác vụ người dùng chưa có biểu mẫu (camunda:formRef)"))
        elif form_keys is not None and form_ref not in form_keys:
            out.append(Problem(name, line, tid, f"biểu mẫu '{form_ref}' không có trong thư mục thủ tục"))
        if props.get("kind") and props["kind"] not in TASK_KINDS:
            out.append(Problem(name, line, tid, f"kind '{props['kind']}' không hợp lệ (một trong {', '.join(TASK_KINDS)})"))
        if props.get("budget") and budget_parser is not None:
            try:
                budget_parser(props["budget"])
            except ValueError as err:
                out.append(Problem(name, line, tid, f"budget: {err}"))
    return out


def _script_problems(name, process) -> list[Problem]:
    out = []
    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        cond = flow.find("bpmn:conditionExpression", NS)
        if cond is not None and (cond.text or "").strip():
            for msg in script_problems(cond.text.strip(), "eval"):
                out.append(Problem(name, cond.sourceline or 0, flow.get("id", ""), f"điều kiện: {msg}"))
    for task in process.iter(f"{{{BPMN}}}scriptTask"):
        script = task.find("bpmn:script", NS)
        for msg in script_problems((script.text or "") if script is not None else "", "exec"):
            out.append(Problem(name, task.sourceline or 0, task.get("id", ""), f"kịch bản: {msg}"))
    return out


def _graph(process) -> tuple[dict, dict, dict]:
    nodes = {el.get("id"): el for tag in FLOW_NODES for el in process.iter(f"{{{BPMN}}}{tag}")}
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    pred: dict[str, list[str]] = {n: [] for n in nodes}
    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        src, dst = flow.get("sourceRef"), flow.get("targetRef")
        if src in succ and dst in pred:
            succ[src].append(dst)
            pred[dst].append(src)
    for el in nodes.values():
        attached = el.get("attachedToRef")
        if attached in succ:
            succ[attached].append(el.get("id"))
            pred[el.get("id")].append(attached)
    return nodes, succ, pred


def _walk(starts, edges) -> set[str]:
    seen, stack = set(), list(starts)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return seen


def _reachability(name, process) -> list[Problem]:
    nodes, succ, _pred = _graph(process)
    starts = [n for n, el in nodes.items() if etree.QName(el).localname == "startEvent"]
    if not starts:
        return [Problem(name, process.sourceline or 0, process.get("id", ""), "quy trình không có sự kiện bắt đầu")]
    reached = _walk(starts, succ)
    for sub in (el for el in nodes.values() if etree.QName(el).localname == "subProcess"):
        if sub.get("id") in reached:
            reached |= {el.get("id") for el in sub.iter() if el.get("id") in nodes}
    return [Problem(name, el.sourceline or 0, n, "phần tử không thể tới được từ sự kiện bắt đầu")
            for n, el in nodes.items() if n not in reached]


def _decision_fields(name, process, form_keys, extra_keys) -> list[Problem]:
    if form_keys is None:
        return []
    nodes, _succ, pred = _graph(process)
    out = []
    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        cond = flow.find("bpmn:conditionExpression", NS)
        if cond is None or not (cond.text or "").strip() or script_problems(cond.text.strip(), "eval"):
            continue
        earlier = _walk(pred.get(flow.get("sourceRef"), ()), pred)
        known = set(extra_keys)
        for node_id in earlier:
            el = nodes[node_id]
            known |= form_keys.get(el.get(f"{{{CAMUNDA}}}formRef") or "", set())
            if etree.QName(el).localname == "scriptTask":
                known |= _assigned_names(el)
        for field in sorted(names_read(cond.text.strip()) - known):
            out.append(Problem(name, cond.sourceline or 0, flow.get("id", ""),
                               f"điều kiện đọc trường '{field}' không có trong biểu mẫu của bước nào trước đó"))
    return out


def _assigned_names(script_task) -> set[str]:
    import ast

    script = script_task.find("bpmn:script", NS)
    try:
        tree = ast.parse((script.text or "") if script is not None else "")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _spiff_parse(name: str, text: str) -> list[Problem]:
    parser = MotcuaParser()
    try:
        parser.add_bpmn_str(text.encode("utf-8"), filename=name)
        for process_id in parser.get_process_ids():
            parser.get_spec(process_id)
    except ValidationException as err:
        return [Problem(name, int(err.line_number or 0), err.id or "", f"không thể thực thi: {err}")]
    except Exception as err:  # noqa: BLE001 - a diagram from another modeler may break the parser anywhere
        return [Problem(name, 0, "", f"không thể thực thi: {err}")]
    return []
