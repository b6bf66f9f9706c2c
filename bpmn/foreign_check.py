"""What a diagram drawn for another engine, or with Camunda 7's Java side, uses that we cannot execute."""
from __future__ import annotations

from lxml import etree

from bpmn.connectors import connector_problem, written_name

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
ZEEBE = "http://camunda.org/schema/zeebe/1.0"
NS = {"bpmn": BPMN, "camunda": CAMUNDA}
UNSUPPORTED = {
    "complexGateway": "cổng phức hợp (complexGateway); hãy dùng cổng inclusiveGateway hoặc exclusiveGateway",
    "sendTask": "tác vụ gửi (sendTask); thông báo cho công dân và Cổng Dịch vụ công được gửi tự động khi hồ sơ "
                "đổi trạng thái: hãy bỏ bước này hoặc thay bằng một bước người dùng (userTask)",
    "businessRuleTask": "bảng quyết định DMN (businessRuleTask); hãy viết quy tắc bằng cổng exclusiveGateway với "
                        "điều kiện Python hoặc bằng một scriptTask",
    "transaction": "giao dịch (transaction); hãy dùng tiến trình con (subProcess)",
    "adHocSubProcess": "tiến trình con ad-hoc; hãy vẽ các bước bằng cổng song song (parallelGateway)",
}
UNSUPPORTED_CAMUNDA = {
    "class": "lớp Java", "delegateExpression": "biểu thức gọi mã Java", "expression": "biểu thức JUEL",
    "resource": "kịch bản trong tệp ngoài",
}
UNSUPPORTED_CAMUNDA_ELEMENTS = {
    "executionListener": "bộ lắng nghe sự kiện", "taskListener": "bộ lắng nghe tác vụ",
    "connector": "bộ kết nối",
}
ZEEBE_HINTS = {
    "taskDefinition": "gọi job worker của Camunda 8", "assignmentDefinition": "hãy dùng camunda:candidateGroups",
    "formDefinition": "hãy dùng camunda:formRef", "calledElement": "gọi tiến trình khác",
}

def foreign_problems(name: str, root, problem_class, owner_id) -> list:
    """What a diagram drawn for another engine uses that we cannot execute; `problem_class(file, line, id, message)`."""
    out = []
    platform = root.get("{http://camunda.org/schema/modeler/1.0}executionPlatform", "")
    if ZEEBE in root.nsmap.values() or platform == "Camunda Cloud":
        out.append(problem_class(name, root.sourceline or 0, root.get("id", ""),
                           "sơ đồ vẽ cho Camunda 8 (Zeebe) chưa được hỗ trợ; hãy vẽ lại cho Camunda 7 "
                           "(Camunda Platform 7) với camunda:candidateGroups và camunda:formRef"))
    connected = set()  # service and send tasks naming a registered connector (bpmn.connectors)
    for el in root.iter(f"{{{BPMN}}}serviceTask", f"{{{BPMN}}}sendTask"):
        problem = connector_problem(el)
        if problem is not None:
            out.append(problem_class(name, el.sourceline or 0, el.get("id", ""), problem))
            connected.add(el)  # said once, in connector words
        elif written_name(el)[0] is not None:
            connected.add(el)
    for tag, what in UNSUPPORTED.items():
        for el in root.iter(f"{{{BPMN}}}{tag}"):
            if el not in connected:
                out.append(problem_class(name, el.sourceline or 0, el.get("id", ""), f"chưa hỗ trợ thực thi {what}"))
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        owner = owner_id(el)
        for attr, what in UNSUPPORTED_CAMUNDA.items():
            if el in connected and attr in ("class", "delegateExpression", "expression"):
                continue
            if el.get(f"{{{CAMUNDA}}}{attr}") is not None:
                out.append(problem_class(name, el.sourceline or 0, owner, f"chưa hỗ trợ camunda:{attr} ({what})"))
        qname = etree.QName(el)
        if qname.localname != "userTask" and (el.get(f"{{{CAMUNDA}}}formKey") is not None
                                              or el.find("bpmn:extensionElements/camunda:formData", NS) is not None):
            out.append(problem_class(name, el.sourceline or 0, owner, "biểu mẫu của sự kiện bắt đầu (camunda:formKey, "
                                                                "camunda:formData) không dùng ở đây: tờ khai của hồ sơ "
                                                                "là application_form trong procedure.yaml"))
        if qname.localname == "connector" and el.getparent() is not None and el.getparent().getparent() in connected:
            continue
        if qname.namespace == CAMUNDA and qname.localname in UNSUPPORTED_CAMUNDA_ELEMENTS:
            what = UNSUPPORTED_CAMUNDA_ELEMENTS[qname.localname]
            out.append(problem_class(name, el.sourceline or 0, owner, f"chưa hỗ trợ camunda:{qname.localname} ({what})"))
        elif qname.namespace == ZEEBE and el.getparent() is not None \
                and etree.QName(el.getparent()).localname == "extensionElements":
            hint = ZEEBE_HINTS.get(qname.localname, "phần mở rộng của Camunda 8")
            out.append(problem_class(name, el.sourceline or 0, owner, f"chưa hỗ trợ zeebe:{qname.localname} ({hint})"))
    return out
