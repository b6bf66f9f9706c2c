"""Studio views for versions: the list, the diff between two, the draft's test-run and bulk migration."""
from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from bpmn.folder import CATALOGUE_FILE, FolderError, parse_catalogue
from engine.catalogue import sandbox, sandbox_process, studio
from engine.dossier import version_migration
from engine.ground.errors import DomainError, Forbidden
from engine.org.accounts import has_role
from webapp.auth import official
from webapp.db import get_session, now
from webapp.studio import bp, draft_view, editor_view, open_draft


@bp.get("/<code>/versions")
@editor_view
def versions(code: str):
    """Every published version of a procedure (who, when, note) and a diff between two of them."""
    session = get_session()
    rows = studio.versions_of(session, code)
    if not rows:
        abort(404)
    old, new = request.args.get("old", type=int), request.args.get("new", type=int)
    diff = None
    if old and new:
        diff = studio.diff_versions(session, code, old, new)
    return render_template("studio/versions.html", code=code, versions=rows, diff=diff, old=old, new=new,
                           can_migrate=has_role(official(), "admin"))


def _decisions(text: str) -> dict[str, object]:
    """`field=value` lines as a dict (true/false become booleans); `field=a, b` gives the step its values
    visit by visit (engine.catalogue.sandbox.decision_at), so a loop can be walked."""
    values: dict[str, object] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            parts = [_value(part) for part in value.split(",")]
            simple = len(parts) > 1 and all(isinstance(p, bool) or _TOKEN.fullmatch(p) for p in parts)
            values[key.strip()] = parts if simple else _value(value)
    return values


_TOKEN = re.compile(r"[\w.\-]+")


def _value(text: str) -> object:
    text = text.strip()
    return {"true": True, "false": False}.get(text.lower(), text)


DEFAULT_DECISIONS = "intake_decision=receive\nappraisal_decision=propose_approve\napproval_decision=approve\n" \
                    "return_method=desk\nconsult_opinion=agree\nsupplement_received=true"


@bp.route("/<code>/test-run", methods=["GET", "POST"])
@draft_view
def sandbox_run(code: str):
    """Chạy thử: run the draft in memory with the chosen decisions; every path's budget against the limit."""
    draft = open_draft(code)
    get_session().commit()
    try:
        catalogue = parse_catalogue(draft.files.get(CATALOGUE_FILE, ""), CATALOGUE_FILE)
    except FolderError as err:
        flash(str(err), "danger")
        return redirect(url_for("studio.edit", code=code))
    text = request.form.get("decisions", DEFAULT_DECISIONS)
    run = (sandbox_process.run_draft_isolated(draft.files, catalogue, _decisions(text))
           if request.method == "POST" else None)
    diagram = next((t for n, t in sorted(draft.files.items()) if n.endswith(".bpmn")), None)
    return render_template("studio/test_run.html", draft=draft, decisions=text, run=run, diagram=diagram,
                           paths=sandbox.path_budgets(draft.files, catalogue),
                           names=sandbox.element_names(draft.files),
                           limit=sandbox.limit_minutes(catalogue))


def _admin_only() -> None:
    if not has_role(official(), "admin"):
        abort(403)


@bp.get("/<code>/versions/<int:number>/migrate")
@login_required
def migration(code: str, number: int):
    """Dry run: which running dossiers on other versions can move to this one, and why the others cannot."""
    _admin_only()
    session = get_session()
    target = studio.version_by_number(session, code, number)
    checks = version_migration.dry_run(session, target, official())
    session.rollback()  # the dry run migrates copies in memory only
    return render_template("studio/migrate.html", code=code, target=target, checks=checks)


@bp.post("/<code>/versions/<int:number>/migrate")
@login_required
def migrate(code: str, number: int):
    """Move the selected dossiers that can move; one event per dossier."""
    _admin_only()
    session = get_session()
    try:
        target = studio.version_by_number(session, code, number)
        ids = [int(i) for i in request.form.getlist("dossier") if i.isdigit()]
        checks = version_migration.migrate(session, target, official(), ids, now())
    except Forbidden:
        abort(403)
    except DomainError as err:
        session.rollback()
        flash(err.message, "warning")
        return redirect(url_for("studio.migration", code=code, number=number))
    session.commit()
    moved = sum(1 for c in checks if c.can_move)
    flash(_("Đã chuyển %(moved)d hồ sơ sang phiên bản %(number)d; %(left)d hồ sơ không chuyển được.",
            moved=moved, number=number, left=len(checks) - moved), "success" if moved else "warning")
    return redirect(url_for("studio.migration", code=code, number=number))
