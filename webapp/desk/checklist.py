"""Thành phần hồ sơ: the desk ticks the papers the applicant brings later (after a supplement at intake, or
for a dossier that arrived online or by post), before receiving it; the receipt (form 01) then lists them."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from engine.dossier import counter
from engine.ground import events
from engine.org.accounts import has_role
from webapp.auth import official, role_required
from webapp.db import get_session, now
from webapp.desk import bp
from webapp.desk.receiving import _checklist
from webapp.helpers import viewable_dossier

# before receipt, and while the desk waits for the papers a supplement asked for during handling
CHECKLIST_OPEN = ("submitted", "supplement_at_intake", "supplement_requested")


def may_update_checklist(dossier) -> bool:
    """Whether the viewer is the dossier's desk and the dossier is not yet received, or waits for a supplement."""
    return dossier.status in CHECKLIST_OPEN and has_role(official(), "mot_cua", dossier.unit_id)


@bp.post("/checklist/<code>")
@role_required("mot_cua")
def update_checklist(code: str):
    """Record which papers have now been received (and how many copies)."""
    session, dossier = get_session(), viewable_dossier(code)
    if not may_update_checklist(dossier):
        abort(403)
    catalogue = dossier.version.procedure.catalogue
    before = {row["name"] for row in dossier.checklist or [] if row.get("received")}
    dossier.checklist = counter.checklist_for(catalogue, _checklist(catalogue))
    added = [row["name"] for row in dossier.checklist if row["received"] and row["name"] not in before]
    events.record(session, "dossier.checklist_updated", now(), dossier=dossier, user=official(),
                  items="; ".join(added) or None)
    session.commit()
    flash(_("Đã cập nhật thành phần hồ sơ đã nhận của hồ sơ %(code)s.", code=code), "success")
    return redirect(request.form.get("next") or url_for("officials.dossier_page", code=code))


def group_page_of(dossier) -> str | None:
    """The address of the liên thông group a member dossier belongs to, for the desk of the unit that received
    the group (who may open it); None for anyone else and for a dossier of no group."""
    if dossier.group_id is None or not has_role(official(), "mot_cua", dossier.group.unit_id):
        return None
    return url_for("desk.group_page", code=dossier.group.code)


def init_app(app) -> None:
    """The dossier and step pages show the form to whoever may use it, and a member's group to its desk."""
    app.jinja_env.globals["may_update_checklist"] = may_update_checklist
    app.jinja_env.globals["group_page_of"] = group_page_of
