"""The REST API contract of DESIGN.md, on SQLite and PostgreSQL."""
from __future__ import annotations

import re

import pytest

from tests.procedures.drive import APPLICANT, DATA

CODE = re.compile(r"^H26\.70-260302-\d{4}$")


def create(api, procedure="1.001193", user="desk1", **extra):
    body = {"procedure_code": procedure, "channel": "in_person", "applicant": APPLICANT, "data": {}} | extra
    return api.post("/dossiers", user, body)


def my_task(api, user, code):
    tasks = [t for t in api.get("/tasks", user).json["items"] if t["dossier_code"] == code]
    assert len(tasks) == 1, tasks
    return tasks[0]


def complete(api, user, code, key):
    task = my_task(api, user, code)
    return api.post(f"/tasks/{task['id']}/complete", user, {"data": DATA[key]})


def test_a_wrong_password_gets_401_with_a_json_error(api):
    res = api.client.post("/api/v1/auth/token", json={"username": "desk1", "password": "sai-mat-khau"})
    assert res.status_code == 401 and res.json["error"]["code"] == "unauthenticated"


def test_every_protected_endpoint_needs_a_token(api):
    for method, path in (("GET", "/tasks"), ("POST", "/dossiers"), ("GET", "/dossiers/H26.70-260302-0001"),
                         ("POST", "/tasks/1/complete"), ("POST", "/tasks/1/claim")):
        res = api.call(method, path)
        assert res.status_code == 401 and "message" in res.json["error"], path


def test_a_forged_token_is_refused(api):
    res = api.client.get("/api/v1/tasks", headers={"Authorization": "Bearer eyJ1IjoxfQ.forged.sig"})
    assert res.status_code == 401


def test_the_catalogue_lists_the_bundled_procedures_with_their_time_limits(api):
    items = {p["code"]: p for p in api.get("/procedures").json["items"]}
    assert set(items) == {"1.001193", "1.001612", "1.013225",  # and the liên thông groups with their members
                          "1.000656", "CA.01", "CA.02", "BHXH.01", "BHXH.02", "LT.01", "LT.02"}
    assert items["1.001612"]["time_limit"] == {"value": 3, "unit": "working_days"}
    assert items["1.001193"]["name"] == "Đăng ký khai sinh"


def test_the_desk_creates_a_dossier_and_gets_its_code_and_due_time(api):
    res = create(api)
    assert res.status_code == 201
    assert CODE.match(res.json["code"]) and res.json["status"] == "submitted"
    assert res.json["due_at"].startswith("2026-03-02T17:00")  # same-day procedure, before the cut-off
    second = create(api).json["code"]
    assert int(second[-4:]) == int(res.json["code"][-4:]) + 1


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"procedure_code": "9.999999"}, 404, "procedure_code"),
    ({"applicant": {"name": ""}}, 422, "applicant.name"),
    ({"applicant": APPLICANT | {"id_number": "12345"}}, 422, "applicant.id_number"),
    ({"applicant": APPLICANT | {"email": "not-an-email"}}, 422, "applicant.email"),
    ({"channel": "fax"}, 422, "channel"),
    ({"data": {"child_birth_date": "31/02/2026"}}, 422, "data.child_birth_date"),
])
def test_bad_dossier_input_names_the_field_and_writes_nothing(api, body, status, field):
    res = create(api, **body)
    assert res.status_code == status and field in res.json["error"].get("fields", {}), res.json
    assert api.get("/tasks", "desk1").json["total"] == 0


def test_a_body_that_is_not_json_gets_a_clear_error(api):
    res = api.client.post("/api/v1/dossiers", data="{not json", content_type="application/json",
                          headers={"Authorization": f"Bearer {api.token('desk1')}"})
    assert res.status_code == 422 and "JSON" in res.json["error"]["message"]


def test_only_officials_of_the_role_and_unit_see_a_task(api):
    code = create(api).json["code"]
    task = my_task(api, "desk1", code)
    assert {"id", "dossier_code", "element_id", "name", "role", "unit", "due_at", "form"} <= set(task)
    assert (task["element_id"], task["role"], task["unit"], task["form"]) == ("Task_Intake", "mot_cua", "H26.70", "intake")
    for other in ("specialist1", "desk2", "leader1"):
        assert all(t["dossier_code"] != code for t in api.get("/tasks", other).json["items"])


def test_completing_outside_ones_role_or_unit_is_forbidden(api):
    code = create(api).json["code"]
    task = my_task(api, "desk1", code)
    for other in ("specialist1", "desk2"):
        res = api.post(f"/tasks/{task['id']}/complete", other, {"data": DATA["receive"]})
        assert res.status_code == 403 and res.json["error"]["code"] == "forbidden"
    assert api.get(f"/dossiers/{code}", "desk2").status_code == 403


