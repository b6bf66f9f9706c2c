"""Conditions and scripts inside BPMN, checked and run restricted (RestrictedPython), never plain exec."""
from __future__ import annotations

import ast
import operator
from functools import lru_cache
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence, safer_getattr
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

FORBIDDEN_NAMES = frozenset({
    "open", "exec", "eval", "compile", "__import__", "getattr", "setattr", "delattr", "globals",
    "locals", "vars", "input", "breakpoint", "exit", "quit", "help", "memoryview", "type", "object",
})
EXTRA_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in ("min", "max", "sum", "any", "all", "sorted", "enumerate", "list", "dict", "set",
                 "reversed", "map", "filter")
}


def script_problems(source: str, mode: str = "eval") -> list[str]:
    """Why `source` may not run inside a diagram (empty when it may): syntax, imports, dunders, I/O."""
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as err:
        return [f"lỗi cú pháp ở dòng {err.lineno}: {err.msg}"]
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            problems.append("không được import module")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            problems.append(f"không được truy cập thuộc tính '{node.attr}'")
        elif isinstance(node, ast.Attribute) and node.attr in ("format", "format_map"):
            problems.append(f"không được dùng '.{node.attr}()'; hãy dùng f-string, ví dụ f\"{{ho_ten}}\"")
        elif isinstance(node, ast.Name) and (node.id.startswith("__") or node.id in FORBIDDEN_NAMES):
            problems.append(f"không được dùng '{node.id}'")
        elif isinstance(node, (ast.Global, ast.Nonlocal, ast.Lambda, ast.AsyncFunctionDef, ast.ClassDef)):
            problems.append(f"không được dùng {type(node).__name__}")
    if not problems:
        compiled = _compile(source, mode)
        problems.extend(compiled.errors)
    return sorted(set(problems))


def names_read(source: str) -> set[str]:
    """The variable names an expression or script reads (for checking decision fields exist)."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        tree = ast.parse(source, mode="exec")
    assigned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return loaded - assigned - set(_restricted_builtins())


@lru_cache(maxsize=4096)
def _compile(source: str, mode: str):
    return compile_restricted_eval(source) if mode == "eval" else compile_restricted_exec(source)


@lru_cache(maxsize=1)
def _restricted_builtins() -> dict[str, Any]:
    builtins = dict(safe_builtins)
    builtins.update(EXTRA_BUILTINS)
    for name in FORBIDDEN_NAMES:
        builtins.pop(name, None)
    return builtins


def _globals(context: dict[str, Any]) -> dict[str, Any]:
    env = {
        "__builtins__": _restricted_builtins(),
        "_getattr_": safer_getattr,
        "_getitem_": default_guarded_getitem,
        "_getiter_": default_guarded_getiter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": lambda obj: obj,
        "_inplacevar_": _inplacevar,
    }
    env.update(context)
    return env


INPLACE_OPERATORS = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow, "|=": operator.ior,
    "&=": operator.iand, "^=": operator.ixor,
}


def _inplacevar(op: str, x: Any, y: Any) -> Any:
    if op not in INPLACE_OPERATORS:
        raise ScriptRefused(f"phép toán {op} không được phép")
    return INPLACE_OPERATORS[op](x, y)


class ScriptRefused(Exception):
    """A script or condition that breaks the restricted language."""


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates conditions and runs scripts over task data with RestrictedPython."""

    def evaluate(self, expression: str, context: dict, external_context: dict | None = None) -> Any:
        compiled = self._checked(expression, "eval")
        return eval(compiled.code, _globals({**(external_context or {}), **context}))  # noqa: S307 (restricted code)

    def execute(self, script: str, context: dict, external_context: dict | None = None) -> bool:
        compiled = self._checked(script, "exec")
        env = _globals({**(external_context or {}), **context})
        keys_before = set(env)
        exec(compiled.code, env)  # noqa: S102 (restricted code)
        for key, value in env.items():
            if key.startswith("_") or callable(value):
                continue
            if key in context or key not in keys_before:
                context[key] = value
        return True

    @staticmethod
    def _checked(source: str, mode: str):
        problems = script_problems(source, mode)
        if problems:
            raise ScriptRefused("; ".join(problems))
        return _compile(source, mode)


class RestrictedScriptEngine(PythonScriptEngine):
    """SpiffWorkflow's script engine over the restricted environment."""

    def __init__(self) -> None:
        super().__init__(environment=RestrictedEnvironment())
