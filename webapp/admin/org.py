"""Cây tổ chức: the organisation tree, a unit's details, a new unit, moving a unit, its procedure list."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.catalogue import admin
from engine.catalogue.procedures import list_procedures
from engine.ground.errors import Invalid, NotFound
from engine.models import Unit
from engine.org import unit_admin
from engine.org.accounts import get_unit
from engine.org.tree import may_administer, tree_rows, unit_in_scope
from webapp.admin import admin_view, bp, form_failed
from webapp.auth import official
from webapp.db import get_session, now


@bp.get("/")
@admin_view
def index():
    """The admin area opens on the organisation tree."""
    return redirect(url_for("admin.units"))


@bp.get("/units")
@admin_view
def units():
    """Cây tổ chức: the units the admin keeps, with sub-unit, user and procedure counts."""
    return render_template("admin/units.html", rows=tree_rows(get_session(), official()))


def _unit_form() -> unit_admin.UnitForm:
    names = ("code", "name", "level", "admin_code", "office_hours", "same_day_cutoff")
    return unit_admin.UnitForm(**{name: request.form.get(name, "") for name in names})


def _levels() -> tuple[str, ...]:
    return unit_admin.LEVELS


@bp.route("/units/new", methods=["GET", "POST"])
@admin_view
def unit_new():
    """Tạo đơn vị under the unit given as ?parent=<id>."""
    session = get_session()
    parent = unit_in_scope(session, request.args.get("parent", 0, type=int), lambda u: may_administer(official(), u))
    context = {"parent": parent, "unit": None, "levels": _levels()}
    if request.method == "GET":
        form = unit_admin.UnitForm(code=f"{parent.code}.", name="", level="", office_hours=parent.office_hours,
                                  same_day_cutoff=parent.same_day_cutoff)
        return render_template("admin/unit_form.html", form=form, errors={}, **context)
    try:
        unit = unit_admin.create_unit(session, official(), parent, _unit_form(), now())
        session.commit()
    except Invalid as err:
        return form_failed(err, "admin/unit_form.html", form=_unit_form(), **context)
    flash(_("Đã tạo đơn vị %(name)s.", name=unit.name), "success")
    return redirect(url_for("admin.unit_edit", unit_id=unit.id))


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@admin_view
def unit_edit(unit_id: int):
    """Sửa đơn vị: name, agency code, level, administrative code, office hours and cut-off."""
    session = get_session()
    unit = unit_in_scope(session, unit_id, lambda u: may_administer(official(), u))
    context = {"parent": unit.parent, "unit": unit, "levels": _levels()}
    if request.method == "GET":
        form = unit_admin.UnitForm(unit.code, unit.name, unit.level, unit.admin_code or "", unit.office_hours,
                                  unit.same_day_cutoff)
        return render_template("admin/unit_form.html", form=form, errors={}, **context)
    try:
        unit_admin.update_unit(session, official(), unit, _unit_form(), now())
        session.commit()
    except Invalid as err:
        return form_failed(err, "admin/unit_form.html", form=_unit_form(), **context)
    flash(_("Đã lưu đơn vị %(name)s.", name=unit.name), "success")
    return redirect(url_for("admin.unit_edit", unit_id=unit.id))


def _parent(code: str) -> Unit:
    try:
        return get_unit(get_session(), code.strip())
    except NotFound as err:
        raise Invalid(err.message, {"parent": _("Nhập mã của một đơn vị có trong cây tổ chức.")}) from err


@bp.post("/units/<int:unit_id>/move")
@admin_view
def unit_move(unit_id: int):
    """Chuyển đơn vị under the unit whose agency code is typed in `parent`."""
    session = get_session()
    unit = unit_in_scope(session, unit_id, lambda u: may_administer(official(), u))
    try:
        unit_admin.move_unit(session, official(), unit, _parent(request.form.get("parent", "")), now())
        session.commit()
    except Invalid as err:
        session.rollback()
        flash(err.message, "danger")
        return redirect(url_for("admin.unit_edit", unit_id=unit_id))
    flash(_("Đã chuyển %(name)s vào %(parent)s.", name=unit.name, parent=unit.parent.name), "success")
    return redirect(url_for("admin.unit_edit", unit_id=unit_id))


@bp.route("/units/<int:unit_id>/procedures", methods=["GET", "POST"])
@admin_view
def unit_procedures(unit_id: int):
    """Danh mục TTHC của đơn vị: which procedures the unit offers (what the public portal shows)."""
    session = get_session()
    unit: Unit = unit_in_scope(session, unit_id, lambda u: may_administer(official(), u))
    if request.method == "POST":
        try:
            admin.set_offered(session, official(), unit, request.form.getlist("procedures"), now())
            session.commit()
        except Invalid as err:
            session.rollback()
            flash(err.message, "danger")
            return redirect(url_for("admin.unit_procedures", unit_id=unit.id))
        flash(_("Đã cập nhật danh mục thủ tục của %(name)s.", name=unit.name), "success")
        return redirect(url_for("admin.unit_procedures", unit_id=unit.id))
    offered = {p.code for p in admin.offered_procedures(session, unit)}
    return render_template("admin/unit_procedures.html", unit=unit, procedures=list_procedures(session),
                           offered=offered)
