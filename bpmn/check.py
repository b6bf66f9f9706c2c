"""Checks of BPMN diagrams: XSD, what we can execute, roles, forms, budgets, conditions, reachability."""
from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import XSD_PATH

from bpmn import juel
from bpmn.budgets import budget_problems
from bpmn.camunda_assign import assignee_ref, candidate_refs, candidate_refusal
from bpmn.camunda_assign import refusal as assign_refusal
from bpmn.camunda_forms import form_key_ref, task_form_ref
from bpmn.cron import cron_problem, looks_like_cron
from bpmn.decisions import Domain, decision_problems
from bpmn.events_check import event_problems, linked
from bpmn.foreign_check import UNSUPPORTED, foreign_problems
from bpmn.parser import role_of, timer_literal
from bpmn.scripts import names_read, script_problems
from bpmn.spiff_errors import spiff_problems
from bpmn.vocabulary import TASK_KINDS

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
ZEEBE = "http://camunda.org/schema/zeebe/1.0"
NS = {"bpmn": BPMN, "camunda": CAMUNDA}
PYTHON = ("", "python", "py")
TIMER_EXAMPLES = {"timeDate": "ví dụ 2025-07-01T08:00:00", "timeDuration": "ví dụ P2D, PT4H",
                  "timeCycle": "ví dụ R3/PT1H, R/P1D hoặc cron '0 0 9 ? * MON-FRI'"}
FLOW_NODES = ("startEvent", "endEvent", "userTask", "scriptTask", "task", "manualTask", "exclusiveGateway",
              "parallelGateway", "inclusiveGateway", "eventBasedGateway", "intermediateCatchEvent",
              "intermediateThrowEvent", "boundaryEvent", "subProcess", "callActivity", "receiveTask", "serviceTask",
              *UNSUPPORTED)


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
               budget_parser: Callable[[str], object] | None = None,
               domains: dict[str, dict[str, Domain]] | None = None,
               limit_minutes: int | None = None,
               application_domains: dict[str, Domain] | None = None) -> list[Problem]:
    """Every problem of one BPMN file, sorted by line.

    `form_keys` maps the form ids of the folder to their field keys (None: forms are not
    checked), `extra_keys` are fields known before the first task (the application form)
    and `budget_parser` raises ValueError for a bad `budget` property (else gives minutes).
    `domains` maps form ids to their fields' values (bpmn.decisions: every option must find a flow)
    and `limit_minutes` is the legal time limit no path's budgets may exceed (None: not checked);
    `application_domains` are the application form's fields, known before the first step.
    """
    root, problems = _read(name, text)
    if root is None:
        return problems
    problems = foreign_problems(name, root, Problem, _owner_id)
    processes = [p for p in root.findall("bpmn:process", NS) if p.get("isExecutable", "true") == "true"]
    if not processes:
        problems.append(Problem(name, root.sourceline or 0, root.get("id", ""),
                                "không có quy trình nào có thể thực thi (bpmn:process isExecutable=\"true\")"))
    structure_broken = False

    def at(el, message: str) -> Problem:
        return Problem(name, el.sourceline or 0, el.get("id", ""), message)

    for process in processes:
        problems += _user_task_problems(name, process, form_keys, budget_parser)
        problems += _script_problems(name, process)
        structure = _flow_problems(name, process)
        structure_broken = structure_broken or bool(structure)
        problems += structure
        problems += event_problems(lambda el, msg: Problem(name, el.sourceline or 0, _owner_id(el), msg), process)
        problems += _reachability(name, process)
        problems += _decision_fields(name, process, form_keys, extra_keys)
        problems += decision_problems(process, domains, flow_graph, at,
                                      lambda text: bool(_expression_problems(text, None, "eval")), application_domains)
        problems += budget_problems(process, limit_minutes, budget_parser, flow_graph, at)
    if not structure_broken:  # SpiffWorkflow on a diagram whose flows do not hold together says nothing better
        problems += spiff_problems(name, text, {p.element for p in problems})
    return sorted(set(problems))


