"""Bounds on what a BPMN script or condition may cost: lines run, seconds, and the size of what it builds.

Nothing an analyst writes may stop the site. Three layers:

- At check (`unbounded_problems`): constructs that can only hang or fill memory are refused by
  name: `while True`, a power or shift with a large literal exponent (`9**9**9`), a literal
  sequence multiplied by a large literal (`'a' * 10**9`), huge format widths.
- At run (`Budget`): every evaluation counts the lines its code runs (a trace on the script's own
  frames only) and stops at MAX_LINES or MAX_SECONDS with a ScriptBudgetExceeded; the operators
  that build big values (`+ * ** <<`, `%` on text, `range`, the padding and joining methods of
  text) go through guards that refuse a result over MAX_ITEMS items or MAX_INT_BITS bits before it
  is built; and what a script leaves in the workflow data is capped at MAX_DATA_BYTES.
- The studio's test-run runs in a child process with CPU and memory limits
  (engine.catalogue.sandbox_process), so even what slips past the guards ends there.
"""
from __future__ import annotations

import ast
import contextvars
import operator
import re
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

SCRIPT_FILENAME = "<bpmn-script>"
MAX_LINES = 200_000
MAX_SECONDS = 2.0
MAX_ITEMS = 1_000_000       # characters of a text, items of a list/tuple
MAX_INT_BITS = 100_000      # about 30,000 decimal digits
MAX_RANGE = 100_000
MAX_DATA_BYTES = 1_000_000  # what one script may leave in a task's data (JSON-sized)
MAX_MEMORY_GROWTH = 256 * 1024 * 1024  # growth of the process's peak memory during one evaluation
MAX_ENGINE_STEPS = 5_000    # automatic steps (scripts, gateways) in one run without a user task
SEQUENCES = (str, bytes, list, tuple)
WIDTH = re.compile(r"%[-+ #0]*(\*|\d{7,})|%[-+ #0]*\d*\.(\*|\d{7,})")


class ScriptBudgetExceeded(Exception):
    """A script or condition ran too long or would build a value too big."""


def _refuse(what: str) -> ScriptBudgetExceeded:
    return ScriptBudgetExceeded(f"biểu thức vượt giới hạn: {what}")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, SEQUENCES) else 0


def _int_bits(value: Any) -> int:
    return abs(value).bit_length() if isinstance(value, int) and not isinstance(value, bool) else 0


def _check_add(left: Any, right: Any) -> None:
    if _size(left) + _size(right) > MAX_ITEMS:
        raise _refuse(f"kết quả dài quá {MAX_ITEMS:,} phần tử")


def _check_mul(left: Any, right: Any) -> None:
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, SEQUENCES) and isinstance(count, int) and _size(seq) * max(count, 0) > MAX_ITEMS:
            raise _refuse(f"kết quả dài quá {MAX_ITEMS:,} phần tử")


def _check_pow(base: Any, exponent: Any) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0 \
            and _int_bits(base) * exponent > MAX_INT_BITS:
        raise _refuse("số quá lớn")


def _check_lshift(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int) and left and _int_bits(left) + right > MAX_INT_BITS:
        raise _refuse("số quá lớn")


def _check_mod(left: Any, _right: Any) -> None:
    if isinstance(left, (str, bytes)) and WIDTH.search(left if isinstance(left, str) else left.decode("latin-1")):
        raise _refuse("độ rộng định dạng quá lớn")


CHECKS: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], None]]] = {
    "Add": (operator.add, _check_add), "Mult": (operator.mul, _check_mul), "Pow": (operator.pow, _check_pow),
    "LShift": (operator.lshift, _check_lshift), "Mod": (operator.mod, _check_mod),
}
INPLACE = {"+=": "Add", "*=": "Mult", "**=": "Pow", "<<=": "LShift", "%=": "Mod"}


