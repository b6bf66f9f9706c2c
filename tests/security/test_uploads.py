"""Uploads that lie about their type, are too large, or are zip bombs: a clear message, no server
error, and nothing half-written (rows and stored files are counted before and after)."""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.web.test_desk_pages import receive

EXE = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode"
HTML = b"<!doctype html><script>alert(document.cookie)</script>"
CATALOGUE = Path(__file__).resolve().parents[2] / "procedures" / "1.001193-dang-ky-khai-sinh"


def _counts(session, storage: Path) -> tuple:
    from engine.models import Document, Dossier, Event, ProcedureDraft, ProcedureVersion

    session.expire_all()
    rows = tuple(session.scalar(select(func.count()).select_from(m))
                 for m in (Dossier, Document, Event, ProcedureDraft, ProcedureVersion))
    return rows, sorted(p.name for p in storage.rglob("*") if p.is_file()) if storage.exists() else []


@pytest.mark.parametrize(("content", "name"), [
    (EXE, "giay-chung-sinh.pdf"),
    (HTML, "anh-chup.png"),
    (b"", "trong.pdf"),
    (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1), "qua-lon.pdf"),
], ids=["exe-as-pdf", "html-as-png", "empty", "too-large"])
def test_a_scan_that_lies_about_its_type_or_size_is_refused_at_the_desk_and_nothing_is_kept(
        browser, session, app, content, name):
    storage, desk = Path(app.config["STORAGE_DIR"]), browser("desk1")
    before = _counts(session, storage)
    res = receive(desk, files=[(io.BytesIO(content), name)])
    page = res.get_data(as_text=True)
    assert res.status_code in (400, 413, 422), res.status_code
    assert name in page or "quá lớn" in page or res.status_code == 413
    assert _counts(session, storage) == before


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _folder(prefix: str = "1.001193-dang-ky-khai-sinh/") -> dict[str, bytes]:
    return {prefix + p.name: p.read_bytes() for p in sorted(CATALOGUE.iterdir())}


def _lying_sizes(data: bytes, declared: int) -> bytes:
    """The same zip whose headers claim each member is `declared` bytes once unpacked."""
    raw = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := raw.find(signature, start)) != -1:
            struct.pack_into("<I", raw, start + offset, declared)
            start += 4
    return bytes(raw)


def _corrupt_deflate(data: bytes) -> bytes:
    raw = bytearray(data)
    header = raw.find(b"PK\x03\x04")
    name_len, extra_len = struct.unpack_from("<HH", raw, header + 26)
    body = header + 30 + name_len + extra_len
    raw[body:body + 16] = b"\xff" * 16
    return bytes(raw)


def _flag(data: bytes, flag: int = 0, method: int | None = None) -> bytes:
    raw = bytearray(data)
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (start := raw.find(signature, start)) != -1:
            struct.pack_into("<H", raw, start + flag_at, struct.unpack_from("<H", raw, start + flag_at)[0] | flag)
            if method is not None:
                struct.pack_into("<H", raw, start + method_at, method)
            start += 4
    return bytes(raw)


BOMB = {"bom/procedure.yaml": b"code: '9.999'\n", "bom/process.bpmn": b"\x00" * (40 * 1024 * 1024)}
BAD_ZIPS = {
    "not-a-zip": b"MZ this is not a zip at all",
    "html-named-zip": HTML,
    "bomb": _zip(BOMB),
    "lying-bomb": _lying_sizes(_zip({"bom/procedure.yaml": b"code: '9.999'\n" + b"#" * (30 * 1024 * 1024)}), 64),
    "many-members": _zip({f"nhieu/{i}.form": b"{}" for i in range(500)} | {"nhieu/procedure.yaml": b"code: x"}),
    "corrupt-deflate": _corrupt_deflate(_zip(_folder())),
    "encrypted": _flag(_zip(_folder()), flag=0x1),
    "unknown-compression": _flag(_zip(_folder()), method=99),
    "two-folders": _zip(_folder("a/") | _folder("b/")),
    "no-catalogue": _zip({"x/process.bpmn": (CATALOGUE / "process.bpmn").read_bytes()}),
    "bad-yaml": _zip({"x/procedure.yaml": b"code: [unclosed\n  - : :"}),
}


