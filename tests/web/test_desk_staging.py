"""Desk staging: the scans of an intake form that came back (422, 409) stay for the officer's next try, shown
ticked on the form; the dossier is then written with them, and nobody else can take them."""
from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import func, select

from engine.dossier import blob_gc
from engine.dossier.documents import blob_path
from engine.models import DeskStagedUpload, Document, Dossier
from tests.web.test_case_file import DECLARED, scans
from tests.web.test_desk_pages import PDF, code_from, receive

STAGED = re.compile(r'name="(staged_scan[s_0-9]*)" value="(\d+)"')


def count(app, model, *where) -> int:
    with app.extensions["motcua"]["sessions"]() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def staged_fields(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, row_id in STAGED.findall(html):
        found.setdefault(name, []).append(row_id)
    return found


def test_a_refused_declaration_keeps_both_scans_and_the_next_try_uses_them(browser, app):
    desk = browser("desk1")
    res = receive(desk, **{"data.child_full_name": "Bé Na"}, **scans(),
                  scans=[(io.BytesIO(PDF), "phu-luc.pdf")])
    page = res.get_data(as_text=True)
    assert res.status_code == 422 and "Tờ khai có trường chưa hợp lệ" in page
    assert "Đã giữ tệp to-khai.pdf" in page and "Đã giữ tệp giay-chung-sinh.png" in page
    assert "không cần tải lên lại" in page
    kept = staged_fields(page)
    assert set(kept) == {"staged_scan_0", "staged_scan_1", "staged_scans"}
    assert count(app, Dossier) == 0 and count(app, Document) == 0 and count(app, DeskStagedUpload) == 3

    res = receive(desk, **DECLARED, **kept)  # no file this time
    assert res.status_code == 302, res.get_data(as_text=True)[:2000]
    code = code_from(res)
    with app.extensions["motcua"]["sessions"]() as s:
        docs = s.scalars(select(Document).join(Dossier).where(Dossier.code == code)).all()
        assert sorted(d.checklist_index for d in docs if d.checklist_index is not None) == [0, 1]
        assert len(docs) == 3 and all(d.at_intake for d in docs)
    assert count(app, DeskStagedUpload) == 0  # released with the dossier


def test_an_unticked_kept_file_is_left_out_and_a_lying_file_is_not_kept(browser, app):
    desk = browser("desk1")
    lying = {"scan_1": (io.BytesIO(b"MZ\x90\x00 not a png"), "giay.png")}
    res = receive(desk, **{"data.child_full_name": "Bé Na"}, scan_0=(io.BytesIO(PDF), "to-khai.pdf"), **lying)
    assert res.status_code == 422
    kept = staged_fields(res.get_data(as_text=True))
    assert list(kept) == ["staged_scan_0"]  # the lying file is refused, not kept
    res = receive(desk, **DECLARED)  # the officer unticked it
    code = code_from(res)
    assert count(app, Document, Document.dossier_id.in_(select(Dossier.id).where(Dossier.code == code))) == 0


def test_another_officers_kept_file_is_ignored(browser, app):
    res = receive(browser("desk1"), **{"data.child_full_name": "Bé Na"}, **scans())
    kept = staged_fields(res.get_data(as_text=True))
    other = browser("desk2")
    res = receive(other, **DECLARED, **kept)
    assert res.status_code == 302
    assert count(app, Document) == 0 and count(app, DeskStagedUpload) == 2


def test_a_duplicate_warning_keeps_the_files_too(browser, app):
    desk = browser("desk1")
    code_from(receive(desk, **DECLARED))
    res = receive(desk, **DECLARED, **scans(), confirm_duplicate="")
    assert res.status_code == 409
    kept = staged_fields(res.get_data(as_text=True))
    assert set(kept) == {"staged_scan_0", "staged_scan_1"}
    res = receive(desk, **DECLARED, **kept)
    assert res.status_code == 302 and count(app, Document) == 2


def test_the_collector_spares_kept_files_until_they_expire(browser, app, clock):
    res = receive(browser("desk1"), **{"data.child_full_name": "Bé Na"}, **scans())
    assert res.status_code == 422
    storage = app.config["STORAGE_DIR"]
    with app.extensions["motcua"]["sessions"]() as s:
        rows = s.scalars(select(DeskStagedUpload)).all()
        paths = [blob_path(storage, row.sha256) for row in rows]
        later = rows[0].created_at + timedelta(hours=2)
        assert blob_gc.collect(s, storage, later).files == 0 and all(p.exists() for p in paths)
        import os

        for p in paths:  # the files are older than the collector's grace
            os.utime(p, (0, 0))
        done = blob_gc.collect(s, storage, rows[0].created_at + timedelta(hours=9))
        assert done.expired_staged == 2 and done.files == 2 and not any(p.exists() for p in paths)
