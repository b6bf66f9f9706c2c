"""JSON shapes of API resources."""
from __future__ import annotations

from datetime import datetime

from engine.catalogue.groups import is_group, members_of
from engine.dossier.states import RESULT_LABELS
from engine.ground.vocabulary import STATUS_LABELS
from engine.messaging.portal_status import NATIONAL_CODES
from engine.models import Dossier, Event, HumanTask, Procedure


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in Vietnam's time zone, or None."""
    if moment is None:
        return None
    from engine.calendar.working import TZ

    return moment.astimezone(TZ).isoformat()


def procedure_json(p: Procedure) -> dict:
    """A catalogue entry."""
    cat = p.catalogue
    return {"code": p.code, "name": p.name, "field": p.field, "authority": p.authority,
            "time_limit": cat.get("time_limit"), "fees": cat.get("fees", []), "documents": cat.get("documents", []),
            "results": cat.get("results", []), "channels": cat.get("channels", []), "online": cat.get("online"),
            "version": p.current_version.number if p.current_version else None} | _members(cat)


def _members(catalogue: dict) -> dict:
    return {"members": [str(m["procedure"]) for m in members_of(catalogue)]} if is_group(catalogue) else {}


def task_json(t: HumanTask) -> dict:
    """A worklist row."""
    return {"id": t.id, "dossier_code": t.dossier.code, "element_id": t.element_id, "name": t.name,
            "role": t.role, "unit": t.unit.code, "unit_name": t.unit.name, "kind": t.kind, "state": t.state,
            "assignee": t.assignee.username if t.assignee else None, "created_at": iso(t.created_at),
            "due_at": iso(t.due_at), "form": t.form_id, "form_url": f"/api/v1/tasks/{t.id}/form",
            "dossier_due_at": iso(t.dossier.due_at), "dossier_status": t.dossier.status,
            "applicant_name": t.dossier.applicant_name, "lateness": t.lateness}


def dossier_json(d: Dossier, tasks: list[HumanTask], events: list[Event] | None = None) -> dict:
    """A dossier with its steps, for officials."""
    body = {"code": d.code, "procedure_code": d.version.procedure.code, "procedure_name": d.version.procedure.name,
            "procedure_version": d.version.number, "unit": d.unit.code, "unit_name": d.unit.name,
            "channel": d.channel, "status": d.status, "status_label": STATUS_LABELS.get(d.status, d.status),
            "national_status": NATIONAL_CODES.get(d.status), "result": d.result,
            "applicant": d.applicant, "data": d.data, "submitted_at": iso(d.submitted_at),
            "received_at": iso(d.received_at), "due_at": iso(d.due_at), "completed_at": iso(d.completed_at),
            "returned_at": iso(d.returned_at), "paused_at": iso(d.paused_at),
            "postmarked_at": iso(d.postmarked_at), "original_due_at": iso(d.original_due_at),
            "extended_at": iso(d.extended_at), "lateness": d.lateness, "group": d.group.code if d.group else None,
            "tasks": [task_json(t) | {"completed_at": iso(t.completed_at)} for t in tasks]}
    if events is not None:
        body["events"] = [{"at": iso(e.at), "kind": e.kind, "user_id": e.user_id, "payload": e.payload}
                          for e in events]
    return body


def public_dossier_json(d: Dossier, tasks: list[HumanTask]) -> dict:
    """What anyone may see of a dossier by its code: no personal data."""
    current = [t for t in tasks if t.state == "ready"]
    return {"code": d.code, "procedure_code": d.version.procedure.code, "procedure_name": d.version.procedure.name,
            "unit_name": d.unit.name, "status": d.status, "status_label": STATUS_LABELS.get(d.status, d.status),
            "result": RESULT_LABELS.get(d.result or ""), "submitted_at": iso(d.submitted_at),
            "received_at": iso(d.received_at), "due_at": iso(d.due_at), "returned_at": iso(d.returned_at),
            "current_step": current[0].name if current else None,
            "steps": [{"name": t.name, "unit_name": t.unit.name, "started_at": iso(t.created_at),
                       "completed_at": iso(t.completed_at), "state": t.state} for t in tasks if t.state != "cancelled"]}


def slip_json(rows: list) -> list[dict]:
    """The control slip's rows (form 06), times in Vietnam's zone."""
    from engine.ground.vocabulary import LATENESS_LABELS

    return [{"step": r.step, "element_id": r.element_id, "unit": r.unit, "unit_name": r.unit_name,
             "received_at": iso(r.received_at), "handed_over_at": iso(r.handed_over_at), "handed_by": r.handed_by,
             "received_by": r.received_by, "due_at": iso(r.due_at), "result": r.result,
             "result_label": LATENESS_LABELS.get(r.result or ""), "note": r.note} for r in rows]
