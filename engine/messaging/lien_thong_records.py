"""Liên thông with the national systems: the records a procedure group's members send, through the outbox.

A member entry of a group may name the national register its result goes to (procedure.yaml):

    register: {system: civil_status, event: khai_sinh}   # or residence / dang_ky_thuong_tru, …

- `member_handed_over`: a member opened by the group (the hand-over to the next agency) is posted to the
  interconnection software (LoaiGiaoDich `chuyen_ho_so`).
- `member_ended`: the agency's result goes back through the interconnection software (`tra_ket_qua`); an
  approved member with `register:` also sends its record to that register (the birth or death record once the
  certificate is signed, the residence registration or its deletion once the police has decided).

Each record is one outbox message (kind = the system), written in the step's transaction with a dedupe key per
member and transaction, and delivered by the scheduler with retries: a national system that is down delays its
record, never the dossier or the group (engine.integrations.national_registries).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.catalogue.groups import register_problem
from engine.integrations.national_registries import INTERCONNECTION, SYSTEMS
from engine.messaging import outbox
from engine.messaging.portal_status import national_time
from engine.models import Dossier, DossierGroup


def _base(group: DossierGroup, dossier: Dossier) -> dict:
    return {"MaHoSoLienThong": group.code, "MaThuTucLienThong": group.procedure_code, "MaHoSo": dossier.code,
            "MaTTHC": dossier.version.procedure.code, "MaDonVi": dossier.unit.code, "TenDonVi": dossier.unit.name}


def _message(kind: str, group: DossierGroup, dossier: Dossier, transaction: str, record: dict) -> outbox.Message:
    system = SYSTEMS[kind]
    return outbox.Message(kind, system.name, f"{dossier.code}: {transaction}", transaction,
                          f"{kind}:{dossier.code}:{transaction}", dossier_id=dossier.id,
                          payload={"record": {"LoaiGiaoDich": transaction, **record}, "group": group.code})


def member_handed_over(session: Session, group: DossierGroup, dossier: Dossier, now: datetime) -> None:
    """Chuyển hồ sơ: the member's hand-over from the receiving unit to its agency, to the interconnection software."""
    record = {**_base(group, dossier), "DonViChuyen": group.unit.code, "DonViNhan": dossier.unit.code,
              "ThoiGianChuyen": national_time(now), "HanXuLy": national_time(dossier.due_at),
              "DuLieu": dict(dossier.data or {})}
    outbox.enqueue_all(session, [_message(INTERCONNECTION, group, dossier, "chuyen_ho_so", record)], now)


def member_ended(session: Session, group: DossierGroup, dossier: Dossier, member: dict, approved: bool,
                 now: datetime) -> None:
    """Trả kết quả: the member's result to the interconnection software; approved, its record to its register."""
    base = _base(group, dossier)
    messages = [_message(INTERCONNECTION, group, dossier, "tra_ket_qua", {
        **base, "DonViNhan": group.unit.code, "KetQua": dossier.result or str(dossier.status),
        "ThoiGianKetThuc": national_time(dossier.completed_at or now)})]
    register = member.get("register")
    if approved and isinstance(register, dict) and register_problem(register) is None:
        messages.append(_message(register["system"], group, dossier, register["event"], {
            **base, "NgayDangKy": national_time(dossier.completed_at or now), "NguoiYeuCau": dossier.applicant_name,
            "DuLieu": dict(dossier.data or {})}))
    outbox.enqueue_all(session, messages, now)
