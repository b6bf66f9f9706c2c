"""The studio edits procedure.yaml as a form, and a broken procedure.yaml never blocks the diagram's edits."""
from __future__ import annotations

import yaml

CODE = "1.001193"


def save(client, files: dict[str, str]):
    return client.client.post(f"/studio/{CODE}/draft", json={"files": files}, headers={"X-CSRFToken": client.token})


def test_the_catalogue_form_saves_the_answers_into_the_draft_with_diacritics(browser):
    analyst = browser("analyst1")
    page = analyst.get(f"/studio/{CODE}/catalogue").get_data(as_text=True)
    assert 'id="catalogue-form"' in page and 'value="Đăng ký khai sinh"' in page
    res = analyst.post(f"/studio/{CODE}/catalogue", {
        "name": "Đăng ký khai sinh (lưu động)", "field": "Hộ tịch", "authority": "commune", "limit_value": "1",
        "limit_unit": "working_days", "channels": ["in_person", "online"], "online": "full", "one_stop": "1",
        "same_day_cutoff": "15:00", "supplement_clock": "pause", "results": "Giấy khai sinh"})
    assert res.status_code == 303
    text = analyst.get(f"/studio/{CODE}/files.json").json["files"]["procedure.yaml"]
    entry = yaml.safe_load(text)
    assert entry["name"] == "Đăng ký khai sinh (lưu động)" and "Đăng ký khai sinh (lưu động)" in text
    assert entry["time_limit"] == {"value": 1, "unit": "working_days"} and entry["documents"]


def test_bad_answers_are_shown_beside_their_fields_and_nothing_is_saved(browser):
    analyst = browser("analyst1")
    res = analyst.post(f"/studio/{CODE}/catalogue", {"name": "", "limit_value": "x", "limit_unit": "working_days",
                                                     "authority": "commune", "channels": ["in_person"]})
    page = res.get_data(as_text=True)
    assert res.status_code == 422 and 'id="name-error"' in page and 'id="limit_value-error"' in page
    assert yaml.safe_load(analyst.get(f"/studio/{CODE}/files.json").json["files"]["procedure.yaml"])["name"] \
        == "Đăng ký khai sinh"


def test_a_broken_procedure_yaml_blocks_only_itself_and_the_diagram_is_saved(browser):
    analyst = browser("analyst1")
    files = analyst.get(f"/studio/{CODE}/files.json").json["files"]
    xml = files["process.bpmn"].replace('value="PT3H"', 'value="PT2H"')
    res = save(analyst, {"process.bpmn": xml, "procedure.yaml": "code: [1.001193\nname: Đăng ký"})
    assert res.status_code == 422 and res.json["saved"] == ["process.bpmn"]
    assert "procedure.yaml chưa lưu" in res.json["error"]["message"]
    saved = analyst.get(f"/studio/{CODE}/files.json").json["files"]
    assert 'value="PT2H"' in saved["process.bpmn"] and saved["procedure.yaml"] == files["procedure.yaml"]
