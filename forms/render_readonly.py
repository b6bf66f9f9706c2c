"""Read-only rendering of a form's stored values: a ``<dl>`` of label -> human value.

Used for the history of completed steps: only input fields that are visible
for the stored values are listed (display components are left out), choices
are shown by their labels and groups / dynamic list items as nested lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from .cleaning import lookup
from .formjs import FormDefinition
from .model import INPUT_TYPES, FormField
from .render_html import tag
from .render_inputs import render_readonly_value
from .render_values import condition_holds, condition_scope, describe_field, options_of, visible_state

_DL = {"class": "row mb-0 form-readonly"}
_DT = {"class": "col-sm-4"}
_DD = {"class": "col-sm-8"}


def hide_source(comp: Mapping[str, Any]) -> str | None:
    """A component's ``conditional.hide`` FEEL source (``true``/``false`` as ``=true``/``=false``)."""
    conditional = comp.get("conditional")
    hide = conditional.get("hide") if isinstance(conditional, Mapping) else None
    if isinstance(hide, bool):
        return "=" + str(hide).lower()
    return hide if isinstance(hide, str) and hide.strip() else None


def hide_text(source: str | None) -> str | None:
    """The FEEL expression of a hide condition without its leading ``=`` (for ``data-hide``)."""
    if not source:
        return None
    text = source.strip()
    return text[1:].strip() if text.startswith("=") else text


def _pair(label: str, content: Markup) -> Markup:
    """One ``<dt>``/``<dd>`` pair."""
    return tag("dt", _DT, label) + tag("dd", _DD, content)


class _Reader:
    """Collects the ``<dt>``/``<dd>`` pairs of a form's stored values."""

    def __init__(self, form: FormDefinition, values: Mapping[str, Any]):
        """Evaluate visibility and conditions once for ``values``."""
        self.form = form
        self.values = values
        self.visible = visible_state(form, values)
        self.scope = condition_scope(form, values)
        self.form_fields = {f.path: f for f in form.fields}

    def pairs(self, components: Any, path: tuple[str, ...], fields: Mapping, data: Mapping) -> list[Markup]:
        """The pairs of a ``components`` list (``fields``/``data`` of the form or of a list item)."""
        pairs: list[Markup] = []
        for comp in components if isinstance(components, list) else []:
            if not isinstance(comp, dict):
                continue
            kind = comp.get("type")
            if kind == "group":
                pairs.extend(self.group(comp, path, fields, data))
            elif kind in INPUT_TYPES:
                key = comp.get("path" if kind == "dynamiclist" else "key")
                f = fields.get(path + tuple(key.split("."))) if isinstance(key, str) and key else None
                if f is not None and self.shown(f, fields):
                    pairs.append(self.field(comp, f, data))
        return pairs

    def shown(self, f: FormField, fields: Mapping) -> bool:
        """Whether a field is listed: visible for the values (fields of list items always are)."""
        return self.visible.get(f.key, True) if fields is self.form_fields else True

    def group(self, comp: dict, path: tuple[str, ...], fields: Mapping, data: Mapping) -> list[Markup]:
        """A group: its pairs nested under its label (or inline when it has no label)."""
        if fields is self.form_fields and condition_holds(self.form, hide_source(comp), self.scope):
            return []
        group_path = comp.get("path")
        inner = path + tuple(group_path.split(".")) if isinstance(group_path, str) and group_path else path
        pairs = self.pairs(comp.get("components", []), inner, fields, data)
        label = comp.get("label")
        if not pairs or not (isinstance(label, str) and label):
            return pairs
        return [_pair(label, tag("dl", _DL, *pairs))]

    def field(self, comp: dict, f: FormField, data: Mapping) -> Markup:
        """The pair of one field (a dynamic list lists its items)."""
        label = f.label or f.key
        value = lookup(data, f.path)
        if f.type != "dynamiclist" or not isinstance(value, list):
            text = describe_field(f, value, options_of(f, self.values))
            return _pair(label, render_readonly_value(text))
        children = {child.path: child for child in f.children}
        items = []
        for index, item in enumerate(i for i in value if isinstance(i, Mapping)):
            pairs = self.pairs(comp.get("components", []), (), children, item)
            items.append(_pair(f"Mục {index + 1}", tag("dl", _DL, *pairs)))
        return _pair(label, tag("dl", _DL, *items) if items else render_readonly_value(""))


def render_readonly(form: FormDefinition, values: Mapping[str, Any]) -> Markup:
    """Render ``values`` stored for ``form`` as a ``<dl>`` of label -> human value.

    Hidden fields (by their conditions) are left out; an empty value shows "—".
    """
    reader = _Reader(form, values)
    pairs = reader.pairs(form.raw.get("components", []), (), reader.form_fields, values)
    return tag("dl", _DL, *pairs)
