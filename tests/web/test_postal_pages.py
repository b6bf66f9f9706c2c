"""Results by post on the pages: the signed status callback, the tracking number on the dossier, applicant and
lookup pages, the desk's list of shipments, the postal simulator's page, and postal dossiers at the counter."""
from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from engine.calendar.working import TZ
from engine.dossier import lifecycle, shipments
from engine.integrations.postal_service import SIGNATURE_HEADER, SIMULATOR_PATH, sign
from engine.messaging import outbox
from engine.models import Event, OutboxMessage, PostalShipment
from tests.applicant_helpers import Applicant
from tests.db.test_postal import adapters, deliver, post_json, report, return_by_post, to_return_step
from tests.procedures.drive import step
from tests.web.test_desk_pages import code_from, receive
from webapp.adapters import adapters_of

SECRET = "khoa-bao-cao-thu-nghiem"


def db(app):
    return app.extensions["motcua"]["sessions"]()


def call_back(client, body: dict, secret: str = SECRET):
    raw = json.dumps(body).encode()
    return client.post("/postal/callback", data=raw, content_type="application/json",
                       headers={SIGNATURE_HEADER: sign(secret, raw)})


@pytest.fixture
def booked(app, clock, live_server):
    """A dossier returned by post and booked at the simulator: (code, tracking number)."""
    app.config["POSTAL_CALLBACK_SECRET"] = SECRET
    with db(app) as session:
        shipment = return_by_post(session, clock, to_return_step(session, clock))
        deliver(session, clock, adapters(live_server, clock))
        session.refresh(shipment)
        return shipment.dossier.code, shipment.tracking_number


def test_a_signed_report_updates_the_shipment_and_its_replay_changes_nothing(app, client, clock, booked):
    code, number = booked
    with db(app) as session:
        body = report(session.scalar(select(PostalShipment)), "delivered", "ev-1", clock())
    first, again = call_back(client, body), call_back(client, body)
    assert first.status_code == 200 and first.json == {"ok": True, "duplicate": False, "status": "delivered"}
    assert again.status_code == 200 and again.json["duplicate"] is True
    with db(app) as session:
        kinds = session.scalars(select(Event.kind).where(Event.kind == "postal.delivered")).all()
        mails = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "applicant_email")).all()
        assert len(kinds) == 1 and sum(m.payload.get("event") == "postal.delivered" for m in mails) == 1


def test_a_report_with_a_bad_signature_is_refused_and_logged(app, client, clock, booked):
    code, number = booked
    body = {"event_id": "x", "tracking_number": number, "status": "returned", "at": clock().isoformat()}
    res = call_back(client, body, secret="khoa-gia")
    assert res.status_code == 401 and SIGNATURE_HEADER in res.json["error"]["message"]
    unsigned = client.post("/postal/callback", json=body)
    assert unsigned.status_code == 401
    with db(app) as session:
        assert session.scalar(select(PostalShipment)).status == "accepted"
        assert len(session.scalars(select(Event).where(Event.kind == "postal.callback_rejected")).all()) == 2


def test_bad_reports_get_the_status_that_fits(app, client, clock, booked):
    code, number = booked
    good = {"event_id": "x", "tracking_number": number, "status": "delivered", "at": clock().isoformat()}
    res = call_back(client, {**good, "status": "lost"})
    assert res.status_code == 422 and "status" in res.json["error"]["fields"]
    res = call_back(client, {**good, "tracking_number": "EV000000000VN"})
    assert res.status_code == 404 and "EV000000000VN" in res.json["error"]["message"]
    app.config["POSTAL_CALLBACK_SECRET"] = ""
    res = call_back(client, good)
    assert res.status_code == 503 and "POSTAL_CALLBACK_SECRET" in res.json["error"]["message"]


