"""Tờ khai: the applicant's declaration (the procedure's `application_form`), kept as `Dossier.data`.

The desk types it at the counter, an online submission brings it filled; both pass the same
server-side validation (forms.FormDefinition.validate). Corrections are events: before receipt
`declaration.corrected`, after receipt `declaration.changed`, each with who, when and every
changed field's label, old and new value. The running process sees the declaration under the
name `declaration` (and, as before, each field by its key at the top of the data): step forms'
conditions read `declaration.child_gender`, gateways test `declaration["child_gender"] == "nu"`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.calendar.working import local_date
from engine.catalogue.procedures import forms_of
from engine.ground import events
from engine.ground.errors import Invalid
from engine.ground.vocabulary import ENDED
from engine.models import Dossier, User
from forms import FormDefinition, FormValidationError
from forms.cleaning import MISSING, lookup
from forms.render_values import describe_field

WORKFLOW_NAME = "declaration"  # the workflow data's key holding the declaration


def application_form(dossier_or_version: Any) -> FormDefinition | None:
    """The procedure's application form (None when the procedure names none)."""
    version = getattr(dossier_or_version, "version", dossier_or_version)
    name = version.procedure.catalogue.get("application_form") or ""
    return forms_of(version).get(name) if name else None


def _defaults(components: object) -> dict:
    found: dict = {}
    for comp in components if isinstance(components, list) else []:
        if isinstance(comp, dict):
            if isinstance(comp.get("key"), str) and "defaultValue" in comp:
                found[comp["key"]] = comp["defaultValue"]
            found.update(_defaults(comp.get("components")))
    return found


def is_empty(form: FormDefinition, values: dict) -> bool:
    """Whether nothing was typed: every value blank or the form's own default (a paper declaration)."""
    defaults = _defaults(form.raw.get("components"))

    def typed(key: str, value: object) -> bool:
        if value in (None, "", [], "0") or (isinstance(value, str) and not value.strip()):
            return False
        return str(value).strip() != str(defaults.get(key, "")).strip()
    return not any(typed(k, v) for k, v in values.items())


def validate(form: FormDefinition, values: dict, now: datetime, coerce: bool = True, partial: bool = False,
             prefix: str = "data.") -> dict:
    """The cleaned declaration, or Invalid naming each bad field as `<prefix><key>` (the same check online)."""
    try:
        return form.validate(values, coerce=coerce, partial=partial, today=local_date(now))
    except FormValidationError as err:
        raise Invalid("Tờ khai có trường chưa hợp lệ", {f"{prefix}{k}": v for k, v in err.fields.items()}) from err


def changes(form: FormDefinition, old: dict, new: dict) -> list[dict]:
    """Each field whose value differs: key, label, old and new value as stored and as people read them."""
    found = []
    for f in form.fields:
        before, after = lookup(old, f.path), lookup(new, f.path)
        before = None if before is MISSING else before
        after = None if after is MISSING else after
        if before != after:
            found.append({"field": f.key, "label": f.label or f.key, "old": before, "new": after,
                          "old_text": describe_field(f, before), "new_text": describe_field(f, after)})
    return found


def locked_reason(dossier: Dossier) -> str | None:
    """Why the declaration can no longer be corrected (None while it can): the dossier has ended, or a
    decision on it was taken (a result approved or refused, whose paper was or will be printed from it)."""
    if dossier.status in ENDED:
        return f"Hồ sơ {dossier.code} đã kết thúc; không sửa tờ khai được"
    if dossier.result is not None:
        return (f"Hồ sơ {dossier.code} đã có quyết định ({'phê duyệt' if dossier.result == 'approved' else 'từ chối'}); "
                "giấy tờ kết quả lập từ tờ khai này nên không sửa tờ khai được nữa")
    return None


def correct(session: Session, dossier: Dossier, user: User, values: dict, now: datetime,
            coerce: bool = True) -> list[dict]:
    """Sửa tờ khai: validate the whole declaration again, store it and record what changed (who, when,
    old and new value). Invalid when the dossier has ended or the procedure has no application form."""
    form = application_form(dossier)
    if form is None:
        raise Invalid("Thủ tục này không có tờ khai theo mẫu")
    locked = locked_reason(dossier)
    if locked:
        raise Invalid(locked)
    cleaned = validate(form, values, now, coerce=coerce)
    diff = changes(form, dossier.data or {}, cleaned)
    if not diff:
        return []
    dossier.data = cleaned
    kind = "declaration.changed" if dossier.received_at else "declaration.corrected"
    events.record(session, kind, now, dossier=dossier, user=user, changes=diff,
                  name=", ".join(c["label"] for c in diff))
    return diff


def workflow_values(dossier: Dossier) -> dict:
    """What a step's process data gets from the declaration: its fields at the top and as `declaration`."""
    data = dict(dossier.data or {})
    return data | {WORKFLOW_NAME: dict(data)}
