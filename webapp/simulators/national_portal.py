"""SIMULATOR of the national public service portal (Cổng DVC quốc gia): receives status records and
offers dossiers "submitted on the portal", under /simulators/national-portal."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, jsonify, render_template, request
from flask_babel import gettext as _

from webapp.simulators import LOCK, Faults, check_key, set_mode, state

bp = Blueprint("sim_national_portal", __name__, url_prefix="/simulators/national-portal")


@dataclass
class PortalState:
    """What the simulated portal holds: calls by idempotency key, newest record per dossier, submissions."""

    faults: Faults = field(default_factory=Faults)
    calls: dict[str, dict] = field(default_factory=dict)
    records: dict[str, dict] = field(default_factory=dict)
    submissions: dict[str, dict] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)


def portal() -> PortalState:
    """This app's simulated portal."""
    return state("national_portal", PortalState)


@bp.post("/hoso/dongbo")
def push_status():
    """Đồng bộ trạng thái: store a record once per idempotency key; keep the newest per MaHoSo."""
    sim = portal()
    check_key("NATIONAL_PORTAL_KEY")
    sim.faults.apply()
    key, record = request.headers.get("Idempotency-Key"), request.get_json(silent=True)
    if not key or not isinstance(record, dict) or not record.get("MaHoSo"):
        return jsonify({"error": "Idempotency-Key and a record with MaHoSo are required"}), 400
    with LOCK:
        if key in sim.calls:
            return jsonify({"ok": True, "duplicate": True})
        sim.calls[key] = record
        current = sim.records.get(record["MaHoSo"])
        if current is None or (record.get("ThoiGianCapNhat") or "") >= (current.get("ThoiGianCapNhat") or ""):
            sim.records[record["MaHoSo"]] = record
        if record.get("MaHoSoQG"):
            sim.taken.add(record["MaHoSoQG"])
    return jsonify({"ok": True, "duplicate": False})


@bp.get("/hoso/moi")
def new_submissions():
    """Hồ sơ mới: submissions that no status record has acknowledged yet."""
    sim = portal()
    check_key("NATIONAL_PORTAL_KEY")
    sim.faults.apply()
    with LOCK:
        items = [s for qg, s in sim.submissions.items() if qg not in sim.taken]
    return jsonify({"items": items})


@bp.post("/hoso/nop")
def submit():
    """Simulate an applicant submitting on the national portal (JSON with MaHoSoQG, MaTTHC, MaDonVi, ChuHoSo)."""
    record = request.get_json(silent=True) or {}
    if not record.get("MaHoSoQG"):
        return jsonify({"error": "MaHoSoQG is required"}), 400
    with LOCK:
        portal().submissions[record["MaHoSoQG"]] = record
    return jsonify({"ok": True}), 201


@bp.post("/mode")
def mode():
    """Fault switch: {"mode": "ok" | "error" | "slow", "delay": seconds}."""
    return set_mode(portal().faults)


@bp.get("/")
def index():
    """The simulator's page: the newest record of each dossier and the submissions waiting."""
    sim = portal()
    return render_template("simulators/national_portal.html", sim=sim, title=_("Mô phỏng Cổng DVC quốc gia"))
