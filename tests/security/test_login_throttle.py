"""Login throttling: per client address and for everyone, shared by every worker (the count lives in the
database), on the officials' login, the applicants' and the API's token; a paused account answers like a
wrong password."""
from __future__ import annotations

import pytest

from tests.conftest import Browser


@pytest.fixture
def limited(db_url, clock, tmp_path):
    """Two app instances on one database, like two gunicorn workers, with small limits."""
    from webapp import create_app

    config = {"TESTING": True, "DATABASE_URL": db_url, "NOW": clock, "SECRET_KEY": "test-secret",
              "STORAGE_DIR": str(tmp_path / "storage"), "LOGIN_RATE_PER_ADDRESS": 5, "LOGIN_RATE_GLOBAL": 8,
              "LOGIN_RATE_WINDOW": 60}
    workers = [create_app(dict(config)), create_app(dict(config))]
    yield workers
    for app in workers:
        app.extensions["motcua"]["engine"].dispose()


def _try(app, address: str, path: str = "/login"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if path.startswith("/api/"):
        return client.post(path, json={"username": "desk1", "password": "sai"})
    official = Browser(app)
    official.client = client
    page = client.get(path).get_data(as_text=True)
    official.token = Browser.TOKEN.search(page).group(1)
    field = "email" if "cong-dan" in path else "username"
    return official.post(path, {field: "desk1@example.vn" if field == "email" else "desk1", "password": "sai"})


def test_one_address_is_throttled_across_workers_and_doors(limited, clock):
    first, second = limited
    doors = ["/login", "/cong-dan/dang-nhap", "/api/v1/auth/token", "/login", "/api/v1/auth/token"]
    for worker, door in zip([first, second, first, second, first], doors, strict=True):
        assert _try(worker, "203.0.113.7", door).status_code == 401  # five attempts, spread over both workers
    res = _try(second, "203.0.113.7", "/login")
    assert res.status_code == 429 and "quá nhiều lần đăng nhập" in res.get_data(as_text=True)
    assert 1 <= int(res.headers["Retry-After"]) <= 60
    res = _try(first, "203.0.113.7", "/api/v1/auth/token")
    assert res.status_code == 429 and res.json["error"]["code"] == "too_many_requests"
    assert _try(first, "198.51.100.2").status_code == 401  # another address still gets to try
    clock.advance(seconds=61)
    assert _try(second, "203.0.113.7").status_code == 401  # a new window


def test_everyone_together_is_throttled_too(limited):
    first, second = limited
    for number in range(8):
        assert _try((first, second)[number % 2], f"192.0.2.{number}").status_code == 401
    assert _try(first, "192.0.2.200").status_code == 429


def test_a_paused_account_answers_exactly_like_an_unknown_one(app, browser, clock):
    official = browser()
    for _ in range(5):
        official.login("desk1", "sai")
    paused = official.login("desk1", "demo1234").get_data(as_text=True)
    unknown = official.login("khong-co-ai", "demo1234").get_data(as_text=True)
    message = "mật khẩu không đúng; sau nhiều lần nhập sai"
    assert message in paused and message in unknown
    assert "giây" not in paused.split("alert")[1][:300]


def test_each_further_five_failures_double_the_pause(app, browser, clock):
    official = browser()
    for _ in range(5):
        official.login("desk1", "sai")
    clock.advance(seconds=61)
    for _ in range(5):
        official.login("desk1", "sai")
    clock.advance(seconds=61)
    assert official.login("desk1").status_code == 401, "the second pause lasts two minutes"
    clock.advance(seconds=60)
    assert official.login("desk1").status_code == 302
