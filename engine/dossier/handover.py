"""Bàn giao hồ sơ giấy: the desk hands paper dossiers to the division that holds their step, and back.

A batch (danh sách bàn giao hồ sơ) is signed by who hands and who receives: the desk officer creates
it from the dossiers it may hand, prints it, and someone of the receiving side (the role and unit of the
dossiers' step) confirms receipt. Going back, the division lists the dossiers whose result is ready
at the desk. Each batch gives every one of its dossiers a row of the control slip (form 06), and an
event in its history and the audit log.

Which dossiers may go: to a division, a paper dossier (received at the counter or by post) that the
desk received, still being handled, whose open step is outside the desk, and whose papers are not
already out; back to the desk, one whose papers the division confirmed receiving and whose next step
is at the desk (or which is decided).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.ground.errors import Conflict, Forbidden, Invalid, NotFound
from engine.ground.events import record
from engine.ground.vocabulary import DECIDED, HANDLING, ROLE_LABELS, Channel, Role, TaskState
from engine.models import Dossier, HandoverBatch, HandoverItem, HumanTask, Unit, User

TO_DIVISION = "to_division"
TO_DESK = "to_desk"
DIRECTIONS = {TO_DIVISION: "Bộ phận Một cửa giao hồ sơ cho bộ phận giải quyết",
              TO_DESK: "Bộ phận giải quyết giao lại hồ sơ cho Bộ phận Một cửa"}
DESK = Role.MOT_CUA
PAPER = (Channel.IN_PERSON, Channel.POST)
MAX_ITEMS = 200
NOTE_LENGTH = 500


@dataclass(frozen=True)
class Side:
    """One side of a handover: a role in a unit."""

    unit: Unit
    role: str

    @property
    def label(self) -> str:
        """`Chuyên viên thụ lý, UBND Phường …`; the desk is `Bộ phận Một cửa, …`."""
        return f"{ROLE_LABELS.get(self.role, self.role)}, {self.unit.name}"

    @property
    def key(self) -> str:
        return f"{self.unit.code}|{self.role}"


@dataclass(frozen=True)
class Candidate:
    """A dossier the user may hand over now, from which side to which."""

    dossier: Dossier
    source: Side
    target: Side
    step: str


def _grants(user: User, *, desk: bool) -> set[tuple[int, str]]:
    return {(g.unit_id, g.role) for g in user.grants if (g.role == DESK) == desk}


def _last_batches(session: Session, dossier_ids: Iterable[int]) -> dict[int, HandoverBatch]:
    """The newest batch each dossier was in."""
    ids = list(dossier_ids)
    if not ids:
        return {}
    newest = (select(HandoverItem.dossier_id, func.max(HandoverItem.batch_id).label("batch_id"))
              .where(HandoverItem.dossier_id.in_(ids)).group_by(HandoverItem.dossier_id).subquery())
    rows = session.execute(select(newest.c.dossier_id, HandoverBatch)
                           .join(HandoverBatch, HandoverBatch.id == newest.c.batch_id)).all()
    return {dossier_id: batch for dossier_id, batch in rows}


def _ready_steps(session: Session, dossier_ids: list[int]) -> dict[int, list[HumanTask]]:
    steps: dict[int, list[HumanTask]] = {}
    for step in session.scalars(select(HumanTask).where(HumanTask.dossier_id.in_(dossier_ids),
                                                        HumanTask.state == TaskState.READY)
                                .order_by(HumanTask.created_at, HumanTask.id)):
        steps.setdefault(step.dossier_id, []).append(step)
    return steps


def to_division_candidates(session: Session, user: User) -> list[Candidate]:
    """Paper dossiers of the user's desks whose step is now elsewhere and whose papers are still at the desk."""
    desks = {unit_id for unit_id, _role in _grants(user, desk=True)}
    if not desks:
        return []
    dossiers = list(session.scalars(select(Dossier).where(
        Dossier.unit_id.in_(desks), Dossier.status.in_(HANDLING), Dossier.channel.in_(PAPER),
        Dossier.received_at.is_not(None)).order_by(Dossier.received_at, Dossier.id)))
    steps = _ready_steps(session, [d.id for d in dossiers])
    last = _last_batches(session, steps)
    found = []
    for dossier in dossiers:
        elsewhere = [s for s in steps.get(dossier.id, []) if s.role != DESK]
        if not elsewhere or (dossier.id in last and last[dossier.id].direction == TO_DIVISION):
            continue
        step = elsewhere[0]
        found.append(Candidate(dossier, Side(dossier.unit, DESK), Side(step.unit, step.role), step.name))
    return found


