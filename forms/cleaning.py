"""Reading submitted values: lookup by path, HTML-form coercion, visibility.

Empty values (``None``, ``""`` and ``[]``) count as missing everywhere: they
make a required field fail and never appear in cleaned data.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from .feel import Expression
from .model import MULTI_CHOICE_TYPES, SINGLE_CHOICE_TYPES, TEXT_TYPES, FormField


class _Missing:
    """Marker for a value that is absent from the submitted data."""

    def __repr__(self) -> str:
        """Show the marker readably in debug output."""
        return "MISSING"


MISSING: Any = _Missing()
TRUE_WORDS = frozenset({"on", "true", "1", "yes", "có"})
FALSE_WORDS = frozenset({"off", "false", "0", "no", "không", ""})
_INTEGER_RE = re.compile(r"[+-]?\d+")
_DECIMAL_RE = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?")


def is_empty(value: Any) -> bool:
    """Tell whether ``value`` counts as "not filled in"."""
    return value is None or value is MISSING or value == "" or (isinstance(value, list) and not value)


def lookup(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """Return the value at ``path`` in nested ``data`` (or under the flat dotted key).

    Returns :data:`MISSING` when there is no such value.
    """
    current: Any = data
    for part in path:
        if not isinstance(current, Mapping) or part not in current:
            break
        current = current[part]
    else:
        return current
    dotted = ".".join(path)
    return data[dotted] if len(path) > 1 and dotted in data else MISSING


def assign(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set ``value`` at ``path`` in ``target``, copying (never mutating) nested mappings."""
    node = target
    for part in path[:-1]:
        child = node.get(part)
        node[part] = dict(child) if isinstance(child, Mapping) else {}
        node = node[part]
    node[path[-1]] = value


def remove(target: dict[str, Any], path: tuple[str, ...]) -> None:
    """Delete the value at ``path`` in ``target`` if present (copying nested mappings)."""
    node = target
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, Mapping):
            return
        node[part] = dict(child)
        node = node[part]
    node.pop(path[-1], None)


def _text(value: Any) -> Any:
    """Normalise a string to Unicode NFC (Vietnamese may arrive decomposed)."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _single(value: Any) -> Any:
    """Unwrap a one-element list, as multi-value form parsers produce."""
    if isinstance(value, list | tuple):
        return value[0] if len(value) == 1 else (MISSING if not value else list(value))
    return value


def _number(value: Any) -> Any:
    """Parse a number from a string; leave anything unparseable unchanged."""
    if not isinstance(value, str):
        return value
    text = value.replace(" ", "").replace("\u00a0", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if _INTEGER_RE.fullmatch(text):
        return int(text)
    if _DECIMAL_RE.fullmatch(text) and math.isfinite(float(text)):
        return float(text)
    return value


def _checkbox(value: Any) -> Any:
    """Read an HTML checkbox: absent means unchecked; "on"/"true"/"1" mean checked."""
    value = _single(value)
    if value is MISSING or value is None:
        return False
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    return value


def _option(f: FormField, value: Any) -> Any:
    """Map a submitted string onto the allowed option it spells (e.g. ``"3"`` -> ``3``)."""
    if not isinstance(value, str):
        return value
    for allowed in f.allowed_values():
        if isinstance(allowed, str):
            if _text(allowed) == value:
                return allowed
        elif str(allowed).lower() == value.lower():
            return allowed
    return value


def _many(f: FormField, value: Any, *, options: bool) -> Any:
    """Read a list of strings that may also arrive as one string; drop blanks and repeats."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return value
    result: list[Any] = []
    for item in value:
        if isinstance(item, str):
            item = _text(item.strip())
            if not item:
                continue
        item = _option(f, item) if options else item
        if item not in result:
            result.append(item)
    return result


def coerce_value(f: FormField, value: Any) -> Any:
    """Convert a value submitted by an HTML form into the type the field expects."""
    if f.type == "checkbox":
        return _checkbox(value)
    if value is MISSING or f.type == "dynamiclist":
        return value
    if f.type in MULTI_CHOICE_TYPES or f.type == "filepicker":
        return _many(f, value, options=f.type != "filepicker")
    value = _single(value)
    if isinstance(value, str):
        value = _text(value.strip())
    if f.type == "number":
        return _number(value)
    if f.type in SINGLE_CHOICE_TYPES:
        return _option(f, value)
    return value


def read_value(f: FormField, data: Mapping[str, Any], *, coerce: bool) -> Any:
    """Return the field's cleaned input value from ``data``, or :data:`MISSING`."""
    value = lookup(data, f.path)
    if coerce:
        value = coerce_value(f, value)
    elif f.type in TEXT_TYPES:
        value = _text(value)
    return MISSING if is_empty(value) else value


def _applies(
    source: str | None, expressions: Mapping[str, Expression | None], scope: Mapping[str, Any]
) -> bool:
    """Tell whether a FEEL expression is known and evaluates to true in ``scope``."""
    expression = expressions.get(source) if source else None
    return expression is not None and expression.is_true(scope)


def active_fields(
    fields: Iterable[FormField],
    values: Mapping[str, Any],
    expressions: Mapping[str, Expression | None],
    context: Mapping[str, Any] | None = None,
) -> tuple[list[FormField], set[str]]:
    """Decide which fields take input: return ``(active fields, hidden keys)``.

    Conditions see ``context`` overlaid with the submitted ``values``. As in
    form-js, fields are visited in form order and the value of a field found
    hidden (or read-only) is removed before later conditions are evaluated.
    Disabled and read-only fields are not active; hidden ones are neither
    active nor visible.
    """
    scope: dict[str, Any] = dict(context or {})
    for f in fields:
        if f.key in values:
            assign(scope, f.path, values[f.key])
    active: list[FormField] = []
    hidden: set[str] = set()
    for f in fields:
        if any(_applies(source, expressions, scope) for source in f.hide_expressions):
            hidden.add(f.key)
        elif not (f.disabled or f.readonly is True or _applies(_as_source(f.readonly), expressions, scope)):
            active.append(f)
            continue
        if f.key in values:
            remove(scope, f.path)
    return active, hidden


def _as_source(readonly: bool | str) -> str | None:
    """Return ``readonly`` when it is a FEEL expression string."""
    return readonly if isinstance(readonly, str) else None
