"""Loading bpmn.io form-js forms (``*.form``) and validating submitted data.

>>> form = parse_form({"id": "f", "components": [
...     {"type": "textfield", "key": "name", "label": "Họ tên", "validate": {"required": True}}]})
>>> form.validate({"name": "Nguyễn Văn A", "other": 1})
{'name': 'Nguyễn Văn A'}
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .cleaning import MISSING, active_fields, assign, read_value
from .components import read_components
from .errors import FormError, FormValidationError
from .feel import Expression
from .model import FormField
from .schema import build_schema, schema_errors

__all__ = ["FormDefinition", "FormField", "load_form", "parse_form"]


@dataclass
class FormDefinition:
    """A parsed form: its input fields (flattened through groups) and the raw JSON.

    ``problems`` lists non-fatal issues found while parsing (e.g. a hide
    condition outside the supported FEEL subset, which leaves the field
    visible), each as ``"<component>: <message>"`` in Vietnamese.
    """

    id: str
    filename: str
    fields: list[FormField]
    raw: dict
    problems: list[str] = dataclasses.field(default_factory=list)
    expressions: dict[str, Expression | None] = dataclasses.field(
        default_factory=dict, repr=False, compare=False
    )

    def keys(self) -> list[str]:
        """Return the keys of all input fields, in form order."""
        return [f.key for f in self.fields]

    def field(self, key: str) -> FormField | None:
        """Return the input field with this (dotted) key, or ``None``."""
        return next((f for f in self.fields if f.key == key), None)

    def values_of(self, key: str) -> list:
        """Return the allowed values of a radio/select/checklist/taglist field, ``[]`` otherwise."""
        found = self.field(key)
        return found.allowed_values() if found is not None else []

    def _read(self, data: Mapping[str, Any], coerce: bool) -> dict[str, Any]:
        """Read every field that may take input from ``data`` into ``{key: value}``."""
        if not isinstance(data, Mapping):
            raise TypeError(f"dữ liệu biểu mẫu phải là một dict, nhận {type(data).__name__}")
        values: dict[str, Any] = {}
        for f in self.fields:
            if f.disabled or f.readonly is True:
                continue
            value = read_value(f, data, coerce=coerce)
            if value is not MISSING:
                values[f.key] = value
        return values

    def visible_keys(
        self, data: Mapping[str, Any], *, coerce: bool = False, context: Mapping[str, Any] | None = None
    ) -> list[str]:
        """Return the keys of the fields that are not hidden by a condition for ``data``."""
        _, hidden = active_fields(self.fields, self._read(data, coerce), self.expressions, context)
        return [f.key for f in self.fields if f.key not in hidden]

    def json_schema(
        self, data: Mapping[str, Any] | None = None, *, context: Mapping[str, Any] | None = None,
        today: date | None = None,
    ) -> dict:
        """Return a JSON Schema (draft 2020-12) for the visible input fields.

        Without ``data``, every field that takes input is described, and a field
        that has a hide condition (or a read-only expression) is not marked
        required, since whether it applies depends on the data. With ``data``
        (and optional ``context``), conditions are evaluated first, so the
        schema is the one :meth:`validate` applies to that data.
        """
        if data is not None:
            active, _ = active_fields(self.fields, self._read(data, False), self.expressions, context)
            required = {f.key for f in active if f.required}
        else:
            active = [f for f in self.fields if not (f.disabled or f.readonly is True)]
            required = {
                f.key
                for f in active
                if f.required and not f.hide_expressions and not isinstance(f.readonly, str)
            }
        return build_schema(active, required, title=self.id, today=today)

    def validate(
        self,
        data: Mapping[str, Any],
        *,
        coerce: bool = False,
        context: Mapping[str, Any] | None = None,
        partial: bool = False,
        today: date | None = None,
    ) -> dict:
        """Validate submitted ``data`` and return the cleaned data.

        The result holds only the form's visible, editable fields that have a
        value (nested as the keys' paths say); unknown keys, hidden fields and
        read-only/disabled fields are dropped. Empty values (``None``, ``""``,
        ``[]``) count as missing. With ``coerce=True`` the values are taken to
        come from an HTML form: strings are trimmed, numbers parsed, a checkbox
        reads ``"on"``/``"true"``/``"1"`` as checked and absent as unchecked,
        and a checklist/taglist may be one string or a list of strings.
        ``context`` supplies other variables (e.g. process data) to hide
        conditions; submitted values take precedence over it. ``partial=True``
        checks only the values given and requires nothing (a paper declaration
        taken at the desk, whose fields are typed in later). ``today`` (the
        ward's date) is the limit of fields with ``disallowPassedDates``;
        without it that rule is not checked.

        Raises :class:`FormValidationError` naming every bad field at once, and
        ``TypeError`` if ``data`` is not a mapping.
        """
        values = self._read(data, coerce)
        active, _ = active_fields(self.fields, values, self.expressions, context)
        cleaned: dict[str, Any] = {}
        for f in active:
            if f.key in values:
                assign(cleaned, f.path, values[f.key])
        required = set() if partial else {f.key for f in active if f.required}
        errors = schema_errors(build_schema(active, required, title=self.id, today=today), cleaned, active, required)
        if errors:
            raise FormValidationError(errors)
        return cleaned


def parse_form(text: str | bytes | dict, filename: str = "<form>") -> FormDefinition:
    """Parse a form-js document given as JSON text or as an already decoded dict.

    Raises :class:`FormError` when the text is not JSON (the message gives the
    line and column) or the structure is malformed: no ``components`` list, a
    component without ``type``, an input component without ``key``, duplicate
    keys, an invalid ``validate.pattern`` regex or ``values`` that are not a
    list of ``{label, value}``.
    """
    if isinstance(text, str | bytes):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormError(
                filename,
                f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}",
                line=exc.lineno,
                column=exc.colno,
            ) from exc
        except UnicodeDecodeError as exc:
            raise FormError(filename, f"tệp không phải văn bản UTF-8 ({exc.reason})") from exc
        except RecursionError as exc:
            raise FormError(filename, "JSON lồng nhau quá sâu") from exc
    else:
        document = copy.deepcopy(text)
    try:
        parsed = read_components(document, filename)
    except RecursionError as exc:
        raise FormError(filename, "các thành phần lồng nhau quá sâu") from exc
    form_id = document.get("id")
    if not isinstance(form_id, str) or not form_id:
        form_id = Path(filename).stem
    return FormDefinition(
        id=form_id,
        filename=filename,
        fields=parsed.fields,
        raw=document,
        problems=parsed.problems,
        expressions=parsed.expressions,
    )


def load_form(path: str | Path) -> FormDefinition:
    """Read and parse a ``*.form`` file (UTF-8, a leading BOM is tolerated).

    Raises :class:`FormError` for malformed content; ``OSError`` (such as
    ``FileNotFoundError``) propagates when the file cannot be read.
    """
    filename = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormError(filename, f"tệp không phải văn bản UTF-8 ({exc.reason})") from exc
    return parse_form(text, filename)
