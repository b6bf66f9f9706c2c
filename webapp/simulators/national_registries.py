"""SIMULATORS of the national systems a liên thông group reports to (engine.integrations.national_registries):

- /simulators/civil-status: MÔ PHỎNG CSDL hộ tịch điện tử (POST /hotich/sukien: khai_sinh, khai_tu);
- /simulators/residence: MÔ PHỎNG CSDL quốc gia về cư trú (POST /cutru/capnhat: dang_ky_thuong_tru,
  xoa_dang_ky_thuong_tru);
- /simulators/interconnection: MÔ PHỎNG phần mềm liên thông (POST /lienthong/giaodich: chuyen_ho_so, tra_ket_qua).

Each keeps its records in memory, acknowledges a record once per Idempotency-Key (a repeat answers the same id),
refuses a record without the fields it needs (400), and has the fault switch of every simulator (POST …/mode).
GET …/ lists what it received, as JSON.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from flask import Blueprint, jsonify, request

from webapp.simulators import LOCK, Faults, check_key, set_mode, state

# per system: url prefix, path, acknowledgement field and id prefix, the transactions it takes, the fields it needs
SPECS = {
    "civil_status": ("/simulators/civil-status", "/hotich/sukien", "MaBanGhi", "HT",
                     ("khai_sinh", "khai_tu"), ("MaHoSo", "MaDonVi", "NgayDangKy", "DuLieu")),
    "residence": ("/simulators/residence", "/cutru/capnhat", "MaBanGhi", "CT",
                  ("dang_ky_thuong_tru", "xoa_dang_ky_thuong_tru"), ("MaHoSo", "MaDonVi", "DuLieu")),
    "interconnection": ("/simulators/interconnection", "/lienthong/giaodich", "MaTiepNhan", "LT",
                        ("chuyen_ho_so", "tra_ket_qua"), ("MaHoSoLienThong", "MaHoSo", "MaDonVi", "DonViNhan")),
}


@dataclass
class RegistryState:
    """A simulated system: the records it acknowledged by idempotency key, in order, and its fault switch."""

    faults: Faults = field(default_factory=Faults)
    calls: dict[str, dict] = field(default_factory=dict)  # idempotency key -> {ack, record}


def registry(kind: str) -> RegistryState:
    """This app's simulated system of this kind."""
    return state(kind, RegistryState)


def _blueprint(kind: str) -> Blueprint:
    prefix, path, ack_field, ack_prefix, transactions, required = SPECS[kind]
    bp = Blueprint(f"sim_{kind}", __name__, url_prefix=prefix)
    setting = f"{kind.upper()}_KEY"

    @bp.post(path)
    def take():
        """Take one record: acknowledged once per Idempotency-Key; 400 for a record it cannot take."""
        sim = registry(kind)
        check_key(setting)
        sim.faults.apply()
        key, record = request.headers.get("Idempotency-Key"), request.get_json(silent=True)
        if not key or not isinstance(record, dict):
            return jsonify({"error": "Idempotency-Key and a JSON record are required"}), 400
        missing = [f for f in required if record.get(f) in (None, "")]
        if record.get("LoaiGiaoDich") not in transactions or missing:
            return jsonify({"error": f"LoaiGiaoDich: one of {', '.join(transactions)}; required: {', '.join(required)}",
                            "missing": missing}), 400
        with LOCK:
            if key in sim.calls:
                return jsonify({ack_field: sim.calls[key]["ack"], "duplicate": True})
            ack = f"{ack_prefix}-{uuid.uuid4().hex[:12].upper()}"  # unique across restarts of the simulator
            sim.calls[key] = {"ack": ack, "record": record}
        return jsonify({ack_field: ack, "duplicate": False}), 201

    @bp.post("/mode")
    def mode():
        """Fault switch: {"mode": "ok" | "error" | "slow", "delay": seconds}."""
        return set_mode(registry(kind).faults)

    @bp.get("/")
    def index():
        """SIMULATOR: what it received, oldest first."""
        sim = registry(kind)
        with LOCK:
            items = [{"ack": c["ack"], **c["record"]} for c in sim.calls.values()]
        return jsonify({"simulator": True, "system": kind, "mode": sim.faults.mode, "items": items})

    return bp


civil_status_bp = _blueprint("civil_status")
residence_bp = _blueprint("residence")
interconnection_bp = _blueprint("interconnection")
BLUEPRINTS = (civil_status_bp, residence_bp, interconnection_bp)