@pytest.mark.parametrize("name", list(BAD_ZIPS))
def test_a_bad_zip_imported_into_the_studio_is_refused_with_a_message_and_nothing_is_written(
        browser, session, app, name):
    storage = Path(app.config["STORAGE_DIR"])
    analyst = browser("analyst1")
    before = _counts(session, storage)
    res = analyst.post("/studio/import-zip", {"file": (io.BytesIO(BAD_ZIPS[name]), "thu-tuc.zip")},
                       content_type="multipart/form-data")
    assert res.status_code == 302 and res.headers["Location"].endswith("/studio/")
    page = analyst.get("/studio/").get_data(as_text=True)
    assert "alert-danger" in page
    assert _counts(session, storage) == before


@pytest.mark.parametrize("name", list(BAD_ZIPS))
def test_a_bad_zip_imported_into_the_catalogue_is_refused_with_a_message_and_nothing_is_published(
        browser, session, app, name):
    storage = Path(app.config["STORAGE_DIR"])
    admin = browser("admin1")
    before = _counts(session, storage)
    res = admin.post("/admin/procedures/import", {"file": (io.BytesIO(BAD_ZIPS[name]), "thu-tuc.zip")},
                     content_type="multipart/form-data")
    assert res.status_code in (400, 422), res.status_code
    assert "alert-danger" in res.get_data(as_text=True) or "invalid-feedback" in res.get_data(as_text=True)
    assert _counts(session, storage) == before


def test_member_names_that_climb_out_of_the_folder_write_nothing_outside_it(browser, session, tmp_path):
    from engine.models import ProcedureDraft

    evil = {"../../" + name.split("/", 1)[1] if name.endswith("procedure.yaml") else name: content
            for name, content in _folder("x/").items()}
    evil["x/../../../../tmp/motcua-traversal.form"] = b"{}"
    res = browser("analyst1").post("/studio/import-zip", {"file": (io.BytesIO(_zip(evil)), "thu-tuc.zip")},
                                   content_type="multipart/form-data")
    assert res.status_code == 302
    assert not Path("/tmp/motcua-traversal.form").exists()  # noqa: S108 - where an escape would write
    for draft in session.scalars(select(ProcedureDraft)):
        assert all("/" not in name and ".." not in name for name in draft.files)


def test_an_applicant_uploading_a_program_named_pdf_is_told_which_file_and_nothing_is_kept(app, session):
    from tests.applicant_helpers import BIRTH, BIRTH_FORM, Applicant

    storage = Path(app.config["STORAGE_DIR"])
    applicant = Applicant(app)
    before = _counts(session, storage)
    data = {"unit": "H26.70", **BIRTH_FORM, "doc_0": (io.BytesIO(EXE), "to-khai.pdf"),
            "doc_1": (io.BytesIO(HTML), "giay-chung-sinh.png")}
    res = applicant.post(f"/cong-dan/nop/{BIRTH}", data, content_type="multipart/form-data")
    page = res.get_data(as_text=True)
    assert res.status_code == 422 and "to-khai.pdf" in page and "không phải PDF, JPEG hoặc PNG" in page
    assert applicant.post(f"/cong-dan/nop/{BIRTH}/gui").status_code in (302, 400, 422)
    assert _counts(session, storage) == before


def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(app, browser, session):
    storage = Path(app.config["STORAGE_DIR"])
    analyst = browser("analyst1")
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    before = _counts(session, storage)
    res = analyst.post("/studio/import-zip", {"file": (io.BytesIO(b"\x00" * (2 * 1024 * 1024)), "lon.zip")},
                       content_type="multipart/form-data")
    assert res.status_code == 413 and "quá lớn: tối đa 1 MB" in res.get_data(as_text=True)
    assert _counts(session, storage) == before
