"""The populated world shared by the access tests (one per backend and module)."""
from __future__ import annotations

import shutil
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, Clock, _admin_engine
from tests.security.world import build_world


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, tmp_path_factory):
    """One populated app per backend for the whole matrix (logins and dossiers are made once)."""
    from webapp import create_app

    tmp = tmp_path_factory.mktemp("matrix")
    admin = name = None
    if request.param == "sqlite":
        shutil.copy(request.getfixturevalue("sqlite_template"), tmp / "m.sqlite")
        url = f"sqlite:///{tmp / 'm.sqlite'}"
    else:
        template = request.getfixturevalue("pg_template")
        name, admin = f"motcua_m_{uuid.uuid4().hex[:10]}", _admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "NOW": Clock(), "SECRET_KEY": "test-secret",
                      "STORAGE_DIR": str(tmp / "storage"), "LOOKUP_RATE_LIMIT": 100000,
                      "LOGIN_RATE_PER_ADDRESS": 100000, "LOGIN_RATE_GLOBAL": 100000,
                      "POSTAL_CALLBACK_SECRET": "postal-secret", "PAYMENT_GATEWAY_SECRET": "gateway-secret"})
    from tests.vneid_helpers import canned_discovery

    app.config.update(VNEID_ISSUER="https://vneid.example", VNEID_TRANSPORT=canned_discovery("https://vneid.example"))
    yield build_world(app)
    app.extensions["motcua"]["engine"].dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
