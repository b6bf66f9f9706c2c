"""API of the integrations: the population database check that a desk officer runs at intake."""
from __future__ import annotations

from flask import current_app, g, request

from engine.ground.errors import Forbidden
from engine.integrations.population import check_applicant, record_check
from engine.org.accounts import has_role
from webapp.adapters import adapters_of
from webapp.api import bp
from webapp.api.auth import login_required
from webapp.db import get_session, now


@bp.get("/citizens/<id_number>")
@login_required
def citizen_check(id_number: str):
    """Đối chiếu CSDL dân cư: the check of an ID (and `?name=`) with the details to prefill; one-stop officers."""
    if not has_role(g.user, "mot_cua"):
        raise Forbidden("Chỉ cán bộ Một cửa tra cứu CSDL dân cư")
    check = check_applicant(adapters_of(current_app).population, id_number, request.args.get("name", ""))
    record_check(get_session(), g.user, id_number, check, now(), "api")
    get_session().commit()
    return check.to_dict()
