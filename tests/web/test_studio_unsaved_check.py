"""The studio checks what the canvas shows before it is saved, and serves the standard steps' templates (#20)."""
from __future__ import annotations

import json

from engine.catalogue import step_templates
from engine.catalogue.procedures import check_files

CODE = "1.001193"


def check(client, files):
    return client.client.post(f"/studio/{CODE}/check", json={"files": files}, headers={"X-CSRFToken": client.token})


def test_an_unsaved_role_nobody_holds_is_a_problem_and_the_draft_is_untouched(browser):
    analyst = browser("analyst1")
    xml = analyst.get(f"/studio/{CODE}/files.json").json["files"]["process.bpmn"]
    res = check(analyst, {"process.bpmn": xml.replace('candidateGroups="chuyen_vien"', 'candidateGroups="ke_toan"')})
    assert res.status_code == 200 and res.json["saved"] is False
    assert any(p["element"] == "Task_Appraise" and "ke_toan" in p["message"] for p in res.json["problems"])
    assert analyst.get(f"/studio/{CODE}/check").json["problems"] == []  # the saved draft is as it was
    assert check(analyst, {"process.bpmn": xml}).json["problems"] == []


def test_an_unsaved_check_refuses_what_saving_refuses(browser):
    analyst = browser("analyst1")
    assert check(analyst, {"../etc.bpmn": "x"}).status_code == 422
    assert check(analyst, "not files").status_code == 422
    assert check(browser("desk1"), {}).status_code == 403


def test_the_step_templates_come_with_their_forms(browser):
    body = browser("analyst1").get("/studio/step-templates.json").json
    names = {t["id"]: t["name"] for t in body["templates"]}
    assert names == {"motcua.intake": "Tiếp nhận hồ sơ", "motcua.appraisal": "Thẩm định hồ sơ",
                     "motcua.approval": "Phê duyệt kết quả", "motcua.return": "Trả kết quả",
                     "motcua.consult": "Lấy ý kiến cơ quan phối hợp", "motcua.payment": "Thu phí, lệ phí"}
    for template in body["templates"]:
        form = next(p["value"] for p in template["properties"] if p["binding"]["name"] == "camunda:formRef")
        assert f"{form}.form" in body["forms"], form
        assert json.loads(body["forms"][f"{form}.form"])["id"] == form


def test_each_template_as_a_lone_step_passes_the_check():
    """What applying a template writes (role, form, kind, budget) makes a diagram `procedures check` accepts."""
    forms = step_templates.template_forms()
    for template in step_templates.element_templates():
        attrs = {p["binding"]["name"]: p["value"] for p in template["properties"] if p["binding"]["type"] == "property"}
        props = "".join(f'<camunda:property name="{p["binding"]["name"]}" value="{p["value"]}" />'
                        for p in template["properties"] if p["binding"]["type"] == "camunda:property")
        xml = ('<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/'
               '20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="D" targetNamespace="x">'
               '<bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S" />'
               f'<bpmn:userTask id="T" name="{attrs["name"]}" camunda:candidateGroups="{attrs["camunda:candidateGroups"]}"'
               f' camunda:formRef="{attrs["camunda:formRef"]}" camunda:modelerTemplate="{template["id"]}">'
               f'<bpmn:extensionElements><camunda:properties>{props}</camunda:properties></bpmn:extensionElements>'
               '</bpmn:userTask><bpmn:endEvent id="E" /><bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="T" />'
               '<bpmn:sequenceFlow id="F2" sourceRef="T" targetRef="E" /></bpmn:process></bpmn:definitions>')
        files = {"process.bpmn": xml, f"{attrs['camunda:formRef']}.form": forms[f"{attrs['camunda:formRef']}.form"]}
        assert check_files(files, "9.000001", None) == [], template["id"]
