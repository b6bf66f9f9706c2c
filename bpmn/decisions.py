"""Checks of decision gateways against the forms that set their fields: every option must lead somewhere.

A radio or select option that no outgoing flow of the gateway takes, or a value of a free field that no
condition accepts when the gateway has no default flow, stops a dossier with an error at run time. The
conditions are evaluated in the restricted Python of bpmn.scripts for each option (choices, yes/no) or for
probe values taken from the conditions' own constants (numbers, text): a problem is reported only with a
value that really finds no flow.
"""
from __future__ import annotations

import ast
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from bpmn import juel
from bpmn.camunda_forms import task_form_ref
from bpmn.scripts import evaluate, names_read

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {"bpmn": BPMN}
MAX_COMBINATIONS = 256
UNKNOWN = object()


@dataclass(frozen=True)
class Domain:
    """The values a form field can take: `kind` is choice, bool, number or text; `options` (value, label)
    are every value of a choice or yes/no field."""

    kind: str
    options: tuple[tuple[object, str], ...] = ()

    @property
    def finite(self) -> bool:
        return self.kind in ("choice", "bool")


def decision_problems(process, domains: dict[str, dict[str, Domain]] | None, flow_graph: Callable,
                      problem: Callable[[object, str], object], broken: Callable[[str | None], bool],
                      initial: dict[str, Domain] | None = None) -> list:
    """A problem for each gateway value that no outgoing flow takes when the gateway has no default flow.

    `domains` maps form ids to their fields' domains (None: forms are not checked); `broken(text)` says a
    condition is already reported as unrunnable, `problem(element, message)` builds the problem and `initial`
    are the fields known before the first step (the application form's)."""
    if domains is None:
        return []
    nodes, _succ, pred = flow_graph(process)
    flows_out: dict[str, list] = {}
    for flow in process.iter(f"{{{BPMN}}}sequenceFlow"):
        flows_out.setdefault(flow.get("sourceRef"), []).append(flow)
    assigned = _script_assigned(process)
    out = []
    for gateway in process.iter(f"{{{BPMN}}}exclusiveGateway", f"{{{BPMN}}}inclusiveGateway"):
        flows = flows_out.get(gateway.get("id"), [])
        if len(flows) < 2 or gateway.get("default"):
            continue
        conditions = []
        for flow in flows:
            cond = flow.find("bpmn:conditionExpression", NS)
            if cond is None or broken(cond.text) or cond.get("language"):
                conditions = []
                break
            text = cond.text.strip()
            conditions.append(juel.to_python(text) if juel.is_juel(text) else text)
        if not conditions:
            continue
        known = {**(initial or {}), **_earlier_domains(gateway, nodes, pred, domains)}
        known = {k: d for k, d in known.items() if k not in assigned}
        out += _gateway_problems(gateway, conditions, known, problem)
    return out


def _script_assigned(process) -> set[str]:
    """Names a script task of the process sets: a gateway reading one cannot be judged from the forms."""
    names = set()
    for task in process.iter(f"{{{BPMN}}}scriptTask"):
        script = task.find("bpmn:script", NS)
        try:
            tree = ast.parse((script.text or "") if script is not None else "")
        except SyntaxError:
            continue
        names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return names


def _earlier_domains(gateway, nodes, pred, domains) -> dict[str, Domain]:
    seen, stack, found = set(), list(pred.get(gateway.get("id"), ())), {}
    while stack:
        node_id = stack.pop()
        if node_id in seen or node_id not in nodes:
            continue
        seen.add(node_id)
        for key, domain in domains.get(task_form_ref(nodes[node_id]) or "", {}).items():
            if key in found and found[key].finite and domain.finite:
                domain = Domain(found[key].kind, tuple(dict.fromkeys(found[key].options + domain.options)))
            found[key] = domain
        stack.extend(pred.get(node_id, ()))
    return found


def _gateway_problems(gateway, conditions: list[str], known: dict[str, Domain], problem) -> list:
    fields = sorted(set().union(*(names_read(c) for c in conditions)))
    if not fields or any(f not in known for f in fields):
        return []  # a field no form sets is the field check's problem
    values = [_candidates(known[f], conditions) for f in fields]
    out, reported = [], set()
    for combination in itertools.islice(itertools.product(*values), MAX_COMBINATIONS):
        context = {f: value for f, (value, _label) in zip(fields, combination, strict=True)}
        results = [evaluate(c, context, UNKNOWN) for c in conditions]
        if any(r is UNKNOWN for r in results) or any(results):
            continue
        free = [f for f in fields if not known[f].finite]
        if free and tuple(free) in reported:
            continue
        reported.add(tuple(free))
        out.append(problem(gateway, _message(gateway, fields, combination, known, free)))
    return out


def _message(gateway, fields, combination, known, free) -> str:
    where = f"cổng '{gateway.get('name') or gateway.get('id')}'"
    said = ", ".join(f"{f} = {value!r}" + (f" ({label})" if label and known[f].kind == "choice" else "")
                     for f, (value, label) in zip(fields, combination, strict=True))
    if free:
        return (f"{where} không có luồng mặc định và các điều kiện không bao hết giá trị của trường "
                f"{', '.join(repr(f) for f in free)} (ví dụ {said}: không luồng nào nhận, hồ sơ dừng với lỗi); "
                "hãy đặt một luồng mặc định cho cổng")
    return (f"lựa chọn {said} không có luồng nào ra khỏi {where} xử lý: hồ sơ chọn nó sẽ dừng với lỗi; "
            "hãy thêm luồng có điều kiện cho lựa chọn này, bỏ lựa chọn khỏi biểu mẫu, hoặc đặt luồng mặc định")


def _candidates(domain: Domain, conditions: list[str]) -> list[tuple[object, str]]:
    if domain.finite:
        return list(domain.options) or [(None, "")]
    constants = []
    for condition in conditions:
        try:
            tree = ast.parse(condition, mode="eval")
        except SyntaxError:
            continue
        constants += [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    if domain.kind == "number":
        numbers = {0, 1, -1}
        for c in constants:
            if isinstance(c, (int, float)) and not isinstance(c, bool):
                numbers |= {c, c - 1, c + 1, c + 0.5, c - 0.5}
        return [(n, "") for n in sorted(numbers)]
    texts = dict.fromkeys(["", *[c for c in constants if isinstance(c, str)], "giá trị khác"])
    return [(t, "") for t in texts]


def domain_of(field_type: str, values: list[dict] | None) -> Domain | None:
    """The domain of a form field of form-js type `field_type` with its static options (None: no value)."""
    if field_type in ("radio", "select") and values is not None:
        return Domain("choice", tuple((v["value"], str(v["label"])) for v in values))
    if field_type == "checkbox":
        return Domain("bool", ((True, "có"), (False, "không")))
    if field_type == "number":
        return Domain("number")
    if field_type in ("textfield", "textarea", "radio", "select", "datetime"):
        return Domain("text")
    return None


__all__ = ["Domain", "decision_problems", "domain_of"]
