"""Công dân: applicants' accounts (register, log in) and "Hồ sơ của tôi" (their dossiers and requests)."""
from __future__ import annotations

import io
from functools import wraps

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engine.applicants import feedback as feedbacks
from engine.applicants import my_data, satisfaction
from engine.applicants import own_dossiers as mine
from engine.applicants.identity import Registration, provider
from engine.applicants.linking import link_counter_dossiers
from engine.dossier import shipments
from engine.dossier.documents import Upload, documents_of
from engine.ground.errors import Conflict, DomainError, Invalid, NotFound
from engine.ground.search_text import fold
from engine.ground.vocabulary import STATUS_LABELS
from engine.models import ApplicantAccount, Dossier, Event, Procedure, Unit
from engine.printing.issuance import pending as results_signing
from webapp.adapters import adapters_of
from webapp.auth import ApplicantSessionUser, end_session, start_session
from webapp.db import get_session, now
from webapp.errors import status_of
from webapp.helpers import dossier_panels, safe_next, send_document
from webapp.login_throttle import throttled

bp = Blueprint("applicants", __name__, url_prefix="/cong-dan")
INTERNAL_LEVELS = ("division", "desk", "leadership")  # parts of an agency, not agencies a citizen writes to
# What an applicant's session may open; every other page (officials', admin, printing…) answers 403.
# sim_payment: the simulated gateway's pay page sits on our own origin in development.
APPLICANT_BLUEPRINTS = {"applicants", "applicant_payments", "sim_payment", "sim_vneid", "online", "online_group", "portal", "public", "api",
                        "auth", None}
# Public pages of officials' blueprints: the fonts of printed forms (an applicant prints their receipt),
# a unit's published indicators, a document of their own dossier and the public check of an issued result (/xac-thuc).
APPLICANT_ENDPOINTS = {"printing.font", "supervision.public_indicators", "api.document_file", "results.verify"}
NOTICE_FORMS = ("02", "03", "04", "05")  # the notices a citizen may open from their dossier
STATUS = {Invalid: 422, Conflict: 409, NotFound: 404}


def applicant() -> ApplicantAccount:
    """The logged-in applicant's account."""
    return current_user.user


def applicant_required(view):
    """Views for applicants: anonymous users go to the applicants' login, officials get 403."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("applicants.login", next=request.full_path))
        if current_user.kind != "applicant":
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def refuse_applicants_outside_their_pages() -> None:
    """Officials' pages refuse an applicant's session."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    if (current_user.kind == "applicant" and request.blueprint not in APPLICANT_BLUEPRINTS
            and request.endpoint not in APPLICANT_ENDPOINTS):
        abort(403)


def init_app(app: Flask) -> None:
    """Guard officials' pages against applicants' sessions; the navbar's count of unread notices."""
    app.before_request(refuse_applicants_outside_their_pages)
    app.context_processor(unread_notices)


def unread_notices() -> dict:
    """`unread_notices` in every template: the signed-in applicant's unread messages (one query), else nothing."""
    if not current_user.is_authenticated or current_user.kind != "applicant":
        return {}
    from engine.applicants import inbox

    return {"unread_notices": inbox.unread_count(get_session(), current_user.user.id)}


def _identity():
    return provider(current_app.config.get("IDENTITY_PROVIDER", "local"))


@bp.route("/dang-ky", methods=["GET", "POST"])
def register():
    """Đăng ký tài khoản: email, name, password, and optionally ID number, phone and address."""
    if request.method == "GET":
        return render_template("applicants/register.html", form={}, errors={})
    form = request.form
    session = get_session()
    try:
        account = _identity().register(session, Registration(
            form.get("email", ""), form.get("full_name", ""), form.get("password", ""), form.get("id_number", ""),
            form.get("phone", ""), form.get("address", "")), now())
        if form.get("consent") != "yes":  # Decree 13/2023: no account is kept without consent (rolled back)
            raise Invalid(_("Hãy đồng ý với việc xử lý dữ liệu cá nhân để đăng ký"),
                          {"consent": _("Cần sự đồng ý của Ông/Bà.")})
        account.consent_at, account.consent_version = now(), my_data.CONSENT_VERSION
        session.commit()
    except Invalid as err:
        session.rollback()
        flash(err.message, "danger")
        return render_template("applicants/register.html", form=form, errors=err.fields), 422
    start_session(ApplicantSessionUser(account))
    flash(_("Đã tạo tài khoản. Xin chào %(name)s.", name=account.full_name), "success")
    return redirect(url_for("applicants.my_dossiers"))


