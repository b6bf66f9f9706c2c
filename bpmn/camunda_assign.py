"""Camunda 7's `camunda:assignee` read into ours: who a step goes to directly, beside its role.

Accepted shapes: `${initiator}` (the official who opened the dossier; none when it was submitted online),
`${someVariable}` (a username in the process data, such as a field an earlier form filled) and a literal
username. The step keeps its role and unit (candidateGroups or lane): the assignee is who has it first, and
only if they hold that role there; anyone else of the role can still be given it.
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
