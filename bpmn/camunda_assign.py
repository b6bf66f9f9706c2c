"""Camunda 7's `camunda:assignee` read into ours: who a step goes to directly, beside its role.

Accepted shapes: `${initiator}` (the official who opened the dossier; none when it was submitted online),
`${someVariable}` (a username in the process data, such as a field an earlier form filled) and a literal
username. The step keeps its role and unit (candidateGroups or lane): the assignee is who has it first, and
only if they hold that role there; anyone else of the role can still be given it.

`camunda:candidateUsers` (a comma-separated list of the same shapes; a variable may hold one username, a
comma-separated text or a list) says who of the step's role may claim it: only those officials see it in
their worklist and may take or complete it (engine.dossier.assignment). The list is resolved when the step
becomes ready, as Camunda 7 does; when none of them holds the role in the step's unit, the step stays open to
the whole role rather than to nobody.
"""
from __future__ import annotations

import re

IDENTIFIER = re.compile(r"^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$")
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,79}$")


def assignee_ref(text: str | None) -> tuple[str, str | None] | None:
    """("initiator", None), ("variable", name) or ("user", username); None for a shape we do not read."""
    value = (text or "").strip()
    found = IDENTIFIER.match(value)
    if found:
        return ("initiator", None) if found.group(1) == "initiator" else ("variable", found.group(1))
    if USERNAME.match(value):
        return "user", value
    return None


def refusal(text: str) -> str:
    """What to say about an assignee expression beyond the accepted shapes."""
    return (f"camunda:assignee '{text.strip()}' không đọc được; hãy ghi ${{initiator}}, ${{tên_biến}} "
            "(tên đăng nhập trong dữ liệu hồ sơ) hoặc một tên đăng nhập")


def candidate_refs(text: str | None) -> list[tuple[str, str | None]] | None:
    """`camunda:candidateUsers` read as a list of assignee shapes (comma-separated); None if one is unreadable."""
    items = [item.strip() for item in (text or "").split(",") if item.strip()]
    refs = [assignee_ref(item) for item in items]
    return None if any(ref is None for ref in refs) else refs  # type: ignore[return-value]


def candidate_refusal(text: str) -> str:
    """What to say about candidateUsers beyond the accepted shapes."""
    return (f"camunda:candidateUsers '{text.strip()}' không đọc được; hãy ghi các tên đăng nhập cách nhau bằng dấu "
            "phẩy, ${initiator} hoặc ${tên_biến} (tên đăng nhập, hay danh sách tên, trong dữ liệu hồ sơ)")
