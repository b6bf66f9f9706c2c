"""Failed outbound messages are visible to admins, who retry them; the desk checks an ID against the
population database; the simulators exist only outside production."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.messaging import outbox
from engine.models import Event, OutboxMessage
from tests.net import served
from tests.procedures.drive import new_dossier, step


def db(app):
    return app.extensions["motcua"]["sessions"]()


def dead_portal_message(app, clock) -> tuple[int, str]:
    with db(app) as session:
        dossier = new_dossier(session, clock, "birth")
        step(session, clock, dossier, "Task_Intake", "receive")
        message = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "national_portal"))
        message.state, message.attempts, message.last_error = "dead", outbox.MAX_ATTEMPTS, "HTTP 503 bảo trì"
        session.commit()
        return message.id, dossier.code


def test_an_admin_sees_a_dead_message_with_its_error_and_puts_it_back_in_the_queue(app, clock, browser):
    message_id, code = dead_portal_message(app, clock)
    admin = browser("admin1")
    page = admin.get("/admin/outbox").get_data(as_text=True)
    assert f'data-message="{message_id}" data-state="dead"' in page and "HTTP 503 bảo trì" in page and code in page
    res = admin.post(f"/admin/outbox/{message_id}/retry")
    assert res.status_code == 303
    with db(app) as session:
        message = session.get(OutboxMessage, message_id)
        assert message.state == "pending" and message.attempts == 0 and message.next_attempt_at == clock()
        assert session.scalar(select(Event).where(Event.kind == "outbox.retried")).payload["message_id"] == message_id
    page = admin.get("/admin/outbox").get_data(as_text=True)  # back in the queue: listed as waiting, not as failed
    assert f'data-message="{message_id}" data-state="dead"' not in page
    assert f'data-message="{message_id}" data-state="queued"' in page


def test_an_admin_sees_the_messages_still_waiting_for_their_first_attempt(app, clock, browser):
    with db(app) as session:
        dossier = new_dossier(session, clock, "birth")
        step(session, clock, dossier, "Task_Intake", "receive")
        queued = session.scalars(select(OutboxMessage).where(OutboxMessage.state == "pending")).all()
        assert queued and all(m.attempts == 0 for m in queued)
        ids, code = [m.id for m in queued], dossier.code
    page = browser("admin1").get("/admin/outbox").get_data(as_text=True)
    assert "Thư đang chờ gửi" in page and code in page
    assert all(f'data-message="{i}" data-state="queued"' in page for i in ids)
    assert "Không có thư đi lỗi." in page  # nothing failed yet


@pytest.mark.parametrize("username", ["desk1", "supervisor1"])
def test_only_admins_see_the_failed_messages(app, browser, username):
    assert browser(username).get("/admin/outbox").status_code == 403


@pytest.fixture
def population_url(app):
    with served(app) as base:
        app.config["POPULATION_URL"] = f"{base}/simulators/population"
        yield app.config["POPULATION_URL"]


def test_a_desk_officer_checks_an_id_and_a_differing_name_is_reported(api, population_url):
    res = api.get("/citizens/001088011223?name=Phạm Minh Đức", "desk1")
    assert res.status_code == 200 and res.json["status"] == "match"
    assert res.json["prefill"]["address"].startswith("12 Hàng Bạc")
    res = api.get("/citizens/001088011223?name=Phạm Văn Đức", "desk1")
    assert res.json["status"] == "mismatch" and "Phạm Văn Đức" in res.json["message"]
    assert api.get("/citizens/001088011223", "specialist1").status_code == 403


def test_without_a_population_database_the_check_says_so(api):
    res = api.get("/citizens/001088011223?name=A", "desk1")
    assert res.status_code == 200 and res.json["status"] == "unavailable"


def test_simulators_are_mounted_in_development_and_not_in_production(app, client, db_url, tmp_path):
    from webapp import create_app

    assert client.get("/simulators/national-portal/").status_code == 200
    assert "simulator" in client.get("/simulators/national-portal/").get_data(as_text=True)
    production = create_app({"TESTING": True, "DATABASE_URL": db_url, "ENV_NAME": "production",
                             "SECRET_KEY": "x", "STORAGE_DIR": str(tmp_path / "s")})
    try:
        assert production.test_client().get("/simulators/national-portal/").status_code == 404
        assert production.test_client().get("/simulators/population/congdan/001088011223").status_code == 404
    finally:
        production.extensions["motcua"]["engine"].dispose()


def test_at_the_counter_the_id_check_prefills_the_address_and_flags_a_different_name(browser, population_url):
    desk = browser("desk1")
    page = desk.post("/desk/new/1.001193/citizen-check", {"id_number": "001088011223", "name": "Phạm Minh Đức"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-identity="match"' in html and 'value="12 Hàng Bạc' in html
    html = desk.post("/desk/new/1.001193/citizen-check", {"id_number": "001088011223", "name": "Phạm Văn Đức"}
                     ).get_data(as_text=True)
    assert 'data-identity="mismatch"' in html and 'value="Phạm Văn Đức"' in html and "is-invalid" in html
