"""Server-side HTML for form-js forms, so that task pages work without JavaScript.

:func:`render_form` walks ``form.raw["components"]`` in order and returns the
fields as Bootstrap 5 markup (without the ``<form>`` tag, the submit button or
the CSRF token, which the page adds); :func:`form_data_from_request` reads the
submitted ``request.form`` back into the dict that
:meth:`FormDefinition.validate` (``coerce=True``) expects. Everything taken
from the form file or from data is escaped.

>>> from forms import parse_form
>>> form = parse_form({"components": [{"type": "textfield", "key": "name", "label": "Họ tên"}]})
>>> "name=\\"name\\"" in render_form(form)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from markupsafe import Markup

from .cleaning import MISSING, lookup
from .formjs import FormDefinition
from .model import INPUT_TYPES, FormField
from .render_html import render_display, tag
from .render_inputs import Slot, render_field
from .render_readonly import hide_source, hide_text, render_readonly
from .render_values import (
    condition_holds,
    condition_scope,
    describe_value,
    form_data_from_request,
    options_of,
    visible_state,
)

__all__ = ["describe_value", "form_data_from_request", "render_form", "visible_state"]

LIST_NOTE = "Hiện chưa thêm được mục mới trên trang này; các mục được thêm qua API."
NO_ITEMS = "Chưa có mục nào."
STRAY_ERRORS = "Dữ liệu chưa hợp lệ:"


@dataclass(frozen=True)
class _Place:
    """Where components are being rendered: the whole form or one item of a dynamic list.

    ``fields`` maps paths to fields, ``path`` is the enclosing groups' path,
    ``name`` the prefix of submitted names, ``key`` the prefix of data keys
    (and error keys), ``data`` the values looked up and ``top`` tells whether
    this is the form itself (conditions are only evaluated there).
    """

    fields: Mapping[tuple[str, ...], FormField]
    path: tuple[str, ...]
    name: str
    key: str
    data: Mapping[str, Any]
    top: bool = True


def _split(text: Any) -> tuple[str, ...] | None:
    """Split a dotted key or path; ``None`` when it is not a non-empty string."""
    return tuple(text.split(".")) if isinstance(text, str) and text else None


class _Renderer:
    """Renders the components of one form for given values and errors."""

    def __init__(self, form: FormDefinition, values: Mapping[str, Any] | None, errors: Mapping, prefix: str,
                 today: date | None = None, context: Mapping[str, Any] | None = None):
        """Prepare visibility and the condition scope (only when ``values`` is given)."""
        self.form = form
        self.values = values
        self.errors = {str(key): str(message) for key, message in errors.items()}
        self.prefix = prefix
        self.today = today
        self.visible = visible_state(form, values, context)
        self.scope = condition_scope(form, values, context) if values is not None else None
        self.shown_errors: set[str] = set()

    def root(self) -> _Place:
        """The place of the form's top-level components."""
        fields = {f.path: f for f in self.form.fields}
        return _Place(fields, (), self.prefix, "", self.values if self.values is not None else {})

    def components(self, components: Any, place: _Place) -> Markup:
        """Render a ``components`` list in order."""
        if not isinstance(components, list):
            return Markup("")
        return Markup("").join(self.component(c, place) for c in components if isinstance(c, dict))

    def component(self, comp: dict, place: _Place) -> Markup:
        """Render one component of any type."""
        kind = comp.get("type")
        if kind == "group":
            return self.group(comp, place)
        if kind == "dynamiclist":
            return self.dynamic_list(comp, place)
        if kind in INPUT_TYPES:
            return self.field(comp, place)
        body = render_display(comp)
        source = hide_source(comp)
        if not body or source is None:
            return body
        return tag("div", {"data-hide": hide_text(source), "hidden": self.holds(source, place)}, body)

    def holds(self, source: str | None, place: _Place) -> bool:
        """Tell whether a hide condition is true now (never without values, nor inside a list item)."""
        return bool(place.top and self.scope is not None and condition_holds(self.form, source, self.scope))

    def error(self, key: str) -> str | None:
        """The error message of ``key``, remembered as shown."""
        message = self.errors.get(key)
        if message is not None:
            self.shown_errors.add(key)
        return message

    def value(self, f: FormField, comp: dict, path: tuple[str, ...], place: _Place) -> Any:
        """The value to show: from the data, else the component's ``defaultValue``."""
        value = lookup(place.data, path)
        if value is MISSING:
            default = comp.get("defaultValue")
            is_expression = isinstance(default, str) and default.startswith("=")
            return None if default is None or is_expression else default
        return value

    def locked(self, f: FormField, place: _Place) -> bool:
        """Whether the field is read-only: always, or because its ``readonly`` condition holds."""
        return f.readonly is True or (isinstance(f.readonly, str) and self.holds(f.readonly, place))

    def field(self, comp: dict, place: _Place) -> Markup:
        """Render an input field."""
        path = _split(comp.get("key"))
        f = place.fields.get(place.path + path) if path else None
        if f is None:
            return Markup("")
        key = place.key + ".".join(place.path + path)
        own_hide = f.conditional_hide if place.top else hide_source(comp)
        slot = Slot(
            field=f,
            name=place.name + ".".join(place.path + path),
            key=key,
            value=self.value(f, comp, place.path + path, place),
            error=self.error(key),
            locked=self.locked(f, place),
            options=options_of(f, self.values if self.values is not None else {}),
            hide=hide_text(own_hide),
            hidden=bool(place.top and own_hide and self.values is not None and not self.visible[f.key]),
            today=self.today,
        )
        return render_field(slot)

    def group(self, comp: dict, place: _Place) -> Markup:
        """Render a group as a ``<fieldset>`` with its label as ``<legend>``."""
        inner = replace(place, path=place.path + (_split(comp.get("path")) or ()))
        body = self.components(comp.get("components", []), inner)
        label = comp.get("label")
        legend = (
            tag("legend", {"class": "fs-6 fw-semibold"}, label) if isinstance(label, str) and label else None
        )
        source = hide_source(comp)
        attrs = {
            "class": "mb-3 border rounded p-3" if comp.get("showOutline") else "mb-3",
            "data-hide": hide_text(source),
            "hidden": self.holds(source, place),
        }
        return tag("fieldset", attrs, legend, body)

    def list_item(self, comp: dict, f: FormField, place: _Place, index: int, item: Mapping) -> Markup:
        """Render the children of one existing item of a dynamic list, named ``path[i].key``."""
        base = f.key
        children = {child.path: child for child in f.children}
        item_place = _Place(
            children, (), f"{place.name}{base}[{index}].", f"{place.key}{base}[{index}].", item, False
        )
        legend = tag("legend", {"class": "fs-6"}, f"Mục {index + 1}")
        body = self.components(comp.get("components", []), item_place)
        return tag("fieldset", {"class": "border rounded p-3 mb-2", "data-index": index}, legend, body)

    def dynamic_list(self, comp: dict, place: _Place) -> Markup:
        """Render a dynamic list: one group per existing item, and a note on adding items."""
        path = _split(comp.get("path"))
        f = place.fields.get(place.path + path) if path else None
        if f is None or not place.top:
            return Markup("")
        found = lookup(place.data, f.path)
        items = [item for item in found if isinstance(item, Mapping)] if isinstance(found, list) else []
        parts = [self.list_item(comp, f, place, i, item) for i, item in enumerate(items)]
        note = tag("div", {"class": "form-text"}, NO_ITEMS + " " + LIST_NOTE if not items else LIST_NOTE)
        message = self.error(f.key)
        error = tag("div", {"class": "invalid-feedback d-block"}, message) if message else None
        legend = tag("legend", {"class": "form-label fs-6"}, f.label or f.key)
        attrs = {"class": "mb-3", "data-key": f.key, "data-type": "dynamiclist"}
        hidden = bool(f.conditional_hide and self.values is not None and not self.visible[f.key])
        attrs.update({"data-hide": hide_text(f.conditional_hide), "hidden": hidden})
        return tag("fieldset", attrs, legend, *parts, error, note)

    def stray_errors(self) -> Markup:
        """An alert listing the errors whose field was not rendered (so that none is lost)."""
        stray = [(key, message) for key, message in self.errors.items() if key not in self.shown_errors]
        if not stray:
            return Markup("")
        items = []
        for key, message in stray:
            f = self.form.field(key)
            items.append(tag("li", {}, f"{f.label or key if f else key}: {message}"))
        heading = tag("p", {"class": "mb-1"}, STRAY_ERRORS)
        return tag(
            "div",
            {"class": "alert alert-danger", "role": "alert"},
            heading,
            tag("ul", {"class": "mb-0"}, *items),
        )


