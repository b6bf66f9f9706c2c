"""Liên thông at the counter: one declaration for a procedure group, and the group's page with its members."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.catalogue.groups import members_of
from engine.catalogue.procedures import get_procedure
from engine.dossier import declaration, group_return, lifecycle
from engine.dossier import group as groups
from engine.dossier.online_group import group_documents
from engine.ground.errors import Conflict, DomainError, Forbidden, Invalid
from webapp.auth import official, role_required
from webapp.db import get_session, now
from webapp.desk import bp
from webapp.errors import status_of


def _first_form(session, procedure):
    """The application form of the group's first member: its fields are the group's declaration."""
    from engine.dossier.declaration import application_form

    first = get_procedure(session, str(members_of(procedure.catalogue)[0]["procedure"]))
    return application_form(first.current_version)


def render_group_form(procedure, form, errors: dict, status: int = 200):
    """The group's intake form: the applicant, the one declaration, the members it goes to."""
    from engine.calendar.working import local_date
    from forms.render import form_data_from_request
    from forms.render import render_form as render_fields
    from webapp.desk.receiving import FIELD_LABELS, LIMITS

    session = get_session()
    app_form = _first_form(session, procedure)
    declared = form_data_from_request(app_form, form, prefix="data.") if app_form and form else None
    own = {k.removeprefix("data."): v for k, v in errors.items() if k.startswith("data.")}
    declaration = render_fields(app_form, declared, own, prefix="data.", today=local_date(now())) if app_form else None
    members = [(m, get_procedure(session, str(m["procedure"]))) for m in members_of(procedure.catalogue)]
    return render_template("desk/group_receive.html", procedure=procedure, form=form, errors=errors,
                           fields=FIELD_LABELS, limits=LIMITS, declaration=declaration, members=members,
                           docs=group_documents(session, procedure)), status


def receive_group(procedure):
    """POST of /desk/new/<group code>: open the group at the officer's desk."""
    from forms.render import form_data_from_request
    from webapp.desk.receiving import APPLICANT_FIELDS, check_lengths

    session = get_session()
    applicant = {k: request.form.get(k, "").strip() for k in APPLICANT_FIELDS}
    try:
        check_lengths(applicant)
        app_form = _first_form(session, procedure)
        data = form_data_from_request(app_form, request.form, prefix="data.") if app_form else {}
        if app_form and data:  # read as a browser sends it (a number typed is text), as at the single counter
            data = declaration.validate(app_form, data, now(), partial=True)
        group = lifecycle.create_group(session, official(), procedure.code, "in_person", applicant, data, now())
        _record_checklist(session, procedure, group)
        session.commit()
    except DomainError as err:
        session.rollback()
        flash(err.message, "danger")
        return render_group_form(procedure, request.form, err.fields, status_of(err))
    flash(_("Đã tiếp nhận hồ sơ liên thông %(code)s.", code=group.code), "success")
    return redirect(url_for("desk.group_page", code=group.code))


def _record_checklist(session, procedure, group) -> None:
    """The papers ticked on the group's counter form, recorded on its first member (the one this desk
    receives, whose form 01 lists them and whose intake needs the required ones)."""
    from engine.dossier.counter import checklist_for

    docs = group_documents(session, procedure)
    first = group.members[0] if group.members else None
    if first is None or first.unit_id != group.unit_id:
        return
    received = {i: int(request.form.get(f"copies_{i}") or doc.get("copies") or 0) if request.form.get(f"doc_{i}")
                else None for i, doc in enumerate(docs)}
    first.checklist = checklist_for({"documents": docs}, received)


@bp.get("/groups/<code>")
@role_required("mot_cua")
def group_page(code: str):
    """Hồ sơ liên thông: the group, its members (code, agency, status, due time) and the group's receipt."""
    session = get_session()
    group = groups.get_group(session, code)
    if not lifecycle.can_view_group(official(), group, session):
        raise Forbidden("Hồ sơ không thuộc đơn vị của bạn")
    return _render_group(session, group, {}, {})


def _render_group(session, group, form, errors: dict, status: int = 200):
    procedure = get_procedure(session, group.procedure_code)
    summary = groups.group_summary(group, procedure.catalogue)
    return render_template("desk/group.html", group=group, procedure=procedure, summary=summary,
                           names={m.code: m for m in group.members}, acknowledged=_acknowledged(session, group),
                           unit_names=_unit_names(session, {m["unit"] for m in summary["members"] if m["unit"]}),
                           may_return=group_return.awaiting_return(group) and group_return.may_return(official(), group),
                           returned=(group.data or {}).get("returned"), form=form, errors=errors), status


@bp.post("/groups/<code>/return")
@role_required("mot_cua")
def group_return_done(code: str):
    """Trả kết quả liên thông: the hand-over of every member's result, recorded once for the group."""
    session = get_session()
    group = groups.get_group(session, code)
    try:
        group_return.return_group(session, official(), group.id, request.form.get("receiver_name", ""),
                                  request.form.get("receiver_id_number", ""), request.form.get("return_note", ""),
                                  now())
        session.commit()
    except Invalid as err:
        session.rollback()
        flash(err.message, "danger")
        return _render_group(session, groups.get_group(session, code), request.form, err.fields, 422)
    except Conflict as err:
        session.rollback()
        flash(err.message, "warning")
        return redirect(url_for("desk.group_page", code=code))
    flash(_("Đã trả kết quả của hồ sơ liên thông %(code)s.", code=group.code), "success")
    return redirect(url_for("desk.group_page", code=code))


def _unit_names(session, codes: set[str]) -> dict[str, str]:
    """The names of the units a member not opened yet will go to (the catalogue names them by code)."""
    from sqlalchemy import select

    from engine.models import Unit

    return dict(session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(codes))).all()) if codes else {}


TRANSACTIONS = {"chuyen_ho_so": _l("chuyển hồ sơ"), "tra_ket_qua": _l("trả kết quả"), "khai_sinh": _l("khai sinh"),
                "khai_tu": _l("khai tử"), "dang_ky_thuong_tru": _l("đăng ký thường trú"),
                "xoa_dang_ky_thuong_tru": _l("xóa đăng ký thường trú")}


def _acknowledged(session, group) -> dict[int, list[tuple[str, str, str]]]:
    """Per member dossier: what the national systems acknowledged (system, transaction, acknowledgement id)."""
    from sqlalchemy import select

    from engine.integrations.national_registries import SYSTEMS
    from engine.models import Event

    out: dict[int, list[tuple[str, str, str]]] = {}
    rows = session.scalars(select(Event).where(Event.kind == "integration.acknowledged",
                                               Event.dossier_id.in_([m.id for m in group.members])).order_by(Event.id))
    for event in rows:
        payload = event.payload or {}
        system = SYSTEMS.get(payload.get("system"))
        transaction = payload.get("transaction")
        out.setdefault(event.dossier_id, []).append((system.name if system else str(payload.get("system")),
                                                     TRANSACTIONS.get(transaction, transaction or ""),
                                                     str(payload.get("ack"))))
    return out
