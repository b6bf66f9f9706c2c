"""Walking the ``components`` tree of a form-js document into :class:`FormField` objects.

Structural errors raise :class:`FormError`; softer issues (an unknown
component type, a FEEL expression outside the supported subset, ...) are
collected as ``problems`` so that a checker can list them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NoReturn

from .errors import FormError
from .feel import Expression, FeelError, compile_expression
from .model import CHOICE_TYPES, CONTAINER_TYPES, DISPLAY_TYPES, INPUT_TYPES, FormField

_SCALARS = (str, int, float, bool)
_LENGTH_RULES = ("minLength", "maxLength")
_BOUND_RULES = ("min", "max")
_VALIDATION_TYPES = ("email", "phone")
_SUBTYPES = ("date", "time", "datetime")


@dataclass
class ParsedComponents:
    """What :func:`read_components` found in a document."""

    fields: list[FormField]
    problems: list[str]
    expressions: dict[str, Expression | None]


def _is_number(value: Any) -> bool:
    """Tell whether ``value`` is a JSON number (``bool`` is not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_expression(value: Any) -> bool:
    """Tell whether ``value`` is a form-js FEEL expression string (``"=..."``)."""
    return isinstance(value, str) and value.strip().startswith("=")


@dataclass
class _Walker:
    """Collects fields, problems and compiled expressions while walking components."""

    filename: str
    problems: list[str] = field(default_factory=list)
    expressions: dict[str, Expression | None] = field(default_factory=dict)
    fields: list[FormField] = field(default_factory=list)
    seen: dict[tuple[str, ...], str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    def fail(self, where: str, message: str) -> NoReturn:
        """Raise a :class:`FormError` located at component ``where``."""
        raise FormError(self.filename, f"{where}: {message}")

    def note(self, where: str, message: str) -> None:
        """Record a non-fatal problem located at component ``where``."""
        self.problems.append(f"{where}: {message}")

    def compile(self, where: str, what: str, source: str) -> None:
        """Compile a FEEL expression once; an unparseable one becomes a problem."""
        if source not in self.expressions:
            try:
                self.expressions[source] = compile_expression(source)
            except FeelError as exc:
                self.expressions[source] = None
                self.failures[source] = str(exc)
        if self.expressions[source] is None:
            reason = self.failures.get(source, "")
            self.note(
                where, f"không phân tích được biểu thức {what} {source!r} ({reason}); coi như không áp dụng"
            )

    def walk(self, components: Any, where: str, prefix: tuple[str, ...], hides: tuple[str, ...]) -> None:
        """Walk a ``components`` list, flattening groups into ``self.fields``."""
        if not isinstance(components, list):
            self.fail(where, "'components' phải là một danh sách")
        for index, component in enumerate(components):
            place = f"{where}[{index}]"
            if not isinstance(component, dict):
                self.fail(place, "thành phần phải là một đối tượng JSON")
            kind = component.get("type")
            if not isinstance(kind, str) or not kind:
                self.fail(_locate(place, component), "thành phần thiếu 'type'")
            self.component(component, kind, _locate(place, component), prefix, hides)

    def component(
        self, comp: dict, kind: str, where: str, prefix: tuple[str, ...], hides: tuple[str, ...]
    ) -> None:
        """Handle one component of type ``kind``."""
        hide = self.hide_of(comp, where)
        if kind in CONTAINER_TYPES:
            group_path = comp.get("path")
            inner = (
                prefix + self.split_key(group_path, where, "path") if group_path not in (None, "") else prefix
            )
            self.walk(
                comp.get("components", []), f"{where}.components", inner, hides + ((hide,) if hide else ())
            )
        elif kind in INPUT_TYPES:
            self.fields.append(self.make_field(comp, kind, where, prefix, hides, hide))
        elif kind not in DISPLAY_TYPES:
            self.note(where, f"loại thành phần {kind!r} không được hỗ trợ; bỏ qua")

    def hide_of(self, comp: dict, where: str) -> str | None:
        """Return the component's ``conditional.hide`` expression, if any."""
        conditional = comp.get("conditional")
        if conditional is None:
            return None
        hide = conditional.get("hide") if isinstance(conditional, dict) else None
        if isinstance(hide, bool):
            hide = "=" + str(hide).lower()
        if hide is None or not isinstance(hide, str):
            if hide is not None or not isinstance(conditional, dict):
                self.note(where, "'conditional' không hợp lệ; bỏ qua")
            return None
        self.compile(where, "ẩn/hiện", hide)
        return hide

    def split_key(self, text: Any, where: str, what: str = "key") -> tuple[str, ...]:
        """Split a dotted key or path into parts, rejecting malformed ones."""
        if not isinstance(text, str) or not text.strip():
            self.fail(where, f"thành phần nhập liệu thiếu {what!r}")
        parts = tuple(text.split("."))
        if any(not part or part != part.strip() for part in parts):
            self.fail(where, f"khoá {text!r} không hợp lệ")
        return parts

    def make_field(
        self,
        comp: dict,
        kind: str,
        where: str,
        prefix: tuple[str, ...],
        hides: tuple[str, ...],
        hide: str | None,
    ) -> FormField:
        """Build the :class:`FormField` of an input component."""
        what = "path" if kind == "dynamiclist" else "key"
        path = prefix + self.split_key(comp.get(what), where, what)
        key = ".".join(path)
        if path in self.seen:
            self.fail(where, f"khoá '{key}' bị trùng (đã dùng ở {self.seen[path]})")
        self.seen[path] = where
        rules = self.rules_of(comp, where)
        properties = comp.get("properties")
        return FormField(
            key=key,
            type=kind,
            label=comp["label"] if isinstance(comp.get("label"), str) else "",
            required=rules.get("required") is True,
            values=self.values_of(comp, kind, where),
            validate=rules,
            conditional_hide=hide,
            properties=dict(properties) if isinstance(properties, dict) else {},
            subtype=self.subtype_of(comp, where) if kind == "datetime" else None,
            readonly=self.readonly_of(comp, where),
            disabled=comp.get("disabled") is True,
            path=path,
            parent_hides=hides,
            children=self.children_of(comp, where) if kind == "dynamiclist" else [],
            component=comp,
        )

    def rules_of(self, comp: dict, where: str) -> dict:
        """Check ``validate`` and return a copy without rules that cannot be applied."""
        rules = comp.get("validate") or {}
        if not isinstance(rules, dict):
            self.fail(where, "'validate' phải là một đối tượng")
        rules = dict(rules)
        for name in (*_LENGTH_RULES, *_BOUND_RULES, "required"):
            if _is_expression(rules.get(name)):
                self.note(where, f"validate.{name} dùng biểu thức FEEL, chưa được hỗ trợ; bỏ qua")
                del rules[name]
        for name in _LENGTH_RULES:
            value = rules.get(name)
            if value is not None and not (
                isinstance(value, int) and not isinstance(value, bool) and value >= 0
            ):
                self.fail(where, f"validate.{name} phải là số nguyên không âm")
        for name in _BOUND_RULES:
            if rules.get(name) is not None and not _is_number(rules[name]):
                self.fail(where, f"validate.{name} phải là một số")
        self.check_pattern(rules.get("pattern"), where)
        kind = rules.get("validationType")
        if kind not in (None, "", *_VALIDATION_TYPES):
            self.note(where, f"validate.validationType {kind!r} không được hỗ trợ; bỏ qua")
        return rules

    def check_pattern(self, pattern: Any, where: str) -> None:
        """Make sure ``validate.pattern`` is a regular expression Python can compile."""
        if pattern is None or pattern == "":
            return
        if not isinstance(pattern, str):
            self.fail(where, "validate.pattern phải là một chuỗi")
        try:
            re.compile(pattern)
        except re.error as exc:
            self.fail(where, f"biểu thức chính quy trong validate.pattern không hợp lệ ({exc}): {pattern!r}")

    def values_of(self, comp: dict, kind: str, where: str) -> list[dict] | None:
        """Return the static options of a choice field (``None`` when dynamic or not a choice)."""
        if kind not in CHOICE_TYPES or "valuesKey" in comp or "valuesExpression" in comp:
            return None
        values = comp.get("values")
        if values is None:
            self.note(
                where,
                "trường lựa chọn không có 'values', 'valuesKey' hay 'valuesExpression'; chấp nhận mọi chuỗi",
            )
            return None
        if not isinstance(values, list):
            self.fail(where, "'values' phải là danh sách các {label, value}")
        options = []
        for index, option in enumerate(values):
            if not (isinstance(option, dict) and "label" in option and "value" in option):
                self.fail(where, f"values[{index}] phải là một đối tượng có 'label' và 'value'")
            if not isinstance(option["value"], _SCALARS):
                self.fail(where, f"values[{index}].value phải là chuỗi, số hoặc đúng/sai")
            options.append({"label": option["label"], "value": option["value"]})
        if not options:
            self.note(where, "danh sách 'values' rỗng; không giá trị nào được chấp nhận")
        return options

    def subtype_of(self, comp: dict, where: str) -> str:
        """Return a datetime component's subtype (``date`` when missing or unknown)."""
        subtype = comp.get("subtype", "date")
        if subtype not in _SUBTYPES:
            self.note(where, f"subtype {subtype!r} không được hỗ trợ; coi như 'date'")
            return "date"
        return subtype

    def readonly_of(self, comp: dict, where: str) -> bool | str:
        """Return ``readonly``: a boolean or a FEEL expression string."""
        readonly = comp.get("readonly", False)
        if _is_expression(readonly):
            self.compile(where, "chỉ đọc", readonly)
            return readonly
        return readonly is True

    def children_of(self, comp: dict, where: str) -> list[FormField]:
        """Parse the item components of a dynamic list (keys relative to one item)."""
        inner = _Walker(self.filename, self.problems, self.expressions, failures=self.failures)
        inner.walk(comp.get("components", []), f"{where}.components", (), ())
        inner.check_conflicts()
        return inner.fields

    def check_conflicts(self) -> None:
        """Reject a key that is a prefix of another (``a`` and ``a.b``)."""
        for path, where in self.seen.items():
            for end in range(1, len(path)):
                if path[:end] in self.seen:
                    other = ".".join(path[:end])
                    self.fail(where, f"khoá '{'.'.join(path)}' xung đột với khoá '{other}'")


def _locate(place: str, component: dict) -> str:
    """Describe a component by its index path and, when known, its key or id."""
    for attribute in ("key", "path", "id"):
        value = component.get(attribute)
        if isinstance(value, str) and value:
            return f"{place} ({attribute} '{value}')"
    return place


def read_components(document: Any, filename: str) -> ParsedComponents:
    """Walk a parsed form-js document and return its input fields and problems."""
    if not isinstance(document, dict):
        raise FormError(filename, "tài liệu biểu mẫu phải là một đối tượng JSON")
    if not isinstance(document.get("components"), list):
        raise FormError(filename, "thiếu danh sách 'components'")
    walker = _Walker(filename)
    walker.walk(document["components"], "components", (), ())
    walker.check_conflicts()
    return ParsedComponents(walker.fields, walker.problems, walker.expressions)
