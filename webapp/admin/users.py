"""Người dùng: list, create, edit, lock and unlock, reset passwords, grant and revoke roles per unit."""
from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.ground.errors import Invalid, NotFound
from engine.models import Unit
from engine.org import user_admin
from engine.org.accounts import get_unit
from engine.org.tree import tree_rows
from webapp.admin import admin_view, bp, form_failed
from webapp.auth import official
from webapp.db import get_session, now

USER_FIELDS = ("username", "full_name", "email", "password", "unit", "role")


def _unit(code: str, field: str = "unit") -> Unit:
    if not code.strip():
        raise Invalid(_("Cần mã đơn vị"), {field: _("Nhập mã của một đơn vị có trong cây tổ chức.")})
    try:
        return get_unit(get_session(), code.strip())
    except NotFound as err:
        raise Invalid(err.message, {field: _("Nhập mã của một đơn vị có trong cây tổ chức.")}) from err


def _units() -> list[Unit]:
    return [row.unit for row in tree_rows(get_session(), official()) if row.editable]


@bp.get("/users")
@admin_view
def users():
    """Người dùng: the users who hold a role in the admin's units, searchable, by unit, paged."""
    session, args = get_session(), request.args
    unit = None
    if args.get("unit"):
        try:
            unit = get_unit(session, args["unit"].strip())
        except NotFound as err:
            flash(err.message, "warning")
    result = user_admin.list_users(session, official(), args.get("q", ""), unit, args.get("page", 1, type=int))
    return render_template("admin/users.html", result=result, q=args.get("q", ""), unit_code=args.get("unit", ""),
                           roles=user_admin.ROLES)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_view
def user_new():
    """Tạo người dùng with a first role in one of the admin's units; a password is generated if left empty."""
    context = {"roles": user_admin.grantable_roles(official()), "units": _units()}
    if request.method == "GET":
        form = {"unit": request.args.get("unit", ""), "role": "mot_cua"}
        return render_template("admin/user_new.html", form=form, errors={}, **context)
    session, form = get_session(), {k: request.form.get(k, "") for k in USER_FIELDS}
    password = form["password"] or secrets.token_urlsafe(9)
    try:
        try:
            unit = _unit(form["unit"])
        except Invalid as err:  # said with every other bad field, not alone first
            raise Invalid(_("Thông tin người dùng chưa hợp lệ"), {**user_admin.account_problems(
                session, official(), form["username"], form["full_name"], form["email"], password, form["role"]),
                **err.fields}) from err
        user = user_admin.create_account(session, official(), form["username"], form["full_name"], form["email"],
                                          password, unit, form["role"], now())
        session.commit()
    except Invalid as err:
        return form_failed(err, "admin/user_new.html", form=form, **context)
    flash(_("Đã tạo người dùng %(username)s.", username=user.username), "success")
    if not form["password"]:
        flash(_("Mật khẩu tạm thời: %(password)s (chỉ hiện một lần; hãy trao cho người dùng).", password=password),
              "warning")
    return redirect(url_for("admin.user_edit", user_id=user.id))


def _viewable(user_id: int):
    session = get_session()
    user = user_admin.get_user_by_id(session, user_id)
    if not user_admin.may_view(session, official(), user):
        abort(403)
    return user


def _page(user, form=None, errors=None, status: int = 200):
    session = get_session()
    return render_template(
        "admin/user_edit.html", user=user, form=form or {"full_name": user.full_name, "email": user.email or ""},
        errors=errors or {}, grants=user_admin.visible_grants(session, official(), user),
        may_manage=user_admin.may_manage_account(session, official(), user),
        roles=user_admin.grantable_roles(official()),
        units=_units()), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_view
def user_edit(user_id: int):
    """A user's page: name and email, lock state, roles per unit."""
    user = _viewable(user_id)
    if request.method == "GET":
        return _page(user)
    session, form = get_session(), {k: request.form.get(k, "") for k in ("full_name", "email")}
    try:
        user_admin.update_account(session, official(), user, form["full_name"], form["email"], now())
        session.commit()
    except Invalid as err:
        session.rollback()
        flash(err.message, "danger")
        return _page(user, form, err.fields, 422)
    flash(_("Đã lưu thông tin của %(username)s.", username=user.username), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


def _act(user_id: int, action, done):
    """Run `action(session, user)`, commit, and flash `done(user, result)`; a refusal is flashed instead."""
    user, session = _viewable(user_id), get_session()
    try:
        result = action(session, user)
        session.commit()
    except Invalid as err:
        session.rollback()
        flash(err.message, "danger")
        return redirect(url_for("admin.user_edit", user_id=user_id))
    flash(done(user, result), "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.post("/users/<int:user_id>/deactivate")
@admin_view
def user_deactivate(user_id: int):
    """Khóa tài khoản: the user can no longer log in or use the API."""
    return _act(user_id, lambda s, u: user_admin.set_active(s, official(), u, False, now()),
                lambda u, _r: _("Đã khóa tài khoản %(username)s.", username=u.username))


@bp.post("/users/<int:user_id>/activate")
@admin_view
def user_activate(user_id: int):
    """Mở khóa tài khoản."""
    return _act(user_id, lambda s, u: user_admin.set_active(s, official(), u, True, now()),
                lambda u, _r: _("Đã mở khóa tài khoản %(username)s.", username=u.username))


def _password_message(user, password: str, typed: bool) -> str:
    if typed:
        return _("Đã đặt lại mật khẩu của %(username)s.", username=user.username)
    return _("Mật khẩu mới của %(username)s: %(password)s (chỉ hiện một lần).", username=user.username,
             password=password)


@bp.post("/users/<int:user_id>/password")
@admin_view
def user_password(user_id: int):
    """Đặt lại mật khẩu: the one typed, or a generated one shown once."""
    typed = request.form.get("password", "")
    return _act(user_id, lambda s, u: user_admin.reset_password(s, official(), u, now(), typed),
                lambda u, password: _password_message(u, password, bool(typed)))


@bp.post("/users/<int:user_id>/grants")
@admin_view
def user_grant(user_id: int):
    """Cấp vai trò in a unit (typed by agency code)."""
    unit_code, role = request.form.get("unit", ""), request.form.get("role", "")
    held = set()

    def grant(session, user):
        held.update((g.role, g.unit_id) for g in user.grants)
        return user_admin.add_grant(session, official(), user, _unit(unit_code), role, now())

    def said(user, result):
        if (result.role, result.unit_id) in held:  # nothing new: say so, not "granted"
            return _("%(username)s đã có vai trò này tại đơn vị đó; không có gì thay đổi.", username=user.username)
        return _("Đã cấp vai trò cho %(username)s.", username=user.username)
    return _act(user_id, grant, said)


@bp.post("/users/<int:user_id>/grants/<int:grant_id>/revoke")
@admin_view
def user_revoke(user_id: int, grant_id: int):
    """Thu hồi vai trò."""
    def revoke(session, user):
        grant = user_admin.get_grant(session, grant_id)
        if grant.user_id != user.id:
            raise NotFound(_("Vai trò không thuộc người dùng này"))
        user_admin.revoke_grant(session, official(), grant, now())
    return _act(user_id, revoke, lambda u, _r: _("Đã thu hồi vai trò của %(username)s.", username=u.username))
