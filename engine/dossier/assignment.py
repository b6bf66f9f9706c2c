"""New worklist rows given to their `camunda:assignee` (bpmn.camunda_assign), when that official holds the
step's role in its unit; otherwise the row stays open to the role, as any other. `camunda:candidateUsers`
are resolved the same way into the row's candidates: only they may claim it (`may_claim`), when at least
one of them holds the role there."""
from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from bpmn.camunda_assign import assignee_ref, candidate_refs
from bpmn.process import ParsedProcess
from engine.models import Dossier, HumanTask, HumanTaskCandidate, User
from engine.org.accounts import grants_of


def assign_new_rows(session: Session, dossier: Dossier, process: ParsedProcess, workflow,
                    rows: list[HumanTask]) -> None:
    """Set the assignee of each new row whose step names one that can take it."""
    for row in rows:
        info = process.user_tasks.get(row.element_id)
        if info is not None and info.candidate_users:
            _set_candidates(session, dossier, workflow, row, candidate_refs(info.candidate_users) or [])
        ref = assignee_ref(info.assignee) if info is not None and info.assignee else None
        if ref is None:
            continue
        user = _user(session, dossier, workflow, row, ref)
        if user is not None and user.active and (row.role, row.unit.id) in grants_of(user):
            row.assignee = user


def _set_candidates(session: Session, dossier: Dossier, workflow, row: HumanTask, refs: list) -> None:
    """The row's candidates: each named official who is active and holds the row's role in its unit."""
    session.flush()  # the new row's id
    chosen: dict[int, User] = {}
    for ref in refs:
        for user in _users(session, dossier, workflow, row, ref):
            if user.active and (row.role, row.unit.id) in grants_of(user):
                chosen[user.id] = user
    session.add_all(HumanTaskCandidate(task_id=row.id, user_id=uid) for uid in sorted(chosen))


def _users(session: Session, dossier: Dossier, workflow, row: HumanTask, ref) -> list[User]:
    """The officials one candidate shape names (a variable may hold a list or a comma-separated text)."""
    if ref[0] != "variable":
        user = _user(session, dossier, workflow, row, ref)
        return [user] if user is not None else []
    task = workflow.get_task_from_id(UUID(row.task_uuid))
    value = (task.data if task is not None else workflow.data).get(ref[1])
    names = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    names = [n.strip() for n in names if isinstance(n, str) and n.strip()]
    return list(session.scalars(select(User).where(User.username.in_(names)))) if names else []


def candidates_of(session: Session, task: HumanTask) -> list[User]:
    """The officials who alone may claim the row; empty when it is open to its role."""
    return list(session.scalars(select(User).join(HumanTaskCandidate, HumanTaskCandidate.user_id == User.id)
                                .where(HumanTaskCandidate.task_id == task.id).order_by(User.full_name)))


def may_claim(session: Session, task: HumanTask, user: User, named: frozenset[int] | None = None) -> bool:
    """Whether `user` (who holds the row's role) may take it: always, unless the row names its candidates.
    `named` (engine.dossier.workflow.Locked.named), when read, spares the look-up for a row open to its role."""
    if named is not None and task.id not in named:
        return True
    ids = set(session.scalars(select(HumanTaskCandidate.user_id).where(HumanTaskCandidate.task_id == task.id)))
    return not ids or user.id in ids


def candidate_clause():
    """A worklist condition: rows open to their role, or naming the official of parameter `user_id` among their
    candidates."""
    from sqlalchemy import bindparam, exists, or_

    named = select(HumanTaskCandidate.task_id).where(HumanTaskCandidate.task_id == HumanTask.id)
    return or_(~exists(named), exists(named.where(HumanTaskCandidate.user_id == bindparam("user_id"))))


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
