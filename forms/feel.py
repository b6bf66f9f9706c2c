"""A small, safe evaluator for the FEEL subset used in form conditions.

Supported: literals (strings in double or single quotes, numbers, ``true``,
``false``, ``null``), names and dotted paths (``applicant.type``), the
comparisons ``=``, ``!=``, ``<``, ``>``, ``<=``, ``>=``, the connectives
``and`` / ``or``, parentheses and the functions ``not(x)``, ``is empty(x)``,
``is defined(x)`` and ``list contains(list, x)``.

Evaluation follows FEEL's three-valued logic: comparing values of different
types, or ordering ``null``, gives ``null`` (``None``), and ``and`` / ``or``
propagate ``null`` the way FEEL does. Nothing is ever passed to ``eval``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_LENGTH = 2000
MAX_DEPTH = 50

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+(?:\.\d+)?|\.\d+))
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<func>(?:is\s+empty|is\s+defined|list\s+contains|not)(?=\s*\())
  | (?P<name>[^\W\d]\w*(?:\.[^\W\d]\w*)*)
  | (?P<op><=|>=|!=|=|<|>|\(|\)|,|-)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"true": True, "false": False, "null": None}
_RESERVED = {"and", "or", "not", "is", "in", "between", "if", "then", "else", "for", "some", "every"}
_COMPARISONS = {"=", "!=", "<", ">", "<=", ">="}
_ARITY = {"not": 1, "is empty": 1, "is defined": 1, "list contains": 2}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}


class FeelError(ValueError):
    """An expression is outside the supported FEEL subset or is malformed."""


@dataclass(frozen=True)
class _Token:
    """One lexical token: its kind, text and offset in the source."""

    kind: str
    text: str
    pos: int


def _tokenize(source: str) -> list[_Token]:
    """Split ``source`` into tokens, raising :class:`FeelError` on junk."""
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN_RE.match(source, pos)
        if match is None:
            raise FeelError(f"ký tự không hợp lệ {source[pos]!r} ở vị trí {pos + 1}")
        kind = match.lastgroup or ""
        if kind != "space":
            text = match.group()
            if kind == "func":
                text = " ".join(text.split())
            tokens.append(_Token(kind, text, pos))
        pos = match.end()
    return tokens


def _unquote(text: str) -> str:
    """Turn a quoted string token into its value, resolving backslash escapes."""
    body = text[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body, flags=re.DOTALL)


def _number(text: str) -> int | float:
    """Parse a number token into an ``int`` when it has no fraction."""
    return float(text) if "." in text else int(text)


class _Parser:
    """Recursive-descent parser producing nested tuples (the AST)."""

    def __init__(self, tokens: list[_Token]):
        """Start parsing ``tokens`` from the first one."""
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        """Return the next token without consuming it."""
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        """Consume and return the next token."""
        token = self.peek()
        if token is None:
            raise FeelError("biểu thức kết thúc đột ngột")
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        """Consume the next token, which must be the operator ``text``."""
        token = self.take()
        if token.text != text:
            raise FeelError(f"cần {text!r} ở vị trí {token.pos + 1}, gặp {token.text!r}")

    def at_word(self, word: str) -> bool:
        """Tell whether the next token is the bare word ``word``."""
        token = self.peek()
        return token is not None and token.kind == "name" and token.text == word

    def parse(self) -> tuple:
        """Parse a whole expression and make sure nothing is left over."""
        node = self.disjunction()
        token = self.peek()
        if token is not None:
            raise FeelError(f"không hiểu {token.text!r} ở vị trí {token.pos + 1}")
        return node

    def disjunction(self) -> tuple:
        """Parse ``a or b or ...``."""
        node = self.conjunction()
        while self.at_word("or"):
            self.take()
            node = ("or", node, self.conjunction())
        return node

    def conjunction(self) -> tuple:
        """Parse ``a and b and ...``."""
        node = self.comparison()
        while self.at_word("and"):
            self.take()
            node = ("and", node, self.comparison())
        return node

    def comparison(self) -> tuple:
        """Parse an operand optionally followed by one comparison."""
        left = self.primary()
        token = self.peek()
        if token is not None and token.kind == "op" and token.text in _COMPARISONS:
            self.take()
            return ("cmp", token.text, left, self.primary())
        return left

    def primary(self) -> tuple:
        """Parse a literal, a name, a function call or a parenthesised expression."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FeelError("biểu thức lồng nhau quá sâu")
        try:
            return self._primary(self.take())
        finally:
            self.depth -= 1

    def _primary(self, token: _Token) -> tuple:
        """Build the node for the operand starting at ``token``."""
        if token.kind == "number":
            return ("lit", _number(token.text))
        if token.kind == "string":
            return ("lit", _unquote(token.text))
        if token.kind == "func":
            return self.call(token.text)
        if token.kind == "name":
            if token.text in _KEYWORDS:
                return ("lit", _KEYWORDS[token.text])
            if token.text.split(".")[0] in _RESERVED:
                raise FeelError(f"không hỗ trợ từ khoá {token.text!r} ở vị trí {token.pos + 1}")
            return ("var", tuple(token.text.split(".")))
        if token.text == "-":
            following = self.take()
            if following.kind != "number":
                raise FeelError(f"cần một số sau '-' ở vị trí {token.pos + 1}")
            return ("lit", -_number(following.text))
        if token.text == "(":
            node = self.disjunction()
            self.expect(")")
            return node
        raise FeelError(f"không hiểu {token.text!r} ở vị trí {token.pos + 1}")

    def call(self, name: str) -> tuple:
        """Parse the argument list of the built-in function ``name``."""
        self.expect("(")
        args = [self.disjunction()]
        while self.peek() is not None and self.peek().text == ",":
            self.take()
            args.append(self.disjunction())
        self.expect(")")
        if len(args) != _ARITY[name]:
            raise FeelError(f"hàm {name}() cần {_ARITY[name]} tham số, nhận {len(args)}")
        return ("call", name, tuple(args))