@bp.route("/dang-nhap", methods=["GET", "POST"])
@throttled
def login():
    """Đăng nhập của công dân (email and password)."""
    if request.method == "GET":
        return render_template("applicants/login.html", email="", vneid=adapters_of(current_app).vneid is not None)
    email, session = request.form.get("email", ""), get_session()
    try:
        account = _identity().authenticate(session, email, request.form.get("password", ""), now())
    except DomainError as err:
        session.commit()  # the failure counts towards the pause, and the audit keeps it
        flash(err.message, "danger")
        return render_template("applicants/login.html", email=email,
                               vneid=adapters_of(current_app).vneid is not None), 401
    session.commit()
    start_session(ApplicantSessionUser(account))
    flash(_("Xin chào %(name)s.", name=account.full_name), "success")
    target = request.args.get("next")
    return redirect(safe_next(target) if target else url_for("applicants.my_dossiers"))


@bp.post("/dang-xuat")
@applicant_required
def logout():
    """Đăng xuất: every session of the account ends."""
    end_session()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("public.home"))


@bp.get("/ho-so")
@applicant_required
def my_dossiers():
    """Hồ sơ của tôi: each dossier with its status and due date (counter dossiers of the citizen included)."""
    _link_counter_dossiers()
    session, rows = get_session(), mine.my_dossiers(get_session(), applicant())
    posted = {row.dossier.id: shipments.shipments_of(session, row.dossier) for row in rows}
    from engine.dossier import online_drafts

    return render_template("applicants/my_dossiers.html", rows=rows, statuses=STATUS_LABELS, posted=posted,
                           postal_labels=shipments.STATUS_LABELS,
                           drafts=online_drafts.of_account(session, applicant(), now()))


@bp.get("/kho-giay-to")
@applicant_required
def document_store():
    """Kho giấy tờ của tôi: the results and accepted scans of the account's dossiers, to reuse in a new one."""
    from engine.dossier import case_file

    _link_counter_dossiers()
    session, account = get_session(), applicant()
    items = case_file.citizen_store(session, account_id=account.id)
    dossiers = {d.id: d for d in session.scalars(select(Dossier).where(Dossier.id.in_({i.dossier_id for i in items})))}
    return render_template("applicants/document_store.html", items=items, dossiers=dossiers,
                           signed={i.id for i in items if case_file.is_signed(i)}, kinds=case_file.KIND_LABELS)


def _link_counter_dossiers() -> None:
    """Counter dossiers of the signed-in citizen join the account (engine.applicants.linking)."""
    session = get_session()
    if link_counter_dossiers(session, applicant(), now()):
        session.commit()


def owned_dossier(code: str) -> mine.MyDossier:
    """The signed-in applicant's own dossier of this code (404 for any other)."""
    try:
        return mine.owned(get_session(), applicant(), code)
    except NotFound:
        _link_counter_dossiers()
        return mine.owned(get_session(), applicant(), code)


@bp.get("/ho-so/<code>")
@applicant_required
def dossier_page(code: str):
    """The owner's dossier: status, due date, documents, and what they can do now."""
    return _dossier_page(owned_dossier(code))


def _dossier_page(item: mine.MyDossier, status: int = 200, supplement_error: str = "", note: str = ""):
    """The owner's dossier page; after a refused supplement, with its error by the form and the note kept."""
    session = get_session()
    return render_template("applicants/dossier.html", item=item, dossier=item.dossier, statuses=STATUS_LABELS,
                           documents=documents_of(session, item.dossier), results=mine.results(session, item.dossier),
                           signing=[m.payload for m in results_signing(session, item.dossier)],
                           declaration_html=_declaration_html(item.dossier),
                           supplement_states=mine.SUPPLEMENT_STATES, no_withdrawal=mine.NO_WITHDRAWAL,
                           requested=_supplement_request(item), submitted=request.args.get("submitted") == "1",
                           rating_criteria=satisfaction.CRITERIA, rating_levels=satisfaction.LEVELS,
                           supplement_error=supplement_error, note=note,
                           **_progress(item), **dossier_panels(item.dossier, public=True)), status


