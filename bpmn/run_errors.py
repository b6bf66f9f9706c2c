"""A running diagram's failure said in Vietnamese: which element failed, what kind of failure, what to do.

SpiffWorkflow raises English exceptions while it runs a process ("No conditions satisfied for Gateway_1",
"Error evaluating expression '…'", "NameError:name 'x' is not defined"). `describe` turns one into a
`RunError` an admin can act on; the English original is kept beside it for the log.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptTask
from SpiffWorkflow.exceptions import WorkflowException

from bpmn.script_limits import ScriptBudgetExceeded

KINDS = {
    "no_flow": "Cổng rẽ nhánh không có luồng phù hợp",
    "expression": "Lỗi điều kiện",
    "script": "Lỗi kịch bản",
    "budget": "Vượt giới hạn chạy",
    "other": "Lỗi thực thi",
}
PYTHON_ERRORS = {
    "ZeroDivisionError": "chia cho 0",
    "TypeError": "sai kiểu dữ liệu",
    "ValueError": "giá trị không hợp lệ",
    "KeyError": "thiếu khóa dữ liệu",
    "AttributeError": "thuộc tính không tồn tại",
    "IndexError": "chỉ số vượt quá danh sách",
    "SyntaxError": "sai cú pháp",
}


@dataclass(frozen=True)
class RunError:
    """Where a process stopped (BPMN id and name), the kind of failure (a key of KINDS), the Vietnamese
    message and SpiffWorkflow's own words."""

    element_id: str
    element_name: str
    kind: str
    message: str
    original: str

    @property
    def kind_label(self) -> str:
        """The kind in Vietnamese."""
        return KINDS.get(self.kind, KINDS["other"])


def describe(err: BaseException) -> RunError:
    """The Vietnamese account of an error raised while a process ran its automatic steps."""
    spec = getattr(err, "task_spec", None)
    element_id = getattr(spec, "bpmn_id", None) or getattr(spec, "name", None) or ""
    name = getattr(spec, "bpmn_name", None) or element_id or "?"
    original = " ".join(str(err).split())
    if isinstance(err, ScriptBudgetExceeded):
        return RunError(element_id, name, "budget", f"quy trình dừng vì vượt giới hạn chạy: {err}", original)
    if not isinstance(err, WorkflowException):
        return RunError(element_id, name, "other", f"bước '{name}' gặp lỗi {type(err).__name__}: {err}", original)
    if original.startswith("No conditions satisfied"):
        return RunError(element_id, name, "no_flow",
                        f"cổng rẽ nhánh '{name}' không có luồng đi ra nào khớp với dữ liệu của hồ sơ và không có "
                        "luồng mặc định; hãy thêm điều kiện cho giá trị này hoặc chọn một luồng mặc định", original)
    cause = err.__cause__ or err.__context__
    expression = re.search(r"Error evaluating expression '(.*)'", original)
    if expression:
        return RunError(element_id, name, "expression",
                        f"điều kiện «{expression.group(1)}» ở '{name}' không tính được: {_python(cause, err)}; "
                        "hãy sửa điều kiện rồi thử lại", original)
    if isinstance(spec, ScriptTask):
        line = getattr(err, "line_number", None)
        where = f" (dòng {line})" if line else ""
        return RunError(element_id, name, "script",
                        f"kịch bản của bước '{name}' gặp lỗi{where}: {_python(cause, err)}; hãy sửa kịch bản rồi "
                        "thử lại", original)
    return RunError(element_id, name, "other", f"bước '{name}' không chạy được: {original}", original)


def _python(cause: BaseException | None, err: BaseException) -> str:
    """A Python error in Vietnamese: an unknown name says which field the dossier lacks."""
    error_type = type(cause).__name__ if cause is not None else getattr(err, "error_type", "unknown")
    text = str(cause) if cause is not None else str(err)
    if error_type == "NameError" or "is not defined" in text:
        missing = re.search(r"name '([^']+)' is not defined", text)
        field = missing.group(1) if missing else "?"
        return f"hồ sơ chưa có trường '{field}' (chưa biểu mẫu nào trước đó điền trường này)"
    said = PYTHON_ERRORS.get(error_type)
    return f"{said} ({error_type}: {text})" if said else f"{error_type}: {text}"
