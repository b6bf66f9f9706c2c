"""Hồ sơ liên thông: one submission of a procedure group, and its member dossiers, each of its own agency.

- The desk (or the applicant online) submits once, with one declaration; `open_group` makes the group
  (its own code LT-<desk code>, due time by the group's time limit, status `processing`) and opens the
  members of the first stage.
- Each member is an ordinary dossier of its agency's unit: its own code, process, steps, clock and
  lateness, in that unit's worklist and statistics. A member opened by the group (not the first one at
  the receiving desk, whose process starts at its intake step) is received at once, electronically, and
  its due time is its budget in the group, on its agency's calendar.
- The data a member needs comes from the declaration and the results of the members before it
  (engine.dossier.group_data), never retyped.
- When a member is decided or ends (`member_ended`, called after every step and wherever a dossier ends),
  the group moves on: the next stage opens when every member of this stage has its result (approved or
  refused, before the paper is handed over: the desk hands the group's results over once at the end); a member refused or stopped either leaves the others
  going (`on_member_refused: continue`) or stops the group: members not yet opened are never opened.
  The group ends `done` (every member approved), `partial` (some refused, the others went on) or `stopped`.
  No member waits for another that has ended, so a refusal never leaves the group waiting for ever;
  `sweep` re-applies the same rule to every open group (a job may call it).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from engine.catalogue.groups import RECEIVING_KIND, is_group, members_of, stages_of
from engine.catalogue.procedures import get_procedure
from engine.clock import statutory
from engine.dossier.codes import next_dossier_code
from engine.dossier.group_data import member_data
from engine.dossier.opening import open_dossier, validate_applicant
from engine.ground import events
from engine.ground.errors import Invalid, NotFound
from engine.ground.vocabulary import ENDED, DossierStatus
from engine.messaging import lien_thong_records
from engine.models import ApplicantDossier, Dossier, DossierGroup, Procedure, Unit, User

CODE_PREFIX = "LT-"
OPEN, DONE, PARTIAL, STOPPED = "processing", "done", "partial", "stopped"
STATUS_LABELS = {OPEN: "Đang giải quyết liên thông", DONE: "Đã có đủ kết quả", PARTIAL: "Có thành viên bị từ chối",
                 STOPPED: "Đã dừng liên thông"}
FAILED = ("refused", "stopped")
# a member counts as having its result once decided: the next stage needs the result, not its hand-over (the
# receiving desk hands every result over once, for the group: engine.dossier.group_return)
DECIDED = ENDED | {DossierStatus.DONE}


def open_group(session: Session, procedure: Procedure, unit: Unit, channel: str, applicant: object,
               data: object, now: datetime, user: User | None = None, account_id: int | None = None) -> DossierGroup:
    """Mở hồ sơ liên thông: the group of `procedure` received at `unit`, its first stage opened.

    `account_id`: the applicant's account when submitted online; every member then joins its "Hồ sơ của tôi".
    """
    if not is_group(procedure.catalogue):
        raise Invalid(f"Thủ tục {procedure.code} không phải nhóm liên thông")
    details = validate_applicant(applicant)
    if data is not None and not isinstance(data, dict):
        raise Invalid("Dữ liệu hồ sơ phải là một đối tượng JSON", {"data": "Phải là một đối tượng."})
    group = DossierGroup(code=CODE_PREFIX + next_dossier_code(session, unit, now), procedure_code=procedure.code,
                         unit=unit, status=OPEN, applicant=details, applicant_name=details["name"],
                         data={"declaration": dict(data or {}), "results": {}, "channel": channel,
                               "created_by_id": user.id if user else None, "account_id": account_id},
                         stage=0, submitted_at=now,
                         due_at=statutory.statutory_due(unit, procedure.catalogue, now))
    session.add(group)
    session.flush()
    events.record(session, "group.created", now, user=user, unit_id=unit.id, group=group.code,
                  procedure=procedure.code, members=[m["procedure"] for m in members_of(procedure.catalogue)])
    _open_next_stage(session, group, procedure.catalogue, now, user)
    return group


def member_unit(session: Session, member: dict, receiving: Unit) -> Unit:
    """The unit that handles a member: a fixed unit, the receiving commune, or its child of the member's kind."""
    if member.get("unit"):
        unit = session.scalar(select(Unit).where(Unit.code == str(member["unit"])))
    elif member["unit_kind"] == RECEIVING_KIND:
        unit = receiving
    else:
        unit = session.scalar(select(Unit).where(Unit.parent_id == receiving.id, Unit.level == member["unit_kind"])
                              .order_by(Unit.code).limit(1))
    if unit is None:
        raise Invalid(f"{receiving.name} chưa có đơn vị loại {member.get('unit_kind')} để giải quyết thủ tục "
                      f"{member['procedure']}")
    return unit


