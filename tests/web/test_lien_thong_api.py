"""Liên thông through the REST API: a group in the catalogue, opened with one POST, read with its members."""
from __future__ import annotations

import re

from tests.procedures.drive import APPLICANT

BIRTH = {"child_full_name": "Phạm Minh An", "child_birth_date": "2026-02-20"}


def test_group_in_catalogue_opened_and_read_with_members(api):
    items = {p["code"]: p for p in api.get("/procedures").json["items"]}
    assert items["LT.01"]["members"] == ["1.001193", "CA.01", "BHXH.01"]
    assert "members" not in items["1.001193"]
    res = api.post("/dossiers", "desk1", {"procedure_code": "LT.01", "applicant": APPLICANT, "data": BIRTH})
    assert res.status_code == 201, res.json
    group = res.json
    assert group["code"].startswith("LT-") and group["status"] == "processing"
    assert [m["procedure"] for m in group["members"]] == ["1.001193", "CA.01", "BHXH.01"]
    birth = group["members"][0]
    assert birth["code"] and group["members"][1]["status"] == "not_opened"
    body = api.get(f"/dossiers/{group['code']}", "desk1").json
    assert body["members"][0]["code"] == birth["code"] and set(body["members"][0]) >= {
        "code", "procedure", "unit", "status", "due_at"}
    member = api.get(f"/dossiers/{birth['code']}", "desk1").json
    assert member["group"] == group["code"] and member["data"]["child_full_name"] == "Phạm Minh An"
    assert api.get(f"/dossiers/{group['code']}", "bhxh1").status_code == 403  # nothing of theirs opened yet
    public = api.get(f"/public/dossiers/{group['code']}").json
    assert public["members"][0]["code"] == birth["code"] and "applicant" not in public
    assert api.get(f"/public/dossiers/{birth['code']}").json["group"] == group["code"]
    assert api.get("/public/dossiers/LT-KHONG-CO").status_code == 404


def test_openapi_documents_group_members(api):
    doc = api.get("/openapi.json").json
    assert "GroupMember" in doc["components"]["schemas"]
    assert "members" in doc["components"]["schemas"]["Dossier"]["properties"]


def test_the_desk_receives_lt01_once_and_sees_its_members(browser, api):

    desk = browser("desk1")
    page = desk.get("/desk/new/LT.01").get_data(as_text=True)
    assert "Tiếp nhận hồ sơ liên thông" in page and "CA.01" in page and "BHXH.01" in page
    assert 'name="data.child_full_name"' in page  # the birth registration's declaration, once for the group
    res = desk.post("/desk/new/LT.01", APPLICANT | {"data.child_full_name": "Phạm Minh An",
                                                    "data.child_birth_date": "2026-02-20",
                                                    "data.copies_requested": "2"})  # typed, so text
    assert res.status_code == 302, res.get_data(as_text=True)
    group_page = desk.get(res.headers["Location"]).get_data(as_text=True)
    code = group_page.split("data-group-code>")[1].split("<")[0]
    assert code.startswith("LT-") and 'data-member="CA.01"' in group_page and "chưa mở" in group_page
    body = api.get(f"/dossiers/{code}", "desk1").json
    birth = api.get(f"/dossiers/{body['members'][0]['code']}", "desk1").json
    assert birth["data"]["child_full_name"] == "Phạm Minh An" and birth["group"] == code
    assert birth["data"]["copies_requested"] == 2
    assert browser("desk2").get(f"/desk/groups/{code}").status_code in (403, 404)


def test_the_public_lookup_shows_the_group_and_its_members(browser, api):
    res = api.post("/dossiers", "desk1", {"procedure_code": "LT.02", "applicant": APPLICANT,
                                          "data": {"deceased_name": "Phạm Văn Bình"}})
    code, first = res.json["code"], res.json["members"][0]["code"]
    anyone = browser()
    page = anyone.get(f"/tra-cuu/{code}").get_data(as_text=True)
    assert code in page and first in page and 'data-member="CA.02"' in page and APPLICANT["name"] not in page
    member = anyone.get(f"/tra-cuu/{first}").get_data(as_text=True)
    assert 'data-field="group"' in member and code in member


