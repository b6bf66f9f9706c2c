"""One held row lock must not stop the site, and a lost database is not "someone else is handling it":
a lock wait past lock_timeout answers 409, a database that is gone 503, both in Vietnamese."""
from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, select, text

from tests.conftest import Api
from tests.procedures.drive import new_dossier


@pytest.fixture
def quick_app(db_url, clock, tmp_path):
    """The app with a short lock timeout (the serving default is 5 s)."""
    from webapp import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "NOW": clock, "SECRET_KEY": "test-secret",
                      "STORAGE_DIR": str(tmp_path / "storage"), "DATABASE_TIMEOUTS": {"lock_timeout": "300ms"}})
    yield app
    app.extensions["motcua"]["engine"].dispose()


class RowLock:
    """Another connection holding the dossier's row (PostgreSQL) or the database's write lock (SQLite)."""

    def __init__(self, url: str, dossier_id: int) -> None:
        self.url, self.dossier_id = url, dossier_id

    def __enter__(self):
        if self.url.startswith("sqlite"):
            self.conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.engine = create_engine(self.url)
            self.conn = self.engine.connect()
            self.conn.execute(text("SELECT id FROM dossier WHERE id = :id FOR UPDATE"), {"id": self.dossier_id})
        return self

    def __exit__(self, *exc):
        self.conn.rollback() if hasattr(self.conn, "rollback") else None
        self.conn.close()
        if hasattr(self, "engine"):
            self.engine.dispose()


def test_a_held_row_lock_answers_409_in_vietnamese_instead_of_hanging(quick_app, db_url, clock):
    from engine.models import HumanTask

    with quick_app.extensions["motcua"]["sessions"]() as session:
        dossier = new_dossier(session, clock)
        task_id = session.scalar(select(HumanTask.id).where(HumanTask.dossier_id == dossier.id))
    api = Api(quick_app.test_client())
    token = api.token("desk1")
    answers = []

    def complete():
        client = quick_app.test_client()
        answers.append(client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"intake_decision": "receive"}},
                                   headers={"Authorization": f"Bearer {token}"}))

    with RowLock(db_url, dossier.id):
        worker = threading.Thread(target=complete, daemon=True)
        worker.start()
        worker.join(timeout=20)
        assert not worker.is_alive(), "the request waited on the lock for ever"
    res = answers[0]
    assert res.status_code == 409, res.get_data(as_text=True)
    assert res.json["error"]["code"] == "locked" and "thao tác khác" in res.json["error"]["message"]
    # released, the same step goes through
    res = quick_app.test_client().post(f"/api/v1/tasks/{task_id}/complete",
                                       json={"data": {"intake_decision": "receive"}},
                                       headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 200, res.get_data(as_text=True)


@pytest.mark.parametrize("url", ["sqlite:////nonexistent-motcua-dir/gone.sqlite",
                                 "postgresql+psycopg://postgres@127.0.0.1:1/gone?connect_timeout=2"],
                         ids=["sqlite", "postgresql"])
def test_a_lost_database_answers_503_in_vietnamese(url, tmp_path):
    from webapp import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret",
                      "STORAGE_DIR": str(tmp_path / "storage")})
    client = app.test_client()
    res = client.get("/api/v1/procedures")
    assert res.status_code == 503 and res.json["error"]["code"] == "database_unavailable"
    assert "Không kết nối được cơ sở dữ liệu" in res.json["error"]["message"]
    page = client.get("/thu-tuc")
    assert page.status_code == 503 and "Không kết nối được cơ sở dữ liệu" in page.get_data(as_text=True)
    app.extensions["motcua"]["engine"].dispose()


def test_every_serving_connection_carries_the_timeouts(db_url, tmp_path):
    from webapp import create_app

    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL settings")
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "t", "STORAGE_DIR": str(tmp_path)})
    with app.extensions["motcua"]["engine"].connect() as conn:
        shown = {name: conn.execute(text(f"SHOW {name}")).scalar()
                 for name in ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout")}
    app.extensions["motcua"]["engine"].dispose()
    assert shown == {"lock_timeout": "5s", "statement_timeout": "30s", "idle_in_transaction_session_timeout": "1min"}
