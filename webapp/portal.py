"""Cổng dịch vụ công: the public catalogue of procedures and the dossier lookup by code (no login)."""
from __future__ import annotations

import threading

from flask import Blueprint, Flask, Response, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from engine.catalogue.admin import catalogue_rows
from engine.catalogue.procedures import get_procedure
from engine.dossier import group as groups
from engine.dossier import lifecycle
from engine.dossier.codes import normalise_code
from engine.dossier.online import accepts_online, handling_units
from engine.ground.errors import NotFound
from engine.ground.vocabulary import STATUS_LABELS, DossierStatus
from webapp.db import get_session, now
from webapp.helpers import dossier_panels
from webapp.ratelimit import lookup_allowed

bp = Blueprint("portal", __name__)


def init_app(app: Flask) -> None:
    """With WARM_BLANK_FORMS (the serving processes: gunicorn.conf.py, `make run`; not tests, not the CLI), the
    blank forms are rendered in a background thread as the process starts, so the first download is no slower."""
    if app.config.get("WARM_BLANK_FORMS"):
        threading.Thread(target=_warm_blank_forms, args=(app,), name="warm-blank-forms", daemon=True).start()


def _warm_blank_forms(app: Flask) -> None:
    from engine.catalogue.templates import warm_blank_forms  # as the view does: PDF code loaded on use

    try:
        with app.extensions["motcua"]["sessions"]() as session:
            app.logger.info("Mẫu đơn, tờ khai đã dựng sẵn: %d", warm_blank_forms(session))
    except Exception:  # a database not migrated yet: each download renders its own form, as before
        app.logger.warning("Không dựng sẵn được mẫu đơn, tờ khai", exc_info=True)
# The lookup's own words for a dossier's outcome (the API keeps engine.dossier.states.RESULT_LABELS).
LOOKUP_RESULTS = {"approved": _l("Được giải quyết (chấp thuận)"), "refused": _l("Từ chối giải quyết")}
AUTHORITY_LABELS = {"commune": _l("Cấp xã"), "district": _l("Cấp huyện"), "province": _l("Cấp tỉnh"),
                    "central": _l("Cấp trung ương")}


@bp.get("/thu-tuc")
def catalogue():
    """Danh mục thủ tục: search by name or code, filter by field and authority level."""
    args = request.args
    rows = catalogue_rows(get_session(), args.get("q", ""))
    fields = sorted({r.procedure.field for r in rows if r.procedure.field})
    levels = sorted({r.procedure.authority for r in rows if r.procedure.authority})
    if args.get("field"):
        rows = [r for r in rows if r.procedure.field == args["field"]]
    if args.get("authority"):
        rows = [r for r in rows if r.procedure.authority == args["authority"]]
    return render_template("portal/catalogue.html", rows=rows, fields=fields, levels=levels, args=args,
                           authority_labels=AUTHORITY_LABELS)


@bp.get("/thu-tuc/<code>")
def procedure(code: str):
    """A procedure: documents, time limit, fees, channels, online level, where to submit."""
    session = get_session()
    rows = [r for r in catalogue_rows(session, code) if r.procedure.code == code]
    if not rows:
        abort(404)
    row = rows[0]
    online = accepts_online(row.procedure)
    return render_template("portal/procedure.html", row=row, online=online, authority_labels=AUTHORITY_LABELS,
                           units=handling_units(session, row.procedure) if online else [])


@bp.get("/thu-tuc/<code>/mau/<name>")
def document_template(code: str, name: str):
    """Tải mẫu: a blank form of the procedure (its checklist item's `template`) as PDF."""
    from engine.catalogue.templates import template_pdf

    pdf = template_pdf(get_procedure(get_session(), code).current_version, name)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name.rsplit(".", 1)[0]}.pdf"'})


@bp.get("/tra-cuu")
def lookup_form():
    """Tra cứu hồ sơ: a form asking for the code (the QR code of the receipt leads to the result page)."""
    code = request.args.get("code", "").strip()
    if code:  # a code typed short or in lower case goes to the page of its full form
        return redirect(url_for("portal.lookup", code=normalise_code(code) or code))
    return render_template("portal/lookup_form.html")


@bp.get("/tra-cuu/<code>")
def lookup(code: str):
    """A dossier's status, current step, due date and steps with dates, without personal data; rate-limited."""
    if not lookup_allowed():
        return render_template("portal/lookup_form.html", code=code, limited=True), 429
    session = get_session()
    try:
        if groups.is_group_code(code):  # liên thông: the group and its members
            group = groups.get_group(session, code)
            catalogue = get_procedure(session, group.procedure_code).catalogue
            return render_template("portal/group_lookup.html", group=group,
                                   summary=groups.public_summary(group, catalogue),
                                   names={m.code: m for m in group.members})
        dossier = lifecycle.get_dossier(session, code)
    except NotFound:
        return render_template("portal/lookup_form.html", code=code, unknown=True), 404
    if dossier.code != code:  # typed short in the address: the page's address is the full code
        return redirect(url_for("portal.lookup", code=dossier.code))
    steps = [t for t in lifecycle.dossier_tasks(session, dossier) if t.state != "cancelled"]
    current = [t for t in steps if t.state == "ready"]
    return render_template("portal/lookup.html", dossier=dossier, steps=steps, current=current[0] if current else None,
                           status=STATUS_LABELS.get(dossier.status, dossier.status),
                           result=None if dossier.status == DossierStatus.REFUSED  # refused at intake: the status says it
                           else LOOKUP_RESULTS.get(dossier.result or ""), now=now(),
                           **dossier_panels(dossier, public=True))
