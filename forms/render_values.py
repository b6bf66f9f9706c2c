"""Values around the rendered form: human text, visibility and reading a submitted request.

Used by :mod:`forms.render`; the public names are re-exported there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .cleaning import MISSING, TRUE_WORDS, assign, coerce_value, is_empty, lookup, read_value
from .feel import FeelError, compile_expression
from .formjs import FormDefinition
from .model import CHOICE_TYPES, MULTI_CHOICE_TYPES, FormField

YES = "Có"
NO = "Không"
_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})")
_TIME_RE = re.compile(r"(\d{2}):(\d{2})")
_MAX_ITEMS = 500


def value_text(value: Any) -> str:
    """Return the text an HTML control carries for ``value`` (``True`` -> ``"true"``)."""
    if value is None or value is MISSING:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def is_checked(value: Any) -> bool:
    """Tell whether a checkbox value means "checked" (``True``, ``"true"``, ``"on"``, ...)."""
    if isinstance(value, list | tuple):
        value = value[0] if len(value) == 1 else None
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return value is True


def chosen_texts(value: Any) -> set[str]:
    """Return the option texts selected by a single or multiple choice ``value``."""
    if is_empty(value):
        return set()
    items = value if isinstance(value, list | tuple) else [value]
    return {value_text(item) for item in items if not is_empty(item)}


def normalise_options(raw: Any) -> list[dict] | None:
    """Turn options found in data (``[{label, value}]`` or plain values) into ``[{label, value}]``."""
    if not isinstance(raw, list):
        return None
    options = []
    for item in raw:
        if isinstance(item, Mapping) and "value" in item:
            label = item.get("label", item["value"])
            options.append({"label": value_text(label), "value": item["value"]})
        elif isinstance(item, str | int | float | bool):
            options.append({"label": value_text(item), "value": item})
    return options


def options_of(f: FormField, data: Mapping[str, Any] | None) -> list[dict] | None:
    """Return a choice field's options: static ones, or those under its ``valuesKey`` in ``data``."""
    if f.values is not None:
        return f.values
    values_key = f.component.get("valuesKey")
    if isinstance(values_key, str) and values_key and data is not None:
        found = lookup(data, tuple(values_key.split(".")))
        return normalise_options(found) if found is not MISSING else None
    return None


def format_number(value: Any) -> str:
    """Write a number the Vietnamese way: ``1.234.567,5``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value_text(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.6f}".rstrip("0").rstrip(".")
    return text.translate(str.maketrans({",": ".", ".": ","}))


def format_datetime(value: Any, subtype: str | None) -> str:
    """Write a form-js date / time / date-time value as ``dd/mm/yyyy`` and ``HH:MM``."""
    text = value_text(value)
    if subtype == "time":
        match = _TIME_RE.match(text)
        return f"{match.group(1)}:{match.group(2)}" if match else text
    match = _DATETIME_RE.match(text) if subtype == "datetime" else None
    if match:
        year, month, day, hour, minute = match.groups()
        return f"{day}/{month}/{year} {hour}:{minute}"
    match = _DATE_RE.match(text)
    return f"{match.group(3)}/{match.group(2)}/{match.group(1)}" if match else text


def describe_plain(value: Any) -> str:
    """Human text of a value whose field is unknown."""
    if is_empty(value):
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, list | tuple):
        return ", ".join(text for text in (describe_plain(item) for item in value) if text)
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {describe_plain(item)}" for key, item in value.items())
    return str(value)


def describe_field(f: FormField, value: Any, options: list[dict] | None = None) -> str:
    """Human text of ``value`` stored for field ``f`` (``options`` for data-driven choices)."""
    if f.type == "checkbox":
        return YES if is_checked(value) else NO
    if is_empty(value):
        return ""
    if f.type in CHOICE_TYPES:
        labels = {value_text(o["value"]): value_text(o["label"]) for o in options or f.values or []}
        items = value if isinstance(value, list | tuple) else [value]
        return ", ".join(labels.get(value_text(item), describe_plain(item)) for item in items)
    if f.type == "number":
        return format_number(value)
    if f.type == "datetime":
        return format_datetime(value, f.subtype)
    if f.type == "dynamiclist" and isinstance(value, list):
        return f"{len(value)} mục"
    return describe_plain(value)


def describe_value(form: FormDefinition, key: str, value: Any) -> str:
    """Return the human text of a stored ``value`` of field ``key``.

    A radio/select/checklist/taglist value is shown by its option label (lists
    joined with ", "), a checkbox as "Có"/"Không", a number as ``1.234.567``, a
    date as ``dd/mm/yyyy``; an empty value gives ``""`` and an unknown key the
    value's plain text.
    """
    f = form.field(key)
    return describe_field(f, value) if f is not None else describe_plain(value)


def visible_state(
    form: FormDefinition, values: Mapping[str, Any] | None, context: Mapping[str, Any] | None = None
) -> dict[str, bool]:
    """Return ``{field key: shown?}``: whether each input field is visible for ``values``.

    Hide conditions are evaluated like :meth:`FormDefinition.validate` does
    (values read as from an HTML form); without ``values`` every field is shown.
    """
    if values is None:
        return {f.key: True for f in form.fields}
    shown = set(form.visible_keys(values, coerce=True, context=context))
    return {f.key: f.key in shown for f in form.fields}


def condition_scope(
    form: FormDefinition, values: Mapping[str, Any], context: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Return the variables FEEL conditions see: ``context`` overlaid with ``values`` read field by field
    as from an HTML form."""
    scope: dict[str, Any] = dict(context or {})
    for f in form.fields:
        value = read_value(f, values, coerce=True)
        if value is not MISSING:
            assign(scope, f.path, value)
    return scope


