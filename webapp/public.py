"""The public home page: the procedures and how to log in."""
from __future__ import annotations

from flask import Blueprint, render_template

from engine.catalogue.procedures import list_procedures
from engine.operations.demo import DEMO_PASSWORD, DEMO_USERS
from webapp.db import get_session
from webapp.labels import ROLES

bp = Blueprint("public", __name__)

ROLE_LABELS = ROLES  # the vocabulary's, translated (webapp.labels)


@bp.get("/")
def home():
    """Danh mục thủ tục and the demo accounts."""
    return render_template("public/home.html", procedures=list_procedures(get_session()),
                           demo_users=DEMO_USERS, demo_password=DEMO_PASSWORD, role_labels=ROLE_LABELS)
