"""Who may change a procedure's process: drafts, publication and migration, each within a scope.

The rule (quote it as it stands):

- A procedure's catalogue entry and its process versions are shared by every unit that offers it
  (its `procedure_unit` rows) and every unit that already holds dossiers of it. They therefore
  belong to the units above all of those: editing the draft in the studio needs `analyst` or
  `admin`, and publishing a version needs `admin`, in a unit whose subtree holds every one of
  them. A procedure that no unit offers yet and that has no dossier (a new catalogue entry)
  belongs to the top of the tree, like the catalogue import (engine.catalogue.admin.import_zip).
  So a ward's admin publishes only a procedure that their ward alone offers; a city-wide
  procedure is published by the city.
- Every unit code a diagram names in a step's `unit` property must lie in the publisher's scope
  (`self` and `parent` are relative to each dossier's own unit and stay allowed): a ward's admin
  cannot route steps of their procedure to another ward, nor pull another unit's work in.
- Migration moves a dossier to another version of its procedure; an admin moves only dossiers
  whose handling unit they administer (engine.dossier.version_migration).
- The server's command line (no user) acts everywhere.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bpmn.parser import CAMUNDA_MODEL_NS
from engine.ground.errors import Forbidden
from engine.models import Dossier, Procedure, ProcedureUnit, ProcedureVersion, Unit, User
from engine.org.tree import subtree_ids

EDIT_ROLES = ("analyst", "admin")
PUBLISH_ROLES = ("admin",)
RELATIVE_UNITS = frozenset({"", "self", "parent"})


def role_scope(session: Session, user: User | None, roles: Iterable[str]) -> set[int] | None:
    """The ids of the units where the user acts in one of `roles` (and below them); None: everywhere."""
    if user is None:
        return None
    wanted = set(roles)
    grants = [g for g in user.grants if g.role in wanted]
    if any(g.unit.parent_id is None for g in grants):
        return None
    return subtree_ids(session, [g.unit_id for g in grants])


def owning_units(session: Session, code: str) -> set[int]:
    """The units a procedure's process reaches: those that offer it and those that hold its dossiers."""
    procedure_id = session.scalar(select(Procedure.id).where(Procedure.code == code))
    if procedure_id is None:
        return set()
    offered = session.scalars(select(ProcedureUnit.unit_id).where(ProcedureUnit.procedure_id == procedure_id))
    holding = session.scalars(select(Dossier.unit_id).distinct()
                              .join(ProcedureVersion, ProcedureVersion.id == Dossier.procedure_version_id)
                              .where(ProcedureVersion.procedure_id == procedure_id))
    return set(offered) | set(holding)


def covers(session: Session, user: User | None, code: str, roles: Iterable[str]) -> bool:
    """Whether the user holds one of `roles` above every unit the procedure reaches (see the module's rule)."""
    scope = role_scope(session, user, roles)
    if scope is None:
        return True
    units = owning_units(session, code)
    return bool(units) and units <= scope


def may_edit_procedure(session: Session, user: User | None, code: str) -> bool:
    """Whether the user may open, change, test-run or export the procedure's studio draft."""
    return covers(session, user, code, EDIT_ROLES)


def check_edit(session: Session, user: User | None, code: str) -> None:
    """Forbidden unless the user may edit the procedure's draft."""
    if not may_edit_procedure(session, user, code):
        raise Forbidden(f"Thủ tục {code} được áp dụng ở đơn vị ngoài phạm vi của bạn; "
                        "chỉ chuyên viên phân tích hoặc quản trị viên cấp trên được sửa quy trình này")


def check_publish(session: Session, user: User | None, code: str, files: dict[str, str]) -> None:
    """Forbidden unless the user may publish the procedure and every unit its diagrams name is in their scope."""
    if not covers(session, user, code, PUBLISH_ROLES):
        raise Forbidden(f"Thủ tục {code} được áp dụng ở đơn vị ngoài phạm vi của bạn; "
                        "chỉ quản trị viên cấp trên được công bố phiên bản quy trình này")
    scope = role_scope(session, user, PUBLISH_ROLES)
    if scope is None:
        return
    codes = diagram_unit_codes(files)
    known = dict(session.execute(select(Unit.code, Unit.id).where(Unit.code.in_(codes))).all()) if codes else {}
    outside = sorted(c for c in codes if known.get(c) not in scope)
    if outside:
        raise Forbidden(f"Sơ đồ giao bước cho đơn vị ngoài phạm vi quản trị của bạn: {', '.join(outside)}")


def diagram_unit_codes(files: dict[str, str]) -> set[str]:
    """The unit codes (not `self` or `parent`) named by `unit` properties in a folder's diagrams."""
    from lxml import etree

    codes: set[str] = set()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    for name, text in files.items():
        if not name.endswith(".bpmn"):
            continue
        try:
            root = etree.fromstring(text.encode("utf-8"), parser)
        except (etree.XMLSyntaxError, ValueError):
            continue  # an unreadable diagram is refused by the checks before publication
        for prop in root.iter(f"{{{CAMUNDA_MODEL_NS}}}property"):
            if prop.get("name") == "unit" and (prop.get("value") or "").strip() not in RELATIVE_UNITS:
                codes.add((prop.get("value") or "").strip())
    return codes