def guarded_binop(name: str, left: Any, right: Any) -> Any:
    """`left <op> right` for the operators of CHECKS, refused before a too big result is built."""
    apply, check = CHECKS[name]
    check(left, right)
    return apply(left, right)


def check_inplace(op: str, left: Any, right: Any) -> None:
    """The same guard for `x += y`, `x *= y`, …"""
    if op in INPLACE:
        CHECKS[INPLACE[op]][1](left, right)


def guarded_range(*args: int) -> range:
    """`range` up to MAX_RANGE numbers."""
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise _refuse(f"range quá {MAX_RANGE:,} số")
    return values


def guarded_pow(base: Any, exponent: Any, modulo: Any = None) -> Any:
    """`pow`; without a modulo, refused when the result would be too big."""
    if modulo is not None:
        return pow(base, exponent, modulo)
    _check_pow(base, exponent)
    return pow(base, exponent)


def _width_method(method: Callable, position: int = 0) -> Callable:
    def bounded(*args: Any, **kwargs: Any) -> Any:
        width = args[position] if len(args) > position else next(iter(kwargs.values()), 0)
        if isinstance(width, int) and width > MAX_ITEMS:
            raise _refuse("độ rộng quá lớn")
        return method(*args, **kwargs)
    return bounded


def _join(method: Callable, separator: str) -> Callable:
    def bounded(items: Iterable) -> Any:
        items = list(items)
        if sum(_size(i) for i in items) + len(separator) * len(items) > MAX_ITEMS:
            raise _refuse(f"kết quả dài quá {MAX_ITEMS:,} phần tử")
        return method(items)
    return bounded


def _replace(text: str) -> Callable:
    def bounded(old: str, new: str, count: int = -1) -> str:
        hits = text.count(old) if old else len(text) + 1
        if isinstance(new, str) and len(text) + hits * max(len(new) - len(old), 0) > MAX_ITEMS:
            raise _refuse(f"kết quả dài quá {MAX_ITEMS:,} phần tử")
        return text.replace(old, new, count)
    return bounded


def bound_method(obj: Any, name: str, value: Any) -> Any:
    """Text methods that can build a huge text, wrapped with their guard; anything else as it is."""
    if not isinstance(obj, (str, bytes)):
        return value
    if name in ("ljust", "rjust", "center", "zfill"):
        return _width_method(value)
    if name == "expandtabs":
        return _width_method(lambda size=8: obj.expandtabs(size) if len(obj) * size <= MAX_ITEMS
                             else (_ for _ in ()).throw(_refuse("độ rộng quá lớn")))
    if name == "join":
        return _join(value, obj)
    if name == "replace" and isinstance(obj, str):
        return _replace(obj)
    return value


_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("motcua_script_deadline", default=None)


class deadline:  # noqa: N801 - used as a context manager, like contextlib's
    """Every script, condition and automatic step run inside stops `seconds` from now at the latest
    (the scheduler gives each dossier's job one)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self) -> deadline:
        self.token = _DEADLINE.set(time.monotonic() + self.seconds)
        return self

    def __exit__(self, *exc: object) -> None:
        _DEADLINE.reset(self.token)


def _outer_deadline(own: float) -> float:
    outer = _DEADLINE.get()
    return own if outer is None else min(own, outer)


class StepBudget:
    """Counts automatic steps of one engine run (will_complete_task of do_engine_steps): a diagram that
    loops through scripts and gateways without ever waiting stops with ScriptBudgetExceeded."""

    def __init__(self, steps: int = MAX_ENGINE_STEPS) -> None:
        self.steps, self.count = steps, 0
        self.deadline = _DEADLINE.get()

    def __call__(self, _task: object = None) -> None:
        self.count += 1
        if self.count > self.steps:
            raise _refuse(f"quá {self.steps:,} bước tự động liên tiếp; sơ đồ lặp mà không dừng ở bước nào")
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise _refuse("hết thời gian dành cho hồ sơ này")


def _peak_memory() -> int:
    """The process's peak resident memory in bytes (only ever grows; cheap enough to ask often)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


