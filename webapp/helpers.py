"""What several blueprints share: the dossier an official may see, safe redirects, sending a stored file."""
from __future__ import annotations

import io
from urllib.parse import urlsplit

from flask import abort, current_app, send_file, url_for

from engine.dossier import lifecycle
from engine.dossier.documents import Tampered, read_verified
from engine.ground import events
from engine.models import Dossier
from engine.org.accounts import has_role
from webapp.auth import official
from webapp.db import get_session, now
from webapp.errors import answer


def storage_dir() -> str:
    """Where uploaded files live."""
    return current_app.config["STORAGE_DIR"]


def viewable_dossier(code: str) -> Dossier:
    """The dossier of this code if the official may see it: 404 unknown, 403 outside their units."""
    session = get_session()
    dossier = lifecycle.get_dossier(session, code)
    if not lifecycle.can_view(official(), dossier, session):
        abort(403)
    return dossier


def led_dossier(code: str) -> Dossier:
    """The dossier of this code if the official leads its unit (extension, stop): 404 unknown, 403 otherwise."""
    dossier = viewable_dossier(code)
    if not has_role(official(), "lanh_dao", dossier.unit_id):
        abort(403)
    return dossier


def safe_next(target: str | None) -> str:
    """A redirect target from the request, only if it stays on this site; else the official's home page."""
    if (target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//")
            and "\\" not in target and not any(ord(c) < 32 for c in target)):  # browsers read /\x as //x
        return target
    return home_url()


# An official who holds no step role opens where their work is, not on an empty worklist.
HOMES = (("supervisor", "supervision.dashboard_page"), ("analyst", "studio.index"), ("admin", "admin.index"))


def home_url() -> str:
    """Where the signed-in official starts: the worklist, unless every role they hold has a page of its own."""
    from flask_login import current_user

    if not current_user.is_authenticated or current_user.kind == "applicant":
        return url_for("officials.worklist_page")
    roles = {grant.role for grant in official().grants}
    homes = dict(HOMES)
    if roles and roles <= homes.keys():
        return url_for(next(endpoint for role, endpoint in HOMES if role in roles))
    return url_for("officials.worklist_page")


def send_document(session, doc, where: str, as_attachment: bool):
    """A stored file after checking its hash: 404 when gone, 409 (and an audit event) when it was altered."""
    try:
        content = read_verified(where, doc)
    except Tampered as err:
        events.record(session, "document.integrity_failed", now(), dossier=session.get(Dossier, doc.dossier_id),
                      document=doc.id, sha256=doc.sha256)
        session.commit()
        return answer(409, "tampered", err.message)
    return send_file(io.BytesIO(content), mimetype=doc.content_type, download_name=doc.filename,
                     as_attachment=as_attachment)


def dossier_panels(dossier: Dossier, public: bool = False) -> dict:
    """What the dossier's side panels show, read here so templates query nothing: the fee, the postal
    shipments with their events, the applicant's online link (a withdrawal request) and, for officials,
    whether the viewer leads the unit and which forms can be printed."""
    from engine.dossier import payments, shipments
    from engine.models import ApplicantDossier
    from engine.org.accounts import has_role
    from engine.printing.forms import TITLES

    session = get_session()
    panels = {"fee": payments.payment_summary(session, dossier),
              "shipments": [(s, shipments.shipment_events(session, s)) for s in shipments.shipments_of(session, dossier)],
              "postal_labels": shipments.STATUS_LABELS, "postal_problems": shipments.PROBLEM_STATUSES}
    if public:
        return panels
    viewer = official()
    panels.update(withdrawal=session.get(ApplicantDossier, dossier.id), form_titles=TITLES,
                  leads_unit=viewer is not None and has_role(viewer, "lanh_dao", dossier.unit_id),
                  printable_forms=_printable(session, dossier) if viewer is not None else [])
    return panels


def _printable(session, dossier: Dossier) -> list:
    from engine.ground.errors import DomainError
    from engine.printing.forms import available_forms

    try:
        return available_forms(session, dossier)
    except DomainError:  # a dossier whose events say no form yet
        return []
