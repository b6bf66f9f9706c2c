"""The national portal and population database adapters against their simulators over real HTTP, and the
outbox around them: retries with back-off, dead letters, nothing lost, nothing sent twice."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.calendar.working import TZ
from engine.dossier.portal_intake import pull_submissions
from engine.integrations import national_portal as np
from engine.integrations.population import HttpPopulationRegistry, check_applicant
from engine.messaging import outbox
from engine.models import Dossier, Event, OutboxMessage
from tests.net import free_port, post_json
from tests.procedures.drive import new_dossier, step


def portal_adapters(base: str, timeout: float = 5.0) -> dict:
    return {np.KIND: np.PortalSender(np.HttpNationalPortal(base + np.SIMULATOR_PATH, timeout=timeout))}


def deliver(session, clock, adapters) -> int:
    sent = outbox.deliver_pending(session, clock(), adapters=adapters)
    session.commit()
    return sent


def portal_messages(session, dossier=None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.kind == np.KIND).order_by(OutboxMessage.id)
    if dossier is not None:
        query = query.where(OutboxMessage.dossier_id == dossier.id)
    return list(session.scalars(query))


def simulated_portal(app):
    return app.extensions["simulators"]["national_portal"]


def test_every_status_change_reaches_the_national_portal_once_with_its_national_code(session, clock, app,
                                                                                       live_server):
    adapters = portal_adapters(live_server)
    dossier = new_dossier(session, clock, "birth")
    step(session, clock, dossier, "Task_Intake", "receive")
    assert deliver(session, clock, adapters) == 1
    record = simulated_portal(app).records[dossier.code]
    assert record["TrangThai"] == 2 and record["MaTTHC"] == "1.001193" and record["KenhThucHien"] == 1
    assert record["NgayTiepNhan"] == f"{dossier.received_at.astimezone(TZ):%Y%m%d%H%M%S}"
    assert record["NgayHenTra"] and record["NgayKetThucXuLy"] is None
    assert record["QuaTrinhXuLy"][0]["TenBuoc"] and record["QuaTrinhXuLy"][0]["ThoiGianKetThuc"]
    for element, decision in (("Task_Appraise", "propose_approve"), ("Task_Approve", "approve"),
                              ("Task_Return", "return")):
        clock.advance(minutes=10)
        step(session, clock, dossier, element, decision)
    assert deliver(session, clock, adapters) == 2  # done (9) and returned (10); appraisal changes no code
    record = simulated_portal(app).records[dossier.code]
    assert record["TrangThai"] == 10 and record["NgayKetThucXuLy"] and record["NgayTraKetQua"]
    assert deliver(session, clock, adapters) == 0
    assert len(simulated_portal(app).calls) == 3


def test_a_message_delivered_twice_is_done_once_on_the_portal(session, clock, app, live_server):
    adapters = portal_adapters(live_server)
    dossier = new_dossier(session, clock, "birth")
    step(session, clock, dossier, "Task_Intake", "receive")
    assert deliver(session, clock, adapters) == 1
    message = portal_messages(session, dossier)[0]
    message.state = "pending"  # as if the scheduler died before it recorded the success
    session.commit()
    assert deliver(session, clock, adapters) == 1
    assert len(simulated_portal(app).calls) == 1


def test_while_the_portal_is_down_nothing_is_lost_and_a_dead_message_waits_for_an_admin(session, clock, app,
                                                                                          live_server):
    down = portal_adapters(f"http://127.0.0.1:{free_port()}")
    dossier = new_dossier(session, clock, "birth")
    step(session, clock, dossier, "Task_Intake", "receive")
    assert deliver(session, clock, down) == 0
    message = portal_messages(session, dossier)[0]
    assert message.state == "pending" and message.attempts == 1 and message.last_error
    assert message.next_attempt_at == clock() + outbox.backoff(1)
    assert deliver(session, clock, down) == 0 and message.attempts == 1  # not before its back-off
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        clock.now = message.next_attempt_at
        deliver(session, clock, down)
    assert message.state == "dead" and message.attempts == outbox.MAX_ATTEMPTS
    assert [m.id for m in outbox.troubled(session)] == [message.id]
    clock.advance(days=2)
    assert deliver(session, clock, portal_adapters(live_server)) == 0  # dead stays dead until retried
    outbox.retry(session, message.id, clock())
    session.commit()
    assert deliver(session, clock, portal_adapters(live_server)) == 1
    assert simulated_portal(app).records[dossier.code]["TrangThai"] == 2
    assert outbox.troubled(session) == []


@pytest.mark.parametrize("mode, expected", [("error", "503"), ("slow", "timed out")])
def test_a_portal_that_fails_or_is_too_slow_is_retried_later(session, clock, app, live_server, mode, expected):
    post_json(live_server + np.SIMULATOR_PATH + "/mode", {"mode": mode, "delay": 3})
    # only the slow portal meets a short limit; an error answer is waited for as long as normally
    adapters = portal_adapters(live_server, timeout=0.5 if mode == "slow" else 10)
    dossier = new_dossier(session, clock, "birth")
    step(session, clock, dossier, "Task_Intake", "receive")
    assert deliver(session, clock, adapters) == 0
    message = portal_messages(session, dossier)[0]
    assert message.state == "pending" and expected in message.last_error
    post_json(live_server + np.SIMULATOR_PATH + "/mode", {"mode": "ok"})
    clock.now = message.next_attempt_at
    assert deliver(session, clock, adapters) == 1
    assert simulated_portal(app).records[dossier.code]["TrangThai"] == 2


def test_a_notification_sender_never_gets_integration_messages(session, clock):
    dossier = new_dossier(session, clock, "birth")
    step(session, clock, dossier, "Task_Intake", "receive")
    seen = []
    outbox.deliver_pending(session, clock(), seen.append, adapters={})
    assert {m.kind for m in seen} == {"applicant_email"}
    assert portal_messages(session, dossier)[0].state == "pending"


def test_dossiers_submitted_on_the_national_portal_join_the_intake_queue_once(session, clock, app, live_server):
    submission = {"MaHoSoQG": "G22.99-20260302-000123", "MaTTHC": "1.001193", "MaDonVi": "H26.70",
                  "ChuHoSo": {"HoTen": "Nguyễn Thị Lan", "SoDinhDanh": "001190004567", "Email": "lan@example.vn"}}
    post_json(live_server + np.SIMULATOR_PATH + "/hoso/nop", submission)
    portal = np.HttpNationalPortal(live_server + np.SIMULATOR_PATH)
    assert pull_submissions(session, portal, clock()) == 1
    assert pull_submissions(session, portal, clock()) == 0  # not yet acknowledged, but taken once
    dossier = session.scalar(select(Dossier).where(Dossier.applicant_name == "Nguyễn Thị Lan"))
    assert dossier.channel == "online" and dossier.status == "submitted" and dossier.unit.code == "H26.70"
    assert deliver(session, clock, portal_adapters(live_server)) == 1
    record = simulated_portal(app).records[dossier.code]
    assert record["MaHoSoQG"] == submission["MaHoSoQG"] and record["TrangThai"] == 1 and record["KenhThucHien"] == 2
    assert portal.fetch_submissions() == []


def test_a_portal_submission_for_an_unknown_procedure_is_refused_and_logged(session, clock, app, live_server):
    post_json(live_server + np.SIMULATOR_PATH + "/hoso/nop", {"MaHoSoQG": "X-1", "MaTTHC": "9.999999", "MaDonVi": "H26.70",
                                                         "ChuHoSo": {"HoTen": "A"}})
    assert pull_submissions(session, np.HttpNationalPortal(live_server + np.SIMULATOR_PATH), clock()) == 0

    assert session.scalar(select(Event).where(Event.kind == "integration.import_failed")).payload["external_id"] == "X-1"


def test_the_population_database_prefills_the_applicant_and_shows_a_mismatch(app, live_server):
    registry = HttpPopulationRegistry(live_server + "/simulators/population")  # a normal answer: the normal timeout
    match = check_applicant(registry, "001088011223", "  phạm minh  đức ")
    assert match.status == "match" and match.prefill["name"] == "Phạm Minh Đức" and "Hàng Bạc" in match.prefill["address"]
    mismatch = check_applicant(registry, "001088011223", "Pham Minh Duc")
    assert mismatch.status == "mismatch" and mismatch.differences["name"]["registry"] == "Phạm Minh Đức"
    assert check_applicant(registry, "001000000000", "Ai Đó").status == "not_found"
    assert check_applicant(registry, "12345", "Ai Đó").status == "invalid"
    post_json(live_server + "/simulators/population/mode", {"mode": "slow", "delay": 3})
    impatient = HttpPopulationRegistry(live_server + "/simulators/population", timeout=0.5)  # slow on purpose
    assert check_applicant(impatient, "001088011223").status == "unavailable"
    post_json(live_server + "/simulators/population/mode", {"mode": "error"})
    assert check_applicant(registry, "001088011223").status == "unavailable"
    down = HttpPopulationRegistry(f"http://127.0.0.1:{free_port()}")
    assert check_applicant(down, "001088011223").status == "unavailable"
    assert check_applicant(None, "001088011223").status == "unavailable"