def _progress(item: mine.MyDossier) -> dict:
    """The timeline, what is asked of the citizen now, why the dossier ended and its notices (forms 02–05)."""
    from engine.applicants import progress
    from engine.dossier import payments
    from engine.printing.forms import available_forms

    session, dossier = get_session(), item.dossier
    try:
        notices = [f for f in available_forms(session, dossier) if f.form in NOTICE_FORMS]
    except DomainError:
        notices = []
    return {"timeline": progress.timeline(session, dossier), "ending": progress.ending(session, dossier),
            "todo": progress.todo(session, dossier, item.link, item.rating,
                                  bool(payments.payment_summary(session, dossier)["awaited"])),
            "notices": notices}


def _declaration_html(dossier):
    from engine.dossier.declaration import application_form
    from forms.render import render_form

    form = application_form(dossier)
    return render_form(form, dossier.data, readonly=True) if form and dossier.data else None


def _supplement_request(item: mine.MyDossier) -> Event | None:
    return get_session().scalar(select(Event).where(Event.dossier_id == item.dossier.id,
                                                    Event.kind == "dossier.supplement_requested")
                                .order_by(Event.id.desc()).limit(1))


def _act(code: str, action, message: str):
    session, item = get_session(), owned_dossier(code)
    try:
        action(session, item)
        session.commit()
        flash(message, "success")
    except DomainError as err:
        session.rollback()
        flash(err.message, "danger")
    return redirect(url_for("applicants.dossier_page", code=item.dossier.code))


@bp.post("/ho-so/<code>/bo-sung")
@applicant_required
def supplement(code: str):
    """Nộp bổ sung: upload what was asked for; the dossier goes back to the desk."""
    uploads = [Upload(f.filename or "", f.read()) for f in request.files.getlist("files") if f and f.filename]
    session, item, note = get_session(), owned_dossier(code), request.form.get("note", "")
    try:
        mine.supplement(session, item, uploads, note, current_app.config["STORAGE_DIR"], now())
        session.commit()
    except DomainError as err:  # nothing is kept: the page says why by the form, with the note as typed
        session.rollback()
        return _dossier_page(owned_dossier(code), status_of(err), err.message, note)
    flash(_("Đã nộp bổ sung hồ sơ %(code)s.", code=code), "success")
    return redirect(url_for("applicants.dossier_page", code=item.dossier.code))


@bp.post("/ho-so/<code>/rut")
@applicant_required
def withdraw(code: str):
    """Xin rút hồ sơ: a request the agency acts on."""
    return _act(code, lambda s, item: mine.ask_withdrawal(s, item, request.form.get("reason", ""), now()),
                _("Đã gửi đề nghị rút hồ sơ %(code)s.", code=code))


@bp.post("/ho-so/<code>/danh-gia")
@applicant_required
def rate(code: str):
    """Đánh giá: the national portal survey's six criteria 1..5 (or, from an older form, satisfied or not),
    and a comment, once per dossier."""
    satisfied = request.form.get("satisfied") == "yes"
    # the six criteria unless the older yes/no answer was given: nothing at all is refused, not "not satisfied"
    surveyed = any(key.startswith("score_") for key in request.form) or \
        request.form.get("satisfied") not in ("yes", "no")

    def rate_it(s, item):
        scores = satisfaction.parse_scores(request.form) if surveyed else None
        return mine.rate(s, item, satisfied, request.form.get("comment", ""), now(), scores)
    return _act(code, rate_it, _("Cảm ơn Ông/Bà đã đánh giá."))


