"""Cây tổ chức: walking the organisation tree, and who may administer which part of it.

The tree's levels are data (province, district, commune, department, desk, …), so a 2018-style
tree (city → district → commune) and a 2025-style one (city → commune → service points) are
both just units with parents. An admin acts within the subtree of each unit where they hold
`admin`; no user (the command line on the server) may act everywhere.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.ground.errors import Forbidden
from engine.models import Procedure, ProcedureUnit, RoleGrant, Unit, User

ADMIN = "admin"


def ancestors(unit: Unit) -> list[Unit]:
    """The unit and every unit above it, nearest first."""
    chain, node = [], unit
    while node is not None and node not in chain:
        chain.append(node)
        node = node.parent
    return chain


def ancestor_of_level(unit: Unit, level: str) -> Unit | None:
    """The nearest unit at or above `unit` whose level is `level` (e.g. the province of a desk)."""
    return next((node for node in ancestors(unit) if node.level == level), None)


def subtree_ids(session: Session, root_ids: Iterable[int]) -> set[int]:
    """The ids of the given units and of every unit below them (one recursive query)."""
    roots = list(set(root_ids))
    if not roots:
        return set()
    tree = select(Unit.id).where(Unit.id.in_(roots)).cte("subtree", recursive=True)
    tree = tree.union(select(Unit.id).join(tree, Unit.parent_id == tree.c.id))
    return set(session.scalars(select(tree.c.id)))


def is_global_admin(user: User | None) -> bool:
    """No user (the server's command line), or an admin of a top-level unit: may act everywhere."""
    if user is None:
        return True
    return any(g.role == ADMIN and g.unit.parent_id is None for g in user.grants)


def may_administer(user: User | None, unit: Unit) -> bool:
    """Whether the user holds `admin` in the unit or in a unit above it."""
    if user is None:
        return True
    admin_units = {g.unit_id for g in user.grants if g.role == ADMIN}
    return any(node.id in admin_units for node in ancestors(unit))


def unit_in_scope(session: Session, ref: str | int | None, allowed: Callable[[Unit], bool]) -> Unit:
    """The unit with this agency code (or id), checked with `allowed` before anything about it is said.

    An unknown unit and one outside the user's scope get the same Forbidden, in the same words, so that
    nobody can learn from the answer which codes exist or what a unit is called (no existence oracle).
    """
    unit = None
    if isinstance(ref, int):
        unit = session.get(Unit, ref)
    elif isinstance(ref, str) and ref:
        unit = session.scalar(select(Unit).where(Unit.code == ref))
    if unit is None or not allowed(unit):
        raise Forbidden(f"Đơn vị {ref} không thuộc phạm vi quyền của bạn (hoặc không có)")
    return unit


def check_admin(user: User | None, unit: Unit) -> None:
    """Forbidden unless the user may administer the unit."""
    if not may_administer(user, unit):
        raise Forbidden(f"Bạn không có quyền quản trị {unit.name} ({unit.code})")


def admin_scope(session: Session, user: User | None) -> set[int] | None:
    """The ids of the units the user administers; None means everywhere."""
    if is_global_admin(user):
        return None
    return subtree_ids(session, [g.unit_id for g in user.grants if g.role == ADMIN])


def within(scope: set[int] | None, unit_id: int | None) -> bool:
    """Whether a unit id lies in a scope from admin_scope (None: everywhere)."""
    return scope is None or unit_id in scope


@dataclass(frozen=True)
class TreeRow:
    """One line of the organisation tree as admins see it."""

    unit: Unit
    depth: int
    children: int
    users: int
    procedures: int
    editable: bool


def natural_key(code: str) -> tuple:
    """Sort key that puts H26.4 before H26.70 before H26.100."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.\-]", code))


def _count(session: Session, column, group) -> dict[int, int]:
    return dict(session.execute(select(group, func.count(func.distinct(column))).group_by(group)).all())


def _offered_counts(session: Session, units: list[Unit]) -> dict[int, int]:
    """Per unit, how many published procedures it offers, by the portal's rule (engine.catalogue.admin
    .offered_procedures): those on its published list, and those no unit has listed yet at its level when it
    has a one-stop desk. Three statements for the whole tree."""
    published = session.execute(select(Procedure.id, Procedure.authority, Procedure.units_listed)
                                .where(Procedure.current_version_id.is_not(None))).all()
    listed = [p.id for p in published if p.units_listed]
    counts = dict(session.execute(
        select(ProcedureUnit.unit_id, func.count(func.distinct(ProcedureUnit.procedure_id)))
        .where(ProcedureUnit.procedure_id.in_(listed)).group_by(ProcedureUnit.unit_id)).all()) if listed else {}
    by_default = [p.authority for p in published if not p.units_listed]
    if by_default:
        desks = set(session.scalars(select(RoleGrant.unit_id).where(RoleGrant.role == "mot_cua").distinct()))
        for unit in units:
            if unit.id in desks:
                counts[unit.id] = counts.get(unit.id, 0) + sum(1 for level in by_default
                                                               if not level or level == unit.level)
    return counts


def tree_rows(session: Session, user: User | None) -> list[TreeRow]:
    """The units the user administers, depth-first by code, with sub-unit, user and procedure counts.

    Units above the user's scope appear too (not editable) so that the tree reads from its root.
    """
    scope = admin_scope(session, user)
    units = sorted(session.scalars(select(Unit)), key=lambda unit: natural_key(unit.code))
    if scope is not None:
        shown = {node.id for unit in units if unit.id in scope for node in ancestors(unit)}
        units = [unit for unit in units if unit.id in shown]
    users = _count(session, RoleGrant.user_id, RoleGrant.unit_id)
    offered = _offered_counts(session, units)
    ids = {unit.id for unit in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in ids else None, []).append(unit)
    rows: list[TreeRow] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            rows.append(TreeRow(unit, depth, len(children.get(unit.id, [])), users.get(unit.id, 0),
                                offered.get(unit.id, 0), within(scope, unit.id)))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return rows
