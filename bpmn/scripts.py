"""Conditions and scripts inside BPMN, checked and run restricted (RestrictedPython), never plain exec.

Every evaluation runs within the bounds of bpmn.script_limits (lines, seconds, value sizes, data size),
and whatever it raises reaches SpiffWorkflow as an ordinary error: a SystemExit or KeyboardInterrupt
from a script never leaves it as such.
"""
from __future__ import annotations

import ast
import operator
from functools import lru_cache
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence, safer_getattr
from RestrictedPython.transformer import RestrictingNodeTransformer
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from bpmn.script_limits import (
    CHECKS,
    SCRIPT_FILENAME,
    Budget,
    ScriptBudgetExceeded,
    bound_method,
    check_data,
    check_inplace,
    guarded_binop,
    guarded_pow,
    guarded_range,
    unbounded_problems,
)

FORBIDDEN_NAMES = frozenset({
    "open", "exec", "eval", "compile", "__import__", "getattr", "setattr", "delattr", "globals",
    "locals", "vars", "input", "breakpoint", "exit", "quit", "help", "memoryview", "type", "object",
    "BaseException", "SystemExit", "KeyboardInterrupt", "GeneratorExit",
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
    problems += unbounded_problems(tree)
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


def evaluate(source: str, context: dict[str, Any], failed: Any = None) -> Any:
    """The value of a condition in the restricted Python with `context` as its variables; `failed` when it
    does not compile or raises (the checks use it to try a gateway's conditions on a field's options)."""
    compiled = _compile(source, "eval")
    if compiled.errors or compiled.code is None:
        return failed
    try:
        return eval(compiled.code, _globals(dict(context)))  # noqa: S307 - restricted code, guarded globals
    except Exception:  # noqa: BLE001 - any failure means "cannot tell", not a crash of the check
        return failed


class BoundedTransformer(RestrictingNodeTransformer):
    """RestrictedPython's checks, and the operators that can build big values turned into guarded calls."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        node = self.node_contents_visit(node)
        name = type(node.op).__name__
        if name not in CHECKS:
            return node
        call = ast.Call(func=ast.Name("_binop_", ast.Load()), args=[ast.Constant(name), node.left, node.right],
                        keywords=[])
        return ast.fix_missing_locations(ast.copy_location(call, node))


@lru_cache(maxsize=4096)
def _compile(source: str, mode: str):
    compile_ = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    return compile_(source, SCRIPT_FILENAME, policy=BoundedTransformer)


@lru_cache(maxsize=1)
def _restricted_builtins() -> dict[str, Any]:
    builtins = dict(safe_builtins)
    builtins.update(EXTRA_BUILTINS)
    for name in FORBIDDEN_NAMES:
        builtins.pop(name, None)
    builtins.update(range=guarded_range, pow=guarded_pow)
    return builtins


def _getattr(obj: Any, name: str, default: Any = None, getattr=safer_getattr) -> Any:  # noqa: A002
    return bound_method(obj, name, getattr(obj, name, default))


def _globals(context: dict[str, Any]) -> dict[str, Any]:
    env = {
        "__builtins__": _restricted_builtins(),
        "_getattr_": _getattr,
        "_binop_": guarded_binop,
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
    check_inplace(op, x, y)
    return INPLACE_OPERATORS[op](x, y)


class ScriptRefused(Exception):
    """A script or condition that breaks the restricted language."""


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates conditions and runs scripts over task data with RestrictedPython."""

    def evaluate(self, expression: str, context: dict, external_context: dict | None = None) -> Any:
        compiled = self._checked(expression, "eval")
        env = _globals({**(external_context or {}), **context})
        return _bounded(lambda: eval(compiled.code, env))  # noqa: S307 (restricted code)

    def execute(self, script: str, context: dict, external_context: dict | None = None) -> bool:
        compiled = self._checked(script, "exec")
        env = _globals({**(external_context or {}), **context})
        keys_before = set(env)
        _bounded(lambda: exec(compiled.code, env))  # noqa: S102 (restricted code)
        changed = [key for key, value in env.items() if not key.startswith("_") and not callable(value)
                   and (key in context or key not in keys_before)]
        check_data(env, changed)
        for key in changed:
            context[key] = env[key]
        return True

    @staticmethod
    def _checked(source: str, mode: str):
        refused = _refusal(source, mode)
        if refused:
            raise ScriptRefused(refused)
        return _compile(source, mode)


@lru_cache(maxsize=4096)
def _refusal(source: str, mode: str) -> str:
    """Why a condition or script of a running diagram may not run ("" when it may), checked once per process:
    a gateway's condition is evaluated at every step that passes it, and its source does not change."""
    return "; ".join(script_problems(source, mode))


def _bounded(run):
    """Run restricted code within the budget; an escape such as SystemExit comes back as a script error."""
    try:
        with Budget():
            return run()
    except (ScriptRefused, ScriptBudgetExceeded):
        raise
    except Exception:
        raise
    except BaseException as err:  # noqa: BLE001 - SystemExit, KeyboardInterrupt, GeneratorExit from a script
        raise ScriptRefused(f"kịch bản dừng bất thường ({type(err).__name__})") from None


class RestrictedScriptEngine(PythonScriptEngine):
    """SpiffWorkflow's script engine over the restricted environment."""

    def __init__(self) -> None:
        super().__init__(environment=RestrictedEnvironment())
