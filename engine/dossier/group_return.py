"""Trả kết quả liên thông: the receiving desk hands the applicant the results of a whole procedure group.

Each member's agency signs its own result, which the applicant can also download online; what the one-stop
desk that received the group records here is the hand-over of the papers, once for the group: who received
them, with what ID, when, and by which officer. It can be done once the group has ended (every member has a
result, or the group stopped), by a one-stop officer of the receiving unit, and only once: of two officers
recording it at the same moment, one wins and the other is told it is done.
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from engine.dossier.group import OPEN
from engine.ground import events
from engine.ground.errors import Conflict, Forbidden, Invalid
from engine.ground.text import clean_text, text_problem
from engine.models import DossierGroup, User

ID_NUMBER = re.compile(r"^[0-9]{12}$")
NOTE_LIMIT = 2000


def may_return(user: User, group: DossierGroup) -> bool:
    """Whether the user is a one-stop officer of the unit that received the group."""
    return any(g.role == "mot_cua" and g.unit_id == group.unit_id for g in user.grants)


def awaiting_return(group: DossierGroup) -> bool:
    """Whether the group has ended and its results have not been handed over yet."""
    return group.status != OPEN and group.returned_at is None


def awaiting_at(session: Session, unit_id: int, limit: int = 50) -> list[DossierGroup]:
    """The unit's ended groups whose results wait at the desk, the longest waiting first."""
    return list(session.scalars(select(DossierGroup).where(
        DossierGroup.unit_id == unit_id, DossierGroup.status != OPEN, DossierGroup.returned_at.is_(None))
        .order_by(DossierGroup.completed_at, DossierGroup.id).limit(limit)))


def return_group(session: Session, user: User, group_id: int, receiver_name: str, receiver_id_number: str,
                 note: str, now: datetime) -> DossierGroup:
    """Record the hand-over of the group's results at the desk; every bad field is named at once."""
    if session.get_bind().dialect.name == "sqlite":  # SQLite has no row locks: its write lock, taken first
        session.execute(text("UPDATE dossier_group SET status = status WHERE id = :id"), {"id": group_id})
    group = session.scalar(select(DossierGroup).where(DossierGroup.id == group_id).with_for_update())
    if group is None or not may_return(user, group):
        raise Forbidden("Chỉ Bộ phận Một cửa đã tiếp nhận hồ sơ liên thông mới trả kết quả của nhóm")
    if group.returned_at is not None:
        raise Conflict(f"Kết quả của hồ sơ liên thông {group.code} đã được trả")
    if group.status == OPEN:
        raise Conflict(f"Hồ sơ liên thông {group.code} chưa có đủ kết quả")
    errors = {}
    name, id_number, note = clean_text(receiver_name or ""), (receiver_id_number or "").strip(), (note or "").strip()
    if not name:
        errors["receiver_name"] = "Cần họ và tên người nhận kết quả."
    elif text_problem(name):
        errors["receiver_name"] = text_problem(name)
    if id_number and not ID_NUMBER.match(id_number):
        errors["receiver_id_number"] = "Số định danh cá nhân gồm đúng 12 chữ số."
    if len(note) > NOTE_LIMIT:
        errors["return_note"] = f"Ghi chú dài quá {NOTE_LIMIT} ký tự."
    if errors:
        raise Invalid("Chưa ghi nhận được việc trả kết quả", errors)
    returned = {"by_id": user.id, "by": user.full_name, "method": "desk",
                "receiver_name": name, "receiver_id_number": id_number or None, "note": note or None}
    group.data = {**(group.data or {}), "returned": returned}
    group.returned_at = now
    events.record(session, "group.returned", now, user=user, unit_id=group.unit_id, group=group.code,
                  receiver=name, members=[m.code for m in group.members])
    return group
