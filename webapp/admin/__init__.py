"""Quản trị: the admins' pages (organisation, users and roles, procedure catalogue, audit log).

Every view needs the `admin` role (403 otherwise); what an admin may touch inside is decided by
the engine (engine.org.tree: the subtree of the units where they hold `admin`), whose Forbidden
becomes a 403 here and NotFound a 404.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, flash, render_template
from flask_babel import lazy_gettext as _l

from engine.ground.errors import DomainError
from webapp.auth import role_required
from webapp.db import get_session

bp = Blueprint("admin", __name__, url_prefix="/admin")

# Labels of the events this area writes; the audit page falls back to the shared EVENT_LABELS.
AUDIT_LABELS = {
    "auth.login": _l("Đăng nhập thành công"),
    "auth.login_failed": _l("Đăng nhập không thành công"),
    "auth.locked": _l("Tạm khóa đăng nhập sau nhiều lần sai mật khẩu"),
    "applicant.registered": _l("Công dân đăng ký tài khoản"),
    "applicant.login": _l("Công dân đăng nhập thành công"),
    "applicant.login_failed": _l("Công dân đăng nhập không thành công"),
    "applicant.locked": _l("Tạm khóa đăng nhập của công dân sau nhiều lần sai mật khẩu"),
    "citizen.checked": _l("Tra cứu CSDL quốc gia về dân cư"),
    "unit.created": _l("Tạo mới đơn vị"),
    "unit.updated": _l("Sửa đơn vị"),
    "unit.moved": _l("Chuyển đơn vị sang đơn vị cấp trên khác"),
    "unit.office_hours_set": _l("Đặt giờ làm việc"),
    "unit.procedures_set": _l("Sửa danh mục thủ tục của đơn vị"),
    "org.imported": _l("Nhập đơn vị hành chính"),
    "user.created": _l("Tạo mới người dùng"),
    "user.updated": _l("Sửa thông tin người dùng"),
    "user.deactivated": _l("Khóa tài khoản người dùng"),
    "user.reactivated": _l("Mở khóa tài khoản người dùng"),
    "user.password_reset": _l("Đặt lại mật khẩu người dùng"),
    "user.password_changed": _l("Người dùng tự đổi mật khẩu"),
    "auth.password_change_failed": _l("Đổi mật khẩu không thành công (sai mật khẩu hiện tại)"),
    "group.returned": _l("Trả kết quả hồ sơ liên thông"),
    "role.granted": _l("Cấp vai trò cho người dùng"),
    "role.revoked": _l("Thu hồi vai trò"),
    "procedure.published": _l("Công bố thủ tục"),
    "calendar.day_added": _l("Thêm ngày vào lịch"),
    "calendar.day_removed": _l("Bỏ ngày khỏi lịch"),
    "calendar.synced": _l("Nạp lịch nghỉ lễ đã công bố"),
    "calendar.expected_rule_set": _l("Đặt cách tính ngày dự kiến"),
    "unit.code_format_set": _l("Đặt mẫu mã hồ sơ"),
    "outbox.retried": _l("Gửi lại thư đi lỗi"),
    "integration.import_failed": _l("Không nhận được hồ sơ từ hệ thống quốc gia"),
    "incident.resolved": _l("Xử lý sự cố quy trình"),
}


def admin_view(view: Callable) -> Callable:
    """An admin page: login and the admin role required (the engine's refusals answer through webapp.errors)."""
    return role_required("admin")(wraps(view)(view))


def form_failed(err: DomainError, template: str, **context):
    """Re-show a form after a refused change: roll back, flash the message, name the bad fields (422)."""
    get_session().rollback()
    flash(err.message, "danger")
    return render_template(template, errors=err.fields, **context), 422


from webapp.admin import audit, calendar, incidents, org, outbox, procedures, users  # noqa: E402,F401  (the views register on bp)
