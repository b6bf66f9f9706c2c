"""Bad input at the edge is a clear refusal, never a server error: overlong names, lone surrogates, deep
nesting, year 0001 dates, NUL or very long upload names, a dict where a string belongs, bidi controls."""
from __future__ import annotations

import io
import json

import pytest

from tests.applicant_helpers import Applicant
from tests.conftest import Browser

LONG = "Nguyễn " * 60  # 420 characters


def _json(app, method: str, path: str, body: object, user: str | None = "desk1", raw: bytes | None = None):
    client = app.test_client()
    headers = {"Content-Type": "application/json"}
    if user:
        token = client.post("/api/v1/auth/token", json={"username": user, "password": "demo1234"}).json["token"]
        headers["Authorization"] = f"Bearer {token}"
    data = raw if raw is not None else json.dumps(body).encode()
    return client.open(path, method=method, data=data, headers=headers)


def _refused(res) -> None:
    assert 400 <= res.status_code < 500, (res.status_code, res.get_data(as_text=True)[:500])


DOSSIER = {"procedure_code": "1.001193", "channel": "in_person",
           "applicant": {"name": "Phạm Minh Đức", "id_number": "001088011223"}, "data": {}}


@pytest.mark.parametrize("body", [
    {**DOSSIER, "procedure_code": {"x": 1}},
    {**DOSSIER, "channel": ["in_person"]},
    {**DOSSIER, "applicant": "Phạm Minh Đức"},
    {**DOSSIER, "applicant": {**DOSSIER["applicant"], "name": {"first": "Đức"}}},
    {**DOSSIER, "unit": {"code": "H26.70"}},
    {**DOSSIER, "data": ["x"]},
    {**DOSSIER, "applicant": {**DOSSIER["applicant"], "name": "Đức\u202eabc"}},
], ids=["procedure dict", "channel list", "applicant text", "name dict", "unit dict", "data list", "bidi name"])
def test_a_wrong_type_or_a_bidi_control_in_a_new_dossier_is_refused(app, body):
    _refused(_json(app, "POST", "/api/v1/dossiers", body))


@pytest.mark.parametrize("body", [{"username": {"a": 1}, "password": "x"}, {"username": "\ud800", "password": "x"},
                                  {"username": "desk1", "password": ["demo1234"]}, ["desk1"]],
                         ids=["dict username", "lone surrogate", "list password", "array body"])
def test_a_token_request_of_the_wrong_shape_is_refused(app, body):
    _refused(_json(app, "POST", "/api/v1/auth/token", body, user=None))


def test_json_nested_too_deep_is_refused(app):
    deep = b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    _refused(_json(app, "POST", "/api/v1/dossiers", None, raw=deep))
    _refused(_json(app, "POST", "/api/v1/dossiers", {**DOSSIER, "data": {"x": json.loads("[" * 200 + "]" * 200)}}))


def test_a_lone_surrogate_anywhere_in_json_is_refused(app):
    raw = json.dumps({**DOSSIER, "applicant": {"name": "Đức", "address": "X"}}).replace('"X"', '"\\udc80"').encode()
    _refused(_json(app, "POST", "/api/v1/dossiers", None, raw=raw))


@pytest.mark.parametrize("path", [
    "/api/v1/calendar/due?unit=H26.70&from=0001-01-01T00:00:00",
    "/api/v1/calendar/due?unit=H26.70&from=9999-12-31T23:59:00",
])
def test_dates_at_the_ends_of_the_calendar_are_refused_in_the_api(app, path):
    _refused(_json(app, "GET", path, None))


def test_year_0001_in_a_calendar_day_is_refused(app):
    _refused(_json(app, "POST", "/api/v1/calendar/days", {"day": "0001-01-01", "kind": "off", "unit": "H26.70"},
                   user="admin1"))


@pytest.mark.parametrize("path", ["/units/H26.70/tracking-book?from=0001-01-01&to=0001-01-31",
                                  "/admin/audit?from=0001-01-01&to=0001-01-02",
                                  "/units/H26.70/tracking-book?from=9999-12-01&to=9999-12-31"])
def test_year_0001_in_a_page_filter_is_refused_or_ignored(app, path):
    res = Browser(app, "admin1").get(path)
    assert res.status_code < 500, res.status_code


def test_overlong_names_are_refused_with_the_field_named(app):
    applicant = Applicant(app, register=False)
    res = applicant.post("/cong-dan/dang-ky", {"email": "dai@example.vn", "full_name": LONG, "password": "matkhau123"})
    assert res.status_code == 422 and "255" in res.get_data(as_text=True)
    admin = Browser(app, "admin1")
    res = admin.post("/admin/users/new", {"username": "dai1", "full_name": LONG, "email": "", "password": "mat-khau-2026",
                                          "unit": "H26.70", "role": "mot_cua"})
    assert res.status_code == 422 and "255" in res.get_data(as_text=True)


def test_names_are_stored_in_nfc_and_bidi_controls_are_refused(app):
    from sqlalchemy import select

    from engine.models import ApplicantAccount

    decomposed = "Nguye\u0302\u0303n Va\u0306n A"  # "Nguyễn Văn A" typed with combining marks
    applicant = Applicant(app, "nfc@example.vn", decomposed)
    with app.extensions["motcua"]["sessions"]() as session:
        name = session.scalar(select(ApplicantAccount.full_name).where(ApplicantAccount.email == "nfc@example.vn"))
    assert name == "Nguyễn Văn A"
    other = Applicant(app, register=False)
    res = other.post("/cong-dan/dang-ky", {"email": "bidi@example.vn", "full_name": "Trần \u202eThị", "password": "matkhau123"})
    assert res.status_code in (400, 422)
    assert applicant.client.get("/cong-dan/ho-so").status_code == 200


@pytest.mark.parametrize("filename", ["giay\x00.pdf", "a" * 300 + ".pdf", "\u202efdp.exe"], ids=["nul", "long", "bidi"])
def test_an_upload_with_a_bad_name_is_refused(app, filename):
    desk = Browser(app, "desk1")
    res = desk.client.post("/desk/new/1.001193", data={
        "csrf_token": desk.token, "applicant_name": "Phạm Minh Đức", "id_number": "001088011223",
        "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename)}, content_type="multipart/form-data")
    assert res.status_code == 400 and "Tên tệp tải lên không hợp lệ" in res.get_data(as_text=True)


def test_the_studio_size_limit_applies_to_an_imported_diagram_too(app):
    analyst = Browser(app, "analyst1")
    before = analyst.get("/studio/1.001193/files.json").json["files"]["process.bpmn"]
    huge = b"<?xml version='1.0'?><x>" + b" " * (6 * 1024 * 1024) + b"</x>"
    res = analyst.client.post("/studio/1.001193/import-bpmn", data={"csrf_token": analyst.token,
                                                                    "file": (io.BytesIO(huge), "lon.bpmn")},
                              content_type="multipart/form-data")
    assert res.status_code == 422 and "quá lớn" in res.get_data(as_text=True)
    assert analyst.get("/studio/1.001193/files.json").json["files"]["process.bpmn"] == before
