"""JSON Schema (draft 2020-12) for form fields, and Vietnamese error messages.

:func:`build_schema` turns input fields into a schema; :func:`schema_errors`
runs :mod:`jsonschema` and maps every error back to one field key and one
message in Vietnamese.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from forms import identifiers

if TYPE_CHECKING:
    from .formjs import FormField

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NOT_PAST_KEYWORD = "formjsNotPast"
NOT_FUTURE_KEYWORD = "formjsNotFuture"

REQUIRED = "Trường này là bắt buộc."
NOT_ALLOWED = "Giá trị không nằm trong danh sách cho phép."
BAD_FORMAT = "Giá trị không đúng định dạng."
INVALID = "Giá trị không hợp lệ."
PAST_DATE = "Không được chọn ngày trong quá khứ."
FUTURE_DATE = "Không được chọn ngày trong tương lai."
_TYPE_MESSAGES = {
    "number": "Giá trị phải là một số.",
    "string": "Giá trị phải là chuỗi ký tự.",
    "boolean": "Giá trị phải là đúng hoặc sai.",
    "array": "Giá trị phải là một danh sách.",
    "object": "Giá trị phải là một đối tượng.",
}
_FORMAT_MESSAGES = {
    "date": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "formjs-time": "Giờ không hợp lệ (định dạng HH:MM).",
    "formjs-datetime": "Ngày giờ không hợp lệ (định dạng YYYY-MM-DDTHH:MM).",
    "email": "Địa chỉ email không hợp lệ.",
    "formjs-phone": "Số điện thoại không hợp lệ.",
}
DATETIME_FORMATS = {"date": "date", "time": "formjs-time", "datetime": "formjs-datetime"}
_VALIDATION_FORMATS = {"email": "email", "phone": "formjs-phone"}

_TIME = r"(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?"
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME_RE = re.compile(_TIME)
_DATETIME_RE = re.compile(r"(\d{4}-\d{2}-\d{2})T" + _TIME)

FORMAT_CHECKER = FormatChecker(formats=())


def _valid_calendar_date(text: str) -> bool:
    """Tell whether ``YYYY-MM-DD`` text names a real calendar day."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@FORMAT_CHECKER.checks("date")
def is_date(value: object) -> bool:
    """Check a form-js date value: ``YYYY-MM-DD`` naming a real day."""
    return not isinstance(value, str) or (bool(_DATE_RE.fullmatch(value)) and _valid_calendar_date(value))


@FORMAT_CHECKER.checks("formjs-time")
def is_time(value: object) -> bool:
    """Check a form-js time value: ``HH:MM``, optional seconds and UTC offset."""
    return not isinstance(value, str) or bool(_TIME_RE.fullmatch(value))


@FORMAT_CHECKER.checks("formjs-datetime")
def is_datetime(value: object) -> bool:
    """Check a form-js date-time value: ``YYYY-MM-DDTHH:MM``, optional seconds and offset."""
    if not isinstance(value, str):
        return True
    match = _DATETIME_RE.fullmatch(value)
    return bool(match) and _valid_calendar_date(match.group(1))


@FORMAT_CHECKER.checks("email")
def is_email(value: object) -> bool:
    """Check an e-mail address the way form-js does (``name@domain.tld``)."""
    return not isinstance(value, str) or identifiers.is_email(value)


@FORMAT_CHECKER.checks("formjs-phone")
def is_phone(value: object) -> bool:
    """Check a phone number: Vietnamese ``0xxxxxxxxx`` or international ``+84...``.

    Spaces, dots, dashes and parentheses between digits are allowed.
    """
    return not isinstance(value, str) or identifiers.is_phone(value)


def _not_past(validator: Any, today: Any, instance: Any, schema: dict) -> Iterator[ValidationError]:
    """Custom keyword: a date (or date-time) must not lie before the keyword's value, today's ISO date.

    The caller says what today is (the ward's date, not the server's), so forms/ never reads a clock.
    """
    if isinstance(today, str) and isinstance(instance, str) and _DATE_RE.match(instance):
        if _valid_calendar_date(instance[:10]) and instance[:10] < today:
            yield ValidationError(PAST_DATE)


