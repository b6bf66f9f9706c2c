"""`motcua backup` and `motcua restore` end to end: dossiers with scans, back up, wipe, restore, carry on."""
from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from engine.dossier import lifecycle
from engine.dossier.counter import receive_at_counter
from engine.dossier.documents import Upload, documents_of, read_verified
from engine.models import Dossier, Event
from tests.procedures.drive import APPLICANT, DATA, ready_tasks, step, user
from webapp import create_app
from webapp.cli import main

CHECKLIST = {0: 0, 1: 1, 5: 0}


def scan(i: int) -> Upload:
    if i % 2:
        return Upload(f"anh-{i}.png", b"\x89PNG\r\n\x1a\n" + f"ảnh quét số {i}".encode() * 50)
    return Upload(f"don-{i}.pdf", f"%PDF-1.4\n% đơn số {i}\n%%EOF".encode())


class FreshDatabase:
    """Empty databases of the test's backend to restore into, dropped at the end."""

    def __init__(self, db_url: str, tmp_path: Path) -> None:
        self.db_url, self.tmp_path, self.made = db_url, tmp_path, []

    def new(self) -> str:
        if self.db_url.startswith("sqlite"):
            return f"sqlite:///{self.tmp_path / f'restored-{uuid.uuid4().hex[:6]}.sqlite'}"
        name = f"motcua_r_{uuid.uuid4().hex[:10]}"
        with self._admin().connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.made.append(name)
        return make_url(self.db_url).set(database=name).render_as_string(hide_password=False)

    def drop(self, name: str) -> None:
        with self._admin().connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def _admin(self):
        return create_engine(make_url(self.db_url).set(database="postgres"), isolation_level="AUTOCOMMIT")

    def close(self) -> None:
        for name in self.made:
            self.drop(name)


@pytest.fixture
def fresh(db_url, tmp_path):
    databases = FreshDatabase(db_url, tmp_path)
    yield databases
    databases.close()


def cli(app, *args: str):
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def tables(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return inspect(conn).get_table_names()
    finally:
        engine.dispose()


def test_backup_wipe_restore_into_a_fresh_database_and_carry_on(app, db_url, clock, tmp_path, fresh):
    storage = Path(app.config["STORAGE_DIR"])
    sessions = app.extensions["motcua"]["sessions"]
    with sessions() as session:
        made = []
        for i in range(4):
            dossier = receive_at_counter(session, user(session, "desk1"), "1.001193", APPLICANT, CHECKLIST,
                                         [scan(i), scan(i + 10)], DATA["receive"], storage, clock())
            session.commit()
            made.append(dossier)
        step(session, clock, made[0], "Task_Appraise", "propose_approve")
        before = {d.code: d.status for d in session.scalars(select(Dossier))}
        files = {(d.code, doc.filename): read_verified(storage, doc)
                 for d in made for doc in documents_of(session, d)}
    assert len(files) == 8

    target = tmp_path / "backup"
    result = cli(app, "backup", str(target))
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu 4 hồ sơ, 8 tài liệu, 8 tệp" in result.output
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == {"dossiers": 4, "documents": 8}
    again = cli(app, "backup", str(target))
    assert again.exit_code != 0 and "đã có dữ liệu" in again.output  # never writes over a backup

    # wipe: the database and the document store are gone
    app.extensions["motcua"]["engine"].dispose()
    shutil.rmtree(storage)
    if db_url.startswith("sqlite"):
        Path(make_url(db_url).database).unlink()
    else:
        fresh.drop(make_url(db_url).database)

    new_url, new_storage = fresh.new(), tmp_path / "storage-restored"
    restored = create_app({"TESTING": True, "DATABASE_URL": new_url, "NOW": clock, "SECRET_KEY": "test-secret",
                           "STORAGE_DIR": str(new_storage)})
    try:
        result = cli(restored, "restore", str(target))
        assert result.exit_code == 0, result.output
        assert "Đã phục hồi 4 hồ sơ, 8 tài liệu" in result.output
        with restored.extensions["motcua"]["sessions"]() as session:
            assert {d.code: d.status for d in session.scalars(select(Dossier))} == before
            for dossier in session.scalars(select(Dossier)):
                for doc in documents_of(session, dossier):
                    assert read_verified(new_storage, doc) == files[(dossier.code, doc.filename)]
            assert session.scalar(select(Event.id).where(Event.kind == "system.restored")) is not None
            # work carries on: the next step completes, and new codes continue the day's sequence
            first = session.scalar(select(Dossier).where(Dossier.code == made[0].code))
            task = ready_tasks(session, first)[0]
            assert task.element_id == "Task_Approve"
            lifecycle.complete_task(session, task.id, user(session, "leader1"), DATA["approve"], clock())
            session.commit()
            assert session.get(Dossier, first.id).status == "done"
            new = lifecycle.create_dossier(session, user(session, "desk1"), "1.001193", "in_person", APPLICANT, {},
                                          clock())
            session.commit()
            assert int(new.code.rsplit("-", 1)[1]) == max(int(c.rsplit("-", 1)[1]) for c in before) + 1

        refused = cli(restored, "restore", str(target))  # a database with data is not overwritten by accident
        assert refused.exit_code != 0 and "--replace" in refused.output
    finally:
        restored.extensions["motcua"]["engine"].dispose()


def test_a_damaged_backup_is_refused_before_anything_is_written(app, clock, tmp_path, fresh):
    storage = Path(app.config["STORAGE_DIR"])
    with app.extensions["motcua"]["sessions"]() as session:
        receive_at_counter(session, user(session, "desk1"), "1.001193", APPLICANT, CHECKLIST, [scan(1)],
                           DATA["receive"], storage, clock())
        session.commit()
    target = tmp_path / "backup"
    assert cli(app, "backup", str(target)).exit_code == 0
    tar = target / "files.tar"
    data = bytearray(tar.read_bytes())
    data[600] ^= 0xFF  # a flipped bit inside the stored scan
    tar.write_bytes(bytes(data))

    new_url, new_storage = fresh.new(), tmp_path / "storage-restored"
    restored = create_app({"TESTING": True, "DATABASE_URL": new_url, "NOW": clock, "SECRET_KEY": "test-secret",
                           "STORAGE_DIR": str(new_storage)})
    try:
        result = cli(restored, "restore", str(target))
        assert result.exit_code != 0
        assert "files.tar" in result.output and "không khớp mã băm" in result.output
        assert tables(new_url) == [] and not new_storage.exists()
    finally:
        restored.extensions["motcua"]["engine"].dispose()