def schema_problems(name: str, text: str) -> list[Problem]:
    """Why `text` is not a BPMN 2.0 document valid against the XSD (unreadable's reasons first); empty when
    it is. bpmn-js cannot draw some invalid documents at all (a missing targetNamespace, a flow to a step
    that does not exist), so an import refuses them rather than leave the analyst a blank canvas."""
    return _read(name, text)[1]


def unreadable(name: str, text: str) -> list[Problem]:
    """Why `text` cannot be read as a BPMN 2.0 document at all (empty, not XML, another root, a DOCTYPE);
    empty when it can, even if it is not yet valid or runnable. An import refuses what cannot be read."""
    return _parse(name, text)[1]


def _parse(name: str, text: str):
    """The parsed root when `text` is XML rooted at bpmn:definitions without a DOCTYPE, else the problems."""
    head = text.lstrip("\ufeff \t\r\n")
    if not head:
        return None, [Problem(name, 0, "", "tệp rỗng, không phải sơ đồ BPMN")]
    if head[:15].lower().startswith(("<!doctype html", "<html")):
        return None, [Problem(name, 1, "", "không phải sơ đồ BPMN mà là một trang HTML")]
    try:
        root = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as err:
        return None, [Problem(name, err.lineno or 0, "", f"XML không hợp lệ: {err.msg}")]
    if root.tag != f"{{{BPMN}}}definitions":
        tag = etree.QName(root).localname if isinstance(root.tag, str) else "?"
        return None, [Problem(name, root.sourceline or 0, "", f"không phải sơ đồ BPMN 2.0: phần tử gốc là <{tag}>, "
                                                              f"cần <bpmn:definitions xmlns:bpmn=\"{BPMN}\">")]
    if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:
        return None, [Problem(name, 1, "", "sơ đồ BPMN không được có khai báo <!DOCTYPE …> hay thực thể <!ENTITY …>")]
    return root, []


def _read(name: str, text: str):
    """The parsed root when `text` is a BPMN 2.0 document valid against the XSD, else the problems."""
    root, problems = _parse(name, text)
    if root is None:
        return None, problems
    schema = _schema()
    try:
        if schema.validate(root):
            return root, []
    except etree.XMLSchemaValidateError as err:  # libxml2 gives up on some inputs instead of answering
        return None, [Problem(name, 0, "", f"không kiểm tra được theo lược đồ BPMN 2.0: {err}")]
    ids: dict[int, str] = {}
    first_line: dict[str, int] = {}
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("id"):
            ids.setdefault(el.sourceline, el.get("id"))
            first_line.setdefault(el.get("id"), el.sourceline or 0)
    return None, [Problem(name, e.line, ids.get(e.line, ""), _xsd_message(e.message, e.line, first_line))
                  for e in schema.error_log]


def _xsd_message(message: str, line: int, first_line: dict[str, int]) -> str:
    """An XSD message with namespaces written as prefixes; a bad or repeated id said plainly."""
    bad_id = re.search(r"'([^']*)' is not a valid value of the atomic type 'xs:ID'", message)
    if bad_id and first_line.get(bad_id.group(1), line) != line:
        return f"mã phần tử '{bad_id.group(1)}' bị trùng với phần tử ở dòng {first_line[bad_id.group(1)]}"
    if bad_id:
        return f"mã phần tử '{bad_id.group(1)}' không hợp lệ (bắt đầu bằng chữ cái hoặc '_', không có dấu cách)"
    for uri, prefix in ((BPMN, "bpmn"), (CAMUNDA, "camunda"), ("http://www.omg.org/spec/BPMN/20100524/DI", "bpmndi")):
        message = message.replace(f"{{{uri}}}", f"{prefix}:")
    for pattern, words in XSD_WORDS:
        said = re.fullmatch(pattern, message.strip())
        if said:
            groups = [_first_few(group) for group in said.groups()]
            return "không đúng lược đồ BPMN 2.0: " + words.format(*groups)
    return "không đúng lược đồ BPMN 2.0: " + message


def _first_few(items: str, few: int = 4) -> str:
    names = items.split(", ")
    return items if len(names) <= few else ", ".join(names[:few]) + ", …"


