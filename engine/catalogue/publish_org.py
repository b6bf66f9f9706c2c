"""At publish time, the steps' roles and units checked against the organisation.

`motcua procedures check` reads files only; publishing has the database. A step whose role nobody holds,
or whose `unit` property names no unit, would make worklist rows that no official ever sees; a literal
`camunda:assignee`, and each literal name of `camunda:candidateUsers`, must be an official's username. The standard
roles (bpmn.vocabulary.STANDARD_ROLES) are the organisation's vocabulary and always accepted, as an
administrator grants them; any other role must be held by at least one official somewhere.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bpmn.camunda_assign import assignee_ref, candidate_refs
from bpmn.check import BPMN, CAMUNDA, NS, Problem
from bpmn.folder import diagram_roots
from bpmn.parser import role_of
from bpmn.vocabulary import STANDARD_ROLES
from engine.models import RoleGrant, Unit, User

UNIT_KEYWORDS = ("", "self", "parent")


def organisation_problems(session: Session, files: dict[str, str], where: str) -> list[Problem]:
    """A problem for each step whose role nobody holds or whose unit code does not exist."""
    held = set(session.scalars(select(RoleGrant.role).distinct()))
    units = None
    out = []
    for name, root in diagram_roots(files):
        for process in root.iter(f"{{{BPMN}}}process"):
            for task in process.iter(f"{{{BPMN}}}userTask", f"{{{BPMN}}}manualTask"):
                tid, line, file = task.get("id", ""), task.sourceline or 0, f"{where}/{name}"
                role = _role(process, task)
                if role and role not in STANDARD_ROLES and role not in held:
                    out.append(Problem(file, line, tid, f"vai trò '{role}' không có cán bộ nào giữ trong tổ chức; "
                                                        "hãy dùng một vai trò chuẩn (" + ", ".join(STANDARD_ROLES[:3])
                                                        + ") hoặc giao vai trò này cho cán bộ trước khi công bố"))
                ref = assignee_ref(task.get(f"{{{CAMUNDA}}}assignee"))
                if ref is not None and ref[0] == "user" and session.scalar(
                        select(User.id).where(User.username == ref[1])) is None:
                    out.append(Problem(file, line, tid, f"camunda:assignee '{ref[1]}' không phải tên đăng nhập của "
                                                        "cán bộ nào; hãy sửa tên hoặc dùng ${initiator}"))
                for shape, username in candidate_refs(task.get(f"{{{CAMUNDA}}}candidateUsers")) or ():
                    if shape == "user" and session.scalar(select(User.id).where(User.username == username)) is None:
                        out.append(Problem(file, line, tid, f"camunda:candidateUsers: '{username}' không phải tên "
                                                            "đăng nhập của cán bộ nào; hãy sửa tên hoặc bỏ khỏi danh sách"))
                unit = _properties(task).get("unit") or ""
                if unit not in UNIT_KEYWORDS:
                    if units is None:
                        units = set(session.scalars(select(Unit.code)))
                    if unit not in units:
                        out.append(Problem(file, line, tid, f"đơn vị mã '{unit}' không có trong tổ chức; hãy ghi "
                                                            "self, parent hoặc mã một đơn vị đã có"))
    return out


def _role(process, task) -> str | None:
    lane = next((lane for lane in process.iter(f"{{{BPMN}}}lane")
                 if any((ref.text or "").strip() == task.get("id") for ref in lane.findall("bpmn:flowNodeRef", NS))),
                None)
    ext = {"candidateGroups": task.get(f"{{{CAMUNDA}}}candidateGroups"),
           "laneId": lane.get("id") if lane is not None else None}
    return role_of(ext, lane.get("name") if lane is not None else None)


def _properties(task) -> dict[str, str]:
    return {p.get("name"): p.get("value")
            for p in task.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS)}
