"""Checks of what a diagram waits for: an event that nothing here can ever deliver is refused at check.

A Camunda 7 diagram catches messages, signals and conditions sent by Java code or by another process of
the engine. Here a message is delivered by `POST /api/v1/dossiers/{code}/messages/{name}`
(engine.dossier.messages), so a message catch needs a named `bpmn:message`; the sole start event of a
process may be a message start event (the submission is that message). Signals nobody throws and
conditional events would wait for ever: they are refused with what to draw instead. A signal thrown in the
same process is caught by it and stays allowed. Link events and compensation are said unsupported.
"""
from __future__ import annotations

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CATCHING = ("startEvent", "intermediateCatchEvent", "boundaryEvent")
INSTEAD = ("hãy thay bằng một bước người dùng (userTask) do cán bộ xác nhận khi nhận được tin, "
           "hoặc một hẹn giờ (timerEventDefinition)")


def event_problems(problem, process) -> list:
    """Problems of the catching and linking events of one process; `problem(el, message)` builds one."""
    out = []
    messages = {m.get("id"): m.get("name") for m in process.getroottree().getroot().iter(f"{{{BPMN}}}message")}
    for task in process.iter(f"{{{BPMN}}}receiveTask"):
        out += _message_problems(problem, task, task, "tác vụ nhận (receiveTask)", messages)
    thrown_signals = {d.get("signalRef") for tag in ("intermediateThrowEvent", "endEvent")
                      for ev in process.iter(f"{{{BPMN}}}{tag}")
                      for d in ev.findall(f"{{{BPMN}}}signalEventDefinition")}
    for tag in CATCHING:
        for event in process.iter(f"{{{BPMN}}}{tag}"):
            where = _what(tag)
            definition = event.find(f"{{{BPMN}}}messageEventDefinition")
            if definition is not None and not (tag == "startEvent" and submission_start(event)):
                out += _message_problems(problem, event, definition, where, messages)
            for signal in event.findall(f"{{{BPMN}}}signalEventDefinition"):
                if signal.get("signalRef") not in thrown_signals:
                    out.append(problem(event, f"{where} chờ một tín hiệu (signal) mà quy trình không phát ra ở đâu, "
                                              f"hồ sơ sẽ chờ mãi; {INSTEAD}"))
            if event.find(f"{{{BPMN}}}conditionalEventDefinition") is not None:
                out.append(problem(event, f"chưa hỗ trợ {where} chờ điều kiện (conditionalEventDefinition); "
                                          "hãy rẽ nhánh bằng cổng exclusiveGateway sau bước nhập dữ liệu"))
    for event in process.iter(f"{{{BPMN}}}intermediateCatchEvent", f"{{{BPMN}}}intermediateThrowEvent"):
        if event.find(f"{{{BPMN}}}linkEventDefinition") is not None:
            out.append(problem(event, "chưa hỗ trợ sự kiện liên kết (linkEventDefinition); "
                                      "hãy nối trực tiếp bằng luồng tuần tự (sequenceFlow)"))
    for el in process.iter(f"{{{BPMN}}}compensateEventDefinition"):
        out.append(problem(el.getparent(), "chưa hỗ trợ bù trừ (compensateEventDefinition); "
                                           "hãy vẽ bước hoàn tác như một bước bình thường"))
    return out


def submission_start(event) -> bool:
    """Whether a start event is the only start event of its process (not of a subprocess): the dossier's
    submission starts it, whatever it waits for."""
    parent = event.getparent()
    return etree.QName(parent).localname == "process" and len(parent.findall(f"{{{BPMN}}}startEvent")) == 1


def _message_problems(problem, event, definition, where: str, messages: dict) -> list:
    name = messages.get(definition.get("messageRef"))
    if not name:
        return [problem(event, f"{where} chờ một thông điệp (message) chưa có tên, không ai gửi tới được; hãy "
                               "chọn một bpmn:message có tên (name), gửi bằng POST /api/v1/dossiers/{mã}/messages/"
                               f"{{tên}}, hoặc {INSTEAD.removeprefix('hãy ')}")]
    if etree.QName(event).localname == "startEvent" and etree.QName(event.getparent()).localname == "process":
        return [problem(event, "quy trình có nhiều sự kiện bắt đầu; hồ sơ bắt đầu khi được nộp, hãy để một sự "
                               "kiện bắt đầu duy nhất")]
    return []


def linked(process) -> set[str]:
    """Ids of the link and compensation events (reported as unsupported, so not again as unreachable)."""
    ids = set()
    for tag in ("linkEventDefinition", "compensateEventDefinition"):
        for el in process.iter(f"{{{BPMN}}}{tag}"):
            ids.add(el.getparent().get("id"))
    for assoc in process.iter(f"{{{BPMN}}}association"):  # a compensation handler is tied by an association
        ids.add(assoc.get("targetRef"))
    return ids


def _what(tag: str) -> str:
    return {"startEvent": "sự kiện bắt đầu", "intermediateCatchEvent": "sự kiện trung gian",
            "boundaryEvent": "sự kiện biên"}[tag]
