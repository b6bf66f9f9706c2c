"""Biểu mẫu: the standard forms of a dossier (01 to 06) and a unit's tracking book (07), served.

HTML for the browser's print and PDF through WeasyPrint come from the same templates in
forms/printing; the engine fills them (engine.printing.forms, engine.printing.tracking_book). Whoever may see
the dossier's page may print its forms; a unit's book is for those with a role in the unit or
above it. Admins set what a unit prints at /admin/units/<code>/documents.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from engine.calendar.working import TZ
from engine.dossier.lifecycle import can_view
from engine.ground.errors import Forbidden, Invalid
from engine.models import Dossier, Unit
from engine.org.tree import ancestors, may_administer, subtree_ids, unit_in_scope
from engine.printing import forms, tracking_book, unit_documents
from forms.printing import FONTS_DIR, FontsMissing, render_html, render_pdf, tracking_book_xlsx
from webapp.auth import official
from webapp.db import get_session, now
from webapp.helpers import viewable_dossier
from webapp.security import csp_nonce

bp = Blueprint("printing", __name__)
DOSSIER_FORMS = ("01", "02", "03", "04", "05", "06")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def base_url() -> str:
    """The public address of this site (MOTCUA_PUBLIC_URL, else the address of the request)."""
    return current_app.config.get("PUBLIC_URL") or request.url_root



def _pdf(context: dict, filename: str) -> Response:
    try:
        pdf = render_pdf(render_html(context))
    except FontsMissing as err:
        current_app.logger.error("%s", err)
        abort(503)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}.pdf"'})


def _page(context: dict, pdf_url: str, links: list[tuple[str, str]], extra: str = "") -> str:
    toolbar = render_template("printing/_toolbar.html", pdf_url=pdf_url, links=links, extra=extra,
                              auto_print=request.args.get("print") == "1")
    return render_html(context, font_url=url_for("printing.font", filename=""), toolbar=toolbar, nonce=csp_nonce())


def form_response(dossier: Dossier, form: str, pdf: bool = False, links: list[tuple[str, str]] | None = None,
                  pdf_url: str | None = None, back: list[tuple[str, str]] | None = None):
    """Form `form` of the dossier as a printable page (or PDF); 404 when the dossier has no such form.

    `pdf_url` and `back` default to the officials' routes; the applicants' pages pass their own.
    """
    event_id = request.args.get("event", type=int)
    context = forms.dossier_form(get_session(), dossier, form, base_url=base_url(), now=now(),
                                    event_id=event_id)
    if pdf:
        return _pdf(context, f"mau-{form}-{dossier.code}")
    pdf_url = pdf_url or url_for("printing.dossier_form", code=dossier.code, name=f"{form}.pdf", event=event_id)
    if back is None:
        back = [(_("Về hồ sơ %(code)s", code=dossier.code), url_for("officials.dossier_page", code=dossier.code))]
    return _page(context, pdf_url, (links or []) + back)


@bp.get("/dossiers/<code>/forms/<name>")
@login_required
def dossier_form(code: str, name: str):
    """Mẫu 01 to 06 of a dossier: `/dossiers/<code>/forms/02` to print, `…/02.pdf` for the PDF."""
    form, _dot, ext = name.partition(".")
    if form not in DOSSIER_FORMS or ext not in ("", "pdf"):
        abort(404)
    links = None
    if form in ("01", "02", "03") and has_role_anywhere(official(), "mot_cua"):  # the desk goes on receiving
        links = [(_("Tiếp nhận hồ sơ khác"), url_for("desk.choose_procedure"))]
    return form_response(viewable_dossier(code), form, pdf=ext == "pdf", links=links)


def has_role_anywhere(user, role: str) -> bool:
    """Whether the official holds `role` in any unit."""
    return any(grant.role == role for grant in user.grants)


def _may_see_unit(unit: Unit) -> bool:
    chain = {node.id for node in ancestors(unit)}
    return any(grant.unit_id in chain for grant in official().grants)


@bp.get("/units/<code>/tracking-book", defaults={"fmt": "html"})
@bp.get("/units/<code>/tracking-book.<fmt>")
@login_required
def unit_book(code: str, fmt: str):
    """Sổ theo dõi hồ sơ of a unit for `?from=YYYY-MM-DD&to=YYYY-MM-DD`, as a page, PDF or xlsx."""
    session = get_session()
    if fmt not in ("html", "pdf", "xlsx"):
        abort(404)
    unit = unit_in_scope(session, code, _may_see_unit)  # unknown or not theirs: the same 403
    try:
        start, end = tracking_book.parse_period(request.args.get("from"), request.args.get("to"),
                                                now().astimezone(TZ).date())
    except Invalid as err:
        flash(f"{err.message}: {' '.join(err.fields.values())}", "warning")
        return redirect(url_for("printing.unit_book", code=code))
    reader = official()
    context = tracking_book.tracking_book_context(session, unit, start, end, now(),
                                                  lambda dossier: can_view(reader, dossier, session))
    filename = f"so-theo-doi-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "pdf":
        return _pdf(context, filename)
    if fmt == "xlsx":
        return Response(tracking_book_xlsx(context), mimetype=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'})
    period = {"from": start.isoformat(), "to": end.isoformat()}
    links = [(_("Tải bảng tính (xlsx)"), url_for("printing.unit_book", code=code, fmt="xlsx", **period))]
    extra = render_template("printing/_period.html", unit=unit, period=period)
    return _page(context, url_for("printing.unit_book", code=code, fmt="pdf", **period), links, extra)


@bp.get("/tracking-book")
@login_required
def choose_book():
    """The units whose tracking book the user may open: theirs and those below that received dossiers."""
    session = get_session()
    own = {grant.unit_id for grant in official().grants}
    with_dossiers = set(session.scalars(select(Dossier.unit_id).where(
        Dossier.unit_id.in_(subtree_ids(session, own))).distinct()))
    units = sorted(session.scalars(select(Unit).where(Unit.id.in_(own | with_dossiers))),
                   key=lambda unit: unit.code)
    if len(units) == 1:
        return redirect(url_for("printing.unit_book", code=units[0].code))
    return render_template("printing/choose_book.html", units=units)


@bp.get("/printing/fonts/<path:filename>")
def font(filename: str):
    """The fonts of the printed forms (Noto Serif, SIL Open Font License), for the browser."""
    return send_from_directory(FONTS_DIR, filename, max_age=7 * 24 * 3600)


@bp.route("/admin/units/<code>/documents", methods=["GET", "POST"])
@login_required
def unit_settings(code: str):
    """What the unit's forms print (agency, address, signatory): admins of the unit or above."""
    session = get_session()
    unit = unit_in_scope(session, code, lambda u: may_administer(official(), u))
    own = (unit.settings or {}).get("documents") or {}
    values, errors, status = {key: own.get(key, "") for key in unit_documents.FIELDS}, {}, 200
    if request.method == "POST":
        submitted = {key: request.form.get(key, "") for key in unit_documents.FIELDS}
        try:
            unit_documents.set_document_settings(session, unit, submitted, official(), now())
            session.commit()
            flash(_("Đã lưu thông tin in trên biểu mẫu của %(unit)s.", unit=unit.name), "success")
            return redirect(url_for("printing.unit_settings", code=code))
        except (Invalid, Forbidden) as err:
            session.rollback()
            flash(err.message, "danger")
            values, errors, status = submitted, err.fields, 422
    return render_template("printing/unit_documents.html", unit=unit, fields=unit_documents.FIELDS,
                           values=values, defaults=unit_documents.default_settings(unit),
                           errors=errors), status
