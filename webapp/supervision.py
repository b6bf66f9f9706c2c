"""Giám sát: the supervisors' dashboard, its lists, the quarterly report and the evaluation pages;
and the public page of each unit's indicators (/chi-so/<code>, no personal data).

A supervisor or an admin sees the units where they hold that role and every unit below them.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from engine import supervision as sv
from engine.applicants.satisfaction import CRITERIA
from engine.ground.errors import Invalid
from engine.ground.vocabulary import STATUS_LABELS
from engine.org.tree import subtree_ids, unit_in_scope
from engine.supervision.metrics import condition
from engine.supervision.ratings import criteria_means, feedback_counts
from engine.supervision.scope import supervised_ids
from forms.printing import FontsMissing
from forms.reports import report_pdf, report_xlsx
from webapp.auth import official, role_required
from webapp.db import get_session, now

bp = Blueprint("supervision", __name__)
ROLES = ("supervisor", "admin")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _choice():
    """The unit and quarter of the request, checked against the user's subtree (403 outside it)."""
    session, user = get_session(), official()
    code = request.args.get("unit")
    if code:  # the same 403 for an unknown unit and one outside the subtree: no existence oracle
        supervised = supervised_ids(session, user)
        unit = unit_in_scope(session, code, lambda u: u.id in supervised)
    else:
        unit = sv.default_unit(session, user)
    if unit is None:
        abort(403)
    return session, unit, sv.parse_quarter(request.args.get("quarter"), now())


def _picker(session, unit, period) -> dict:
    return {"unit": unit, "period": period, "units": sv.supervised_units(session, official()),
            "quarters": sv.recent_quarters(now()), "labels": sv.METRIC_LABELS}


@bp.get("/supervision")
@role_required(*ROLES)
def dashboard_page():
    """The numbers of a unit's subtree for a quarter, as cards, charts and tables."""
    session, unit, period = _choice()
    board = sv.dashboard(session, unit, period, now())
    chart = {"lateness": [board.total.counts[k] for k in ("early", "on_time", "late")],
             "channels": [board.total.counts[f"received.{c}"] for c in ("in_person", "post", "online")],
             "procedures": [r.code for r in board.procedures[:12]],
             "received": [r.received for r in board.procedures[:12]]}
    return render_template("supervision/dashboard.html", board=board, chart=chart, **_picker(session, unit, period))


@bp.get("/supervision/list/<metric>")
@role_required(*ROLES)
def list_page(metric: str):
    """The dossiers behind one number (optionally of one procedure), a page at a time."""
    session, unit, period = _choice()
    w = sv.window(session, subtree_ids(session, [unit.id]), period, now())
    try:
        page = sv.dossier_list(session, w, metric, request.args.get("page", 1, type=int),
                               procedure_id=request.args.get("procedure", type=int))
    except Invalid:
        abort(404)
    return render_template("supervision/list.html", page=page, metric=metric, statuses=STATUS_LABELS,
                           procedure=request.args.get("procedure", type=int), **_picker(session, unit, period))


@bp.get("/supervision/evaluation")
@role_required(*ROLES)
def evaluation_page():
    """Decree 61 scores of returned dossiers, Decision 766 groups and the one-stop measure."""
    session, unit, period = _choice()
    w = sv.window(session, subtree_ids(session, [unit.id]), period, now())
    scores, total = sv.evaluate_returned(session, w, request.args.get("page", 1, type=int))
    return render_template("supervision/evaluation.html", scores=scores, total=total,
                           page=request.args.get("page", 1, type=int), averages=sv.period_averages(session, w),
                           indicators=sv.indicators(session, w), groups=sv.GROUPS,
                           measure=sv.one_stop_measure(session, unit, w), criteria=CRITERIA,
                           criteria_means=criteria_means(session, condition("returned", w)),
                           feedback=feedback_counts(session, w.unit_ids, period.start, period.end),
                           **_picker(session, unit, period))


@bp.get("/supervision/report.<fmt>")
@role_required(*ROLES)
def report(fmt: str):
    """The quarterly report as xlsx or PDF."""
    if fmt not in ("xlsx", "pdf"):
        abort(404)
    session, unit, period = _choice()
    data = sv.quarterly_report(session, unit, period, now())
    name = f"bao-cao-{unit.code}-{period.key}.{fmt}"
    if fmt == "xlsx":
        return Response(report_xlsx(data), mimetype=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    try:
        pdf = report_pdf(data)
    except FontsMissing as err:
        current_app.logger.error("%s", err)
        abort(503)
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.get("/chi-so/<code>")
def public_indicators(code: str):
    """Chỉ số phục vụ: a unit's indicators for a quarter, for everyone (counts and rates only)."""
    session = get_session()
    unit = sv.unit_by_code(session, code)
    period = sv.parse_quarter(request.args.get("quarter"), now())
    w = sv.window(session, subtree_ids(session, [unit.id]), period, now())
    board = sv.dashboard(session, unit, period, now())
    return render_template("supervision/public.html", unit=unit, period=period, board=board,
                           indicators=sv.indicators(session, w), groups=sv.GROUPS,
                           measure=sv.one_stop_measure(session, unit, w), quarters=sv.recent_quarters(now()),
                           labels=sv.METRIC_LABELS, self_url=url_for("supervision.public_indicators", code=code))
