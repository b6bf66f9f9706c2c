"""Mẫu bước chuẩn: element templates (bpmn-js-element-templates, Camunda 7 schema) for the standard steps.

Applying one in the studio turns a task into a user task with what this engine reads from a step (DESIGN.md):
its role (camunda:candidateGroups), its form (camunda:formRef), its legal meaning (camunda:property `kind`) and a
first budget (camunda:property `budget`, an ISO 8601 duration in working time). The "Một Cửa" group of the
properties panel edits them after. Each template's form comes with it: the studio adds the form to the draft
when the draft has none of that name, so an applied template passes `motcua procedures check`.
"""
from __future__ import annotations

from pathlib import Path

from bpmn.vocabulary import Role, StepKind

SCHEMA = "https://unpkg.com/@camunda/element-templates-json-schema/resources/schema.json"
FORMS = (Path(__file__).with_name("template"), Path(__file__).with_name("step_forms"))

# (kind, name, role, form, budget or None, description)
STEPS = (
    (StepKind.INTAKE, "Tiếp nhận hồ sơ", Role.MOT_CUA, "intake", "PT1H",
     "Bộ phận Một cửa kiểm tra tính đầy đủ của hồ sơ: tiếp nhận, yêu cầu bổ sung hoặc từ chối tiếp nhận; "
     "thời hạn giải quyết bắt đầu tính khi tiếp nhận."),
    (StepKind.APPRAISAL, "Thẩm định hồ sơ", Role.CHUYEN_VIEN, "appraisal", "PT4H",
     "Công chức chuyên môn thẩm định và đề xuất giải quyết, yêu cầu bổ sung hoặc từ chối."),
    (StepKind.APPROVAL, "Phê duyệt kết quả", Role.LANH_DAO, "approval", "PT2H",
     "Lãnh đạo phê duyệt, trả lại để thẩm định lại hoặc từ chối."),
    (StepKind.RETURN, "Trả kết quả", Role.MOT_CUA, "return", "PT1H",
     "Bộ phận Một cửa trả kết quả cho người nộp (tại quầy, qua bưu chính hoặc trực tuyến)."),
    (StepKind.CONSULT, "Lấy ý kiến cơ quan phối hợp", Role.CHUYEN_VIEN, "consult", "P1D",
     "Gửi hồ sơ lấy ý kiến cơ quan, đơn vị khác và ghi lại ý kiến của họ; chọn đơn vị trong nhóm \"Một Cửa\"."),
    (StepKind.PAYMENT, "Thu phí, lệ phí", Role.MOT_CUA, "payment", None,
     "Chờ người nộp nộp phí, lệ phí và ghi số biên lai; thời gian chờ nộp phí không tính vào thời hạn."),
)


def _template(kind: str, name: str, role: str, form: str, budget: str | None, description: str) -> dict:
    properties = [
        {"label": "Tên bước", "type": "String", "value": name, "binding": {"type": "property", "name": "name"}},
        {"type": "Hidden", "value": role, "binding": {"type": "property", "name": "camunda:candidateGroups"}},
        {"type": "Hidden", "value": form, "binding": {"type": "property", "name": "camunda:formRef"}},
        {"type": "Hidden", "value": kind, "binding": {"type": "camunda:property", "name": "kind"}},
    ]
    if budget:
        properties.append({"type": "Hidden", "value": budget, "binding": {"type": "camunda:property", "name": "budget"}})
    return {"$schema": SCHEMA, "id": f"motcua.{kind}", "version": 1, "name": name, "description": description,
            "appliesTo": ["bpmn:Task"], "elementType": {"value": "bpmn:UserTask"},
            "properties": properties}


def element_templates() -> list[dict]:
    """The standard steps as element templates (JSON for bpmn-js-element-templates)."""
    return [_template(kind.value, name, role.value, form, budget, text) for kind, name, role, form, budget, text in STEPS]


def template_forms() -> dict[str, str]:
    """The forms the templates name (file name -> text)."""
    wanted = {f"{form}.form" for _k, _n, _r, form, _b, _t in STEPS}
    out: dict[str, str] = {}
    for folder in FORMS:
        for path in sorted(folder.glob("*.form")):
            if path.name in wanted:
                out.setdefault(path.name, path.read_text(encoding="utf-8"))
    return out
