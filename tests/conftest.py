"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

A migrated database with the demo data is built once per run and per backend (a SQLite file
copied per test; a PostgreSQL template database cloned per test), so each test starts from
the same real state in milliseconds.
"""
from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine.calendar.working import TZ

PG_URL = os.environ.get("MOTCUA_TEST_POSTGRES_URL")
REQUIRE_PG = os.environ.get("MOTCUA_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite", "postgresql"]
SKIPPED_PG: list[str] = []


@dataclass
class Clock:
    """The time every engine call sees; tests move it on."""

    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 9, 0, tzinfo=TZ))  # a Monday

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now

    def set(self, *args: int) -> datetime:
        self.now = datetime(*args, tzinfo=TZ)
        return self.now


def _build(url: str, now: datetime) -> None:
    from engine.ground.db import make_engine, make_session_factory
    from engine.ground.migrate import upgrade
    from engine.operations.demo import load_demo

    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        load_demo(session, now)
        session.commit()
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.sqlite"
    _build(f"sqlite:///{path}", Clock().now)
    return path


def _admin_engine():
    return create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template():
    if not PG_URL:
        message = "MOTCUA_TEST_POSTGRES_URL is not set"
        if REQUIRE_PG:
            pytest.fail(message + " but MOTCUA_REQUIRE_POSTGRES=1")
        SKIPPED_PG.append(message)
        pytest.skip(message)
    name = f"motcua_tpl_{uuid.uuid4().hex[:8]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    _build(make_url(PG_URL).set(database=name).render_as_string(hide_password=False), Clock().now)
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh, migrated database with the demo data, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"motcua_t_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sessions(db_url):
    """A session factory on the test database."""
    from engine.ground.db import make_engine, make_session_factory

    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def session(sessions):
    with sessions() as s:
        yield s


@pytest.fixture(scope="session")
def signing_keys(tmp_path_factory):
    """A test CA and the demo ward's signing certificate, valid 2024-2040 (the test clock is in 2026)."""
    from engine.integrations.certificates import make_demo_keys

    return make_demo_keys(tmp_path_factory.mktemp("signing"), "Ủy ban nhân dân phường Hoàn Kiếm",
                          datetime(2024, 1, 2, tzinfo=TZ), valid_days=16 * 365)


@pytest.fixture
def app(db_url, clock, tmp_path, signing_keys):
    from webapp import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "NOW": clock, "SECRET_KEY": "test-secret",
                      "STORAGE_DIR": str(tmp_path / "storage"), "SIMULATORS": True,
                      "SIGNING_PKCS12": str(signing_keys.pkcs12), "SIGNING_PKCS12_PASSWORD": signing_keys.passphrase,
                      "SIGNING_TRUST_ROOTS": str(signing_keys.ca_pem),
                      "SIGNING_SIMULATOR_PKCS12": str(signing_keys.pkcs12),
                      "SIGNING_SIMULATOR_PASSWORD": signing_keys.passphrase,
                      "PAYMENT_GATEWAY_SECRET": "test-payment-secret",
                      # the test clock stands still: every login of a test falls in one window
                      "LOGIN_RATE_PER_ADDRESS": 100_000, "LOGIN_RATE_GLOBAL": 100_000})
    from tests.vneid_helpers import ISSUER, SECRET, in_process_transport

    # VNeID sign-in against the app's own simulator, its HTTP calls answered in-process (tests/vneid_helpers.py)
    app.config.update(VNEID_ISSUER=ISSUER, VNEID_CLIENT_SECRET=SECRET, VNEID_TRANSPORT=in_process_transport(app))
    yield app
    app.extensions["motcua"]["engine"].dispose()


@pytest.fixture
def live_server(app):
    """The app (with its simulators) served on a free loopback port for the length of a test."""
    from tests.net import served

    with served(app) as base:
        yield base


@pytest.fixture
def client(app):
    return app.test_client()


class Api:
    """The REST API as each demo user sees it."""

    def __init__(self, client) -> None:
        self.client = client
        self.tokens: dict[str, str] = {}
        self.issued: dict[str, datetime] = {}

    def token(self, user: str) -> str:
        # a token lives an hour of the app's clock, which tests move on by days: a fresh one when it has aged
        moment = self.client.application.config["NOW"]()
        issued = self.issued.get(user)
        if user not in self.tokens or issued is None or abs((moment - issued).total_seconds()) > 50 * 60:
            res = self.client.post("/api/v1/auth/token", json={"username": user, "password": "demo1234"})
            assert res.status_code == 200, res.json
            self.tokens[user], self.issued[user] = res.json["token"], moment
        return self.tokens[user]

    def call(self, method: str, path: str, user: str | None = None, json=None):
        headers = {"Authorization": f"Bearer {self.token(user)}"} if user else {}
        return self.client.open("/api/v1" + path, method=method, json=json, headers=headers)

    def get(self, path, user=None):
        return self.call("GET", path, user)

    def post(self, path, user=None, json=None):
        return self.call("POST", path, user, json if json is not None else {})


@pytest.fixture
def api(client) -> Api:
    return Api(client)


def pytest_terminal_summary(terminalreporter):
    if SKIPPED_PG:
        terminalreporter.write_line(
            "NOTE: the PostgreSQL half of the suite was SKIPPED (set MOTCUA_TEST_POSTGRES_URL, "
            "e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test, to run it).", yellow=True, bold=True)


def fresh_token(client, page: str) -> str:
    """The CSRF token of the client's (new) session, read from `page` without using up its flashed messages."""
    with client.session_transaction() as cookie:
        flashes = list(cookie.get("_flashes", []))
    token = Browser.TOKEN.search(client.get(page, follow_redirects=True).get_data(as_text=True)).group(1)
    if flashes:
        with client.session_transaction() as cookie:
            cookie["_flashes"] = flashes
    return token


class Browser:
    """A logged-in official in the Flask test client, sending the CSRF token like a browser."""

    TOKEN = __import__("re").compile(r'name="csrf_token" value="([^"]+)"')

    def __init__(self, app, username: str | None = None) -> None:
        self.client = app.test_client()
        self.token = ""
        if username:
            res = self.login(username)
            assert res.status_code == 302, res.get_data(as_text=True)

    def login(self, username: str, password: str = "demo1234"):
        page = self.client.get("/login").get_data(as_text=True)
        self.token = self.TOKEN.search(page).group(1)
        res = self.post("/login", {"username": username, "password": password})
        if res.status_code == 302:  # a login starts a fresh session: the form token of the new one
            self.token = fresh_token(self.client, "/worklist")
        return res

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        return self.client.post(path, data=data, **kwargs)


@pytest.fixture
def browser(app):
    """Log in as a demo user: browser("desk1")."""
    return lambda username=None: Browser(app, username)
