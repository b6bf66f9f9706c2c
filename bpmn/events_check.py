"""Checks of what a diagram waits for: an event that nothing here can ever deliver is refused at check.

A Camunda 7 diagram catches messages, signals and conditions sent by Java code or by another process of
the engine. Here nothing sends them (no message API yet), so a dossier would wait for ever: such an event
is refused with what to draw instead. A signal thrown in the same process is caught by it and stays allowed.
Link events and compensation are said unsupported (not "unreachable").
"""
from __future__ import annotations

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CATCHING = ("startEvent", "intermediateCatchEvent", "boundaryEvent")
INSTEAD = ("hãy thay bằng một bước người dùng (userTask) do cán bộ xác nhận khi nhận được tin, "
           "hoặc một hẹn giờ (timerEventDefinition)")


def event_problems(problem, process) -> list:
    """Problems of the catching and linking events of one process; `problem(el, message)` builds one."""
    out = []
    thrown_signals = {d.get("signalRef") for tag in ("intermediateThrowEvent", "endEvent")
                      for ev in process.iter(f"{{{BPMN}}}{tag}")
                      for d in ev.findall(f"{{{BPMN}}}signalEventDefinition")}
    for tag in CATCHING:
        for event in process.iter(f"{{{BPMN}}}{tag}"):
            where = _what(tag)
            if event.find(f"{{{BPMN}}}messageEventDefinition") is not None:
                out.append(problem(event, f"{where} chờ một thông điệp (message) mà không hệ thống nào gửi tới "
                                          f"hồ sơ, hồ sơ sẽ chờ mãi; {INSTEAD}"))
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
