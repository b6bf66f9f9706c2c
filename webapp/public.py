"""The public home page: the procedures and how to log in."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_pgettext as pgettext  # lazy; named so pybabel's default keywords extract it

from engine.catalogue.procedures import list_procedures
from engine.operations.demo import DEMO_PASSWORD, DEMO_USERS
from webapp.db import get_session

bp = Blueprint("public", __name__)

# The "role" context keeps a role's English (e.g. "Administrator") apart from the same words in menus.
ROLE_LABELS = {"mot_cua": pgettext("role", "Bộ phận Một cửa"), "chuyen_vien": pgettext("role", "Chuyên viên thụ lý"),
               "lanh_dao": pgettext("role", "Lãnh đạo"), "analyst": pgettext("role", "Người thiết kế quy trình"),
               "admin": pgettext("role", "Quản trị"), "supervisor": pgettext("role", "Giám sát")}


@bp.get("/")
def home():
    """Danh mục thủ tục and the demo accounts."""
    return render_template("public/home.html", procedures=list_procedures(get_session()),
                           demo_users=DEMO_USERS, demo_password=DEMO_PASSWORD, role_labels=ROLE_LABELS)
