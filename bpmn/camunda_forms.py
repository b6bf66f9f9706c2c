"""Camunda 7's ways of giving a user task its form, read into ours.

- `camunda:formRef="id"` (with `camunda:formRefBinding`/`formRefVersion`, which a folder of one version
  does not need): the form-js file of that id.
- `camunda:formKey="camunda-forms:deployment:intake.form"` or `camunda-forms:app:forms/intake.form`
  (Camunda 7.15+): the form-js file of that name in the folder; the form is found by file name, so a
  form file without an `id` works.
- `camunda:formData` (generated task forms): its fields, types, defaults and validation constraints become
  a form-js form named `formData:<task id>`.
- `embedded:app:…` and other keys (HTML forms, external apps) are refused with what to draw instead.
"""
from __future__ import annotations

from pathlib import PurePosixPath

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
FORM_KEY_PREFIXES = ("camunda-forms:deployment:", "camunda-forms:app:")
GENERATED_PREFIX = "formData:"
TYPES = {"string": ("textfield", None), "long": ("number", None), "boolean": ("checkbox", None),
         "date": ("datetime", "date"), "enum": ("select", None)}
CONSTRAINTS = {"minlength": "minLength", "maxlength": "maxLength", "min": "min", "max": "max"}


def form_key_ref(form_key: str | None) -> tuple[str | None, str | None]:
    """(the form file name a formKey names, None) or (None, why it cannot be used)."""
    key = (form_key or "").strip()
    for prefix in FORM_KEY_PREFIXES:
        if key.startswith(prefix) and key[len(prefix):].strip():
            return PurePosixPath(key[len(prefix):].strip()).name, None
    if key.startswith("embedded:"):
        return None, (f"biểu mẫu HTML nhúng ({key}) không chạy được ở đây; hãy vẽ biểu mẫu bằng Camunda Form "
                      "(tệp .form trong thư mục thủ tục) rồi ghi camunda:formRef=\"mã biểu mẫu\" hoặc "
                      "camunda:formKey=\"camunda-forms:deployment:ten.form\"")
    return None, (f"camunda:formKey '{key}' không trỏ tới biểu mẫu nào trong thư mục; hãy ghi "
                  "camunda:formKey=\"camunda-forms:deployment:ten.form\" hoặc camunda:formRef")


def task_form_ref(task) -> str | None:
    """The form a user task element names, in any of the accepted shapes (None: none or unusable)."""
    ref = task.get(f"{{{CAMUNDA}}}formRef")
    if ref:
        return ref
    if task.find(f"{{{BPMN}}}extensionElements/{{{CAMUNDA}}}formData") is not None:
        return GENERATED_PREFIX + task.get("id", "")
    if task.get(f"{{{CAMUNDA}}}formKey"):
        return form_key_ref(task.get(f"{{{CAMUNDA}}}formKey"))[0]
    return None


def generated_forms(roots) -> dict[str, dict]:
    """The form-js document of every user task's camunda:formData, by its form id `formData:<task id>`."""
    out = {}
    for _name, root in roots:
        for task in root.iter(f"{{{BPMN}}}userTask"):
            data = task.find(f"{{{BPMN}}}extensionElements/{{{CAMUNDA}}}formData")
            if data is not None:
                form_id = GENERATED_PREFIX + task.get("id", "")
                out[form_id] = {"type": "default", "id": form_id, "schemaVersion": 16,
                                "components": [_component(f) for f in data.findall(f"{{{CAMUNDA}}}formField")]}
    return out


def _component(field) -> dict:
    key = field.get("id") or ""
    kind, subtype = TYPES.get(field.get("type") or "string", ("textfield", None))
    comp: dict = {"id": f"Field_{key}", "key": key, "type": kind, "label": field.get("label") or key}
    if subtype:
        comp["subtype"] = subtype
    if kind == "select":
        comp["values"] = [{"value": v.get("id"), "label": v.get("name") or v.get("id")}
                          for v in field.findall(f"{{{CAMUNDA}}}value")]
    default = field.get("defaultValue")
    if default is not None and not default.startswith(("${", "#{")):
        comp["defaultValue"] = _typed(default, kind)
    validate: dict = {}
    for constraint in field.findall(f"{{{CAMUNDA}}}validation/{{{CAMUNDA}}}constraint"):
        name, config = constraint.get("name"), constraint.get("config")
        if name == "required":
            validate["required"] = True
        elif name == "readonly":
            comp["readonly"] = True
        elif name in CONSTRAINTS and config is not None:
            try:
                validate[CONSTRAINTS[name]] = int(config) if name.endswith("length") else float(config)
            except ValueError:
                continue
    if validate:
        comp["validate"] = validate
    return comp


def _typed(value: str, kind: str):
    if kind == "checkbox":
        return value.strip().lower() == "true"
    if kind == "number":
        try:
            return int(value)
        except ValueError:
            return value
    return value