def test_a_dossier_returned_by_post_is_tracked_until_delivered_and_the_applicant_is_told(app, clock, browser,
                                                                                          live_server):
    app.config.update(POSTAL_CALLBACK_SECRET=SECRET, POSTAL_URL=live_server + SIMULATOR_PATH,
                      POSTAL_CALLBACK_URL=live_server + "/postal/callback")
    applicant = Applicant(app, register=False)
    applicant.post("/cong-dan/dang-ky", {"email": "an@example.vn", "full_name": "Phạm Minh Đức",
                                         "password": "matkhau123", "phone": "0901234567",
                                         "address": "5 Lý Thái Tổ, Hoàn Kiếm, Hà Nội", "consent": "yes"})
    code = applicant.submit_birth()
    with db(app) as session:
        dossier = lifecycle.get_dossier(session, code)
        for element, data in (("Task_Intake", "receive"), ("Task_Appraise", "propose_approve"),
                              ("Task_Approve", "approve")):
            step(session, clock, dossier, element, data)
    desk = browser("desk1")
    task_id = re.search(r"/tasks/(\d+)", desk.get(f"/dossiers/{code}").get_data(as_text=True)).group(1)
    res = desk.post(f"/tasks/{task_id}", {"return_method": "post", "receiver_name": "Phạm Minh Đức"})
    assert res.status_code in (302, 303), res.get_data(as_text=True)
    assert "Đang chờ bưu điện cấp" in desk.get(f"/dossiers/{code}").get_data(as_text=True)
    postal = adapters_of(app).integrations[shipments.KIND]  # as `motcua scheduler` builds it from the configuration
    with db(app) as session:
        assert outbox.deliver_pending(session, clock(), adapters={shipments.KIND: postal}) == 1
        session.commit()
        number = session.scalar(select(PostalShipment.tracking_number))
    assert re.fullmatch(r"EV\d{9}VN", number)
    officials_page = desk.get(f"/dossiers/{code}").get_data(as_text=True)
    assert number in officials_page and "5 Lý Thái Tổ" in officials_page and "Bưu điện đã nhận gửi" in officials_page
    lookup = applicant.get(f"/tra-cuu/{code}").get_data(as_text=True)
    assert number in lookup and "Bưu điện đã nhận gửi" in lookup and "5 Lý Thái Tổ" not in lookup
    assert "Được giải quyết (chấp thuận)" in lookup and "(Phê duyệt)" not in lookup  # the outcome in words of its own
    clock.advance(days=1)
    answer = post_json(f"{live_server}{SIMULATOR_PATH}/buugui/{number}/trangthai", {"status": "delivered"})
    assert answer["callback"]["status"] == 200
    assert "Đã phát thành công" in applicant.get(f"/cong-dan/ho-so/{code}").get_data(as_text=True)
    mine = applicant.get("/cong-dan/ho-so").get_data(as_text=True)
    assert f"Bưu gửi {number}: Đã phát thành công" in mine
    assert "Đã phát thành công" in applicant.get(f"/tra-cuu/{code}").get_data(as_text=True)
    with db(app) as session:
        mail = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "an@example.vn")).all()[-1]
        assert mail.subject == f"Kết quả hồ sơ {code} đã được bưu điện phát đến Ông/Bà" and number in mail.body
        assert session.scalar(select(PostalShipment.delivered_at)) == clock()


def test_the_desk_lists_shipments_with_failed_deliveries_first(app, clock, browser, booked, live_server):
    code, number = booked
    with db(app) as session:
        second = return_by_post(session, clock, to_return_step(session, clock))
        deliver(session, clock, adapters(live_server, clock))
        shipments.apply_status(session, report(second, "returned", "r1", clock(), "Không có người nhận"), clock())
        session.commit()
        failed_code, failed_number = second.dossier.code, second.tracking_number
    desk = browser("desk1")
    page = desk.get("/postal/").get_data(as_text=True)
    assert page.index(failed_number) < page.index(number) and 'data-status="returned" class="table-danger"' in page
    assert "1 bưu gửi không phát được" in page
    only_problems = desk.get("/postal/?status=problem").get_data(as_text=True)
    assert failed_number in only_problems and number not in only_problems
    dossier_page = desk.get(f"/dossiers/{failed_code}").get_data(as_text=True)
    assert "Bưu điện không phát được kết quả" in dossier_page and "Không có người nhận" in dossier_page
    res = desk.get("/postal/?status=lost")
    assert res.status_code == 400 and "Trạng thái bưu gửi không hợp lệ" in res.get_data(as_text=True)
    assert browser("analyst1").get("/postal/").status_code == 403