XSD_WORDS = (  # libxml2's commonest schema messages, in words (anything else is shown as libxml2 says it)
    (r"Element '([^']+)': The attribute '([^']+)' is required but missing\.",
     "phần tử <{0}> thiếu thuộc tính bắt buộc '{1}'"),
    (r"Element '([^']+)', attribute '([^']+)': The attribute '[^']+' is not allowed\.",
     "phần tử <{0}> không được có thuộc tính '{1}'"),
    (r"Element '([^']+)', attribute '([^']+)': '([^']*)' is not a valid value of .*",
     "giá trị '{2}' của thuộc tính '{1}' ở phần tử <{0}> không hợp lệ"),
    (r"Element '([^']+)': This element is not expected\. Expected is (?:one of )?\( ?(.+?) ?\)\.",
     "phần tử <{0}> không được đặt ở đây; ở chỗ này cần: {1}"),
    (r"Element '([^']+)': This element is not expected\.", "phần tử <{0}> không được đặt ở đây"),
    (r"Element '([^']+)': Missing child element\(s\)\. Expected is (?:one of )?\( ?(.+?) ?\)\.",
     "phần tử <{0}> thiếu phần tử con; cần: {1}"),
    (r"Element '([^']+)', attribute '([^']+)': No match found for key-sequence \['([^']*)'\].*",
     "thuộc tính '{1}' của <{0}> trỏ tới phần tử '{2}' không có trong sơ đồ"),
)


