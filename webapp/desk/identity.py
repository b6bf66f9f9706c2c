"""Đối chiếu CSDL dân cư tại quầy: the officer checks the applicant's ID before receiving the dossier.

A button of the intake form asks here by htmx, a request of its own (never a submit of the intake form, so
neither Enter nor "Ghi nhận" runs it): the answer comes back as a fragment, with the registry's details
filled into the empty fields (out-of-band swaps), and a mismatch (the name differs) flagged on the field,
never silently accepted. Without htmx, a plain POST gets the whole form back, aimed at the intake.
"""
from __future__ import annotations

from flask import current_app, render_template, request

from engine.catalogue.procedures import get_procedure
from engine.integrations.population import check_applicant, record_check
from webapp.adapters import adapters_of
from webapp.auth import official, role_required
from webapp.db import get_session, now
from webapp.desk import bp
from webapp.desk.receiving import FIELD_LABELS, LIMITS, render_form

ALERTS = {"match": "success", "mismatch": "danger", "not_found": "warning", "unavailable": "warning",
          "invalid": "danger"}


@bp.post("/new/<code>/citizen-check")
@role_required("mot_cua")
def citizen_check(code: str):
    """Re-show the intake form with the population database's answer for the ID typed in it."""
    procedure = get_procedure(get_session(), code)
    form = {k: v[:LIMITS.get(k, 500)] for k, v in request.form.to_dict().items()}
    check = check_applicant(adapters_of(current_app).population, form.get("id_number", ""),
                            form.get("name", ""))
    record_check(get_session(), official(), form.get("id_number", ""), check, now(), "web")
    get_session().commit()
    changed = ["name", "id_number"]
    for key, value in check.prefill.items():
        if key in FIELD_LABELS and not form.get(key, "").strip():
            form[key] = value
            changed.append(key)
    errors = {f"applicant.{key}": check.message for key in check.differences}
    if request.headers.get("HX-Request"):
        return render_template("desk/_identity.html", form=form, errors=errors, identity=check,
                               identity_alert=ALERTS[check.status], changed=list(dict.fromkeys(changed)),
                               fields=FIELD_LABELS, limits=LIMITS)
    return render_form(procedure, form, errors, identity=check, identity_alert=ALERTS[check.status])
