"""New worklist rows given to their `camunda:assignee` (bpmn.camunda_assign), when that official holds the
step's role in its unit; otherwise the row stays open to the role, as any other."""
from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from bpmn.camunda_assign import assignee_ref
from bpmn.process import ParsedProcess
from engine.models import Dossier, HumanTask, User
from engine.org.accounts import grants_of


def assign_new_rows(session: Session, dossier: Dossier, process: ParsedProcess, workflow,
                    rows: list[HumanTask]) -> None:
    """Set the assignee of each new row whose step names one that can take it."""
    for row in rows:
        info = process.user_tasks.get(row.element_id)
        ref = assignee_ref(info.assignee) if info is not None and info.assignee else None
        if ref is None:
            continue
        user = _user(session, dossier, workflow, row, ref)
        if user is not None and user.active and (row.role, row.unit.id) in grants_of(user):
            row.assignee = user


def _user(session: Session, dossier: Dossier, workflow, row: HumanTask, ref: tuple[str, str | None]) -> User | None:
    shape, name = ref
    if shape == "initiator":
        return session.get(User, dossier.created_by_id) if dossier.created_by_id else None
    if shape == "variable":
        task = workflow.get_task_from_id(UUID(row.task_uuid))
        name = (task.data if task is not None else workflow.data).get(name)
        if not isinstance(name, str):
            return None
    return session.scalar(select(User).where(User.username == name.strip()))
