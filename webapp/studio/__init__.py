"""Xưởng quy trình: the studio's pages for analysts and admins.

- editor: the list of procedures and drafts, the modeler, saving, checking, importing and publishing.
- versions: the versions of a procedure, their diff, the draft's test-run and bulk migration.
- catalogue: the draft's procedure.yaml as a form.
"""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort
from flask_login import login_required

from engine.catalogue import scope, studio
from webapp.auth import official
from webapp.db import get_session, now

bp = Blueprint("studio", __name__, url_prefix="/studio")


def editor_view(view):
    """Views for analysts and admins (403 for everyone else)."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not studio.may_edit(official()):
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def draft_view(view):
    """Views of one procedure's draft (`code`): editors above every unit the procedure reaches (else 403,
    engine.catalogue.scope)."""
    @wraps(view)
    def checked(code: str, *args, **kwargs):
        scope.check_edit(get_session(), official(), code)
        return view(code, *args, **kwargs)
    return editor_view(checked)


def problem_dicts(problems) -> list[dict]:
    """Problems as JSON: file, line, element id and message."""
    return [{"file": p.file, "line": p.line, "element": p.element, "message": p.message} for p in problems]


def open_draft(code: str):
    """The draft of a procedure, opened from its newest version when there is none yet."""
    return studio.open_draft(get_session(), code, official(), now())


from webapp.studio import catalogue, editor, versions  # noqa: E402,F401  (their routes register on bp)
