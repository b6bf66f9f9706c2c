"""SpiffWorkflow's own validation of a diagram, every error of every process in one run, said in Vietnamese.

SpiffWorkflow stops at the first error of a process. For the check, each element is parsed on its own
(`CollectingProcessParser`): an element that fails is recorded, stands in as a no-op, and the elements
after it are parsed in turn, so one run reports every element SpiffWorkflow refuses, in each process.
Its English messages are translated, with what to do instead; an element already reported by our checks
is not reported again in SpiffWorkflow's words. Running a published diagram uses the strict parser.
"""
from __future__ import annotations

import re

from SpiffWorkflow.bpmn.parser.ProcessParser import ProcessParser
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.defaults import NoneTask

from bpmn.parser import MotcuaParser

TRANSLATIONS = (
    (r"Exactly one start event is required in a SubWorkflow Task; found (\d+)",
     "tiến trình con (subProcess) cần đúng một sự kiện bắt đầu (startEvent) không kèm định nghĩa sự kiện, "
     "đang có {0}; hãy vẽ một startEvent trơn bên trong tiến trình con"),
    (r"Multiple outgoing flows are not supported for tasks",
     "một bước có nhiều luồng đi ra mà không qua cổng; hãy nối bước tới một cổng song song (parallelGateway) "
     "hoặc cổng rẽ nhánh (exclusiveGateway) rồi tách luồng từ cổng"),
    (r"Non-default exclusive outgoing sequence flow without condition",
     "luồng đi ra từ cổng rẽ nhánh chưa có điều kiện và không phải luồng mặc định; hãy ghi điều kiện "
     "(conditionExpression) hoặc chọn nó làm luồng mặc định (default) của cổng"),
    (r"Time Specification Error",
     "hẹn giờ chưa có thời điểm hay thời lượng; hãy ghi timeDuration (ví dụ P2D), timeDate hoặc timeCycle"),
    (r'No "calledElement" attribute',
     "gọi tiến trình (callActivity) chưa có calledElement; hãy ghi mã quy trình được gọi"),
    (r"A multiinstance task must specify a cardinality or a collection",
     "bước lặp nhiều lần (multiInstance) chưa có số lần (loopCardinality) hay tập (camunda:collection); "
     "hãy ghi một trong hai, hoặc bỏ dấu lặp"),
)


def translate(message: str) -> str:
    """SpiffWorkflow's message in Vietnamese with what to do; an unknown one quoted after a general lead."""
    for pattern, text in TRANSLATIONS:
        found = re.search(pattern, message)
        if found:
            return text.format(*found.groups())
    return ("bộ máy quy trình không thực thi được phần tử này (" + message.strip().rstrip(".") + "); "
            "hãy sửa phần tử theo thông báo hoặc thay bằng một bước người dùng (userTask)")


class CollectingProcessParser(ProcessParser):
    """A process parser that records an element's error and goes on with the elements after it."""

    def parse_node(self, node):
        try:
            return super().parse_node(node)
        except ValidationException as err:
            return self._stand_in(node, err)
        except Exception as err:  # noqa: BLE001 - a foreign diagram may break a task parser anywhere
            return self._stand_in(node, ValidationException(f"{type(err).__name__}: {err}", node=node,
                                                            file_name=self.filename))

    def _stand_in(self, node, err: ValidationException):
        """Record `err`; a no-op spec takes the element's place, and what follows it is parsed."""
        node_id = node.get("id") or ""
        self.parser.collected.append(err)
        spec = self.spec.task_specs.get(node_id)
        if spec is None:
            spec = NoneTask(self.spec, node_id or f"unnamed_{len(self.parser.collected)}")
            spec.extensions = {}
        for event in self.get_boundary_events(node_id) if node_id else ():
            self.parse_node(event)
        for flow in self.get_outgoing_sequence_flows(node_id) if node_id else ():
            target = self.get_node_by_id(flow.get("targetRef"))
            if target is not None:
                self.parse_node(target)
        return spec


class CollectingParser(MotcuaParser):
    """The check's parser: every element's error is kept in `collected` instead of stopping at the first."""

    PROCESS_PARSER_CLASS = CollectingProcessParser

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.collected: list[ValidationException] = []


def spiff_problems(name: str, text: str, reported: set[str]) -> list:
    """Problems SpiffWorkflow finds parsing each process of one file, skipping elements in `reported`."""
    from bpmn.check import Problem

    parser = CollectingParser()
    try:
        parser.add_bpmn_str(text.encode("utf-8"), filename=name)
    except ValidationException as err:
        return [Problem(name, int(err.line_number or 0), err.id or "", translate(str(err.args[0] if err.args else err)))]
    except Exception as err:  # noqa: BLE001 - a diagram from another modeler may break the parser anywhere
        return [] if reported else [Problem(name, 0, "", translate(f"{type(err).__name__}: {err}"))]
    out = []
    for process_id in parser.get_process_ids():
        parser.collected.clear()
        try:
            parser.get_spec(process_id)
        except ValidationException as err:
            parser.collected.append(err)
        except Exception as err:  # noqa: BLE001 - as above; the process is named
            if not reported:  # a crash on what our checks already refused says nothing more
                out.append(Problem(name, 0, process_id, translate(f"{type(err).__name__}: {err}")))
        for err in parser.collected:
            if (err.id or "") not in reported:
                out.append(Problem(name, _line(err), err.id or process_id, translate(_text(err))))
    return out


def _line(err: ValidationException) -> int:
    try:
        return int(err.line_number or 0)
    except (TypeError, ValueError):
        return 0


def _text(err: ValidationException) -> str:
    return str(err.args[0] if err.args else err)
