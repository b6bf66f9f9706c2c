"""Camunda 7's JUEL conditions of the common shapes, translated to our restricted Python at parse time.

Translated: `${approved}`, `${!approved}`, `${amount > 1000}`, `${x == 'y'}`, `&&`, `||`, `!`, `and`, `or`,
`not`, `eq ne lt gt le ge`, `empty x` / `not empty x`, `true false null`, numbers, quoted strings,
parentheses and `+ - * / %` (`div`, `mod`). Anything else (method calls, `execution`, properties `a.b`,
`a ? b : c`, `[ ]`) is refused with what to write instead: nothing is guessed.
"""
from __future__ import annotations

import re

TOKEN = re.compile(r"""\s+|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|&&|\|\||[<>!()+\-*/%]""")
WORDS = {"and": "and", "or": "or", "not": "not", "eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=",
         "ge": ">=", "true": "True", "false": "False", "null": "None", "div": "/", "mod": "%"}
SYMBOLS = {"&&": "and", "||": "or", "!": "not"}
RESERVED = {"instanceof", "execution", "task", "authenticatedUserId"}
SUPPORTED = ("${approved}, ${!approved}, ${amount > 1000}, ${x == 'y'}, &&, ||, empty")


def is_juel(text: str | None) -> bool:
    """Whether an expression is written in Camunda's JUEL (`${…}` or `#{…}`)."""
    source = (text or "").strip()
    return source.startswith(("${", "#{")) and source.endswith("}")


def to_python(text: str) -> str | None:
    """The restricted-Python expression of a JUEL condition of a common shape; None for anything else."""
    source = text.strip()
    if not is_juel(source):
        return None
    body, out, pos = source[2:-1], [], 0
    while pos < len(body):
        match = TOKEN.match(body, pos)
        if match is None:
            return None
        token, pos = match.group(0), match.end()
        if token.isspace():
            continue
        if token == "empty":
            out.append("not")
        elif token in WORDS:
            out.append(WORDS[token])
        elif token in SYMBOLS:
            out.append(SYMBOLS[token])
        elif token in RESERVED:
            return None
        else:
            out.append(token)
    if not out or _followed_by_call(body):
        return None
    return " ".join(out)


def _followed_by_call(body: str) -> bool:
    return any(m.group(1) not in WORDS and m.group(1) != "empty"
               for m in re.finditer(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(", body))


def refusal(text: str) -> str:
    """What to say about a JUEL expression beyond the common shapes."""
    return (f"biểu thức JUEL '{text.strip()}' vượt quá các dạng thường gặp được tự chuyển ({SUPPORTED}); "
            "hãy viết biểu thức Python, ví dụ intake_decision == 'receive'")


def translate_conditions(root) -> None:
    """Rewrite the JUEL conditions and timer expressions of a parsed diagram to Python in place (those that
    translate; the checks refuse the others)."""
    bpmn_ns = "http://www.omg.org/spec/BPMN/20100524/MODEL"
    tags = ("conditionExpression", "condition", "completionCondition", "timeDate", "timeDuration", "timeCycle")
    for el in root.iter(*(f"{{{bpmn_ns}}}{tag}" for tag in tags)):
        python = to_python(el.text or "") if is_juel(el.text) else None
        if python is not None:
            el.text = python
