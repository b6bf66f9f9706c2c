"""What changed between two versions of a procedure folder: diagram elements, forms and catalogue keys."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml
from lxml import etree

from bpmn.check import BPMN, CAMUNDA, FLOW_NODES, NS
from bpmn.folder import diagram_roots

DIFFED_TAGS = (*FLOW_NODES, "sequenceFlow", "lane", "process")
SHORT_NS = {BPMN: "", CAMUNDA: "camunda:"}


@dataclass(frozen=True)
class Change:
    """One attribute of one element or field that differs: its old and new values."""

    attribute: str
    old: Any
    new: Any


@dataclass
class ItemDiff:
    """Elements (or form fields) added, removed and changed, by id (or key)."""

    added: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: dict[str, tuple[str, list[Change]]] = field(default_factory=dict)  # id -> (name, changes)

    @property
    def empty(self) -> bool:
        """True when nothing differs."""
        return not (self.added or self.removed or self.changed)


@dataclass
class VersionDiff:
    """Everything that differs between two procedure folders."""

    elements: ItemDiff
    forms: dict[str, ItemDiff]  # form id -> its fields' diff (forms added or removed: every field)
    catalogue: list[Change]
    files_added: list[str]
    files_removed: list[str]

    @property
    def empty(self) -> bool:
        """True when the two folders mean the same."""
        return (self.elements.empty and not self.catalogue and not self.files_added and not self.files_removed
                and all(d.empty for d in self.forms.values()))


def diff_folders(old: dict[str, str], new: dict[str, str]) -> VersionDiff:
    """Compare two procedure folders (file name -> text)."""
    return VersionDiff(
        elements=_diff_items(_elements(old), _elements(new)),
        forms=_diff_forms(old, new),
        catalogue=_diff_catalogue(old.get("procedure.yaml", ""), new.get("procedure.yaml", "")),
        files_added=sorted(set(new) - set(old)),
        files_removed=sorted(set(old) - set(new)),
    )


def _diff_items(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> ItemDiff:
    result = ItemDiff()
    result.added = [(key, new[key].get("name") or "") for key in sorted(new.keys() - old.keys())]
    result.removed = [(key, old[key].get("name") or "") for key in sorted(old.keys() - new.keys())]
    for key in sorted(old.keys() & new.keys()):
        changes = [Change(attr, old[key].get(attr), new[key].get(attr))
                   for attr in sorted(old[key].keys() | new[key].keys()) if old[key].get(attr) != new[key].get(attr)]
        if changes:
            result.changed[key] = (new[key].get("name") or old[key].get("name") or "", changes)
    return result


def _elements(files: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each diagram element by id, as a flat dict of what the engine reads from it."""
    found: dict[str, dict[str, Any]] = {}
    for _name, root in diagram_roots(files):
        for el in root.iter(*(f"{{{BPMN}}}{tag}" for tag in DIFFED_TAGS)):
            if el.get("id"):
                found[el.get("id")] = _describe(el)
    return found


def _describe(el) -> dict[str, Any]:
    info: dict[str, Any] = {"type": etree.QName(el).localname}
    for attr, value in el.attrib.items():
        qname = etree.QName(attr)
        if qname.localname != "id":
            info[SHORT_NS.get(qname.namespace or BPMN, "") + qname.localname] = value
    for prop in el.findall("bpmn:extensionElements/camunda:properties/camunda:property", NS):
        info[f"property:{prop.get('name')}"] = prop.get("value")
    cond = el.find("bpmn:conditionExpression", NS)
    if cond is not None:
        info["condition"] = (cond.text or "").strip()
    script = el.find("bpmn:script", NS)
    if script is not None:
        info["script"] = (script.text or "").strip()
    for timer in el.iterfind("bpmn:timerEventDefinition/*", NS):
        info[f"timer:{etree.QName(timer).localname}"] = (timer.text or "").strip()
    if etree.QName(el).localname == "lane":
        info["flowNodeRef"] = sorted((ref.text or "").strip() for ref in el.findall("bpmn:flowNodeRef", NS))
    return info


def _form_fields(text: str) -> tuple[str | None, dict[str, dict[str, Any]]]:
    try:
        document = json.loads(text)
    except ValueError:
        return None, {}
    fields: dict[str, dict[str, Any]] = {}

    def walk(components: Any) -> None:
        for comp in components if isinstance(components, list) else []:
            if not isinstance(comp, dict):
                continue
            key = comp.get("key") or comp.get("id")
            if key:
                fields[str(key)] = {"name": comp.get("label") or "",
                                    **{k: v for k, v in comp.items() if k not in ("id", "components", "layout")}}
            walk(comp.get("components"))

    walk(document.get("components") if isinstance(document, dict) else None)
    return (document.get("id") if isinstance(document, dict) else None), fields


def _diff_forms(old: dict[str, str], new: dict[str, str]) -> dict[str, ItemDiff]:
    def by_id(files: dict[str, str]) -> dict[str, dict[str, dict[str, Any]]]:
        forms = {}
        for name, text in sorted(files.items()):
            if name.endswith(".form"):
                form_id, fields = _form_fields(text)
                forms[form_id or name] = fields
        return forms

    old_forms, new_forms = by_id(old), by_id(new)
    result = {}
    for form_id in sorted(old_forms.keys() | new_forms.keys()):
        diff = _diff_items(old_forms.get(form_id, {}), new_forms.get(form_id, {}))
        if not diff.empty:
            result[form_id] = diff
    return result


def _diff_catalogue(old: str, new: str) -> list[Change]:
    def load(text: str) -> dict:
        try:
            data = yaml.safe_load(text) if text else {}
        except yaml.YAMLError:
            return {}
        return data if isinstance(data, dict) else {}

    a, b = load(old), load(new)
    return [Change(key, a.get(key), b.get(key)) for key in sorted(a.keys() | b.keys(), key=str)
            if a.get(key) != b.get(key)]
