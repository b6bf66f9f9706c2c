"""Rate limits behind a trusted proxy, online submission per account, the token's lifetime, and the same
answer for an unknown unit and one outside the user's scope (no existence oracle)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.models import Unit
from engine.org.accounts import create_user, grant_role
from tests.applicant_helpers import BIRTH, Applicant
from tests.conftest import Browser

WARD_A, WARD_B = "H26.70", "H26.73"


def _workers(db_url, clock, tmp_path, **extra):
    """Two app instances on one database, like two gunicorn workers."""
    from webapp import create_app

    config = {"TESTING": True, "DATABASE_URL": db_url, "NOW": clock, "SECRET_KEY": "test-secret",
              "STORAGE_DIR": str(tmp_path / "storage"), "LOGIN_RATE_PER_ADDRESS": 100_000,
              "LOGIN_RATE_GLOBAL": 100_000, **extra}
    return [create_app(dict(config)), create_app(dict(config))]


@pytest.fixture
def proxied(db_url, clock, tmp_path):
    workers = _workers(db_url, clock, tmp_path, TRUSTED_PROXIES="10.0.0.1, 10.9.0.0/16", LOOKUP_RATE_LIMIT=3,
                       LOGIN_RATE_PER_ADDRESS=3)
    yield workers
    for app in workers:
        app.extensions["motcua"]["engine"].dispose()


def _lookup(app, peer: str, forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return app.test_client().get("/tra-cuu/H26.70-000101-0009", environ_base={"REMOTE_ADDR": peer}, headers=headers)


def test_the_lookup_limit_is_shared_by_workers_and_follows_the_client_behind_a_trusted_proxy(proxied):
    first, second = proxied
    for number in range(3):  # three clients behind our proxy: each has its own count
        assert _lookup(first, "10.0.0.1", f"198.51.100.{number}").status_code == 404
    for worker in (first, second, first):  # one client's three lookups, spread over both workers
        assert _lookup(worker, "10.9.3.4", "203.0.113.50").status_code == 404
    res = _lookup(second, "10.0.0.1", "203.0.113.50")
    assert res.status_code == 429 and "quá nhiều lần" in res.get_data(as_text=True)


def test_a_client_that_is_not_a_proxy_cannot_choose_its_address_with_x_forwarded_for(proxied):
    first, second = proxied
    for number in range(3):
        assert _lookup((first, second)[number % 2], "203.0.113.9", f"192.0.2.{number}").status_code == 404
    assert _lookup(first, "203.0.113.9", "192.0.2.77").status_code == 429  # still counted as 203.0.113.9


def test_the_login_throttle_counts_the_client_behind_the_trusted_proxy(proxied):
    first, _second = proxied

    def attempt(forwarded: str):
        client = first.test_client()
        return client.post("/api/v1/auth/token", json={"username": "desk1", "password": "sai"},
                           environ_base={"REMOTE_ADDR": "10.0.0.1"}, headers={"X-Forwarded-For": forwarded})

    for _ in range(3):
        assert attempt("198.51.100.20").status_code == 401
    assert attempt("198.51.100.20").status_code == 429
    assert attempt("198.51.100.21").status_code == 401  # another citizen behind the same proxy may still try


def test_a_bad_trusted_proxy_setting_refuses_to_start(db_url, clock, tmp_path):
    from webapp import create_app

    with pytest.raises(ValueError, match="không phải địa chỉ IP"):
        create_app({"TESTING": True, "DATABASE_URL": db_url, "NOW": clock, "SECRET_KEY": "s",
                    "STORAGE_DIR": str(tmp_path), "TRUSTED_PROXIES": "proxy.example.vn"})


def test_online_submission_is_rate_limited_per_account(app):
    app.config["ONLINE_SUBMIT_LIMIT"] = 2
    citizen = Applicant(app)
    assert citizen.review().status_code == 200
    assert citizen.review().status_code == 200
    res = citizen.review()
    page = res.get_data(as_text=True)
    assert res.status_code == 429 and "quá nhiều hồ sơ" in page and int(res.headers["Retry-After"]) > 0
    other = Applicant(app, email="binh@example.vn", name="Lê Văn Bình")
    assert other.review().status_code == 200  # the limit is the account's, not everyone's


def test_sending_is_limited_too(app):
    app.config["ONLINE_SUBMIT_LIMIT"] = 2
    citizen = Applicant(app)
    citizen.submit_birth()  # one check, one send
    assert citizen.review().status_code == 200  # the second check
    assert citizen.post(f"/cong-dan/nop/{BIRTH}/gui").status_code == 302  # the second send
    app.config["ONLINE_SUBMIT_LIMIT"] = 3
    assert citizen.review().status_code == 200
    app.config["ONLINE_SUBMIT_LIMIT"] = 2
    res = citizen.post(f"/cong-dan/nop/{BIRTH}/gui")
    assert res.status_code == 429 and "quá nhiều hồ sơ" in res.get_data(as_text=True)


def _token(client) -> str:
    res = client.post("/api/v1/auth/token", json={"username": "desk1", "password": "demo1234"})
    assert res.status_code == 200 and res.json["expires_in"] == 3600
    return res.json["token"]


def _me(client, token: str):
    return client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})


def test_a_token_lives_an_hour_and_then_answers_401_in_vietnamese(client, clock):
    token = _token(client)
    clock.advance(minutes=59)
    assert _me(client, token).status_code == 200
    clock.advance(minutes=2)
    res = _me(client, token)
    assert res.status_code == 401 and res.is_json
    assert res.json["error"]["code"] == "unauthenticated" and "hết hạn" in res.json["error"]["message"]


def test_a_live_token_is_renewed_until_twelve_hours_after_the_password(client, clock):
    token = _token(client)
    for _ in range(12):  # 11 h 48 min of renewals
        clock.advance(minutes=59)
        res = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {token}"})
        assert res.status_code == 200, res.json
        token = res.json["token"]
        assert _me(client, token).status_code == 200
    clock.advance(minutes=59)  # 12 h 47 min after the password
    res = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 401 and "đăng nhập lại" in res.json["error"]["message"]
    assert _me(client, token).status_code == 200  # the last token still lives out its hour


def test_an_expired_or_forged_token_cannot_be_renewed(client, clock):
    token = _token(client)
    clock.advance(minutes=61)
    res = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 401 and "hết hạn" in res.json["error"]["message"]
    res = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {token[:-3]}abc"})
    assert res.status_code == 401 and "không hợp lệ" in res.json["error"]["message"]


@pytest.fixture
def ward_admin(app, clock):
    with app.extensions["motcua"]["sessions"]() as session:
        ward = session.scalar(select(Unit).where(Unit.code == WARD_A))
        user = create_user(session, "wardadmin", "Quản trị phường", "demo1234", clock())
        grant_role(session, user, ward, "admin")
        grant_role(session, user, ward, "supervisor")
        other = session.scalar(select(Unit).where(Unit.code == WARD_B)).id
        session.commit()
    admin = Browser(app, "wardadmin")
    admin.get("/worklist")  # the welcome message is shown and gone
    return admin, other


def _same(first, second, *hide: str) -> None:
    """Both 403, with the same words on the page (the code or id asked for replaced)."""
    assert first.status_code == second.status_code == 403
    texts = []
    for res in (first, second):
        page = res.get_data(as_text=True)
        main = page[page.index("<main"):page.index("</main>")]
        main = re.sub(r"<[^>]+>", " ", main)
        for word in sorted(hide, key=len, reverse=True):
            main = main.replace(word, "X")
        texts.append(" ".join(main.split()))
    assert texts[0] == texts[1] and "phạm vi" in texts[0]


@pytest.mark.parametrize("path", ["/admin/calendar?unit={}", "/supervision?unit={}", "/units/{}/tracking-book",
                                  "/admin/units/{}/documents", "/supervision/evaluation?unit={}"])
def test_an_unknown_unit_and_another_wards_answer_alike(ward_admin, path):
    admin, _other = ward_admin
    _same(admin.get(path.format(WARD_B)), admin.get(path.format("H26.999")), WARD_B, "H26.999")


def test_an_unknown_unit_id_and_another_wards_answer_alike(ward_admin):
    admin, other = ward_admin
    for path in ("/admin/units/{}", "/admin/units/{}/procedures", "/admin/units/new?parent={}"):
        _same(admin.get(path.format(other)), admin.get(path.format(987654)), str(other), "987654")


def test_an_unknown_unit_and_another_wards_answer_alike_in_the_api(ward_admin, api):
    from tests.conftest import Api

    admin, _other = ward_admin
    api = Api(admin.client)
    known = api.call("PUT", f"/units/{WARD_B}/office-hours", "wardadmin", {"office_hours": "07:30-11:30,13:30-17:00"})
    unknown = api.call("PUT", "/units/H26.999/office-hours", "wardadmin", {"office_hours": "07:30-11:30,13:30-17:00"})
    assert known.status_code == unknown.status_code == 403
    assert known.json["error"]["code"] == unknown.json["error"]["code"]
