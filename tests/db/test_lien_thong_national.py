"""Liên thông and the national systems: each member's hand-over and result to the interconnection software, the
birth record to the civil-status database, the residence registration to the residence database, all through the
outbox: a system that fails delays its record and never the dossier or the group."""
from __future__ import annotations

from sqlalchemy import select

from engine.dossier import lifecycle
from engine.integrations.http import IntegrationError
from engine.integrations.national_registries import SYSTEMS, AcknowledgingSender
from engine.messaging import outbox
from engine.models import Event, IntegrationRef, OutboxMessage
from tests.db.test_lien_thong import BIRTH, death_handled, handle, members
from tests.db.test_lien_thong import lien_thong as lien_thong  # noqa: F401  (the fixture)
from tests.procedures.drive import APPLICANT, step, user


class FarSide:
    """A national system as the adapter sees it: answers an acknowledgement per idempotency key, or is down."""

    def __init__(self, kind: str) -> None:
        self.kind, self.down, self.records = kind, False, {}

    def send(self, record: dict, idempotency_key: str) -> str:
        if self.down:
            raise IntegrationError(f"{self.kind}: HTTP 503")
        self.records.setdefault(idempotency_key, (f"{self.kind.upper()}-{len(self.records) + 1}", record))
        return self.records[idempotency_key][0]


def senders(sides, clock):
    return {kind: AcknowledgingSender(side, SYSTEMS[kind], clock) for kind, side in sides.items()}


def transactions(session, kind):
    return sorted((m.payload["record"]["MaTTHC"], m.payload["record"]["LoaiGiaoDich"])
                  for m in session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def test_lt01_sends_hand_overs_results_birth_and_residence_records_and_a_failure_blocks_nothing(
        session, clock, lien_thong):
    sides = {kind: FarSide(kind) for kind in SYSTEMS}
    sides["interconnection"].down = True  # the interconnection software is down the whole time
    group = lifecycle.create_group(session, user(session, "desk1"), "LT.01", "in_person", APPLICANT, BIRTH, clock())
    session.commit()
    birth = members(session, group)["1.001193"]
    for element, key in (("Task_Intake", "receive"), ("Task_Appraise", "propose_approve"),
                         ("Task_Approve", "approve"), ("Task_Return", "return")):
        step(session, clock, birth, element, key)
    opened = members(session, group)
    assert outbox.deliver_pending(session, clock(), adapters=senders(sides, clock)) == 1  # the birth record
    session.commit()
    handle(session, clock, opened["CA.01"], "police1", "police_lead1")
    handle(session, clock, opened["BHXH.01"], "bhxh1", "bhxh_lead1")
    session.refresh(group)
    assert group.status == "done"  # the interconnection software's failures held nothing up
    assert transactions(session, "interconnection") == [
        ("1.001193", "tra_ket_qua"), ("BHXH.01", "chuyen_ho_so"), ("BHXH.01", "tra_ket_qua"),
        ("CA.01", "chuyen_ho_so"), ("CA.01", "tra_ket_qua")]
    assert transactions(session, "civil_status") == [("1.001193", "khai_sinh")]
    assert transactions(session, "residence") == [("CA.01", "dang_ky_thuong_tru")]
    [(ack, record)] = sides["civil_status"].records.values()
    assert record["DuLieu"]["child_full_name"] == "Phạm Minh An" and record["MaHoSoLienThong"] == group.code
    outbox.deliver_pending(session, clock(), adapters=senders(sides, clock))
    session.commit()
    waiting = list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "interconnection")))
    assert {m.state for m in waiting} == {"pending"} and all(m.attempts >= 1 for m in waiting)  # retried later
    sides["interconnection"].down = False
    clock.advance(hours=2)
    assert outbox.deliver_pending(session, clock(), adapters=senders(sides, clock)) == 5
    session.commit()
    refs = {(r.system, r.dossier_id) for r in session.scalars(select(IntegrationRef))}
    assert ("civil_status", birth.id) in refs and ("residence", opened["CA.01"].id) in refs
    assert {("interconnection", m.id) for m in opened.values()} <= refs
    acknowledged = session.scalars(select(Event).where(Event.kind == "integration.acknowledged")).all()
    assert len(acknowledged) == 7 and acknowledged[0].payload["ack"]
    assert not outbox.troubled(session)


def test_a_refused_death_sends_no_civil_status_record_and_a_redelivery_adds_no_second_acknowledgement(
        session, clock, lien_thong):
    sides = {kind: FarSide(kind) for kind in SYSTEMS}
    _group, _death, opened = death_handled(session, clock, {"deceased_name": "Phạm Văn Bình"})
    handle(session, clock, opened["CA.02"], "police1", "police_lead1", "refuse")
    assert transactions(session, "civil_status") == [("1.000656", "khai_tu")]
    assert transactions(session, "residence") == []  # refused: the residence is not deleted
    outbox.deliver_pending(session, clock(), adapters=senders(sides, clock))
    session.commit()
    before = session.scalars(select(IntegrationRef)).all()
    message = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "civil_status")).one()
    senders(sides, clock)["civil_status"](message)  # delivered twice (a crash before the commit): one record
    session.commit()
    assert len(session.scalars(select(IntegrationRef)).all()) == len(before)
