"""Files uploaded for an online submission that is never sent: they expire, count against the account's
quota, and the document store collects what nothing refers to (`motcua storage gc`, with a dry run)."""
from __future__ import annotations

import io
import os
from pathlib import Path

from sqlalchemy import func, select

from tests.applicant_helpers import BIRTH, BIRTH_FORM, Applicant


def _pdf(tag: str, size: int = 2000) -> bytes:
    return b"%PDF-1.4\n%" + tag.encode() + b"\n" + b"0" * size + b"\n%%EOF\n"


def _review(citizen: Applicant, contents: tuple[bytes, bytes]):
    data = {"unit": "H26.70", **BIRTH_FORM}
    for index, content in enumerate(contents):
        data[f"doc_{index}"] = (io.BytesIO(content), f"giay-{index}.pdf")
    return citizen.post(f"/cong-dan/nop/{BIRTH}", data, content_type="multipart/form-data")


def _stored(app) -> set[str]:
    storage = Path(app.config["STORAGE_DIR"])
    return {p.name for p in storage.rglob("*") if p.is_file()} if storage.exists() else set()


def test_staged_files_count_against_the_accounts_quota_and_a_repeat_does_not_count_twice(app):
    app.config["UPLOAD_QUOTA_BYTES"] = 10_000
    citizen = Applicant(app)
    first = (_pdf("a"), _pdf("b"))
    assert _review(citizen, first).status_code == 200
    assert _review(citizen, first).status_code == 200  # the same files checked again: renewed, not doubled
    before = _stored(app)
    res = _review(citizen, (_pdf("c", 4000), _pdf("d", 4000)))
    page = res.get_data(as_text=True)
    assert res.status_code == 422 and "vượt hạn mức" in page and "MB" in page
    assert _stored(app) == before  # nothing of the refused submission was written
    other = Applicant(app, email="binh@example.vn", name="Lê Văn Bình")
    assert _review(other, (_pdf("c", 4000), _pdf("d", 4000))).status_code == 200  # the quota is per account


def test_a_draft_whose_files_have_expired_cannot_be_sent(app, session, clock):
    from engine.models import Dossier

    citizen = Applicant(app)
    assert _review(citizen, (_pdf("e"), _pdf("f"))).status_code == 200
    count = session.scalar(select(func.count()).select_from(Dossier))
    clock.advance(hours=25)
    res = citizen.post(f"/cong-dan/nop/{BIRTH}/gui", follow_redirects=True)
    assert "hết hạn" in res.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Dossier)) == count


def test_sending_releases_the_quota(app, session, clock):
    from engine.models import StagedUpload

    app.config["UPLOAD_QUOTA_BYTES"] = 6_000
    citizen = Applicant(app)
    assert _review(citizen, (_pdf("g"), _pdf("h"))).status_code == 200
    assert citizen.post(f"/cong-dan/nop/{BIRTH}/gui").status_code == 302
    assert session.scalar(select(func.count()).select_from(StagedUpload)) == 0
    assert _review(citizen, (_pdf("i"), _pdf("j"))).status_code == 200


def _age(app, clock, hours: float) -> None:
    moment = clock.now.timestamp() - hours * 3600
    for path in Path(app.config["STORAGE_DIR"]).rglob("*"):
        if path.is_file():
            os.utime(path, (moment, moment))


def test_unreferenced_files_are_collected_after_a_dry_run_counts_them(app, session, clock):
    import hashlib

    citizen = Applicant(app)
    sent, abandoned = (_pdf("k"), _pdf("l")), (_pdf("m"), _pdf("n"))
    assert _review(citizen, sent).status_code == 200
    assert citizen.post(f"/cong-dan/nop/{BIRTH}/gui").status_code == 302
    assert _review(citizen, abandoned).status_code == 200
    storage = Path(app.config["STORAGE_DIR"])
    (storage / "ab").mkdir(parents=True, exist_ok=True)
    (storage / "ab" / "ghi-chu-cua-quan-tri.txt").write_text("không phải tệp của kho")
    _age(app, clock, 2)
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from webapp.cli import main

    def motcua(*args: str):
        return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))

    names = {hashlib.sha256(c).hexdigest() for c in sent + abandoned}
    assert names <= _stored(app)

    res = motcua("storage", "gc")  # the abandoned files are still staged: kept
    assert res.exit_code == 0 and "Đã xoá 0 tệp" in res.output, res.output
    clock.advance(hours=25)
    res = motcua("storage", "gc", "--dry-run")
    assert res.exit_code == 0 and "Sẽ xoá 2 tệp" in res.output and "2 tệp chờ nộp đã hết hạn" in res.output
    assert names <= _stored(app)  # a dry run only counts
    res = motcua("storage", "gc")
    assert "Đã xoá 2 tệp" in res.output, res.output
    left = _stored(app)
    assert {hashlib.sha256(c).hexdigest() for c in sent} <= left  # the dossier's documents stay
    assert not {hashlib.sha256(c).hexdigest() for c in abandoned} & left
    assert "ghi-chu-cua-quan-tri.txt" in left  # what is not the store's is left alone


def test_a_fresh_unreferenced_file_is_spared_for_the_upload_in_progress(app, session, clock):
    from engine.dossier.blob_gc import collect
    from engine.dossier.documents import store

    storage = app.config["STORAGE_DIR"]
    digest = store(storage, _pdf("o"))
    _age(app, clock, 0.1)  # written a few minutes ago, its row not committed yet
    assert collect(session, storage, clock.now).files == 0
    _age(app, clock, 2)
    assert collect(session, storage, clock.now, dry_run=True).files == 1
    store(storage, _pdf("o"))  # the same content uploaded again: the file is fresh again, spared
    path = Path(storage) / digest[:2] / digest
    assert path.stat().st_mtime >= clock.now.timestamp() - 3600  # the test clock lags the wall clock
    assert collect(session, storage, clock.now).files == 0 and path.exists()