def test_the_receipt_of_the_first_member_lists_the_group_and_its_members(browser, api):
    from tests.procedures.drive import DATA

    res = api.post("/dossiers", "desk1", {"procedure_code": "LT.01", "applicant": APPLICANT, "data": BIRTH})
    group, birth = res.json["code"], res.json["members"][0]["code"]
    task = api.get(f"/dossiers/{birth}", "desk1").json["tasks"][0]
    assert api.post(f"/tasks/{task['id']}/complete", "desk1", {"data": DATA["receive"]}).status_code == 200
    page = browser("desk1").get(f"/dossiers/{birth}/forms/01").get_data(as_text=True)
    assert group in page and 'data-field="group_members"' in page
    assert "Đăng ký thường trú" in page and "Công an cấp xã" in page and "Bảo hiểm xã hội" in page


def test_the_receiving_desk_hands_over_an_ended_group_from_its_page_and_lists_those_waiting(app, browser):
    from engine.dossier import lifecycle
    from tests.db.test_lien_thong import BIRTH, members
    from tests.procedures.drive import APPLICANT, step, user

    clock = app.config["NOW"]
    with app.extensions["motcua"]["sessions"]() as session:
        group = lifecycle.create_group(session, user(session, "desk1"), "LT.01", "in_person", APPLICANT, BIRTH,
                                       clock())
        session.commit()
        step(session, clock, members(session, group)["1.001193"], "Task_Intake", "intake_refuse")
        code = group.code
    desk = browser("desk1")
    waiting = desk.get("/desk/in-progress").get_data(as_text=True)
    assert f'data-group="{code}"' in waiting
    page = desk.get(f"/desk/groups/{code}").get_data(as_text=True)
    assert "data-group-return" in page and 'value="Phạm Minh Đức"' in page  # the applicant, offered as receiver
    bad = desk.post(f"/desk/groups/{code}/return", {"receiver_name": "", "receiver_id_number": "12ab"})
    assert bad.status_code == 422
    assert 'id="receiver_name-error"' in bad.get_data(as_text=True)
    assert 'id="receiver_id_number-error"' in bad.get_data(as_text=True)
    done = desk.post(f"/desk/groups/{code}/return", {"receiver_name": "Phạm Minh Đức",
                                                     "receiver_id_number": "001088011223"})
    assert done.status_code == 302
    page = desk.get(f"/desk/groups/{code}").get_data(as_text=True)
    assert "data-group-returned" in page and "data-group-return>" not in page and "Nguyễn Thị Lan" in page
    assert f'data-group="{code}"' not in desk.get("/desk/in-progress").get_data(as_text=True)
    again = desk.post(f"/desk/groups/{code}/return", {"receiver_name": "Phạm Minh Đức"})
    assert again.status_code == 302 and "đã được trả" in desk.get(f"/desk/groups/{code}").get_data(as_text=True)
    public = browser().get(f"/tra-cuu/{code}").get_data(as_text=True)
    assert "data-group-returned" in public and "Đã trả kết quả cho người nộp" in public


def test_the_papers_ticked_at_the_group_counter_are_the_first_members_and_its_intake_needs_them(browser, app):
    from tests.web.test_desk_pages import required_documents

    desk = browser("desk1")
    form = desk.get("/desk/new/LT.01").get_data(as_text=True)
    assert "data-group-checklist" in form and 'name="doc_0"' in form
    res = desk.post("/desk/new/LT.01", APPLICANT | {"data.child_full_name": "Phạm Minh An",
                                                    "data.child_birth_date": "2026-02-20", "doc_1": "1"})
    code = res.headers["Location"].rsplit("/", 1)[1]
    with app.extensions["motcua"]["sessions"]() as session:
        from engine.dossier import group as groups

        birth = groups.get_group(session, code).members[0]
        assert [row["received"] for row in birth.checklist][:2] == [False, True]
        birth_code = birth.code
    task_id = int(re.search(r"/tasks/(\d+)", desk.get(f"/dossiers/{birth_code}").get_data(as_text=True)).group(1))
    refused = desk.post(f"/tasks/{task_id}", {"intake_decision": "receive"})
    assert refused.status_code == 422 and "chưa đủ thành phần bắt buộc" in refused.get_data(as_text=True)
    ticks = {f"doc_{i}": "1" for i in required_documents("1.001193")}
    assert desk.post(f"/desk/checklist/{birth_code}", ticks | {"next": f"/tasks/{task_id}"}).status_code == 302
    assert desk.post(f"/tasks/{task_id}", {"intake_decision": "receive"}).status_code == 302
