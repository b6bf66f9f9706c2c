"""The studio over HTTP: who may use it, the JSON the bundle calls, publish, versions, test-run, migration,
and the dossier page's diagram."""
from __future__ import annotations

import pytest

from tests.procedures.drive import new_dossier

CODE = "1.001193"


def save(client, files: dict[str, str]):
    return client.client.post(f"/studio/{CODE}/draft", json={"files": files}, headers={"X-CSRFToken": client.token})


@pytest.mark.parametrize("username, status", [("analyst1", 200), ("admin1", 200), ("desk1", 403),
                                              ("specialist1", 403), ("supervisor1", 403)])
def test_only_analysts_and_admins_open_the_studio(browser, username, status):
    assert browser(username).get(f"/studio/{CODE}").status_code == status


def test_the_studio_page_loads_the_bundle_and_lists_the_drafts_files(browser):
    analyst = browser("analyst1")
    page = analyst.get(f"/studio/{CODE}").get_data(as_text=True)
    assert "vendor/studio.bundle.js" in page and "data-studio" in page
    files = analyst.get(f"/studio/{CODE}/files.json").json
    assert "process.bpmn" in files["files"] and files["problems"] == []


def test_saving_a_broken_draft_lists_problems_by_element_and_publishing_is_refused(browser):
    analyst, admin = browser("analyst1"), browser("admin1")
    xml = analyst.get(f"/studio/{CODE}/files.json").json["files"]["process.bpmn"]
    res = save(analyst, {"process.bpmn": xml.replace('camunda:formRef="approval"', 'camunda:formRef="nope"')})
    assert res.status_code == 200
    assert any(p["element"] == "Task_Approve" for p in res.json["problems"])
    assert analyst.post(f"/studio/{CODE}/publish", {"note": "x"}).status_code == 403
    res = admin.post(f"/studio/{CODE}/publish", {"note": "x"})
    assert res.status_code == 302 and "/studio/" in res.headers["Location"]
    assert "v2" not in admin.get(f"/studio/{CODE}/versions").get_data(as_text=True)
    assert 'data-version="2"' not in admin.get(f"/studio/{CODE}/versions").get_data(as_text=True)


def test_a_bad_file_name_is_refused_with_json(browser):
    res = save(browser("analyst1"), {"../etc/passwd": "x"})
    assert res.status_code == 422 and "error" in res.json


def test_publish_then_the_diff_shows_the_changed_budget_and_label(browser):
    analyst, admin = browser("analyst1"), browser("admin1")
    files = analyst.get(f"/studio/{CODE}/files.json").json["files"]
    save(analyst, {"process.bpmn": files["process.bpmn"].replace('value="PT3H"', 'value="PT2H"'),
                   "approval.form": files["approval.form"].replace("Quyết định của lãnh đạo", "Quyết định phê duyệt")})
    res = admin.post(f"/studio/{CODE}/publish", {"note": "rút ngắn"})
    assert res.headers["Location"].endswith(f"/studio/{CODE}/versions")
    page = admin.get(f"/studio/{CODE}/versions?old=1&new=2").get_data(as_text=True)
    assert 'data-version="2"' in page and "rút ngắn" in page and "admin1" in page
    assert 'data-changed="Task_Appraise"' in page and "PT2H" in page
    assert 'data-changed="approval_decision"' in page and "Quyết định phê duyệt" in page


def test_the_test_run_shows_the_path_and_the_budget_against_the_limit(browser):
    page = browser("analyst1").post(f"/studio/{CODE}/test-run", {
        "decisions": "intake_decision=receive\nappraisal_decision=propose_approve\n"
                     "approval_decision=approve\nreturn_method=desk"}).get_data(as_text=True)
    path = page.split("data-path>")[1].split("</p>")[0]  # the path run, by the names the diagram gives
    assert '<span title="Task_Intake">Tiếp nhận hồ sơ</span> → ' in path and 'title="EndEvent_Returned"' in path
    # the table of loop-free paths names the steps as the diagram does
    assert '<span title="Task_Appraise">Thẩm định hồ sơ</span> →' in page
    assert "Quy trình tới sự kiện kết thúc" in page


def test_the_migration_page_runs_dry_and_moves_the_selected_dossiers(app, browser, clock):
    with app.extensions["motcua"]["sessions"]() as session:
        before = new_dossier(session, clock)
    analyst, admin = browser("analyst1"), browser("admin1")
    files = analyst.get(f"/studio/{CODE}/files.json").json["files"]
    save(analyst, {"process.bpmn": files["process.bpmn"].replace('value="PT3H"', 'value="PT2H"')})
    admin.post(f"/studio/{CODE}/publish", {"note": "rút ngắn thẩm định"})
    assert analyst.get(f"/studio/{CODE}/versions/2/migrate").status_code == 403
    page = admin.get(f"/studio/{CODE}/versions/2/migrate").get_data(as_text=True)
    assert f'data-dossier="{before.code}"' in page and "chuyển được" in page
    res = admin.post(f"/studio/{CODE}/versions/2/migrate", {"dossier": str(before.id)})
    assert res.status_code == 302
    assert "phiên bản 2" in admin.get(f"/dossiers/{before.code}").get_data(as_text=True)