def condition_holds(form: FormDefinition, source: str | None, scope: Mapping[str, Any]) -> bool:
    """Tell whether the FEEL expression ``source`` is true in ``scope`` (unparseable: false)."""
    if not source:
        return False
    expression = form.expressions.get(source)
    if expression is None and source not in form.expressions:
        try:
            expression = compile_expression(source)
        except FeelError:
            return False
    return expression is not None and expression.is_true(scope)


def _get_list(data: Any, name: str) -> list:
    """All values submitted under ``name`` (a Werkzeug MultiDict or a plain mapping)."""
    if hasattr(data, "getlist"):
        return list(data.getlist(name))
    value = data.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _submitted(f: FormField, data: Any, name: str) -> Any:
    """The raw submitted value of one field, or :data:`MISSING` when the browser sent none."""
    if f.type in MULTI_CHOICE_TYPES or f.type == "filepicker":
        return _get_list(data, name)
    values = _get_list(data, name)
    if values:
        return values[0]
    return "" if f.type == "checkbox" else MISSING


def _list_items(f: FormField, data: Any, name: str) -> list[dict] | None:
    """Read the items of a dynamic list submitted as ``name[0].key`` ... (values coerced)."""
    pattern = re.compile(re.escape(name) + r"\[(\d{1,4})\]\.")
    indexes = sorted({int(m.group(1)) for m in map(pattern.match, data.keys()) if m})[:_MAX_ITEMS]
    if not indexes:
        return None
    items = []
    for index in indexes:
        item: dict[str, Any] = {}
        for child in f.children:
            value = _submitted(child, data, f"{name}[{index}].{child.key}")
            value = coerce_value(child, value)
            if not is_empty(value):
                assign(item, child.path, value)
        items.append(item)
    return items


def form_data_from_request(form: FormDefinition, data: Any, *, prefix: str = "") -> dict[str, Any]:
    """Turn submitted form data (a Werkzeug ``MultiDict`` such as ``request.form``) into a dict.

    The result is what :meth:`FormDefinition.validate` with ``coerce=True``
    expects, nested by the fields' paths: checklist/taglist (and filepicker)
    values as lists, an unchecked checkbox as ``""``, other fields as their one
    submitted string. Names are the rendered ones (``prefix`` + key); names the
    form does not know and disabled fields are ignored, and a field the
    browser did not send is left out. Read-only fields are read (so that a
    re-render keeps them) but :meth:`~FormDefinition.validate` drops them.
    Dynamic list items (``path[0].key``) come back as a list of dicts with
    coerced values.
    """
    result: dict[str, Any] = {}
    for f in form.fields:
        if f.disabled:
            continue
        name = prefix + f.key
        if f.type == "dynamiclist":
            value = _list_items(f, data, name)
            value = MISSING if value is None else value
        else:
            value = _submitted(f, data, name)
        if value is not MISSING:
            assign(result, f.path, value)
    return result
