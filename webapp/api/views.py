"""API endpoints: read the request, call one engine service, commit, answer."""
from __future__ import annotations

from flask import g, request
from sqlalchemy import select

from engine.catalogue.groups import is_group
from engine.catalogue.procedures import forms_of, get_procedure, list_procedures
from engine.clock.lateness import control_slip
from engine.dossier import group as groups
from engine.dossier import lifecycle, worklist
from engine.ground.errors import Forbidden, NotFound
from engine.models import Event, HumanTask
from webapp.api import bp
from webapp.api.auth import json_body, login_required
from webapp.api.schemas import dossier_json, iso, procedure_json, public_dossier_json, slip_json, task_json
from webapp.db import get_session, now
from webapp.errors import error_response
from webapp.ratelimit import lookup_allowed


@bp.get("/procedures")
def procedures():
    """The published procedures (public)."""
    return {"items": [procedure_json(p) for p in list_procedures(get_session())]}


@bp.post("/dossiers")
@login_required
def create_dossier():
    """Receive a dossier at the caller's desk."""
    body, session = json_body(), get_session()
    code = str(body.get("procedure_code") or "")
    if is_group(get_procedure(session, code).catalogue):
        group = lifecycle.create_group(session, g.user, code, str(body.get("channel") or "in_person"),
                                       body.get("applicant"), body.get("data"), now(), body.get("unit"))
        session.commit()
        summary = groups.group_summary(group, get_procedure(session, code).catalogue)
        return {k: summary[k] for k in ("code", "status", "due_at", "members")}, 201
    dossier = lifecycle.create_dossier(session, g.user, str(body.get("procedure_code") or ""),
                                      str(body.get("channel") or "in_person"), body.get("applicant"),
                                      body.get("data"), now(), body.get("unit"), body.get("postmarked_at"))
    session.commit()
    return {"code": dossier.code, "status": dossier.status, "due_at": iso(dossier.due_at)}, 201


@bp.get("/dossiers/<code>")
@login_required
def get_dossier(code: str):
    """A dossier with its steps and events, for officials of its units."""
    session = get_session()
    if groups.is_group_code(code):
        group = groups.get_group(session, code)
        if not lifecycle.can_view_group(g.user, group, session):
            raise Forbidden("Hồ sơ không thuộc đơn vị của bạn")
        return groups.group_summary(group, get_procedure(session, group.procedure_code).catalogue)
    dossier = lifecycle.get_dossier(session, code)
    if not lifecycle.can_view(g.user, dossier, session):
        raise Forbidden("Hồ sơ không thuộc đơn vị của bạn")
    events = session.scalars(select(Event).where(Event.dossier_id == dossier.id).order_by(Event.at, Event.id)).all()
    body = dossier_json(dossier, lifecycle.dossier_tasks(session, dossier), list(events))
    return body | {"control_slip": slip_json(control_slip(session, dossier))}


@bp.get("/tasks")
@login_required
def tasks():
    """The caller's worklist: ready tasks of their roles and units, by due time."""
    args = request.args
    query = worklist.WorklistQuery(search=args.get("q", ""), procedure=args.get("procedure", ""),
                                   status=args.get("status", ""), kind=args.get("kind", ""),
                                   tab=args.get("tab", ""), page=max(1, args.get("page", 1, type=int)),
                                   per_page=min(200, max(1, args.get("per_page", 50, type=int))))
    result = worklist.worklist(get_session(), g.user, query, now())
    return {"items": [task_json(t) for t in result.rows], "total": result.total, "counts": result.counts,
            "page": result.page, "per_page": result.per_page}


@bp.get("/tasks/<int:task_id>/form")
@login_required
def task_form(task_id: int):
    """The task's form-js definition."""
    session = get_session()
    task = session.get(HumanTask, task_id)
    if task is None:
        raise NotFound(f"Không có công việc số {task_id}")
    if not lifecycle.can_view(g.user, task.dossier, session):
        raise Forbidden("Công việc không thuộc đơn vị của bạn")
    form = forms_of(task.dossier.version).get(task.form_id or "")
    return form.raw if form else {"components": []}


@bp.post("/tasks/<int:task_id>/claim")
@login_required
def claim(task_id: int):
    """Take a task to work on it."""
    session = get_session()
    task = lifecycle.claim_task(session, task_id, g.user, now())
    session.commit()
    return task_json(task)


@bp.post("/tasks/<int:task_id>/complete")
@login_required
def complete(task_id: int):
    """Complete a task with its form data; the dossier moves on."""
    from engine.integrations.signing import SigningError
    from webapp.results import issuer, record_failure

    body, session = json_body(), get_session()
    try:
        task = lifecycle.complete_task(session, task_id, g.user, body.get("data", {}), now(), issue=issuer())
    except SigningError as err:  # the step stays open; the failure is logged apart from the rolled-back step
        record_failure(task_id, err, g.user)
        raise
    session.commit()
    dossier = task.dossier
    return {"task": task_json(task), "dossier": {"code": dossier.code, "status": dossier.status,
                                                 "due_at": iso(dossier.due_at)}}


@bp.get("/public/dossiers/<code>")
def public_dossier(code: str):
    """Tra cứu hồ sơ: status and steps by code, without personal data, without login; rate-limited per client."""
    if not lookup_allowed():
        return error_response(429, "rate_limited", "Bạn tra cứu quá nhiều lần; hãy thử lại sau ít phút")
    session = get_session()
    if groups.is_group_code(code):
        group = groups.get_group(session, code)
        return groups.public_summary(group, get_procedure(session, group.procedure_code).catalogue)
    dossier = lifecycle.get_dossier(session, code)
    body = public_dossier_json(dossier, lifecycle.dossier_tasks(session, dossier))
    return body | ({"group": dossier.group.code} if dossier.group else {})

