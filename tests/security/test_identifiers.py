"""Identifiers in addresses are sequential (dossier codes, document and step numbers): walking them
must never reach another person's or another unit's data. Also: supervisors read but do not act,
and no address sends a user off to another site after logging in or acting."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

OTHER_APPLICANT = "Trần Thị Bình"
LIMIT = 12  # more numbers than the world holds: walking past the end must be as quiet as walking over


def _codes(world) -> list[str]:
    """Every dossier code of the world and a few not yet issued, as one would guess them."""
    codes = []
    for ward in ("H26.70", "H26.73"):
        codes += [f"{ward}-260302-{n:04d}" for n in range(1, 6)]
    return codes


def test_an_applicant_walking_dossier_codes_sees_only_their_own(world):
    mine = world.ids["A"]["mine"]
    client = world.web["applicant"]
    for code in _codes(world):
        for path in (f"/cong-dan/ho-so/{code}", f"/cong-dan/ho-so/{code}/giay-tiep-nhan",
                     f"/cong-dan/ho-so/{code}/ket-qua-thanh-toan"):
            res = client.get(path)
            if code == mine:
                assert res.status_code == 200, path
            else:
                assert res.status_code == 404, path
                assert OTHER_APPLICANT not in res.get_data(as_text=True)


def test_an_applicant_walking_document_numbers_gets_no_file(world):
    client = world.web["applicant"]
    mine = world.ids["A"]["mine"]
    for document_id in range(1, LIMIT):
        for path in (f"/cong-dan/ho-so/{mine}/ket-qua/{document_id}", f"/documents/{document_id}"):
            res = client.get(path)
            assert res.status_code in (403, 404), path
            assert not res.data.startswith(b"%PDF"), path


def _document_units(world) -> dict[int, str]:
    from engine.models import Document, Dossier, Unit

    with world.app.extensions["motcua"]["sessions"]() as session:
        rows = session.execute(select(Document.id, Unit.code).join(Dossier, Document.dossier_id == Dossier.id)
                               .join(Unit, Dossier.unit_id == Unit.id))
        return {row.id: row.code for row in rows}


@pytest.mark.parametrize(("official", "ward"), [("desk2", "H26.73"), ("desk1", "H26.70"), ("consult1", None)])
def test_an_official_walking_document_numbers_opens_only_their_units_scans(world, official, ward):
    units = _document_units(world)
    client = world.web[official]
    for document_id in range(1, LIMIT):
        res = client.get(f"/documents/{document_id}")
        if ward is not None and units.get(document_id) == ward:
            assert res.status_code == 200, document_id
        else:
            assert res.status_code in (403, 404), (document_id, res.status_code)


@pytest.mark.parametrize("official", ["desk2", "consult1", "analyst1"])
def test_another_units_official_walking_codes_gets_no_page_no_form_and_no_api_answer(world, official):
    ward = {"desk2": "H26.73"}.get(official)
    client, token = world.web[official], world.tokens[official]
    for code in _codes(world):
        own = ward is not None and code.startswith(ward)
        if own:
            continue
        assert client.get(f"/dossiers/{code}").status_code in (403, 404), code
        for form in ("01", "02", "03", "04", "05", "06", "01.pdf"):
            assert client.get(f"/dossiers/{code}/forms/{form}").status_code in (403, 404), (code, form)
        assert client.get(f"/desk/receipt/{code}").status_code in (403, 404), code
        api = client.get(f"/api/v1/dossiers/{code}", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code in (403, 404), code
        assert "001088011223" not in api.get_data(as_text=True)


def test_walking_step_numbers_through_the_api_reaches_only_the_callers_units(world):
    from engine.models import HumanTask, Unit

    with world.app.extensions["motcua"]["sessions"]() as session:
        units = dict(session.execute(select(HumanTask.id, Unit.code).join(Unit, HumanTask.unit_id == Unit.id)).all())
        total = session.scalar(select(func.count()).select_from(HumanTask))
    headers = {"Authorization": f"Bearer {world.tokens['desk2']}"}
    for task_id in range(1, total + 4):
        res = world.web["desk2"].get(f"/api/v1/tasks/{task_id}/form", headers=headers)
        expected = 200 if units.get(task_id) == "H26.73" else (403, 404)
        assert res.status_code == expected if expected == 200 else res.status_code in expected, task_id


def test_the_public_lookup_shows_status_without_personal_data(world):
    for side in "AB":
        code = world.ids[side]["dossier"]
        for path in (f"/tra-cuu/{code}", f"/api/v1/public/dossiers/{code}"):
            body = world.web["anonymous"].get(path).get_data(as_text=True)
            assert code in body
            assert "001088011223" not in body and "0901234567" not in body and "Hàng Bạc" not in body


def test_a_supervisor_of_the_city_reads_a_wards_dossier_but_cannot_act_on_it(world):
    ids, supervisor = world.ids["A"], world.web["supervisor1"]
    token = {"Authorization": f"Bearer {world.tokens['supervisor1']}"}
    page = supervisor.get(f"/dossiers/{ids['dossier']}")
    assert page.status_code == 200 and ids["dossier"] in page.get_data(as_text=True)
    assert supervisor.get(f"/api/v1/dossiers/{ids['dossier']}", headers=token).status_code == 200
    csrf = {"csrf_token": world.csrf["supervisor1"]}
    assert supervisor.get(f"/tasks/{ids['task']}").status_code == 403
    assert supervisor.post(f"/tasks/{ids['task']}/claim", data=csrf).status_code == 403
    assert supervisor.post(f"/tasks/{ids['task']}", data=csrf).status_code == 403
    assert supervisor.get(f"/dossiers/{ids['dossier']}/stop").status_code == 403
    assert supervisor.post(f"/api/v1/tasks/{ids['task']}/claim", headers=token, json={}).status_code == 403


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                    "/\\/evil.example", "/%0d%0aSet-Cookie:x=1"])
def test_logging_in_or_acting_never_sends_the_user_to_another_site(app, browser, target):
    b = browser()
    page = b.client.get(f"/login?next={target}").get_data(as_text=True)
    b.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    res = b.client.post(f"/login?next={target}", data={"username": "desk1", "password": "demo1234",
                                                       "csrf_token": b.token})
    assert res.status_code == 302
    location = res.headers["Location"]
    assert "evil.example" not in location and "\\" not in location and "\n" not in location
    acted = b.post("/tasks/1/unclaim", {"next": target})
    assert "evil.example" not in acted.headers.get("Location", "")


def test_the_api_wants_a_valid_bearer_token_not_a_browser_session_nor_a_forged_one(world):
    from itsdangerous import URLSafeTimedSerializer

    from engine.models import User

    with world.app.extensions["motcua"]["sessions"]() as session:
        admin_id = session.scalar(select(User.id).where(User.username == "admin1"))
    forged = URLSafeTimedSerializer("guessed-secret", salt="motcua-api-token").dumps({"u": admin_id})
    token = world.tokens["desk1"]
    for headers in ({}, {"Authorization": f"Bearer {forged}"}, {"Authorization": f"Bearer {token[:-2]}xx"},
                    {"Authorization": token}, {"Authorization": f"Basic {token}"}):
        res = world.web["desk1"].get("/api/v1/tasks", headers=headers)  # the client holds desk1's session
        assert res.status_code == 401, headers
        assert res.json["error"]["message"]


@pytest.mark.parametrize("path", ["/api/v1/dossiers/H26.70%00", "/api/v1/calendar/days?unit=a%00b",
                                  "/tra-cuu/H26%00", "/admin/users?q=%00", "/worklist?q=a%00"])
def test_a_nul_character_anywhere_in_a_request_is_a_bad_request_not_a_database_error(world, path):
    token = {"Authorization": f"Bearer {world.tokens['admin1']}"}
    res = world.web["admin1"].get(path, headers=token)
    assert res.status_code == 400 and "NUL" in res.get_data(as_text=True)
    posted = world.web["admin1"].post("/api/v1/dossiers", headers=token, json={"procedure_code": "1.001193\x00"})
    assert posted.status_code == 400 and posted.json["error"]["message"]
