"""The legal meaning of steps drawn without a `kind` property, inferred as Camunda 7 modelers draw them.

A diagram drawn for Camunda 7 has no `kind` on its user tasks, yet the dossier needs to know when it was
received (the statutory clock starts) and when its result was handed back. Where the diagram does not say,
it is inferred from the one-stop desk's steps (role `mot_cua`, by candidateGroups or lane), in flow order
from the start event (breadth first, each step where it is first reached):

- no step has `kind="intake"`: the **first** desk step is the intake. Completing it receives the dossier
  unless its form has an `intake_decision` field that says otherwise (supplement, refuse);
- no step has `kind="return"`: the **last** desk step, when there are at least two and no other person's
  step can follow it (only gateways, events and end events), is the return. Completing it returns the
  result to the applicant (the result is the approval's decision, else "approved").

Other steps keep no kind (they move a received dossier to "in progress"); a workflow that reaches its end
ends the dossier (engine.dossier.workflow_end). `check` prints what it inferred, as notes that do not stop
a publication; writing `kind` on a step always wins.
"""
from __future__ import annotations

from collections import deque

from bpmn.vocabulary import Role, StepKind

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DESK_ROLE = Role.MOT_CUA.value
HUMAN = ("userTask", "manualTask")
KIND_WORDS = {StepKind.INTAKE.value: "tiếp nhận (intake)", StepKind.RETURN.value: "trả kết quả (return)"}


def flow_order(process) -> list[str]:
    """The ids of a process's flow nodes, breadth first from its start events (a subprocess's inside after it)."""
    from bpmn.check import flow_graph

    nodes, succ, _pred = flow_graph(process)
    starts = [el.get("id") for el in process.findall(f"{{{BPMN}}}startEvent") if el.get("id")]
    seen: list[str] = []
    queue = deque(starts)
    while queue:
        node = queue.popleft()
        if node in seen or node not in nodes:
            continue
        seen.append(node)
        queue.extend(succ.get(node, ()))
    return seen


def infer(order: list[str], roles: dict[str, str | None], kinds: dict[str, str | None],
          followers: dict[str, set[str]]) -> dict[str, str]:
    """{element id: inferred kind} for human steps without a kind; `roles` and `kinds` are by element id of
    the human steps, `followers` the flow nodes reachable from each."""
    desk = [n for n in order if n in roles and roles[n] == DESK_ROLE]
    written = {k for k in kinds.values() if k}
    out: dict[str, str] = {}
    if StepKind.INTAKE not in written and desk and not kinds.get(desk[0]):
        out[desk[0]] = StepKind.INTAKE.value
    last = desk[-1] if len(desk) >= 2 else None
    if StepKind.RETURN not in written and last and not kinds.get(last) and not (followers[last] & roles.keys()) - {last}:
        out[last] = StepKind.RETURN.value
    return out


def process_inference(process) -> dict[str, str]:
    """The inferred kinds of one process element's human steps."""
    from bpmn.check import _lane_of, _properties
    from bpmn.parser import role_of

    roles: dict[str, str | None] = {}
    kinds: dict[str, str | None] = {}
    for task in process.iter(*(f"{{{BPMN}}}{tag}" for tag in HUMAN)):
        tid = task.get("id")
        if not tid:
            continue
        lane = _lane_of(process, tid)
        ext = {"candidateGroups": task.get("{http://camunda.org/schema/1.0/bpmn}candidateGroups"),
               "laneId": lane.get("id") if lane is not None else None}
        roles[tid] = role_of(ext, lane.get("name") if lane is not None else None)
        kinds[tid] = _properties(task).get("kind")
    from bpmn.check import _walk, flow_graph

    succ = flow_graph(process)[1]
    followers = {tid: _walk(succ.get(tid, ()), succ) for tid in roles}
    return infer(flow_order(process), roles, kinds, followers)


def inferred_kinds(roots) -> dict[str, str]:
    """The inferred kinds of every executable process in (name, lxml root) pairs, by element id."""
    out: dict[str, str] = {}
    for _name, root in roots:
        for process in root.iter(f"{{{BPMN}}}process"):
            if process.get("isExecutable", "true") == "true":
                out.update(process_inference(process))
    return out


def inference_notes(roots) -> list[tuple[str, int, str, str]]:
    """(file name, line, element id, note) for each step whose kind was inferred."""
    notes = []
    for name, root in roots:
        for process in root.iter(f"{{{BPMN}}}process"):
            if process.get("isExecutable", "true") != "true":
                continue
            for tid, kind in process_inference(process).items():
                el = next(iter(process.xpath(f".//*[@id='{tid}']")), None)
                rank = "đầu tiên" if kind == StepKind.INTAKE else "cuối cùng"
                notes.append((name, el.sourceline if el is not None else 0, tid,
                              f"bước không ghi kind được hiểu là {KIND_WORDS[kind]}: bước {rank} của bộ phận "
                              f"một cửa ({DESK_ROLE}); ghi camunda:property kind nếu muốn khác"))
    return notes