def _not_future(validator: Any, today: Any, instance: Any, schema: dict) -> Iterator[ValidationError]:
    """Custom keyword (``disallowFutureDates``, e.g. a birth date): a date must not lie after today's ISO date."""
    if isinstance(today, str) and isinstance(instance, str) and _DATE_RE.match(instance):
        if _valid_calendar_date(instance[:10]) and instance[:10] > today:
            yield ValidationError(FUTURE_DATE)


FormValidator = validators.extend(Draft202012Validator, {NOT_PAST_KEYWORD: _not_past,
                                                         NOT_FUTURE_KEYWORD: _not_future})


_WHOLE_VALUE_END = "(?![\\s\\S])"


def anchored(pattern: str) -> str:
    """Anchor a form-js pattern so that it must match the whole value.

    ``(?![\\s\\S])`` is used instead of ``$`` because ``$`` also matches before
    a trailing newline in Python.
    """
    return f"^(?:{pattern}){_WHOLE_VALUE_END}"


def _text_schema(f: FormField) -> dict:
    """Schema of a textfield or textarea."""
    schema: dict[str, Any] = {"type": "string"}
    rules = f.validate
    for source, target in (("minLength", "minLength"), ("maxLength", "maxLength")):
        if isinstance(rules.get(source), int) and not isinstance(rules[source], bool):
            schema[target] = rules[source]
    if isinstance(rules.get("pattern"), str) and rules["pattern"]:
        schema["pattern"] = anchored(rules["pattern"])
    if rules.get("validationType") in _VALIDATION_FORMATS:
        schema["format"] = _VALIDATION_FORMATS[rules["validationType"]]
    return schema


def _number_schema(f: FormField) -> dict:
    """Schema of a number field."""
    schema: dict[str, Any] = {"type": "number"}
    for source, target in (("min", "minimum"), ("max", "maximum")):
        value = f.validate.get(source)
        if isinstance(value, int | float) and not isinstance(value, bool):
            schema[target] = value
    return schema


def _choice_schema(f: FormField) -> dict:
    """Schema of one choice: any string for dynamic values, else the allowed values."""
    if f.values is None:
        return {"type": "string"}
    return {"enum": [option["value"] for option in f.values]}


def field_schema(f: FormField, *, required: bool = False, today: date | None = None) -> dict:
    """Return the JSON Schema of one input field's value.

    ``today`` is the date before which a field with ``disallowPassedDates`` refuses a value (and after which
    one with ``disallowFutureDates`` does); without it
    that rule is not applied (a schema for documentation, or data checked again later).
    """
    kind = f.type
    if kind in ("textfield", "textarea"):
        schema = _text_schema(f)
    elif kind == "number":
        schema = _number_schema(f)
    elif kind == "checkbox":
        schema = {"type": "boolean", **({"const": True} if required else {})}
    elif kind in ("radio", "select"):
        schema = _choice_schema(f)
    elif kind in ("checklist", "taglist"):
        schema = {"type": "array", "items": _choice_schema(f), "uniqueItems": True}
    elif kind == "datetime":
        schema = {"type": "string", "format": DATETIME_FORMATS.get(f.subtype or "date", "date")}
        if f.component.get("disallowPassedDates") and f.subtype != "time" and today is not None:
            schema[NOT_PAST_KEYWORD] = today.isoformat()
        if f.component.get("disallowFutureDates") and f.subtype != "time" and today is not None:
            schema[NOT_FUTURE_KEYWORD] = today.isoformat()
    elif kind == "filepicker":
        schema = {"type": ["string", "array"], "items": {"type": "string"}}
    elif kind == "dynamiclist":
        schema = {"type": "array", "items": {"type": "object"}}
    else:
        schema = {}
    if f.label:
        schema["title"] = f.label
    return schema


