"""Results returned by post: booked through the outbox at the postal simulator over real HTTP, exactly once
whatever fails; delivery reports stored once each, written to the history and told to the applicant."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine.dossier import lifecycle, shipments
from engine.ground.errors import Invalid, NotFound
from engine.integrations.postal_service import SIMULATOR_PATH, HttpPostalService
from engine.messaging import outbox
from engine.models import Event, OutboxMessage, PostalEvent, PostalShipment
from engine.printing.tracking_book import book_rows
from tests.net import free_port, post_json
from tests.procedures.drive import new_dossier, ready_tasks, step, user

BY_POST = {"return_method": "post", "receiver_name": "Phạm Minh Đức"}


def adapters(base: str, clock, timeout: float = 5.0) -> dict:
    return {shipments.KIND: shipments.PostalSender(HttpPostalService(base + SIMULATOR_PATH, timeout=timeout), now=clock)}


def deliver(session, clock, senders) -> int:
    sent = outbox.deliver_pending(session, clock(), adapters=senders)
    session.commit()
    return sent


def to_return_step(session, clock, applicant_address: bool = True):
    dossier = new_dossier(session, clock, "birth")
    if not applicant_address:
        dossier.applicant = {k: v for k, v in dossier.applicant.items() if k != "address"}
        session.commit()
    for element, data in (("Task_Intake", "receive"), ("Task_Appraise", "propose_approve"),
                          ("Task_Approve", "approve")):
        step(session, clock, dossier, element, data)
        clock.advance(minutes=5)
    return dossier


def return_by_post(session, clock, dossier):
    [task] = ready_tasks(session, dossier)
    lifecycle.complete_task(session, task.id, user(session, "desk1"), BY_POST, clock())
    session.commit()
    return session.scalar(select(PostalShipment).where(PostalShipment.dossier_id == dossier.id))


def booking(session, shipment) -> OutboxMessage:
    return session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == shipments.booking_key(shipment)))


def parcels(app) -> dict:
    return app.extensions.get("simulators", {}).get("postal").parcels


def history(session, dossier) -> list[str]:
    return list(session.scalars(select(Event.kind).where(Event.dossier_id == dossier.id,
                                                         Event.kind.like("postal.%")).order_by(Event.id)))


def test_a_result_returned_by_post_is_booked_once_and_gets_its_tracking_number(session, clock, app, live_server):
    dossier = to_return_step(session, clock)
    shipment = return_by_post(session, clock, dossier)
    assert dossier.status == "returned" and shipment.status == "booking" and shipment.tracking_number is None
    assert shipment.recipient_address == "12 Hàng Bạc, Hoàn Kiếm, Hà Nội" and shipment.recipient_phone == "0901234567"
    assert booking(session, shipment).kind == "postal"
    assert deliver(session, clock, adapters(live_server, clock)) == 1
    session.refresh(shipment)
    [(number, parcel)] = parcels(app).items()
    assert shipment.tracking_number == number and shipment.status == "accepted" and shipment.booked_at == clock()
    assert parcel["recipient"]["address"] == shipment.recipient_address and dossier.code in parcel["reference"]
    assert history(session, dossier) == ["postal.requested", "postal.booked"]
    message = booking(session, shipment)
    message.state = "pending"  # as if the scheduler died before recording the success
    session.commit()
    assert deliver(session, clock, adapters(live_server, clock)) == 1
    assert len(parcels(app)) == 1 and history(session, dossier) == ["postal.requested", "postal.booked"]


def test_a_return_by_post_without_the_applicants_address_is_refused_and_nothing_is_written(session, clock):
    dossier = to_return_step(session, clock, applicant_address=False)
    [task] = ready_tasks(session, dossier)
    with pytest.raises(Invalid) as refused:
        lifecycle.complete_task(session, task.id, user(session, "desk1"), BY_POST, clock())
    session.rollback()
    assert "return_method" in refused.value.fields and "địa chỉ" in refused.value.message
    assert [t.id for t in ready_tasks(session, dossier)] == [task.id]
    assert session.scalar(select(func.count()).select_from(PostalShipment)) == 0


def test_while_the_postal_service_is_down_the_booking_waits_and_is_made_once_when_it_is_back(session, clock, app,
                                                                                           live_server):
    shipment = return_by_post(session, clock, to_return_step(session, clock))
    down = adapters(f"http://127.0.0.1:{free_port()}", clock)
    assert deliver(session, clock, down) == 0
    message = booking(session, shipment)
    assert message.state == "pending" and message.attempts == 1 and message.last_error
    assert message.next_attempt_at == clock() + outbox.backoff(1)
    assert deliver(session, clock, down) == 0 and message.attempts == 1  # waits for its back-off
    clock.now = message.next_attempt_at
    assert deliver(session, clock, down) == 0 and message.next_attempt_at == clock() + outbox.backoff(2)
    clock.now = message.next_attempt_at
    assert deliver(session, clock, adapters(live_server, clock)) == 1
    session.refresh(shipment)
    assert len(parcels(app)) == 1 and shipment.tracking_number in parcels(app)


def test_a_booking_answered_too_late_is_retried_without_booking_a_second_parcel(session, clock, app, live_server):
    shipment = return_by_post(session, clock, to_return_step(session, clock))
    post_json(live_server + SIMULATOR_PATH + "/mode", {"mode": "slow", "delay": 3})
    assert deliver(session, clock, adapters(live_server, clock, timeout=0.5)) == 0
    assert "timed out" in booking(session, shipment).last_error
    post_json(live_server + SIMULATOR_PATH + "/mode", {"mode": "ok"})
    clock.now = booking(session, shipment).next_attempt_at
    assert deliver(session, clock, adapters(live_server, clock)) == 1
    session.refresh(shipment)
    assert list(parcels(app)) == [shipment.tracking_number]  # the slow first call booked it; the retry found it


def test_an_error_answer_is_retried_and_after_eight_attempts_the_booking_is_a_dead_letter(session, clock, app,
                                                                                          live_server):
    shipment = return_by_post(session, clock, to_return_step(session, clock))
    post_json(live_server + SIMULATOR_PATH + "/mode", {"mode": "error"})
    for _ in range(outbox.MAX_ATTEMPTS):
        deliver(session, clock, adapters(live_server, clock))
        clock.now = booking(session, shipment).next_attempt_at
    message = booking(session, shipment)
    assert message.state == "dead" and "503" in message.last_error
    assert message.id in [m.id for m in outbox.troubled(session)]
    assert shipments.booking_errors(session, [shipment])[shipment.id].id == message.id
    post_json(live_server + SIMULATOR_PATH + "/mode", {"mode": "ok"})
    assert deliver(session, clock, adapters(live_server, clock)) == 0  # dead stays dead until an admin retries
    outbox.retry(session, message.id, clock())
    session.commit()
    assert deliver(session, clock, adapters(live_server, clock)) == 1 and len(parcels(app)) == 1


def booked(session, clock, live_server) -> PostalShipment:
    dossier = to_return_step(session, clock)
    shipment = return_by_post(session, clock, dossier)
    deliver(session, clock, adapters(live_server, clock))
    session.refresh(shipment)
    return shipment


def report(shipment, status: str, event_id: str, at, note: str = "") -> dict:
    return {"event_id": event_id, "tracking_number": shipment.tracking_number, "status": status,
            "at": at.isoformat(), "location": "Bưu cục Hoàn Kiếm", "note": note}


def applicant_mails(session, dossier) -> list[str]:
    mails = session.scalars(select(OutboxMessage).where(
        OutboxMessage.dossier_id == dossier.id, OutboxMessage.kind == "applicant_email").order_by(OutboxMessage.id))
    return [m.subject for m in mails if str(m.payload.get("event")).startswith("postal.")]


def test_a_delivery_is_stored_once_told_to_the_applicant_once_and_a_replay_does_nothing(session, clock, live_server):
    shipment = booked(session, clock, live_server)
    dossier = shipment.dossier
    clock.advance(hours=20)
    _, new = shipments.apply_status(session, report(shipment, "in_transit", "e1", clock() - timedelta(hours=2)), clock())
    session.commit()
    assert new and shipment.status == "in_transit" and applicant_mails(session, dossier) == []
    delivered = report(shipment, "delivered", "e2", clock())
    for expected in (True, False):
        _, new = shipments.apply_status(session, delivered, clock())
        session.commit()
        assert new is expected
    assert shipment.status == "delivered" and shipment.delivered_at == clock()
    assert applicant_mails(session, dossier) == [f"Kết quả hồ sơ {dossier.code} đã được bưu điện phát đến Ông/Bà"]
    assert history(session, dossier)[-2:] == ["postal.in_transit", "postal.delivered"]
    assert session.scalar(select(func.count()).select_from(PostalEvent)) == 2


def test_a_late_report_of_an_earlier_status_does_not_undo_the_newer_one(session, clock, live_server):
    shipment = booked(session, clock, live_server)
    shipments.apply_status(session, report(shipment, "returned", "e9", clock() + timedelta(days=3), "Không có người nhận"),
                        clock())
    shipments.apply_status(session, report(shipment, "in_transit", "e3", clock() + timedelta(days=1)), clock())
    session.commit()
    assert shipment.status == "returned" and shipment.delivered_at is None
    assert [s.id for s in shipments.shipments(session, {shipment.dossier.unit_id}, "problem")] == [shipment.id]
    assert "Bưu điện không phát được" in applicant_mails(session, shipment.dossier)[0]


@pytest.mark.parametrize("change, field", [({"status": "lost"}, "status"), ({"event_id": ""}, "event_id"),
                                           ({"at": "hôm qua"}, "at")])
def test_a_malformed_report_is_refused_naming_the_field(session, clock, live_server, change, field):
    shipment = booked(session, clock, live_server)
    with pytest.raises(Invalid) as refused:
        shipments.apply_status(session, {**report(shipment, "delivered", "e1", clock()), **change}, clock())
    assert field in refused.value.fields


def test_a_report_for_an_unknown_tracking_number_is_not_found(session, clock):
    with pytest.raises(NotFound, match="EV000000000VN"):
        shipments.apply_status(session, {"event_id": "x", "tracking_number": "EV000000000VN", "status": "delivered",
                                      "at": clock().isoformat()}, clock())


def test_the_tracking_book_shows_the_return_by_post_with_its_tracking_number(session, clock, live_server):
    shipment = booked(session, clock, live_server)
    day = clock().date()
    [row] = [r for r in book_rows(session, shipment.dossier.unit, day, day) if r.code == shipment.dossier.code]
    assert row.return_method == f"Qua dịch vụ bưu chính (số hiệu bưu gửi {shipment.tracking_number})"


def test_the_same_report_arriving_several_times_at_once_is_stored_and_told_once(sessions, session, clock, live_server):
    from tests.race import race

    shipment = booked(session, clock, live_server)
    delivered = report(shipment, "delivered", "same-event", clock())
    results = race(sessions, 4, lambda s, _i: shipments.apply_status(s, delivered, clock())[1])
    assert sorted(results) == [False, False, False, True], results
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(PostalEvent)) == 1
    assert len(applicant_mails(session, shipment.dossier)) == 1 and history(session, shipment.dossier).count(
        "postal.delivered") == 1


def test_an_address_typed_at_the_return_step_sends_the_result_there(session, clock):
    dossier = to_return_step(session, clock, applicant_address=False)
    [task] = ready_tasks(session, dossier)
    lifecycle.complete_task(session, task.id, user(session, "desk1"),
                           BY_POST | {"postal_address": "5 Lý Thái Tổ, Hoàn Kiếm, Hà Nội"}, clock())
    session.commit()
    shipment = session.scalar(select(PostalShipment).where(PostalShipment.dossier_id == dossier.id))
    assert shipment.recipient_address == "5 Lý Thái Tổ, Hoàn Kiếm, Hà Nội"
