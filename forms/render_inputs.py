"""Bootstrap 5 widgets for the input fields of a form (one :class:`Slot` each)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from .cleaning import is_empty
from .model import FormField
from .render_html import lines_to_html, tag
from .render_values import chosen_texts, describe_plain, is_checked, value_text

CHOOSE = "— Chọn —"
REQUIRED_MARK = Markup('<span class="text-danger">*</span>')
_ID_RE = re.compile(r"[^A-Za-z0-9_-]+")
_OFFSET_RE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_DATETIME_TYPES = {"date": "date", "time": "time", "datetime": "datetime-local"}
_TEXT_TYPES = {"email": "email", "phone": "tel"}


@dataclass
class Slot:
    """Everything needed to render one input field.

    ``name`` is the submitted name (prefix included), ``key`` the field's key
    in the data (``data-key``), ``value`` the current value (``None`` if
    none), ``locked`` whether the field is read-only now, ``options`` the
    choices of a choice field (``None`` when unknown), ``hide`` the hide
    condition without ``=``, ``hidden`` whether it holds now, and ``today``
    the ward's date (the ``min`` of a date that disallows passed dates).
    """

    field: FormField
    name: str
    key: str
    value: Any = None
    error: str | None = None
    locked: bool = False
    options: list[dict] | None = None
    hide: str | None = None
    hidden: bool = False
    today: date | None = None

    @property
    def dom_id(self) -> str:
        """The ``id`` of the field's control."""
        return "fld-" + _ID_RE.sub("-", self.name).strip("-")

    @property
    def label(self) -> str:
        """The label shown: the component's label, else a date/time label, else the key."""
        comp = self.field.component
        for text in (self.field.label, comp.get("dateLabel"), comp.get("timeLabel")):
            if isinstance(text, str) and text.strip():
                return text
        return self.field.key

    @property
    def description(self) -> str | None:
        """The component's help text, if any (a FEEL expression is not shown)."""
        text = self.field.component.get("description")
        return text if isinstance(text, str) and text.strip() and not text.startswith("=") else None

    @property
    def html_required(self) -> bool:
        """Whether the browser may enforce "required": never on conditional or inactive fields."""
        f = self.field
        return f.required and not f.hide_expressions and not f.disabled and not self.locked


def _described_by(slot: Slot) -> str | None:
    """The ``aria-describedby`` ids: the error message and the help text."""
    ids = [f"{slot.dom_id}-error"] if slot.error else []
    if slot.description:
        ids.append(f"{slot.dom_id}-help")
    return " ".join(ids) or None


def _common(slot: Slot, css: str) -> dict[str, Any]:
    """Attributes shared by all single controls."""
    return {
        "id": slot.dom_id,
        "name": slot.name,
        "class": f"{css} is-invalid" if slot.error else css,
        "required": slot.html_required,
        "disabled": slot.field.disabled,
        "aria-invalid": "true" if slot.error else None,
        "aria-describedby": _described_by(slot),
    }


def _mark(slot: Slot) -> Markup | None:
    """The red asterisk of a required field."""
    return Markup(" ") + REQUIRED_MARK if slot.field.required else None


def _after(slot: Slot) -> Markup:
    """The error message and the help text that follow a control."""
    error = (
        tag("div", {"class": "invalid-feedback d-block", "id": f"{slot.dom_id}-error"}, slot.error)
        if slot.error
        else None
    )
    help_text = (
        tag("div", {"class": "form-text", "id": f"{slot.dom_id}-help"}, slot.description)
        if slot.description
        else None
    )
    return Markup("").join(part for part in (error, help_text) if part is not None)


def _labelled(slot: Slot, control: Markup) -> Markup:
    """A ``<label>``, the control, then the error and help text."""
    label = tag("label", {"class": "form-label", "for": slot.dom_id}, slot.label, _mark(slot))
    return label + control + _after(slot)


