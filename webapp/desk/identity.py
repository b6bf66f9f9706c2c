"""Đối chiếu CSDL dân cư tại quầy: the officer checks the applicant's ID before receiving the dossier.

A button in the intake form posts the form here; the page comes back with the registry's details filled
into the empty fields, and a mismatch (the name differs) shown beside the form, never silently accepted.
"""
from __future__ import annotations

from flask import current_app, render_template, request

from engine.catalogue.procedures import get_procedure
from engine.integrations.population import check_applicant, record_check
from webapp.adapters import adapters_of
from webapp.auth import official, role_required
from webapp.db import get_session, now
from webapp.desk import bp

ALERTS = {"match": "success", "mismatch": "danger", "not_found": "warning", "unavailable": "warning",
          "invalid": "danger"}


@bp.post("/new/<code>/citizen-check")
@role_required("mot_cua")
def citizen_check(code: str):
    """Re-show the intake form with the population database's answer for the ID typed in it."""
    procedure = get_procedure(get_session(), code)
    form = request.form.to_dict()
    check = check_applicant(adapters_of(current_app).population, form.get("id_number", ""),
                            form.get("name", ""))
    record_check(get_session(), official(), form.get("id_number", ""), check, now(), "web")
    get_session().commit()
    for key, value in check.prefill.items():
        if not form.get(key, "").strip():
            form[key] = value
    errors = {f"applicant.{key}": check.message for key in check.differences}
    return render_template("desk/receive.html", procedure=procedure, form=form, errors=errors,
                           identity=check, identity_alert=ALERTS[check.status])
