"""The :class:`FormField` data class (one input field of a form)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TEXT_TYPES = frozenset({"textfield", "textarea"})
SINGLE_CHOICE_TYPES = frozenset({"radio", "select"})
MULTI_CHOICE_TYPES = frozenset({"checklist", "taglist"})
CHOICE_TYPES = SINGLE_CHOICE_TYPES | MULTI_CHOICE_TYPES
INPUT_TYPES = TEXT_TYPES | CHOICE_TYPES | {"number", "checkbox", "datetime", "filepicker", "dynamiclist"}
CONTAINER_TYPES = frozenset({"group"})
DISPLAY_TYPES = frozenset(
    {
        "text",
        "spacer",
        "separator",
        "image",
        "button",
        "html",
        "iframe",
        "table",
        "expression",
        "documentPreview",
    }
)


@dataclass
class FormField:
    """One input field of a form-js form.

    ``key`` is the full dotted key: the component's ``key`` (``path`` for a
    dynamic list) prefixed by the ``path`` of enclosing groups. ``path`` is the
    same key split into parts, i.e. where the value lives in nested data.
    ``values`` holds the allowed ``{"label", "value"}`` options of a static
    radio/select/checklist/taglist and is ``None`` otherwise (including for
    fields whose options come from ``valuesKey`` or ``valuesExpression``, which
    accept any string). ``conditional_hide`` is the field's own FEEL hide
    expression; ``parent_hides`` those of the groups around it. ``children``
    holds the item fields of a ``dynamiclist`` (not validated deeply).
    """

    key: str
    type: str
    label: str = ""
    required: bool = False
    values: list[dict] | None = None
    validate: dict = field(default_factory=dict)
    conditional_hide: str | None = None
    properties: dict = field(default_factory=dict)
    subtype: str | None = None
    readonly: bool | str = False
    disabled: bool = False
    path: tuple[str, ...] = ()
    parent_hides: tuple[str, ...] = ()
    children: list[FormField] = field(default_factory=list)
    component: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        """Default ``path`` to the dotted parts of ``key``."""
        if not self.path:
            self.path = tuple(self.key.split("."))

    @property
    def dynamic_values(self) -> bool:
        """Tell whether this is a choice field whose options are not fixed in the form."""
        return self.type in CHOICE_TYPES and self.values is None

    @property
    def hide_expressions(self) -> tuple[str, ...]:
        """All hide expressions that apply: the enclosing groups' and then the field's own."""
        own = (self.conditional_hide,) if self.conditional_hide else ()
        return self.parent_hides + own

    def allowed_values(self) -> list[Any]:
        """Return the allowed option values (``[]`` when options are not fixed)."""
        return [option["value"] for option in self.values or []]