def to_desk_candidates(session: Session, user: User) -> list[Candidate]:
    """Dossiers whose papers the user's side received and whose next step is at the desk (or decided)."""
    sides = _grants(user, desk=False)
    if not sides:
        return []
    batches = session.scalars(select(HandoverBatch).where(
        HandoverBatch.direction == TO_DIVISION, HandoverBatch.received_at.is_not(None),
        HandoverBatch.to_unit_id.in_({unit_id for unit_id, _role in sides}))).all()
    mine = {item.dossier_id: batch for batch in batches if (batch.to_unit_id, batch.to_role) in sides
            for item in batch.items}
    last = _last_batches(session, mine)
    steps = _ready_steps(session, list(mine))
    found = []
    for dossier_id, batch in sorted(mine.items()):
        if last.get(dossier_id) is not batch:
            continue
        dossier = batch_dossier(batch, dossier_id)
        at_desk = [s for s in steps.get(dossier_id, []) if s.role == DESK]
        if not at_desk and dossier.status not in DECIDED:
            continue
        step = at_desk[0].name if at_desk else ""
        found.append(Candidate(dossier, Side(batch.to_unit, batch.to_role), Side(batch.from_unit, DESK), step))
    return found


def batch_dossier(batch: HandoverBatch, dossier_id: int) -> Dossier:
    return next(item.dossier for item in batch.items if item.dossier_id == dossier_id)


def candidates(session: Session, user: User, direction: str) -> list[Candidate]:
    """The dossiers the user may hand over in `direction`."""
    if direction == TO_DIVISION:
        return to_division_candidates(session, user)
    if direction == TO_DESK:
        return to_desk_candidates(session, user)
    raise NotFound(f"Không có chiều bàn giao {direction!r}")


def create_batch(session: Session, user: User, direction: str, codes: list[str], now: datetime,
                 note: str = "", item_notes: dict[str, str] | None = None) -> HandoverBatch:
    """A new batch of the dossiers `codes`, handed by `user`; Invalid names what is wrong and where.

    Every dossier must be one the user may hand over now, and all must go to the same side.
    """
    note = (note or "").strip()
    if not codes:
        raise Invalid("Chưa chọn hồ sơ nào để bàn giao", {"codes": "Hãy chọn ít nhất một hồ sơ."})
    if len(codes) > MAX_ITEMS:
        raise Invalid("Danh sách quá dài", {"codes": f"Mỗi danh sách có tối đa {MAX_ITEMS} hồ sơ."})
    if len(note) > NOTE_LENGTH:
        raise Invalid("Ghi chú quá dài", {"note": f"Ghi chú có tối đa {NOTE_LENGTH} ký tự."})
    allowed = {c.dossier.code: c for c in candidates(session, user, direction)}
    unknown = [code for code in codes if code not in allowed]
    if unknown:
        raise Invalid("Có hồ sơ không thể bàn giao lúc này", {"codes": (
            f"Hồ sơ {', '.join(unknown)} không ở trong danh sách có thể bàn giao "
            "(đã bàn giao, đã chuyển bước hoặc không thuộc bộ phận của bạn).")})
    chosen = [allowed[code] for code in dict.fromkeys(codes)]
    targets = {c.target.key for c in chosen}
    if len(targets) > 1:
        raise Invalid("Các hồ sơ được chọn thuộc nhiều bên nhận", {"codes": (
            "Mỗi danh sách bàn giao chỉ cho một bên nhận: " + "; ".join(sorted({c.target.label for c in chosen}))
            + ". Hãy lập một danh sách cho mỗi bên.")})
    source, target = chosen[0].source, chosen[0].target
    year = now.astimezone(TZ).year
    last = session.scalar(select(func.max(HandoverBatch.sequence)).where(
        HandoverBatch.from_unit_id == source.unit.id, HandoverBatch.year == year)) or 0
    batch = HandoverBatch(year=year, sequence=last + 1, direction=direction, from_unit_id=source.unit.id,
                          from_role=source.role, to_unit_id=target.unit.id, to_role=target.role,
                          note=note or None, created_at=now, created_by_id=user.id)
    session.add(batch)
    session.flush()
    notes = item_notes or {}
    for candidate in chosen:
        item_note = (notes.get(candidate.dossier.code) or "").strip()[:255] or None
        session.add(HandoverItem(batch_id=batch.id, dossier_id=candidate.dossier.id, note=item_note))
        record(session, "handover.created", now, dossier=candidate.dossier, user=user, batch=batch.number,
               batch_id=batch.id, direction=direction, to=target.label)
    session.flush()
    session.refresh(batch)
    return batch


