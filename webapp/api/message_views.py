"""Messages to a waiting dossier: `POST /api/v1/dossiers/{code}/messages/{name}` (engine.dossier.messages)."""
from __future__ import annotations

from flask import g

from engine.dossier import lifecycle, messages
from webapp.api import bp
from webapp.api.auth import json_body, login_required
from webapp.api.schemas import iso
from webapp.db import get_session, now


@bp.post("/dossiers/<code>/messages/<name>")
@login_required
def deliver_message(code: str, name: str):
    """Deliver a BPMN message (with its payload) to the dossier waiting for it."""
    body, session = json_body(), get_session()
    dossier = lifecycle.get_dossier(session, code)
    dossier = messages.deliver_message(session, dossier, name, body.get("payload", {}), g.user, now())
    session.commit()
    return {"code": dossier.code, "status": dossier.status, "due_at": iso(dossier.due_at),
            "tasks": [t.element_id for t in lifecycle.dossier_tasks(session, dossier) if t.state == "ready"]}