def _bound(value: Any) -> Any:
    """A numeric rule as an attribute value (``None`` unless a real number)."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _plain_text(value: Any) -> str | None:
    """The text shown in a text box (a list, from a choice without known options, joined)."""
    if is_empty(value):
        return None
    if isinstance(value, list | tuple):
        return ", ".join(value_text(item) for item in value)
    return value_text(value)


def _textfield(slot: Slot) -> Markup:
    """``<input>`` for a textfield: text, email or tel, with length and pattern rules."""
    rules = slot.field.validate
    attrs = _common(slot, "form-control")
    attrs.update(
        type=_TEXT_TYPES.get(rules.get("validationType"), "text"),
        value=_plain_text(slot.value),
        minlength=_bound(rules.get("minLength")),
        maxlength=_bound(rules.get("maxLength")),
        pattern=rules.get("pattern") if isinstance(rules.get("pattern"), str) and rules["pattern"] else None,
        readonly=slot.locked,
    )
    return tag("input", attrs)


def _textarea(slot: Slot) -> Markup:
    """``<textarea>`` with ``rows`` (3 by default) and length rules."""
    rules, comp = slot.field.validate, slot.field.component
    rows = comp.get("rows") if isinstance(comp.get("rows"), int) and 0 < comp["rows"] <= 50 else 3
    attrs = _common(slot, "form-control")
    attrs.update(
        rows=rows,
        minlength=_bound(rules.get("minLength")),
        maxlength=_bound(rules.get("maxLength")),
        readonly=slot.locked,
    )
    text = value_text(slot.value) if not is_empty(slot.value) else ""
    return tag("textarea", attrs, Markup("\n"), text)


def _step(comp: dict) -> Any:
    """The ``step`` of a number: its ``increment``, else from ``decimalDigits``, else ``any``."""
    increment = _bound(comp.get("increment"))
    if increment and increment > 0:
        return increment
    digits = comp.get("decimalDigits")
    if isinstance(digits, int) and not isinstance(digits, bool) and 0 <= digits <= 10:
        return 1 if digits == 0 else f"{10**-digits:.{digits}f}"
    return "any"


def _number(slot: Slot) -> Markup:
    """``<input type="number">`` with ``min``, ``max`` and ``step``."""
    rules = slot.field.validate
    attrs = _common(slot, "form-control")
    attrs.update(
        type="number",
        value=value_text(slot.value) if not is_empty(slot.value) else None,
        min=_bound(rules.get("min")),
        max=_bound(rules.get("max")),
        step=_step(slot.field.component),
        readonly=slot.locked,
    )
    return tag("input", attrs)


def _datetime(slot: Slot) -> Markup:
    """``<input>`` of type date, time or datetime-local; passed dates barred when asked."""
    subtype = slot.field.subtype or "date"
    text = _OFFSET_RE.sub("", value_text(slot.value)) if not is_empty(slot.value) else None
    if text and subtype == "datetime":
        text = text.replace(" ", "T", 1)
    minimum = None
    if slot.field.component.get("disallowPassedDates") and subtype != "time" and slot.today is not None:
        minimum = slot.today.isoformat() + ("T00:00" if subtype == "datetime" else "")
    maximum = None
    if slot.field.component.get("disallowFutureDates") and subtype != "time" and slot.today is not None:
        maximum = slot.today.isoformat() + ("T23:59" if subtype == "datetime" else "")
    attrs = _common(slot, "form-control")
    attrs.update(type=_DATETIME_TYPES.get(subtype, "date"), value=text, min=minimum, max=maximum,
                 readonly=slot.locked)
    return tag("input", attrs)


def _filepicker(slot: Slot) -> Markup:
    """``<input type="file">`` with ``accept`` and ``multiple``; names the files already stored."""
    comp = slot.field.component
    attrs = _common(slot, "form-control")
    accept = comp.get("accept")
    attrs.update(
        type="file",
        accept=accept if isinstance(accept, str) and accept and not accept.startswith("=") else None,
        multiple=comp.get("multiple") is True,
        disabled=slot.field.disabled or slot.locked,
    )
    control = tag("input", attrs)
    if not is_empty(slot.value):
        control += tag("div", {"class": "form-text"}, "Tệp đã có: ", describe_plain(slot.value))
    return control


def _checkbox(slot: Slot) -> Markup:
    """A single checkbox (value ``true``) with its label beside it."""
    attrs = _common(slot, "form-check-input")
    attrs.update(
        type="checkbox",
        value="true",
        checked=is_checked(slot.value),
        disabled=slot.field.disabled or slot.locked,
    )
    label = tag("label", {"class": "form-check-label", "for": slot.dom_id}, slot.label, _mark(slot))
    return tag("div", {"class": "form-check"}, tag("input", attrs), label, _after(slot))


def _option_input(slot: Slot, index: int, option: dict, chosen: set[str]) -> Markup:
    """One radio or checklist checkbox, with its label."""
    multiple = slot.field.type == "checklist"
    option_id = f"{slot.dom_id}-{index}"
    text = value_text(option["value"])
    attrs = {
        "class": "form-check-input is-invalid" if slot.error else "form-check-input",
        "type": "checkbox" if multiple else "radio",
        "id": option_id,
        "name": slot.name,
        "value": text,
        "checked": text in chosen,
        "required": slot.html_required and not multiple,
        "disabled": slot.field.disabled or slot.locked,
        "aria-describedby": _described_by(slot),
    }
    label = tag("label", {"class": "form-check-label", "for": option_id}, value_text(option["label"]))
    return tag("div", {"class": "form-check"}, tag("input", attrs), label)


def _choices(slot: Slot) -> Markup:
    """Radios or a checklist: a ``<fieldset>`` whose ``<legend>`` is the label."""
    chosen = chosen_texts(slot.value)
    legend = tag("legend", {"class": "form-label fs-6"}, slot.label, _mark(slot))
    options = (_option_input(slot, i, option, chosen) for i, option in enumerate(slot.options or []))
    group_attrs = {"id": slot.dom_id, "role": "radiogroup" if slot.field.type == "radio" else None}
    return tag("fieldset", group_attrs, legend, *options, _after(slot))


def _select(slot: Slot) -> Markup:
    """A ``<select>`` (single, with a "— Chọn —" option) or a multiple one for a taglist."""
    multiple = slot.field.type == "taglist"
    chosen = chosen_texts(slot.value)
    texts = [value_text(option["value"]) for option in slot.options or []]
    options = [
        tag("option", {"value": text, "selected": text in chosen}, value_text(option["label"]))
        for text, option in zip(texts, slot.options or [], strict=True)
    ]
    if not multiple and not (slot.field.required and chosen & set(texts)):
        options.insert(0, tag("option", {"value": ""}, CHOOSE))
    attrs = _common(slot, "form-select")
    attrs.update(multiple=multiple, disabled=slot.field.disabled or slot.locked)
    return _labelled(slot, tag("select", attrs, *options))


def render_field(slot: Slot) -> Markup:
    """Render one input field in its ``<div class="mb-3" data-key=...>`` wrapper."""
    kind = slot.field.type
    if kind == "checkbox":
        body = _checkbox(slot)
    elif kind in ("radio", "checklist") and slot.options is not None:
        body = _choices(slot)
    elif kind in ("select", "taglist") and slot.options is not None:
        body = _select(slot)
    else:
        body = _labelled(slot, _CONTROLS.get(kind, _textfield)(slot))
    attrs = {"class": "mb-3", "data-key": slot.key, "data-type": kind, "data-hide": slot.hide}
    attrs.update({"data-required": "true" if slot.field.required else None, "hidden": slot.hidden})
    return tag("div", attrs, body)


_CONTROLS = {
    "textfield": _textfield,
    "textarea": _textarea,
    "number": _number,
    "datetime": _datetime,
    "filepicker": _filepicker,
}


def render_readonly_value(text: str) -> Markup:
    """The ``<dd>`` content of a read-only value: its lines, or a muted dash when empty."""
    if not text:
        return tag("span", {"class": "text-muted"}, "—")
    return lines_to_html(text)