def _is_number(value: Any) -> bool:
    """Tell whether ``value`` is a FEEL number (``bool`` is not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same_kind(left: Any, right: Any) -> bool:
    """Tell whether two non-null values may be compared in FEEL."""
    if _is_number(left) and _is_number(right):
        return True
    return type(left) is type(right)


def _equals(left: Any, right: Any) -> bool | None:
    """FEEL equality: ``null`` equals only ``null``; other type mismatches give ``null``."""
    if left is None or right is None:
        return left is None and right is None
    if not _same_kind(left, right):
        return None
    return bool(left == right)


def _compare(op: str, left: Any, right: Any) -> bool | None:
    """Apply one comparison operator with FEEL semantics."""
    if op in ("=", "!="):
        equal = _equals(left, right)
        return equal if equal is None or op == "=" else not equal
    if left is None or right is None or not _same_kind(left, right):
        return None
    if not (_is_number(left) or isinstance(left, str)):
        return None
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]


def _truth(value: Any) -> bool | None:
    """Map a value onto FEEL's three-valued logic (non-booleans count as ``null``)."""
    return value if isinstance(value, bool) else None


def _call(name: str, args: list[Any]) -> Any:
    """Evaluate a built-in function on already evaluated arguments."""
    if name == "not":
        value = _truth(args[0])
        return None if value is None else not value
    if name == "is empty":
        return args[0] is None or args[0] == "" or (isinstance(args[0], list | dict) and not args[0])
    if name == "is defined":
        return args[0] is not None
    container, item = args
    if not isinstance(container, list):
        return None
    return any(_equals(element, item) for element in container)


def _lookup(path: tuple[str, ...], context: Mapping[str, Any]) -> Any:
    """Resolve a dotted name in ``context``; anything missing is ``null``."""
    current: Any = context
    for part in path:
        if not isinstance(current, Mapping) or part not in current:
            return None
        current = current[part]
    return current


def _evaluate(node: tuple, context: Mapping[str, Any]) -> Any:
    """Evaluate an AST node against ``context``."""
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "var":
        return _lookup(node[1], context)
    if kind == "cmp":
        return _compare(node[1], _evaluate(node[2], context), _evaluate(node[3], context))
    if kind == "call":
        return _call(node[1], [_evaluate(arg, context) for arg in node[2]])
    left = _truth(_evaluate(node[1], context))
    right = _truth(_evaluate(node[2], context))
    if kind == "and":
        return False if False in (left, right) else (True if left and right else None)
    return True if True in (left, right) else (False if left is False and right is False else None)


def _names(node: tuple) -> set[str]:
    """Collect the dotted names an AST node refers to."""
    if node[0] == "var":
        return {".".join(node[1])}
    if node[0] == "lit":
        return set()
    children = node[2] if node[0] == "call" else node[1:]
    found: set[str] = set()
    for child in children:
        if isinstance(child, tuple):
            found |= _names(child)
    return found


@dataclass(frozen=True)
class Expression:
    """A parsed FEEL expression; build it with :func:`compile_expression`."""

    source: str
    tree: tuple

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        """Evaluate the expression against ``context`` (a mapping of names to values)."""
        return _evaluate(self.tree, context)

    def is_true(self, context: Mapping[str, Any]) -> bool:
        """Tell whether the expression evaluates to exactly ``true``."""
        return self.evaluate(context) is True

    def names(self) -> set[str]:
        """Return the (dotted) variable names the expression reads."""
        return _names(self.tree)


def compile_expression(source: str) -> Expression:
    """Parse a FEEL expression, with or without its leading ``=``.

    Raises :class:`FeelError` (in Vietnamese) when the text is malformed or uses
    FEEL outside the supported subset.
    """
    if not isinstance(source, str):
        raise FeelError(f"biểu thức phải là chuỗi, nhận {type(source).__name__}")
    text = source.strip()
    if text.startswith("="):
        text = text[1:]
    if not text.strip():
        raise FeelError("biểu thức rỗng")
    if len(text) > MAX_LENGTH:
        raise FeelError(f"biểu thức dài quá {MAX_LENGTH} ký tự")
    return Expression(source, _Parser(_tokenize(text)).parse())
