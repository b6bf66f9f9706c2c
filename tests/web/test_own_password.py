"""An official changes their own password; one an admin set must be changed before any other page opens."""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.models import Event, User


def db(app):
    return app.extensions["motcua"]["sessions"]()


def new_account(browser) -> str:
    """desk5, created by the city admin with a generated temporary password; the password."""
    admin = browser("admin1")
    res = admin.post("/admin/users/new", {"username": "desk5", "full_name": "Đinh Thị Thu", "email": "",
                                          "password": "", "unit": "H26.70.MC", "role": "mot_cua"})
    assert res.status_code == 302
    return re.search(r"Mật khẩu tạm thời: (\S+) \(", admin.get(res.headers["Location"]).get_data(as_text=True)).group(1)


def test_a_temporary_password_opens_only_the_password_page_until_it_is_changed(app, browser):
    temporary = new_account(browser)
    official = browser()
    assert official.login("desk5", temporary).status_code == 302
    for url in ("/worklist", "/desk/new", "/dossiers/H26.70-260302-0001", "/supervision/"):
        res = official.get(url)
        assert res.status_code == 303 and res.headers["Location"].endswith("/account/password"), url
    page = official.get("/account/password").get_data(as_text=True)
    assert "data-forced" in page and "do quản trị viên đặt" in page
    refused = official.post("/desk/new/1.001193", {"name": "X"})  # a form sent anyway is not taken
    assert refused.status_code == 303

    res = official.post("/account/password", {"current_password": temporary, "new_password": "Thu2026desk",
                                              "confirm_password": "Thu2026desk"})
    assert res.status_code == 302 and res.headers["Location"].endswith("/worklist")
    assert official.get("/worklist").status_code == 200  # the same browser goes on, on a fresh session
    assert browser().login("desk5", temporary).status_code == 401
    assert browser().login("desk5", "Thu2026desk").status_code == 302
    with db(app) as session:
        user = session.scalar(select(User).where(User.username == "desk5"))
        assert not user.must_change_password
        assert session.scalar(select(Event.kind).where(Event.kind == "user.password_changed")) is not None


def test_every_mistake_is_named_at_once_and_nothing_changes(app, browser):
    official = browser("desk1")
    res = official.post("/account/password", {"current_password": "sai-mat-khau", "new_password": "desk1abc",
                                              "confirm_password": "khac"})
    page = res.get_data(as_text=True)
    assert res.status_code == 422
    assert 'id="current_password-error"' in page and "không đúng" in page
    assert 'id="new_password-error"' in page and "tên đăng nhập" in page
    assert 'id="confirm_password-error"' in page and "chưa khớp" in page
    short = official.post("/account/password", {"current_password": "demo1234", "new_password": "abc1",
                                                "confirm_password": "abc1"}).get_data(as_text=True)
    assert "ít nhất 8 ký tự" in short and 'id="current_password-error"' not in short
    same = official.post("/account/password", {"current_password": "demo1234", "new_password": "demo1234",
                                               "confirm_password": "demo1234"}).get_data(as_text=True)
    assert "phải khác mật khẩu hiện tại" in same
    assert browser().login("desk1", "demo1234").status_code == 302
    with db(app) as session:
        assert session.scalar(select(User.failed_logins).where(User.username == "desk1")) == 0  # the login reset it


def test_guessing_the_current_password_pauses_the_account_like_the_login(app, browser):
    official = browser("desk1")
    for _ in range(5):
        official.post("/account/password", {"current_password": "doan-mo-1", "new_password": "Moi2026abc",
                                            "confirm_password": "Moi2026abc"})
    paused = official.post("/account/password", {"current_password": "demo1234", "new_password": "Moi2026abc",
                                                  "confirm_password": "Moi2026abc"})
    assert paused.status_code == 422 and "tạm khóa" in paused.get_data(as_text=True)
    assert browser().login("desk1", "Moi2026abc").status_code == 401
    with db(app) as session:
        kinds = [e.kind for e in session.scalars(select(Event).where(Event.kind.like("auth.password%")))]
    assert kinds.count("auth.password_change_failed") == 5


def test_a_password_change_ends_the_other_sessions(app, browser):
    here, elsewhere = browser("leader1"), browser("leader1")
    res = here.post("/account/password", {"current_password": "demo1234", "new_password": "Lanhdao2027",
                                          "confirm_password": "Lanhdao2027"})
    assert res.status_code == 302
    assert here.get("/worklist").status_code == 200
    gone = elsewhere.get("/worklist")
    assert gone.status_code == 302 and "/login" in gone.headers["Location"]


def test_an_admin_reset_asks_for_a_new_password_and_the_api_refuses_a_token_until_then(app, browser, client):
    admin = browser("admin1")
    with db(app) as session:
        desk1 = session.scalar(select(User.id).where(User.username == "desk1"))
    admin.post(f"/admin/users/{desk1}/password", {"password": "tamthoi123"})
    res = client.post("/api/v1/auth/token", json={"username": "desk1", "password": "tamthoi123"})
    assert res.status_code == 403 and "đổi mật khẩu" in res.get_json()["error"]["message"]
    official = browser()
    official.login("desk1", "tamthoi123")
    assert official.get("/worklist").status_code == 303
    official.post("/account/password", {"current_password": "tamthoi123", "new_password": "Quaytiep2027",
                                        "confirm_password": "Quaytiep2027"})
    assert client.post("/api/v1/auth/token", json={"username": "desk1", "password": "Quaytiep2027"}).status_code == 200


def test_the_navbar_name_opens_the_password_page(app, browser):
    page = browser("specialist1").get("/worklist").get_data(as_text=True)
    assert 'data-field="account_link"' in page and 'href="/account/password"' in page
