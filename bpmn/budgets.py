"""The steps' budgets along every path against the procedure's legal time limit.

A path is loop-free, from a start event to an end event; its sum is the budgets of the user and manual tasks on
it, except the steps that wait for the applicant (kind `supplement`): the statutory clock is paused then, or has
not started yet (DOMAIN.md, the legal calendar). A sum over the limit is an error unless the analyst records why in procedure.yaml
(`budget_over_limit_reason`), for a procedure whose steps may honestly take longer than the law allows on a
rare path (then the dossier will be late on that path, and the catalogue says why).
"""
from __future__ import annotations

from collections.abc import Callable

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
NS = {"bpmn": BPMN, "camunda": CAMUNDA}
REASON_KEY = "budget_over_limit_reason"
MAX_PATHS = 200
MAX_REPORTED = 3


def budget_problems(process, limit_minutes: int | None, budget_parser: Callable[[str], int] | None,
                    flow_graph: Callable, problem: Callable[[object, str], object],
                    minutes_per_day: int = 480) -> list:
    """A problem for each path (at most MAX_REPORTED) whose steps' budgets add up to more than the limit.

    A path through an embedded subprocess counts the subprocess's heaviest path inside it (its own steps and
    its subprocesses', at any depth); an event subprocess is no part of the usual path and is not counted."""
    if limit_minutes is None or budget_parser is None:
        return []
    nodes, succ, _pred = flow_graph(process)
    budgets = {n: _minutes(el, budget_parser) for n, el in nodes.items()
               if etree.QName(el).localname in ("userTask", "manualTask")}
    out, seen = [], set()
    for _path, steps in _step_paths(process, nodes, succ, budgets, top=True):
        total = sum(budgets[n] for n in steps)
        if total <= limit_minutes or steps in seen:
            continue
        seen.add(steps)
        names = " → ".join(nodes[n].get("name") or n for n in steps)
        heaviest = max(steps, key=lambda n: budgets[n])
        out.append(problem(nodes[heaviest],
                           f"tổng thời hạn các bước trên một đường đi ({names}) là "
                           f"{_say(total, minutes_per_day)} làm việc, vượt thời hạn giải quyết "
                           f"{_say(limit_minutes, minutes_per_day)} làm việc của thủ tục; hãy giảm thời hạn "
                           f"(budget) các bước, hoặc ghi lý do vào procedure.yaml ({REASON_KEY})"))
        if len(out) >= MAX_REPORTED:
            break
    return out


CLOCK_STOPPED_KINDS = ("supplement",)  # the applicant's time, not the agency's


def _minutes(el, budget_parser) -> int:
    properties = el.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS)
    if any(p.get("name") == "kind" and p.get("value") in CLOCK_STOPPED_KINDS for p in properties):
        return 0
    for prop in properties:
        if prop.get("name") == "budget" and prop.get("value"):
            try:
                return int(budget_parser(prop.get("value")))
            except (TypeError, ValueError):
                return 0  # a bad budget is the user task check's problem
    return 0


def path_budgets(process, flow_graph: Callable, budget_parser: Callable[[str], int]) -> list[tuple[tuple, tuple, int]]:
    """(path, human steps, minutes) for each loop-free path of a process from a start to an end event; an
    embedded subprocess on the path adds the steps of its heaviest path inside (the test-run's table)."""
    nodes, succ, _pred = flow_graph(process)
    budgets = {n: _minutes(el, budget_parser) for n, el in nodes.items()
               if etree.QName(el).localname in ("userTask", "manualTask")}
    return [(path, steps, sum(budgets[n] for n in steps))
            for path, steps in _step_paths(process, nodes, succ, budgets, top=True)]


def _step_paths(container, nodes, succ, budgets, top: bool) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(path, human steps) for each loop-free path of one container (the process or an embedded subprocess),
    a subprocess on the path standing for the steps of its heaviest path inside."""
    local = {n for n, el in nodes.items() if el.getparent() is container}
    out = []
    for path in _paths(container, nodes, succ, local, top):
        steps: list[str] = []
        for n in path:
            el = nodes[n]
            if n in budgets:
                steps.append(n)
            elif etree.QName(el).localname in ("subProcess", "transaction") and el.get("triggeredByEvent") != "true":
                inner = [s for _p, s in _step_paths(el, nodes, succ, budgets, top=False)]
                steps.extend(max(inner, key=lambda s: sum(budgets[x] for x in s), default=()))
        out.append((tuple(path), tuple(steps)))
    return out


def _paths(container, nodes, succ, local: set[str], top: bool) -> list[list[str]]:
    """Loop-free paths from the container's start events to its end events (inside a subprocess, a step with
    nothing after it also ends the subprocess)."""
    following = {n: [m for m in succ.get(n, []) if m in local] for n in local}
    ends = {n for n in local if etree.QName(nodes[n]).localname == "endEvent" or (not top and not following[n])}
    starts = [el.get("id") for el in container.findall("bpmn:startEvent", NS) if el.get("id") in local]
    paths: list[list[str]] = []
    stack = [[s] for s in starts]
    while stack and len(paths) < MAX_PATHS:
        path = stack.pop()
        if path[-1] in ends:
            paths.append(path)
            continue
        stack.extend(path + [nxt] for nxt in reversed(following.get(path[-1], [])) if nxt not in path)
    return paths


def _say(minutes: int, per_day: int) -> str:
    days, rest = divmod(minutes, per_day)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} ngày"] * bool(days) + [f"{hours} giờ"] * bool(hours) + [f"{mins} phút"] * bool(mins)
    return " ".join(parts) or "0 giờ"


__all__ = ["REASON_KEY", "budget_problems", "path_budgets"]
