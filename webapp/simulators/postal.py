"""SIMULATOR of the public postal service (dịch vụ bưu chính công ích), under /simulators/postal.

Books parcels (one per Idempotency-Key) with S10 tracking numbers such as EV100000017VN, answers their
status, and lets a developer or a test advance a parcel's status (POST …/buugui/<số hiệu>/trangthai, or the
form on the page): each new status is reported to the parcel's callback URL, signed like the real
service (engine.integrations.postal_service.sign with POSTAL_CALLBACK_SECRET).
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.dossier.shipments import REPORTED_STATUSES, STATUS_LABELS
from engine.integrations.postal_service import SIGNATURE_HEADER, sign
from webapp.simulators import LOCK, Faults, check_key, set_mode, state

bp = Blueprint("sim_postal", __name__, url_prefix="/simulators/postal")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10(serial: int, prefix: str = "EV", country: str = "VN") -> str:
    """A UPU S10 tracking number: two letters, eight digits, the check digit, the country."""
    digits = f"{serial:08d}"
    check = 11 - sum(int(d) * w for d, w in zip(digits, S10_WEIGHTS, strict=True)) % 11
    return f"{prefix}{digits}{ {10: 0, 11: 5}.get(check, check)}{country}"


@dataclass
class PostalState:
    """What the simulated postal service holds: bookings by idempotency key, parcels by tracking number."""

    faults: Faults = field(default_factory=Faults)
    bookings: dict[str, str] = field(default_factory=dict)
    parcels: dict[str, dict] = field(default_factory=dict)
    serial: int = 10000000


def service() -> PostalState:
    """This app's simulated postal service."""
    return state("postal", PostalState)


def _now() -> str:
    return current_app.config["NOW"]().isoformat()


@bp.post("/buugui")
def book():
    """Nhận gửi: book a parcel once per Idempotency-Key; 201 with its tracking number, 200 for a repeat."""
    sim = service()
    check_key("POSTAL_KEY")
    sim.faults.apply()
    key, body = request.headers.get("Idempotency-Key"), request.get_json(silent=True)
    recipient = (body or {}).get("recipient") if isinstance(body, dict) else None
    if not key or not isinstance(recipient, dict) or not recipient.get("name") or not recipient.get("address"):
        return jsonify({"error": "Idempotency-Key and recipient {name, address} are required"}), 400
    with LOCK:
        if key in sim.bookings:
            return jsonify({**_public(sim.parcels[sim.bookings[key]]), "duplicate": True})
        sim.serial += 1
        number = s10(sim.serial)
        sim.bookings[key] = number
        sim.parcels[number] = {"tracking_number": number, "reference": body.get("reference"), "recipient": recipient,
                               "sender": body.get("sender"), "contents": body.get("contents"),
                               "callback_url": body.get("callback_url"), "status": "accepted",
                               "booked_at": _now(), "events": [], "callbacks": []}
    return jsonify({**_public(sim.parcels[number]), "duplicate": False}), 201


def _public(parcel: dict) -> dict:
    keys = ("tracking_number", "reference", "status", "booked_at", "events")
    return {k: parcel[k] for k in keys}


@bp.get("/buugui/<number>")
def track(number: str):
    """Tra cứu bưu gửi: the parcel's status and events."""
    sim = service()
    check_key("POSTAL_KEY")
    sim.faults.apply()
    parcel = sim.parcels.get(number)
    if parcel is None:
        abort(404)
    return jsonify(_public(parcel))


@bp.post("/buugui/<number>/trangthai")
def advance(number: str):
    """Test hook: a new status for the parcel ({status, note, location}), reported to its callback URL."""
    sim = service()
    parcel = sim.parcels.get(number)
    if parcel is None:
        abort(404)
    body = request.get_json(silent=True) if request.is_json else request.form
    body = body if hasattr(body, "get") else {}
    if body.get("status") not in REPORTED_STATUSES:
        return jsonify({"error": f"status: {' | '.join(REPORTED_STATUSES)}"}), 400
    with LOCK:
        event = {"event_id": f"{number}-{len(parcel['events']) + 1}", "tracking_number": number,
                 "status": body["status"], "at": body.get("at") or _now(),
                 "location": body.get("location") or "Bưu cục Hoàn Kiếm", "note": body.get("note") or ""}
        parcel["events"].append(event)
        parcel["status"] = event["status"]
    report = report_callback(parcel, event)
    if not request.is_json:
        return redirect(url_for("sim_postal.index"))
    return jsonify({"event": event, "callback": report})


def report_callback(parcel: dict, event: dict) -> dict:
    """POST the signed event to the parcel's callback URL; returns what happened (also kept on the parcel)."""
    raw = json.dumps(event, ensure_ascii=False).encode()
    signature = sign(current_app.config.get("POSTAL_CALLBACK_SECRET") or "", raw)
    report = {"url": parcel.get("callback_url"), "body": raw.decode(), "signature": signature}
    if parcel.get("callback_url"):
        req = urllib.request.Request(parcel["callback_url"], raw, method="POST",
                                     headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature})
        try:
            with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310 - the URL the caller gave
                report["status"] = response.status
        except urllib.error.HTTPError as err:
            report["status"] = err.code
        except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
            report["error"] = str(getattr(err, "reason", err))
    parcel["callbacks"].append(report)
    return report


@bp.post("/mode")
def mode():
    """Fault switch: {"mode": "ok" | "error" | "slow", "delay": seconds}."""
    return set_mode(service().faults)


@bp.get("/")
def index():
    """The simulator's page: every parcel, its status, and a form to move it on."""
    return render_template("simulators/postal.html", sim=service(), labels=STATUS_LABELS,
                           statuses=REPORTED_STATUSES, title=_("Mô phỏng dịch vụ bưu chính"))