def test_the_dossier_page_shows_its_diagram_with_the_current_step(app, browser, clock):
    with app.extensions["motcua"]["sessions"]() as session:
        dossier = new_dossier(session, clock)
    page = browser("desk1").get(f"/dossiers/{dossier.code}").get_data(as_text=True)
    assert "data-bpmn-viewer" in page and "vendor/viewer.bundle.js" in page
    assert 'data-current=\'["Task_Intake"]\'' in page
    assert "StartEvent_1" in page.split("data-done=")[1].split("data-current")[0]


def test_publishing_shows_the_diff_first_and_needs_a_note(browser):
    analyst, admin = browser("analyst1"), browser("admin1")
    files = analyst.get(f"/studio/{CODE}/files.json").json["files"]
    save(analyst, {"process.bpmn": files["process.bpmn"].replace('value="PT3H"', 'value="PT2H"')})
    page = admin.get(f"/studio/{CODE}/publish").get_data(as_text=True)
    assert 'data-changed="Task_Appraise"' in page and "PT2H" in page and 'id="publish-confirm"' in page
    refused = admin.post(f"/studio/{CODE}/publish", {"note": "   "})
    assert refused.status_code == 422 and "Hãy ghi chú phiên bản" in refused.get_data(as_text=True)
    assert 'data-version="2"' not in admin.get(f"/studio/{CODE}/versions").get_data(as_text=True)
    assert analyst.get(f"/studio/{CODE}/publish").status_code == 403
    assert admin.post(f"/studio/{CODE}/publish", {"note": "rút ngắn"}).status_code == 302
    versions = admin.get(f"/studio/{CODE}/versions").get_data(as_text=True)
    assert 'data-version="2"' in versions and "rút ngắn" in versions


def test_reverting_the_draft_needs_the_box_ticked_and_brings_back_the_published_version(browser):
    analyst = browser("analyst1")
    published = analyst.get(f"/studio/{CODE}/files.json").json["files"]["process.bpmn"]
    save(analyst, {"process.bpmn": published.replace('value="PT3H"', 'value="PT2H"')})
    refused = analyst.post(f"/studio/{CODE}/revert", {})
    assert refused.status_code == 422 and "Hãy đánh dấu ô xác nhận" in refused.get_data(as_text=True)
    assert 'value="PT2H"' in analyst.get(f"/studio/{CODE}/files.json").json["files"]["process.bpmn"]
    res = analyst.post(f"/studio/{CODE}/revert", {"confirm": "yes"})
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/studio/{CODE}")
    assert analyst.get(f"/studio/{CODE}/files.json").json["files"]["process.bpmn"] == published
    assert "Đã bỏ các thay đổi" in analyst.get(f"/studio/{CODE}").get_data(as_text=True)


NEW = {"code": "2.000777", "name": "Cấp giấy xác nhận tình trạng hôn nhân", "field": "Hộ tịch", "authority": "commune",
       "limit_value": "3", "limit_unit": "working_days", "channels": ["in_person", "online"]}


def test_a_new_procedure_starts_from_the_template_is_listed_and_can_be_published(browser):
    analyst, admin = browser("analyst1"), browser("admin1")
    assert 'id="studio-new"' in analyst.get("/studio/").get_data(as_text=True)
    res = analyst.post("/studio/new", NEW)
    assert res.status_code == 302 and res.headers["Location"].endswith("/studio/2.000777")
    files = analyst.get("/studio/2.000777/files.json").json
    assert files["problems"] == [], files["problems"]
    assert "Cấp giấy xác nhận tình trạng hôn nhân" in files["files"]["procedure.yaml"]  # diacritics kept
    assert {"process.bpmn", "intake.form", "appraisal.form", "approval.form", "return.form"} <= set(files["files"])
    index = analyst.get("/studio/").get_data(as_text=True)
    assert 'data-new-draft="2.000777"' in index and "Chưa công bố" in index
    assert admin.post("/studio/2.000777/publish", {"note": "thủ tục mới"}).status_code == 302
    assert 'data-version="1"' in admin.get("/studio/2.000777/versions").get_data(as_text=True)


def test_the_new_procedure_wizard_names_every_bad_answer_and_writes_nothing(browser):
    analyst = browser("analyst1")
    res = analyst.post("/studio/new", {"code": "x", "name": "", "authority": "city", "limit_value": "-1",
                                       "limit_unit": "weeks"})
    page = res.get_data(as_text=True)
    assert res.status_code == 422
    for message in ("Mã thủ tục gồm", "Hãy nhập tên thủ tục", "Chọn cấp thẩm quyền", "số nguyên từ 0 đến 365",
                    "Chọn đơn vị", "Chọn ít nhất một cách nộp"):
        assert message in page, message
    taken = analyst.post("/studio/new", NEW | {"code": CODE})
    assert taken.status_code == 409 and "đã có trong danh mục" in taken.get_data(as_text=True)
    assert 'data-new-draft' not in analyst.get("/studio/").get_data(as_text=True)


def test_a_draft_only_opened_says_it_is_the_published_version_not_that_someone_saved_it(browser):
    analyst = browser("analyst1")
    page = analyst.get(f"/studio/{CODE}").get_data(as_text=True)
    assert "giống phiên bản 1 đã công bố" in page and "Bản nháp lưu lúc" not in page