def test_missing_required_fields_get_422_naming_them(api):
    code = create(api).json["code"]
    task = my_task(api, "desk1", code)
    res = api.post(f"/tasks/{task['id']}/complete", "desk1", {"data": {}})
    assert res.status_code == 422 and "intake_decision" in res.json["error"]["fields"]
    res = api.post(f"/tasks/{task['id']}/complete", "desk1", {"data": {"intake_decision": "supplement"}})
    assert res.status_code == 422 and set(res.json["error"]["fields"]) == {"supplement_items"}
    res = api.post(f"/tasks/{task['id']}/complete", "desk1", {"data": {"intake_decision": "approve-all"}})
    assert res.status_code == 422 and "intake_decision" in res.json["error"]["fields"]
    assert api.get(f"/dossiers/{code}", "desk1").json["status"] == "submitted"


def test_an_unknown_task_gets_404(api):
    res = api.post("/tasks/999999999/complete", "desk1", {"data": {}})
    assert res.status_code == 404 and res.json["error"]["code"] == "not_found"


def test_completing_a_task_twice_gets_409(api):
    code = create(api).json["code"]
    task = my_task(api, "desk1", code)
    assert api.post(f"/tasks/{task['id']}/complete", "desk1", {"data": DATA["receive"]}).status_code == 200
    res = api.post(f"/tasks/{task['id']}/complete", "desk1", {"data": DATA["receive"]})
    assert res.status_code == 409 and res.json["error"]["code"] == "conflict"


def test_a_task_claimed_by_one_official_cannot_be_completed_by_another(api, app):
    from engine.operations.demo import DEMO_PASSWORD
    from engine.org.accounts import create_user, get_unit, grant_role

    with app.extensions["motcua"]["sessions"]() as session:
        other = create_user(session, "desk1b", "Ngô Thị Hạnh", DEMO_PASSWORD, app.config["NOW"]())
        grant_role(session, other, get_unit(session, "H26.70"), "mot_cua")
        session.commit()
    code = create(api).json["code"]
    task = my_task(api, "desk1", code)
    assert api.post(f"/tasks/{task['id']}/claim", "desk1").json["assignee"] == "desk1"
    assert api.post(f"/tasks/{task['id']}/claim", "desk1b").status_code == 409
    res = api.post(f"/tasks/{task['id']}/complete", "desk1b", {"data": DATA["receive"]})
    assert res.status_code == 409 and "Nguyễn Thị Lan" in res.json["error"]["message"]


def test_a_birth_registration_goes_from_the_desk_to_its_return_through_the_api(api, clock):
    code = create(api).json["code"]
    assert complete(api, "desk1", code, "receive").json["dossier"]["status"] == "received"
    clock.advance(hours=1)
    assert complete(api, "specialist1", code, "propose_approve").status_code == 200
    assert complete(api, "leader1", code, "approve").json["dossier"]["status"] == "done"
    assert complete(api, "desk1", code, "return").json["dossier"]["status"] == "returned"
    dossier = api.get(f"/dossiers/{code}", "desk1").json
    assert [t["element_id"] for t in dossier["tasks"]] == ["Task_Intake", "Task_Appraise", "Task_Approve", "Task_Return"]
    assert all(t["state"] == "completed" for t in dossier["tasks"]) and dossier["national_status"] == 10
    assert "dossier.returned" in [e["kind"] for e in dossier["events"]]


def test_the_public_lookup_shows_progress_without_personal_data(api):
    code = create(api).json["code"]
    complete(api, "desk1", code, "receive")
    res = api.get(f"/public/dossiers/{code.lower()}")
    assert res.status_code == 200 and res.json["code"] == code
    assert res.json["status_label"] == "Đã tiếp nhận" and res.json["current_step"] == "Thẩm định hồ sơ"
    text = res.get_data(as_text=True)
    for private in (APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["email"], APPLICANT["name"]):
        assert private not in text


def test_the_public_lookup_of_an_unknown_code_gets_404(api):
    assert api.get("/public/dossiers/H00.00-000101-0001").status_code == 404
    assert api.get("/public/dossiers/not-a-code").status_code == 404


def test_the_openapi_document_describes_every_endpoint(api):
    spec = api.get("/openapi.json").json
    assert spec["openapi"].startswith("3.")
    for path in ("/auth/token", "/procedures", "/dossiers", "/dossiers/{code}", "/tasks", "/tasks/{id}/claim",
                 "/tasks/{id}/complete", "/public/dossiers/{code}"):
        assert path in spec["paths"], path


def test_unknown_api_paths_answer_in_json(api):
    res = api.get("/no-such-thing")
    assert res.status_code == 404 and res.json["error"]["code"] == "not_found"


def test_the_home_page_lists_the_procedures_and_the_demo_logins(client):
    page = client.get("/").get_data(as_text=True)
    assert "Đăng ký khai sinh" in page and "Cấp giấy phép xây dựng" in page
    assert "desk1" in page and "demo1234" in page