def _open_next_stage(session: Session, group: DossierGroup, catalogue: dict, now: datetime,
                     user: User | None = None) -> None:
    later = [s for s in stages_of(catalogue) if s > group.stage]
    if not later:
        _finish(session, group, now)
        return
    group.stage = later[0]
    for position, member in enumerate(members_of(catalogue)):
        if member["stage"] == group.stage:
            _open_member(session, group, position, member, now, user)
    _advance(session, group, catalogue, now)  # a member whose process ends at once


def _open_member(session: Session, group: DossierGroup, position: int, member: dict, now: datetime,
                 user: User | None) -> Dossier:
    procedure = get_procedure(session, str(member["procedure"]))
    unit = member_unit(session, member, group.unit)
    first_at_desk = position == 0 and unit.id == group.unit_id
    data = member_data(member, group.data) if member.get("data") or not first_at_desk else \
        dict(group.data.get("declaration") or {})
    # every member keeps the channel the citizen used (Decision 766 counts online submissions, not hand-overs)
    channel = group.data.get("channel", "in_person")
    dossier = open_dossier(session, procedure, unit, channel, group.applicant, data, now,
                           user if first_at_desk else None, group_of=(group, position))
    if not first_at_desk:
        dossier.status, dossier.received_at = "received", now
        budget = {**procedure.catalogue, "time_limit": member["budget"], "same_day_cutoff": None}
        dossier.due_at = statutory.statutory_due(unit, budget, now)
        events.record(session, "dossier.received", now, dossier=dossier, due_at=dossier.due_at.isoformat(),
                      by="group", group=group.code)
        lien_thong_records.member_handed_over(session, group, dossier, now)
    events.record(session, "group.member_opened", now, dossier=dossier, group=group.code, stage=member["stage"])
    if group.data.get("account_id") and session.get(ApplicantDossier, dossier.id) is None:
        session.add(ApplicantDossier(dossier_id=dossier.id, account_id=group.data["account_id"]))
    return dossier


def member_ended(session: Session, dossier: Dossier, now: datetime) -> None:
    """A member dossier was decided (approved or refused: its result exists, even if the paper still waits at
    the desk) or ended (returned, refused, stopped): record its result and move its group on."""
    if dossier.group_id is None or dossier.status not in DECIDED:
        return
    group = session.get(DossierGroup, dossier.group_id)
    if group is None or group.status != OPEN:
        return
    _advance(session, group, get_procedure(session, group.procedure_code).catalogue, now)


def _result(dossier: Dossier) -> dict:
    return {"code": dossier.code, "result": dossier.result or dossier.status, "status": str(dossier.status),
            "unit": dossier.unit.code, "completed_at": dossier.completed_at.isoformat() if dossier.completed_at else None}


def _failed(dossier: Dossier) -> bool:
    return dossier.status in FAILED or dossier.result == "refused"