@bp.route("/phan-anh-kien-nghi", methods=["GET", "POST"])
@applicant_required
def feedback():
    """Phản ánh, kiến nghị: the applicant's feedback with the units' answers, and a form for a new one."""
    session, errors, status = get_session(), {}, 200
    if request.method == "POST":
        form = request.form
        unit = form.get("unit", "")
        try:
            feedbacks.submit(session, applicant(), form.get("kind", ""), form.get("content", ""), now(),
                             dossier_code=form.get("dossier", ""), procedure_code=form.get("procedure", ""),
                             unit_id=int(unit) if unit.isdigit() else None)
            session.commit()
            flash(_("Đã gửi phản ánh, kiến nghị; cơ quan sẽ trả lời tại trang này."), "success")
            return redirect(url_for("applicants.feedback"))
        except DomainError as err:
            session.rollback()
            flash(err.message, "danger")
            errors, status = err.fields, STATUS.get(type(err), 400)
    # the agencies a citizen addresses (not a unit's internal divisions), in Vietnamese alphabetical order
    units = sorted(session.scalars(select(Unit).where(Unit.level.not_in(INTERNAL_LEVELS))).all(),
                   key=lambda u: (fold(u.name), u.name))
    procedures = sorted(session.scalars(select(Procedure)).all(), key=lambda p: (fold(p.name), p.name))
    return render_template("applicants/feedback.html", items=feedbacks.of_account(session, applicant()),
                           dossiers=mine.my_dossiers(session, applicant()), units=units, procedures=procedures,
                           kinds=feedbacks.KINDS, errors=errors,
                           chosen=request.values.get("dossier", "")), status


@bp.get("/bao-ve-du-lieu-ca-nhan")
def privacy():
    """Thông báo xử lý dữ liệu cá nhân (Decree 13/2023): what the portal keeps, why, and the citizen's rights."""
    return render_template("applicants/privacy.html")


@bp.get("/du-lieu-cua-toi")
@applicant_required
def my_data_download():
    """The applicant's own data as a zip: du-lieu.json and their dossiers' files."""
    content = my_data.export(get_session(), applicant(), current_app.config["STORAGE_DIR"])
    return send_file(io.BytesIO(content), mimetype="application/zip", as_attachment=True,
                     download_name=f"du-lieu-cua-toi-{now():%Y%m%d}.zip")


@bp.get("/ho-so/<code>/ket-qua/<int:document_id>")
@applicant_required
def result(code: str, document_id: int):
    """Download an electronic result of the owner's dossier."""
    doc = mine.result_document(get_session(), owned_dossier(code), document_id)
    return send_document(get_session(), doc, current_app.config["STORAGE_DIR"], as_attachment=True)


@bp.get("/ho-so/<code>/thong-bao/<form>")
@applicant_required
def notice(code: str, form: str):
    """A notice of the owner's dossier: mẫu 02 (supplement), 03 (refusal), 04 (new date) or 05 (stopped)."""
    from webapp.printing import form_response

    if form not in NOTICE_FORMS:
        abort(404)
    item = owned_dossier(code)
    own = url_for("applicants.notice", code=item.dossier.code, form=form, pdf=1, event=request.args.get("event"))
    return form_response(item.dossier, form, pdf=request.args.get("pdf") == "1", pdf_url=own,
                         back=[(_("Về hồ sơ của tôi"), url_for("applicants.dossier_page", code=item.dossier.code))])


@bp.get("/ho-so/<code>/giay-tiep-nhan")
@applicant_required
def receipt(code: str):
    """Giấy tiếp nhận hồ sơ (form 01) of the owner's dossier, once received."""
    from webapp.printing import form_response

    item = owned_dossier(code)
    own = url_for("applicants.receipt", code=item.dossier.code, pdf=1)
    return form_response(item.dossier, "01", pdf=request.args.get("pdf") == "1", pdf_url=own,
                         back=[(_("Về hồ sơ của tôi"), url_for("applicants.dossier_page", code=item.dossier.code))])


@bp.get("/thong-bao")
@applicant_required
def notices():
    """Thông báo của tôi: the messages sent about the account's dossiers, the unread ones marked."""
    from engine.applicants import inbox

    _link_counter_dossiers()
    items = inbox.notices(get_session(), applicant())
    return render_template("applicants/notices.html", items=items, unread=sum(1 for n in items if n.unread))


@bp.post("/thong-bao/da-doc")
@applicant_required
def notices_read():
    """Đánh dấu tất cả đã đọc."""
    from engine.applicants import inbox

    session = get_session()
    inbox.mark_all_read(session, applicant(), now())
    session.commit()
    flash(_("Đã đánh dấu tất cả thông báo là đã đọc."), "success")
    return redirect(url_for("applicants.notices"))


from webapp import applicant_vneid  # noqa: E402, F401  (its routes hang on this blueprint)
