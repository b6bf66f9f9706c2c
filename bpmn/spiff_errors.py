"""SpiffWorkflow's own validation of a diagram, every process of the file in one run, said in Vietnamese.

SpiffWorkflow stops at the first error of a process; each executable and called process is parsed on its own
so one run reports the first error of each. Its English messages are translated, with what to do instead;
an element already reported by our checks is not reported again in SpiffWorkflow's words.
"""
from __future__ import annotations

import re

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

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


def spiff_problems(name: str, text: str, reported: set[str]) -> list:
    """Problems SpiffWorkflow finds parsing each process of one file, skipping elements in `reported`."""
    from bpmn.check import Problem

    parser = MotcuaParser()
    try:
        parser.add_bpmn_str(text.encode("utf-8"), filename=name)
    except ValidationException as err:
        return [Problem(name, int(err.line_number or 0), err.id or "", translate(str(err.args[0] if err.args else err)))]
    except Exception as err:  # noqa: BLE001 - a diagram from another modeler may break the parser anywhere
        return [] if reported else [Problem(name, 0, "", translate(f"{type(err).__name__}: {err}"))]
    out = []
    for process_id in parser.get_process_ids():
        try:
            parser.get_spec(process_id)
        except ValidationException as err:
            if (err.id or "") not in reported:
                out.append(Problem(name, int(err.line_number or 0), err.id or process_id, translate(str(err.args[0] if err.args else err))))
        except Exception as err:  # noqa: BLE001 - as above; the process is named
            if not reported:  # a crash on what our checks already refused says nothing more
                out.append(Problem(name, 0, process_id, translate(f"{type(err).__name__}: {err}")))
    return out
