"""Named connectors for `serviceTask` and `sendTask`: what a Camunda 7 diagram calls, mapped to our integrations.

A Camunda 7 service task names Java code or a worker. We run none of that; a diagram may instead name one of
the connectors registered here, in any of the shapes Camunda Modeler writes:

- `camunda:type="external" camunda:topic="notify-applicant"` (an external task topic);
- `camunda:delegateExpression="${notifyApplicant}"` (a delegate bean's name);
- `camunda:class="vn.motcua.NotifyApplicant"` (the class's simple name);
- a `camunda:connector` whose `camunda:connectorId` is the name.

Names are matched ignoring case, `-` and `_` (`notify-applicant`, `notifyApplicant`, `NotifyApplicant`). Inputs
come from `camunda:inputOutput/camunda:inputParameter`: a literal text, or `${variable}` read from the
process data when the step runs. The connector's outputs go into the process data.

The vocabulary (names, what each does, its inputs) lives here so `check` can refuse an unknown name, with the
list of known ones, without the engine; the engine registers what each connector does
(engine.messaging.connectors), and a test keeps the two in step. Anything else (a Java class, an HTTP
connector, a JUEL `camunda:expression`) is refused at check with what to use instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
VARIABLE = re.compile(r"^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$")


@dataclass(frozen=True)
class Connector:
    """A registered connector: its name, what it does (in Vietnamese), its inputs and the data it sets."""

    name: str
    label: str
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()


CONNECTORS = {c.name: c for c in (
    Connector("notify-applicant", "gửi thư (và tin nhắn) cho người nộp hồ sơ qua hàng đợi gửi đi",
              inputs=("subject", "message"), outputs=("da_thong_bao",)),
)}


def _key(name: str) -> str:
    return re.sub(r"[-_\s]", "", name).lower()


_BY_KEY = {_key(name): name for name in CONNECTORS}


def registered(name: str | None) -> str | None:
    """The registered connector a written name means, or None."""
    return _BY_KEY.get(_key(name or "")) if name else None


def written_name(task) -> tuple[str | None, str]:
    """(the name a service or send task gives its implementation, how it is written), or (None, "")."""
    if task.get(f"{{{CAMUNDA}}}type") == "external":
        return (task.get(f"{{{CAMUNDA}}}topic") or "").strip(), "camunda:topic"
    delegate = task.get(f"{{{CAMUNDA}}}delegateExpression")
    if delegate is not None:
        found = VARIABLE.match(delegate.strip())
        return (found.group(1) if found else delegate.strip()), "camunda:delegateExpression"
    java = task.get(f"{{{CAMUNDA}}}class")
    if java is not None:
        return java.strip().rsplit(".", 1)[-1], "camunda:class"
    connector_id = task.find(f"{{{BPMN}}}extensionElements/{{{CAMUNDA}}}connector/{{{CAMUNDA}}}connectorId")
    if connector_id is not None:
        return (connector_id.text or "").strip(), "camunda:connectorId"
    return None, ""


def known_list() -> str:
    """The registered connectors, for a message."""
    return "; ".join(f"{c.name} ({c.label})" for c in CONNECTORS.values())


def connector_problem(task) -> str | None:
    """Why a serviceTask/sendTask cannot run here, or None when it names a registered connector."""
    what = "tác vụ dịch vụ (serviceTask)" if task.tag == f"{{{BPMN}}}serviceTask" else "tác vụ gửi (sendTask)"
    if task.get(f"{{{CAMUNDA}}}expression") is not None:
        return (f"{what} dùng camunda:expression (biểu thức JUEL gọi mã Java), không chạy được ở đây; hãy gọi một bộ "
                f"kết nối đã đăng ký bằng camunda:delegateExpression=\"${{tên}}\": {known_list()}")
    name, how = written_name(task)
    if name is None:
        if what.startswith("tác vụ gửi"):
            return None  # a plain sendTask: bpmn.foreign_check says what to do
        return (f"{what} chưa nói gọi bộ kết nối nào; hãy ghi camunda:delegateExpression=\"${{tên}}\" hoặc "
                f"camunda:type=\"external\" camunda:topic=\"tên\" với một bộ kết nối đã đăng ký: {known_list()}; "
                "hoặc thay bằng một bước người dùng (userTask)")
    if registered(name) is None:
        return (f"{what} gọi '{name}' ({how}), không phải bộ kết nối nào đã đăng ký; các bộ kết nối có: "
                f"{known_list()}. Mã Java, HTTP connector hay job worker của Camunda không chạy ở đây")
    return None


def connector_of(task) -> str | None:
    """The registered connector a parsed task element names, or None."""
    name, _how = written_name(task)
    return registered(name)


def input_parameters(task) -> dict[str, str]:
    """The task's `camunda:inputParameter`s, name -> text as written."""
    path = f"{{{BPMN}}}extensionElements/{{{CAMUNDA}}}inputOutput/{{{CAMUNDA}}}inputParameter"
    out = {p.get("name"): (p.text or "").strip() for p in task.findall(path) if p.get("name")}
    for connector in task.findall(f"{{{BPMN}}}extensionElements/{{{CAMUNDA}}}connector"):
        for p in connector.findall(f"{{{CAMUNDA}}}inputOutput/{{{CAMUNDA}}}inputParameter"):
            if p.get("name"):
                out[p.get("name")] = (p.text or "").strip()
    return out


def resolve_inputs(written: dict[str, str], data: dict) -> dict[str, object]:
    """The inputs at run time: `${variable}` read from the process data, anything else as written."""
    out: dict[str, object] = {}
    for name, text in written.items():
        found = VARIABLE.match(text)
        out[name] = data.get(found.group(1)) if found else text
    return out