def _owner_id(el) -> str:
    """The id of the nearest element (itself or an ancestor) that has one."""
    while el is not None and not el.get("id"):
        el = el.getparent()
    return el.get("id", "") if el is not None else ""


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
    for task in process.iter(f"{{{BPMN}}}userTask", f"{{{BPMN}}}manualTask"):
        tid, line = task.get("id", ""), task.sourceline or 0
        manual = etree.QName(task).localname == "manualTask"
        what = "tác vụ thủ công (manualTask, một bước cán bộ xác nhận)" if manual else "tác vụ người dùng"
        props = _properties(task)
        lane = _lane_of(process, tid)
        ext = {"candidateGroups": task.get(f"{{{CAMUNDA}}}candidateGroups"),
               "laneId": lane.get("id") if lane is not None else None}
        if not (task.get("name") or "").strip():  # officials see a step by its name: worklist, history, lateness
            out.append(Problem(name, line, tid, f"{what} chưa có tên: cán bộ thấy tên bước trong danh sách hồ sơ "
                                                "cần xử lý, quá trình xử lý và phiếu theo dõi; hãy đặt tên, ví dụ "
                                                "'Thẩm định hồ sơ'"))
        if not role_of(ext, lane.get("name") if lane is not None else None):
            out.append(Problem(name, line, tid, f"{what} chưa có vai trò: hãy ghi camunda:candidateGroups "
                                                "(ví dụ chuyen_vien) hoặc đặt bước vào một làn (lane) mang tên vai trò"))
        form_ref = task_form_ref(task)
        key_problem = None if form_ref or not task.get(f"{{{CAMUNDA}}}formKey") \
            else form_key_ref(task.get(f"{{{CAMUNDA}}}formKey"))[1]
        if key_problem:
            out.append(Problem(name, line, tid, key_problem))
        elif manual and not form_ref:
            pass  # a manual task without a form is a confirmation
        elif not form_ref:
            out.append(Problem(name, line, tid, "tác vụ người dùng chưa có biểu mẫu (camunda:formRef)"))
        elif form_keys is not None and form_ref not in form_keys:
            out.append(Problem(name, line, tid, f"biểu mẫu '{form_ref}' không có trong thư mục thủ tục"))
        groups = task.get(f"{{{CAMUNDA}}}candidateGroups") or ""
        if "${" in groups or "#{" in groups:
            out.append(Problem(name, line, tid, f"camunda:candidateGroups '{groups}' là biểu thức; bước phải thuộc "
                                                "một vai trò biết trước để hiện trong danh sách việc của vai trò đó: "
                                                "hãy ghi tên vai trò (ví dụ chuyen_vien), và dùng camunda:assignee "
                                                "nếu cần giao cho một người"))
        assignee = task.get(f"{{{CAMUNDA}}}assignee")
        if assignee is not None and assignee_ref(assignee) is None:
            out.append(Problem(name, line, tid, assign_refusal(assignee)))
        candidates = task.get(f"{{{CAMUNDA}}}candidateUsers")
        if candidates is not None and candidate_refs(candidates) is None:
            out.append(Problem(name, line, tid, candidate_refusal(candidates)))
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
    nodes = flow_graph(process)[0]
    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        cond = flow.find("bpmn:conditionExpression", NS)
        if cond is not None:
            out += [Problem(name, cond.sourceline or 0, flow.get("id", ""), f"điều kiện: {msg}")
                    for msg in _expression_problems(cond.text, cond.get("language"), "eval")]
            source = nodes.get(flow.get("sourceRef"))
            if source is not None and etree.QName(source).localname not in ("exclusiveGateway", "inclusiveGateway"):
                out.append(Problem(name, cond.sourceline or 0, flow.get("id", ""),
                                   "điều kiện trên luồng không đi ra từ cổng rẽ nhánh sẽ bị bỏ qua; "
                                   "hãy rẽ nhánh bằng cổng exclusiveGateway"))
    for tag in ("loopCondition", "completionCondition", "loopCardinality", "condition"):
        for el in process.iter(f"{{{BPMN}}}{tag}"):
            out += [Problem(name, el.sourceline or 0, _owner_id(el), f"{tag}: {msg}")
                    for msg in _expression_problems(el.text, el.get("language"), "eval")]
    for task in process.iter(f"{{{BPMN}}}scriptTask"):
        script = task.find("bpmn:script", NS)
        text = (script.text or "") if script is not None else ""
        for msg in _expression_problems(text, task.get("scriptFormat"), "exec"):
            out.append(Problem(name, task.sourceline or 0, task.get("id", ""), f"kịch bản: {msg}"))
    for timer in process.iter(f"{{{BPMN}}}timerEventDefinition"):
        event = timer.getparent()
        values = [el for el in timer if etree.QName(el).localname in ("timeDate", "timeDuration", "timeCycle")]
        if not values:
            out.append(Problem(name, timer.sourceline or 0, event.get("id", ""), "hẹn giờ chưa có thời điểm hay thời lượng"))
        for el in values:
            kind, value = etree.QName(el).localname, (el.text or "").strip()
            if timer_literal(value, kind) is not None:
                continue
            if kind == "timeCycle" and looks_like_cron(value):
                out.append(Problem(name, el.sourceline or 0, event.get("id", ""), f"hẹn giờ: {cron_problem(value)}"))
            elif re.fullmatch(r"R\d*/.*|P[\dT.,]\w*|\d{4}-.*", value):
                out.append(Problem(name, el.sourceline or 0, event.get("id", ""),
                                   f"hẹn giờ: '{value}' không phải {kind} ISO 8601 hợp lệ ({TIMER_EXAMPLES[kind]})"))
            else:
                out += [Problem(name, el.sourceline or 0, event.get("id", ""), f"hẹn giờ: {msg}")
                        for msg in _expression_problems(value, None, "eval")]
    return out


def _expression_problems(text: str | None, language: str | None, mode: str) -> list[str]:
    """Why a condition, script or timer expression cannot run in the restricted Python."""
    source = (text or "").strip()
    if (language or "").strip().lower() not in PYTHON:
        return [f"ngôn ngữ '{language}' chưa được hỗ trợ, chỉ chạy biểu thức Python"]
    if not source:
        return ["trống; hãy viết biểu thức Python (ví dụ intake_decision == 'receive')"]
    if source.startswith(("${", "#{")):
        python = juel.to_python(source) if mode == "eval" else None
        if python is None:
            return [juel.refusal(source)]
        source = python
    return script_problems(source, mode)