def build_schema(fields: Iterable[FormField], required: set[str], *, title: str = "",
                 today: date | None = None) -> dict:
    """Build an object schema for ``fields``; keys in ``required`` must be present.

    Fields nested by a group ``path`` or a dotted key become nested objects.
    """
    root: dict[str, Any] = {"$schema": DIALECT, "type": "object", "properties": {}}
    if title:
        root["title"] = title
    for f in fields:
        node = root
        for depth, part in enumerate(f.path):
            is_leaf = depth == len(f.path) - 1
            if f.key in required and part not in node.setdefault("required", []):
                node["required"].append(part)
            if is_leaf:
                node["properties"][part] = field_schema(f, required=f.key in required, today=today)
            else:
                node = node["properties"].setdefault(part, {"type": "object", "properties": {}})
    return root


def _number_text(value: Any) -> str:
    """Format a bound for a message (``10.0`` is shown as ``10``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def message_for(error: ValidationError) -> str:
    """Return the Vietnamese message for one non-``required`` jsonschema error."""
    kind, value = error.validator, error.validator_value
    if kind == "type":
        if isinstance(value, list):
            return "Giá trị phải là chuỗi hoặc danh sách chuỗi."
        return _TYPE_MESSAGES.get(value, INVALID)
    simple = {
        "enum": NOT_ALLOWED,
        "const": REQUIRED,
        "pattern": BAD_FORMAT,
        "uniqueItems": "Danh sách có giá trị trùng lặp.",
        NOT_PAST_KEYWORD: PAST_DATE,
        NOT_FUTURE_KEYWORD: FUTURE_DATE,
    }
    if kind == "pattern":
        return _pattern_message(str(value))
    if kind in simple:
        return simple[kind]
    bounds = {
        "minLength": "Cần ít nhất {} ký tự.",
        "maxLength": "Tối đa {} ký tự.",
        "minimum": "Giá trị phải lớn hơn hoặc bằng {}.",
        "maximum": "Giá trị phải nhỏ hơn hoặc bằng {}.",
    }
    if kind in bounds:
        return bounds[kind].format(_number_text(value))
    if kind == "format":
        return _FORMAT_MESSAGES.get(value, BAD_FORMAT)
    return INVALID


_DIGITS = re.compile(r"(?:\[0-9\]|\\d)\{(\d+)(?:,(\d+))?\}")


def _pattern_message(anchored_pattern: str) -> str:
    """A pattern of digits only (a citizen ID's ``^[0-9]{12}$``, a postcode) says how many digits it needs;
    any other says the value is not in the expected form."""
    inner = anchored_pattern.removeprefix("^(?:").removesuffix(f"){_WHOLE_VALUE_END}").strip("^$")
    digits = _DIGITS.fullmatch(inner)
    if digits is None:
        return BAD_FORMAT
    low, high = digits.group(1), digits.group(2)
    return f"Cần đúng {low} chữ số." if high is None else f"Cần từ {low} đến {high} chữ số."


def _owner(path: tuple, by_path: dict[tuple[str, ...], FormField]) -> str:
    """Return the key of the field that owns the instance at ``path``."""
    parts = tuple(str(part) for part in path)
    for end in range(len(parts), 0, -1):
        if parts[:end] in by_path:
            return by_path[parts[:end]].key
    return ".".join(parts)


def _describe(
    error: ValidationError, fields: list[FormField], required: set[str]
) -> Iterator[tuple[str, str]]:
    """Yield ``(field key, message)`` pairs for one jsonschema error."""
    path = tuple(str(part) for part in error.absolute_path)
    if error.validator == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        for name in error.validator_value:
            if name in present:
                continue
            missing = (*path, name)
            for f in fields:
                if f.key in required and f.path[: len(missing)] == missing:
                    yield f.key, REQUIRED
        return
    yield _owner(path, {f.path: f for f in fields}), message_for(error)


def schema_errors(
    schema: dict, instance: dict, fields: list[FormField], required: set[str]
) -> dict[str, str]:
    """Validate ``instance`` against ``schema``; return ``{field key: message}``.

    Only the first message of each field is kept, and keys follow the order of
    the fields in the form.
    """
    found: dict[str, str] = {}
    validator = FormValidator(schema, format_checker=FORMAT_CHECKER)
    for error in validator.iter_errors(instance):
        for key, message in _describe(error, fields, required):
            found.setdefault(key, message)
    order = {f.key: index for index, f in enumerate(fields)}
    return dict(sorted(found.items(), key=lambda item: order.get(item[0], len(order))))