def _advance(session: Session, group: DossierGroup, catalogue: dict, now: datetime) -> None:
    session.flush()
    session.refresh(group, ["members"])
    results = dict(group.data.get("results") or {})
    for member in group.members:
        if member.status in DECIDED and member.version.procedure.code not in results:
            results[member.version.procedure.code] = _result(member)
            events.record(session, "group.member_ended", now, dossier=member, group=group.code,
                          result=results[member.version.procedure.code]["result"])
            entry = _entry(catalogue, member)
            lien_thong_records.member_ended(session, group, member, entry, not _failed(member), now)
    group.data = {**group.data, "results": results}
    current = [m for m in group.members if _stage(catalogue, m) == group.stage]
    if any(m.status not in DECIDED for m in current):
        return
    if any(_failed(m) for m in group.members) and \
            (catalogue["group"].get("on_member_refused", "stop") == "stop"):
        _finish(session, group, now, STOPPED)
        return
    _open_next_stage(session, group, catalogue, now)


def _entry(catalogue: dict, dossier: Dossier) -> dict:
    members = members_of(catalogue)
    position = dossier.group_member
    return members[position] if position is not None and position < len(members) else {}


def _stage(catalogue: dict, dossier: Dossier) -> int | None:
    return _entry(catalogue, dossier).get("stage")


def _finish(session: Session, group: DossierGroup, now: datetime, status: str | None = None) -> None:
    if group.status != OPEN:
        return
    failed = any(_failed(m) for m in group.members)
    group.status = status or (PARTIAL if failed else DONE)
    group.completed_at = now
    events.record(session, "group.ended", now, unit_id=group.unit_id, group=group.code, status=group.status,
                  members={m.code: str(m.status) for m in group.members})


def sweep(session: Session, now: datetime) -> int:
    """Move on every open group whose current stage has ended (idempotent); how many groups changed."""
    changed = 0
    for group in session.scalars(select(DossierGroup).where(DossierGroup.status == OPEN)):
        before = (group.stage, group.status)
        _advance(session, group, get_procedure(session, group.procedure_code).catalogue, now)
        changed += (group.stage, group.status) != before
    return changed


def is_group_code(code: str) -> bool:
    """Whether a code typed in is a group's (LT-…) rather than a dossier's."""
    return code.strip().upper().startswith(CODE_PREFIX)


def public_summary(group: DossierGroup, catalogue: dict) -> dict:
    """What anyone may see of a group by its code: no personal data, no declaration."""
    body = group_summary(group, catalogue)
    return {**body, "name": catalogue.get("name"), "unit_name": group.unit.name}


def get_group(session: Session, code: str) -> DossierGroup:
    """A group by its code (LT-…); NotFound otherwise."""
    group = session.scalar(select(DossierGroup).where(DossierGroup.code == code.strip().upper()))
    if group is None:
        raise NotFound(f"Không tìm thấy hồ sơ liên thông mã {code}")
    return group


def group_summary(group: DossierGroup, catalogue: dict) -> dict:
    """The group as the API and pages show it: its code, status, due time and members (opened or not), each
    with its procedure's name."""
    opened = {m.group_member: m for m in group.members}
    session = object_session(group)
    codes = [str(m["procedure"]) for m in members_of(catalogue)]
    names = dict(session.execute(select(Procedure.code, Procedure.name).where(Procedure.code.in_(codes))).all()) \
        if session is not None else {}
    members = []
    for position, member in enumerate(members_of(catalogue)):
        dossier = opened.get(position)
        members.append({"code": dossier.code if dossier else None, "procedure": str(member["procedure"]),
                        "name": names.get(str(member["procedure"])),
                        "unit": dossier.unit.code if dossier else member.get("unit"),
                        "unit_kind": member.get("unit_kind"),
                        "status": str(dossier.status) if dossier else "not_opened",
                        "due_at": dossier.due_at.isoformat() if dossier and dossier.due_at else None,
                        "lateness": str(dossier.lateness) if dossier and dossier.lateness else None})
    return {"code": group.code, "procedure": group.procedure_code, "status": group.status,
            "status_label": STATUS_LABELS[group.status], "due_at": group.due_at.isoformat() if group.due_at else None,
            "submitted_at": group.submitted_at.isoformat(), "members": members}