def test_a_booking_that_keeps_failing_is_shown_to_the_desk_and_as_a_dead_letter_to_admins(app, clock, browser):
    with db(app) as session:
        shipment = return_by_post(session, clock, to_return_step(session, clock))
        message = session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == shipments.booking_key(shipment)))
        for _ in range(outbox.MAX_ATTEMPTS):  # the configured postal service answers nothing
            clock.now = message.next_attempt_at
            outbox.deliver_pending(session, clock(), adapters=adapters("http://127.0.0.1:9", clock, timeout=0.5))
            session.commit()
        assert message.state == "dead"
        message_id = message.id
    assert "Chưa đặt được bưu gửi (8 lần thử)" in browser("desk1").get("/postal/").get_data(as_text=True)
    admin_page = browser("admin1").get("/admin/outbox").get_data(as_text=True)
    assert f'data-message="{message_id}" data-state="dead"' in admin_page and "Yêu cầu gửi bưu chính" in admin_page


def test_the_postal_simulator_page_moves_a_parcel_on(app, client, booked):
    code, number = booked
    page = client.get(SIMULATOR_PATH + "/").get_data(as_text=True)
    assert "Mô phỏng dịch vụ bưu chính" in page and f'data-tracking="{number}" data-status="accepted"' in page
    res = client.post(f"{SIMULATOR_PATH}/buugui/{number}/trangthai", data={"status": "in_transit"})
    assert res.status_code == 302
    assert f'data-tracking="{number}" data-status="in_transit"' in client.get(SIMULATOR_PATH + "/").get_data(as_text=True)


def test_the_postal_simulator_is_not_mounted_in_production(db_url, tmp_path):
    from webapp import create_app

    production = create_app({"TESTING": True, "DATABASE_URL": db_url, "ENV_NAME": "production",
                             "SECRET_KEY": "x", "STORAGE_DIR": str(tmp_path / "s")})
    try:
        assert production.test_client().get(SIMULATOR_PATH + "/").status_code == 404
    finally:
        production.extensions["motcua"]["engine"].dispose()


def test_a_dossier_received_by_post_at_the_counter_counts_from_its_postmark(app, clock, browser):
    clock.set(2026, 3, 3, 9)
    desk = browser("desk1")
    res = receive(desk, code="1.001612", channel="post", postmarked_at="2026-02-27T14:00")
    assert res.status_code == 302, res.get_data(as_text=True)
    with db(app) as session:
        dossier = lifecycle.get_dossier(session, code_from(res))
        assert dossier.postmarked_at == datetime(2026, 2, 27, 14, tzinfo=TZ)
        assert dossier.due_at == datetime(2026, 3, 4, 14, tzinfo=TZ)  # 3 working days from the postmark, not today
    code = code_from(res)
    page = desk.get(f"/dossiers/{code}").get_data(as_text=True)  # the page and the receipt say why
    assert "Bưu chính" in page and 'data-field="postmarked_at">14:00 27/02/2026' in page
    receipt = desk.get(f"/dossiers/{code}/forms/01").get_data(as_text=True)
    assert "ngày gửi theo dấu bưu điện" in receipt and "14 giờ 00 phút, ngày 27/02/2026" in receipt
    refused = receive(desk, code="1.001612", channel="in_person", postmarked_at="2026-02-27T14:00")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Chỉ ghi dấu bưu điện khi kênh nộp là bưu chính" in html
