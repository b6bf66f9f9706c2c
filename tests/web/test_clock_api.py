"""The statutory clock through the REST API: extension (form 04), control slip, postmark, calendar."""
from __future__ import annotations

import pytest

from tests.procedures.drive import APPLICANT, DATA

PERMIT = "1.013225"


def create(api, procedure=PERMIT, **extra):
    body = {"procedure_code": procedure, "channel": "in_person", "applicant": APPLICANT, "data": {}} | extra
    return api.post("/dossiers", "desk1", body)


def complete(api, user, code, key):
    [task] = [t for t in api.get("/tasks", user).json["items"] if t["dossier_code"] == code]
    res = api.post(f"/tasks/{task['id']}/complete", user, {"data": DATA[key]})
    assert res.status_code == 200, res.json
    return res


def received_permit(api) -> str:
    code = create(api).json["code"]
    complete(api, "desk1", code, "receive")
    return code


def test_a_leader_extends_a_dossier_once_and_gets_form_04(api, clock):
    code = received_permit(api)
    clock.set(2026, 3, 19, 9)
    res = api.post(f"/dossiers/{code}/extension", "leader1",
                   {"reason": "Cần lấy ý kiến Sở Xây dựng", "new_due_at": "2026-03-27T17:00:00+07:00"})
    assert res.status_code == 200, res.json
    assert res.json["due_at"].startswith("2026-03-27T17:00") and res.json["original_due_at"].startswith("2026-03-23T09:00")
    form = res.json["form_04"]
    assert form["number"] == f"{code}/04" and form["signed_by"] == "Lê Hoàng Nam" and "xin lỗi" in form["apology"]
    again = api.post(f"/dossiers/{code}/extension", "leader1", {"reason": "Lần nữa", "new_due_at": "2026-03-31"})
    assert again.status_code == 409 and "lần thứ hai" in again.json["error"]["message"]
    dossier = api.get(f"/dossiers/{code}", "desk1").json
    assert dossier["due_at"].startswith("2026-03-27T17:00") and dossier["extended_at"] is not None


@pytest.mark.parametrize(("user", "body", "status", "field"), [
    ("specialist1", {"reason": "Phức tạp", "new_due_at": "2026-03-27"}, 403, None),
    ("leader1", {"reason": "", "new_due_at": "2026-03-27"}, 422, "reason"),
    ("leader1", {"reason": "Phức tạp", "new_due_at": "2026-03-01"}, 422, "new_due_at"),
    ("leader1", {"reason": "Phức tạp"}, 422, "new_due_at"),
])
def test_a_bad_extension_request_gets_the_right_status(api, user, body, status, field):
    code = received_permit(api)
    res = api.post(f"/dossiers/{code}/extension", user, body)
    assert res.status_code == status, res.json
    if field:
        assert field in res.json["error"]["fields"]
    assert api.get(f"/dossiers/{code}", "desk1").json["original_due_at"] is None


def test_an_extension_asked_less_than_a_working_day_before_the_due_time_gets_422(api, clock):
    code = received_permit(api)
    clock.set(2026, 3, 20, 14)
    res = api.post(f"/dossiers/{code}/extension", "leader1", {"reason": "Muộn", "new_due_at": "2026-03-27"})
    assert res.status_code == 422 and "1 ngày làm việc" in res.json["error"]["fields"]["new_due_at"]


def test_the_dossier_shows_its_control_slip_with_each_steps_result(api, clock):
    code = create(api, "1.001193").json["code"]
    complete(api, "desk1", code, "receive")
    clock.set(2026, 3, 3, 9)
    complete(api, "specialist1", code, "propose_approve")
    dossier = api.get(f"/dossiers/{code}", "desk1").json
    slip = dossier["control_slip"]
    assert [r["element_id"] for r in slip] == ["Task_Intake", "Task_Appraise", "Task_Approve"]
    assert slip[1]["result"] == "late" and slip[1]["result_label"] == "Quá hạn"
    assert slip[1]["handed_by"] == "Trần Văn Minh" and slip[1]["received_at"].startswith("2026-03-02T09:00")
    assert slip[2]["result"] is None and slip[2]["note"] == "Đang xử lý"
    tasks = {t["element_id"]: t for t in dossier["tasks"]}
    assert tasks["Task_Appraise"]["lateness"] == "late" and tasks["Task_Approve"]["dossier_due_at"] == dossier["due_at"]


def test_a_postal_dossier_is_created_with_its_postmark(api):
    res = create(api, "1.001612", channel="post", postmarked_at="2026-02-27T14:00:00+07:00")
    assert res.status_code == 201 and res.json["due_at"].startswith("2026-03-04T14:00")
    refused = create(api, "1.001612", postmarked_at="2026-02-27T14:00:00+07:00")
    assert refused.status_code == 422 and "postmarked_at" in refused.json["error"]["fields"]


def test_an_admin_keeps_the_calendar_through_the_api(api):
    res = api.post("/calendar/days", "admin1", {"day": "2026-03-03", "kind": "off", "note": "Nghỉ đột xuất"})
    assert res.status_code == 201 and res.json == {"day": "2026-03-03", "kind": "off", "note": "Nghỉ đột xuất",
                                                   "unit": None}
    assert create(api, "1.001612").json["due_at"].startswith("2026-03-06T09:00")
    listing = api.get("/calendar/days?year=2026", "desk1").json["items"]
    assert {"day": "2026-03-03", "working": False, "name": "Nghỉ đột xuất", "source": "admin", "unit": None,
            "document": None, "expected": False} in listing
    assert {"day": "2026-01-02", "working": False, "name": "Nghỉ hoán đổi Tết Dương lịch (làm bù thứ Bảy 10/01/2026)",
            "source": "announced", "unit": None, "document": "12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ",
            "expected": False} in listing
    assert api.call("DELETE", "/calendar/days/2026-03-03", "admin1").status_code == 200
    assert api.call("DELETE", "/calendar/days/2026-03-03", "admin1").status_code == 404
    assert api.post("/calendar/days", "desk1", {"day": "2026-03-04", "kind": "off"}).status_code == 403
    hours = api.call("PUT", "/units/H26.73/office-hours", "admin1",
                     {"office_hours": "08:00-12:00,13:00-17:00", "same_day_cutoff": "16:00", "warn_before": "PT4H"})
    assert hours.status_code == 200 and hours.json["warn_before"] == "PT4H"
    bad = api.call("PUT", "/units/H26.73/office-hours", "admin1", {"office_hours": "8h sáng"})
    assert bad.status_code == 422 and "office_hours" in bad.json["error"]["fields"]


def test_the_openapi_document_describes_the_clock_endpoints(api):
    paths = api.get("/openapi.json").json["paths"]
    assert "post" in paths["/dossiers/{code}/extension"]
    assert {"get", "post"} <= set(paths["/calendar/days"]) and "delete" in paths["/calendar/days/{day}"]
    assert "put" in paths["/units/{code}/office-hours"]