def _flow_problems(name, process) -> list[Problem]:
    nodes, _succ, _pred = flow_graph(process)
    reserved = {"Start", "End", "Root", f"{process.get('id')}.EndJoin"}  # SpiffWorkflow's own task names
    out = [Problem(name, el.sourceline or 0, nid, f"mã phần tử '{nid}' trùng tên dành riêng của bộ máy quy trình; "
                                                  "hãy đổi mã khác (ví dụ StartEvent_1, EndEvent_1)")
           for nid, el in nodes.items() if nid in reserved]
    for el in (process, *process.iter(*(f"{{{BPMN}}}{tag}" for tag in (*FLOW_NODES, "sequenceFlow")))):
        if not el.get("id"):
            out.append(Problem(name, el.sourceline or 0, _owner_id(el),
                               f"phần tử <bpmn:{etree.QName(el).localname}> chưa có mã (id)"))
    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        for end in ("sourceRef", "targetRef"):
            ref = flow.get(end)
            if ref not in nodes:
                out.append(Problem(name, flow.sourceline or 0, flow.get("id", ""),
                                   f"luồng có {end}='{ref}' không phải phần tử nào của quy trình"))
    return out


def flow_graph(process) -> tuple[dict, dict, dict]:
    """A process's flow nodes by id, and each node's successors and predecessors (boundary events included)."""
    nodes = {el.get("id"): el for el in process.iter(*(f"{{{BPMN}}}{tag}" for tag in FLOW_NODES)) if el.get("id")}
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    pred: dict[str, list[str]] = {n: [] for n in nodes}

    def link(src, dst):
        succ[src].append(dst)
        pred[dst].append(src)

    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        src, dst = flow.get("sourceRef"), flow.get("targetRef")
        if src in succ and dst in pred:
            link(src, dst)
    for el in nodes.values():
        attached = el.get("attachedToRef")
        if attached in succ:
            link(attached, el.get("id"))
        if etree.QName(el).localname == "subProcess":  # a subprocess runs its start events
            for start in el.findall("bpmn:startEvent", NS):
                link(el.get("id"), start.get("id"))
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
    nodes, succ, _pred = flow_graph(process)
    starts = [n for n in process.findall("bpmn:startEvent", NS)]
    if not starts:
        return [Problem(name, process.sourceline or 0, process.get("id", ""), "quy trình không có sự kiện bắt đầu")]
    reached = _walk([s.get("id") for s in starts], succ)
    while True:  # an event subprocess starts by its event once its parent runs
        more = [el.get("id") for el in nodes.values() if el.get("triggeredByEvent") == "true"
                and el.get("id") not in reached and _parent_runs(el, process, reached)]
        if not more:
            break
        reached |= _walk(more, succ)
    unsupported = linked(process)
    return [Problem(name, el.sourceline or 0, n, "phần tử không thể tới được từ sự kiện bắt đầu")
            for n, el in nodes.items() if n not in reached and n not in unsupported]


def _parent_runs(el, process, reached) -> bool:
    parent = el.getparent()
    return parent is process or parent.get("id") in reached


def _decision_fields(name, process, form_keys, extra_keys) -> list[Problem]:
    if form_keys is None:
        return []
    nodes, _succ, pred = flow_graph(process)
    out = []
    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        cond = flow.find("bpmn:conditionExpression", NS)
        if cond is None or _expression_problems(cond.text, cond.get("language"), "eval"):
            continue
        earlier = _walk([flow.get("sourceRef")], pred) & nodes.keys()
        known = set(extra_keys)
        for node_id in earlier:
            el = nodes[node_id]
            known |= form_keys.get(task_form_ref(el) or "", set())
            if etree.QName(el).localname == "scriptTask":
                known |= _assigned_names(el)
        source = juel.to_python(cond.text) if juel.is_juel(cond.text) else cond.text.strip()
        for field in sorted(names_read(source) - known):
            out.append(Problem(name, cond.sourceline or 0, flow.get("id", ""),
                               f"điều kiện đọc trường '{field}' không có trong biểu mẫu của bước nào trước đó"))
    return out


def _assigned_names(script_task) -> set[str]:
    script = script_task.find("bpmn:script", NS)
    try:
        tree = ast.parse((script.text or "") if script is not None else "")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def folder_problems(files: dict[str, str], where: str) -> list[Problem]:
    """Problems between the folder's .bpmn files: the entry process and the call activities."""
    from bpmn.entry import folder_problems as between
    from bpmn.folder import diagram_roots

    return [Problem(f"{where}/{name}", el.sourceline or 0, el.get("id", ""), message)
            for name, el, message in between(list(diagram_roots(files)))]