def render_form(
    form: FormDefinition,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    *,
    prefix: str = "",
    readonly: bool = False,
    today: date | None = None,
    context: Mapping[str, Any] | None = None,
) -> Markup:
    """Render the fields of ``form`` as Bootstrap 5 HTML (no ``<form>`` tag, no buttons).

    ``values`` (nested by path, or as read by :func:`form_data_from_request`)
    prefill the inputs; without them, components' ``defaultValue`` do. Each
    message of ``errors`` (``{key: message}``, e.g. from
    :class:`~forms.FormValidationError`) is shown under its field; messages
    of fields not on the form are listed in an alert at the top. Submitted
    names are ``prefix`` + key. A field with a hide condition carries
    ``data-hide`` (the FEEL expression without ``=``) and, when ``values`` is
    given and the condition holds, the ``hidden`` attribute. ``today`` (the
    ward's date) is the ``min`` of date inputs that disallow passed dates;
    conditions also see the variables of ``context`` (a step form sees
    ``declaration``). With
    ``readonly=True``, a ``<dl>`` of label -> human value is returned instead.
    """
    if readonly:
        return render_readonly(form, values or {})
    renderer = _Renderer(form, values, errors or {}, prefix, today, context)
    body = renderer.components(form.raw.get("components", []), renderer.root())
    return renderer.stray_errors() + body
