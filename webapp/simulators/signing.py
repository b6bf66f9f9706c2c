"""SIMULATOR of a remote signing service (dịch vụ ký số từ xa), under /simulators/signing.

Signs with the PKCS#12 file of SIGNING_SIMULATOR_PKCS12 (+ SIGNING_SIMULATOR_PASSWORD), else the demo
ward's file that `motcua demo load` wrote; the contract is engine.integrations.signing's. Fault switch:
POST /simulators/signing/mode {"mode": "ok" | "error" | "slow"}.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request

from engine.integrations.certificates import DEMO_PASSPHRASE
from engine.integrations.signing import Pkcs12Signer, SigningError
from webapp.simulators import Faults, check_key, set_mode, state

bp = Blueprint("sim_signing", __name__, url_prefix="/simulators/signing")


@dataclass
class SigningState:
    """The simulated service: its fault switch and the references it signed."""

    faults: Faults = field(default_factory=Faults)
    signed: list[str] = field(default_factory=list)


def service() -> SigningState:
    """This app's simulated signing service."""
    return state("signing", SigningState)


def _signer() -> Pkcs12Signer:
    path = current_app.config.get("SIGNING_SIMULATOR_PKCS12")
    if path:
        return Pkcs12Signer(path, current_app.config.get("SIGNING_SIMULATOR_PASSWORD") or None)
    return Pkcs12Signer(Path(current_app.instance_path) / "signing" / "demo-signer.p12", DEMO_PASSPHRASE)


@bp.post("/ky-so")
def sign():
    """Ký số: {pdf (base64), reason, location, reference} → {pdf (base64, signed), signer}."""
    sim = service()
    check_key("SIGNING_KEY")
    sim.faults.apply()
    body = request.get_json(silent=True) or {}
    try:
        pdf = base64.b64decode(str(body.get("pdf") or ""), validate=True)
    except ValueError:
        return jsonify({"error": "pdf: not base64"}), 400
    try:
        signed = _signer().sign_pdf(pdf, reason=str(body.get("reason") or ""), location=str(body.get("location") or ""),
                                    reference=str(body.get("reference") or ""), now=current_app.config["NOW"]())
    except SigningError as err:
        return jsonify({"error": err.message}), 422
    sim.signed.append(str(body.get("reference") or ""))
    return jsonify({"pdf": base64.b64encode(signed.pdf).decode(), "signer": signed.signer})


@bp.post("/mode")
def mode():
    """Fault switch: {"mode": "ok" | "error" | "slow", "delay": seconds}."""
    return set_mode(service().faults)