def may_receive(user: User, batch: HandoverBatch) -> bool:
    """Whether the user is of the receiving side (the batch's role in its unit)."""
    return any(g.unit_id == batch.to_unit_id and g.role == batch.to_role for g in user.grants)


def may_read(user: User, batch: HandoverBatch) -> bool:
    """Either side's members, and the unit's leaders, may read and print a batch."""
    units = {batch.from_unit_id, batch.to_unit_id}
    return any(g.unit_id in units for g in user.grants)


def confirm_receipt(session: Session, user: User, batch: HandoverBatch, now: datetime) -> HandoverBatch:
    """The receiving side signs for the batch; Conflict when it is already signed."""
    if not may_receive(user, batch):
        raise Forbidden(f"Bạn không có quyền xác nhận danh sách {batch.number}: chỉ "
                        f"{Side(batch.to_unit, batch.to_role).label} xác nhận đã nhận.")
    if batch.received_at is not None:
        raise Conflict(f"Danh sách {batch.number} đã được xác nhận lúc "
                       f"{batch.received_at.astimezone(TZ):%H:%M ngày %d/%m/%Y}.")
    batch.received_at, batch.received_by_id = now, user.id
    for item in batch.items:
        record(session, "handover.received", now, dossier=item.dossier, user=user, batch=batch.number,
               batch_id=batch.id, direction=batch.direction)
    session.flush()
    return batch


def get_batch(session: Session, batch_id: int) -> HandoverBatch:
    batch = session.get(HandoverBatch, batch_id)
    if batch is None:
        raise NotFound(f"Không có danh sách bàn giao số {batch_id}")
    return batch


def batches_for(session: Session, user: User, limit: int = 50) -> tuple[list[HandoverBatch], list[HandoverBatch]]:
    """(waiting for the user's signature, the newest of the user's units), for the handover page."""
    units = {g.unit_id for g in user.grants}
    if not units:
        return [], []
    mine = (HandoverBatch.from_unit_id.in_(units)) | (HandoverBatch.to_unit_id.in_(units))
    recent = list(session.scalars(select(HandoverBatch).where(mine)
                                  .order_by(HandoverBatch.created_at.desc(), HandoverBatch.id.desc()).limit(limit)))
    waiting = [b for b in session.scalars(select(HandoverBatch).where(
        HandoverBatch.received_at.is_(None), HandoverBatch.to_unit_id.in_(units))
        .order_by(HandoverBatch.created_at)) if may_receive(user, b)]
    return waiting, recent


def dossier_batches(session: Session, dossier: Dossier) -> list[HandoverBatch]:
    """The batches a dossier was in, oldest first (the control slip's handover rows)."""
    return list(session.scalars(select(HandoverBatch).join(HandoverItem).where(
        HandoverItem.dossier_id == dossier.id).order_by(HandoverBatch.created_at, HandoverBatch.id)))