class Budget:
    """Counts the lines that script frames run; past MAX_LINES or MAX_SECONDS each next line raises."""

    def __init__(self, lines: int = MAX_LINES, seconds: float = MAX_SECONDS) -> None:
        self.lines, self.seconds, self.count, self.deadline = lines, seconds, 0, 0.0

    def __enter__(self) -> Budget:
        self.previous = sys.gettrace()
        self.peak = _peak_memory()
        self.deadline = _outer_deadline(time.monotonic() + self.seconds)
        sys.settrace(self._call)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.settrace(self.previous)

    def _call(self, frame, event: str, _arg):
        if frame.f_code.co_filename != SCRIPT_FILENAME:
            return None
        return self._line

    def _line(self, _frame, _event: str, _arg):
        self.count += 1
        if self.count > self.lines:
            raise _refuse(f"chạy quá {self.lines:,} dòng lệnh")
        if self.count % 256 == 0:
            if time.monotonic() > self.deadline:
                raise _refuse("chạy quá thời gian cho phép")
            if _peak_memory() - self.peak > MAX_MEMORY_GROWTH:
                raise _refuse(f"dùng thêm quá {MAX_MEMORY_GROWTH // 2**20} MB bộ nhớ")
        return self._line


def data_size(value: Any, limit: int = MAX_DATA_BYTES) -> int:
    """About how many bytes `value` takes as JSON; stops counting once past `limit`."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, dict):
            total += 2 + sum(_size(k) + 4 for k in item)
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            total += 2 + len(item)
            stack.extend(item)
        elif isinstance(item, (str, bytes)):
            total += len(item) + 2
        else:
            total += 8 + _int_bits(item) // 3
    return total


def check_data(context: dict[str, Any], keys: Iterable[str]) -> None:
    """ScriptBudgetExceeded when the values a script left under `keys` are too big for the workflow data."""
    if data_size([context[k] for k in keys]) > MAX_DATA_BYTES:
        raise _refuse(f"dữ liệu của bước vượt {MAX_DATA_BYTES // 1000:,} KB")


def _literal(node: ast.AST) -> Any:
    """The value of a literal arithmetic expression (small ones only), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, str, bytes)):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [0] * len(node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Pow, ast.Mult, ast.Add, ast.LShift)):
        left, right = _literal(node.left), _literal(node.right)
        if left is None or right is None:
            return None
        try:
            guarded_binop(type(node.op).__name__, left, right)
        except (ScriptBudgetExceeded, TypeError):
            return _HUGE
        return CHECKS[type(node.op).__name__][0](left, right)
    return None


_HUGE = object()


def unbounded_problems(tree: ast.AST) -> list[str]:
    """Constructs that can only hang or exhaust memory: refused when the diagram is checked."""
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.While) and isinstance(node.test, ast.Constant) and node.test.value:
            problems.append("không được dùng vòng lặp vô hạn (while True)")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Pow, ast.LShift)) \
                and _literal(node.right) is _HUGE:
            problems.append("số mũ quá lớn")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Pow, ast.LShift, ast.Mult)) \
                and _literal(node) is _HUGE:
            problems.append("biểu thức tạo giá trị quá lớn")
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None and (
                any(isinstance(v, ast.FormattedValue) for v in node.format_spec.values)
                or any(isinstance(v, ast.Constant) and re.search(r"\d{7,}", str(v.value))
                       for v in node.format_spec.values)):
            problems.append("độ rộng định dạng quá lớn hoặc không cố định")
        elif isinstance(node, ast.ExceptHandler) and (node.type is None or (
                isinstance(node.type, ast.Name) and node.type.id == "BaseException")):
            problems.append("không được bắt mọi ngoại lệ (except:); hãy ghi rõ loại lỗi")
    return problems
