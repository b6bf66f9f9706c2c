"""Sessions and tokens end when they should: logout, password change, deactivation and role change end every
session and token of the account at its next request; logged-in pages are never cached; a login starts a
fresh session."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.applicant_helpers import Applicant
from tests.conftest import Browser


def _logged_in(client) -> bool:
    res = client.get("/worklist")
    return res.status_code == 200


def _token(app, username: str) -> str:
    return app.test_client().post("/api/v1/auth/token", json={"username": username, "password": "demo1234"}).json["token"]


def _api_ok(app, token: str) -> bool:
    return app.test_client().get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def _user_id(app, username: str) -> int:
    from engine.models import User

    with app.extensions["motcua"]["sessions"]() as session:
        return session.scalar(select(User.id).where(User.username == username))


def test_logging_out_ends_every_session_and_token_of_the_official(app):
    laptop, phone, token = Browser(app, "desk1"), Browser(app, "desk1"), _token(app, "desk1")
    assert _logged_in(laptop.client) and _logged_in(phone.client) and _api_ok(app, token)
    assert laptop.post("/logout").status_code == 302
    assert not _logged_in(phone.client) and not _api_ok(app, token)
    assert _logged_in(Browser(app, "desk1").client), "a new login works"


@pytest.mark.parametrize(("action", "data"), [
    ("password", {"password": "mat-khau-moi-2026"}),
    ("deactivate", {}),
    ("grants", {"unit": "H26.70", "role": "mot_cua"}),
])
def test_an_admins_change_to_the_account_ends_its_sessions_and_tokens(app, action, data):
    specialist, token, admin = Browser(app, "specialist1"), _token(app, "specialist1"), Browser(app, "admin1")
    assert _logged_in(specialist.client) and _api_ok(app, token)
    assert admin.post(f"/admin/users/{_user_id(app, 'specialist1')}/{action}", data).status_code == 302
    assert not _logged_in(specialist.client) and not _api_ok(app, token)


def test_revoking_a_role_ends_the_sessions_too(app):
    from engine.models import RoleGrant

    specialist, admin = Browser(app, "specialist1"), Browser(app, "admin1")
    user_id = _user_id(app, "specialist1")
    with app.extensions["motcua"]["sessions"]() as session:
        grant_id = session.scalar(select(RoleGrant.id).where(RoleGrant.user_id == user_id))
    assert admin.post(f"/admin/users/{user_id}/grants/{grant_id}/revoke").status_code == 302
    assert not _logged_in(specialist.client)


def test_an_applicants_logout_ends_their_other_sessions(app):
    first = Applicant(app, "lan@example.vn")
    second = Applicant(app, register=False)
    assert second.post("/cong-dan/dang-nhap", {"email": "lan@example.vn", "password": "matkhau123"}).status_code == 302
    assert second.client.get("/cong-dan/ho-so").status_code == 200
    assert first.post("/cong-dan/dang-xuat", {}).status_code == 302
    assert second.client.get("/cong-dan/ho-so").status_code == 302  # back to the login page


def test_logged_in_pages_and_files_are_never_cached(app):
    desk = Browser(app, "desk1")
    for path in ("/worklist", "/desk/queue", "/tracking-book"):
        assert desk.get(path).headers.get("Cache-Control") == "no-store", path
    assert app.test_client().get("/api/v1/tasks", headers={"Authorization": f"Bearer {_token(app, 'desk1')}"}) \
        .headers.get("Cache-Control") == "no-store"
    assert "no-store" not in (app.test_client().get("/thu-tuc").headers.get("Cache-Control") or "")


def test_a_login_starts_a_fresh_session_without_the_anonymous_csrf_token(app):
    official = Browser(app)
    official.get("/login?lang=en")
    before = official.token = re.search(r'name="csrf_token" value="([^"]+)"',
                                        official.get("/login").get_data(as_text=True)).group(1)
    assert official.post("/login", {"username": "desk1", "password": "demo1234"}).status_code == 302
    with official.client.session_transaction() as cookie:
        assert cookie.get("lang") == "en", "the chosen language stays"
        assert "csrf_token" not in cookie or cookie["csrf_token"] != before
    page = official.get("/worklist").get_data(as_text=True)
    after = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert after is None or after.group(1) != before
