"""SIMULATOR of the national population database (CSDL quốc gia về dân cư), under /simulators/population."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, jsonify

from webapp.simulators import Faults, check_key, set_mode, state

bp = Blueprint("sim_population", __name__, url_prefix="/simulators/population")

CITIZENS = {  # invented people for development and tests
    "001088011223": {"HoTen": "Phạm Minh Đức", "NgaySinh": "1988-04-12", "GioiTinh": "Nam",
                     "NoiThuongTru": "12 Hàng Bạc, Phường Hoàn Kiếm, Hà Nội"},
    "001190004567": {"HoTen": "Nguyễn Thị Lan", "NgaySinh": "1990-09-02", "GioiTinh": "Nữ",
                     "NoiThuongTru": "5 Phan Đình Phùng, Phường Ba Đình, Hà Nội"},
    "001095008899": {"HoTen": "Trần Văn Hùng", "NgaySinh": "1995-01-20", "GioiTinh": "Nam",
                     "NoiThuongTru": "20 Tràng Thi, Phường Cửa Nam, Hà Nội"},
}


@dataclass
class PopulationState:
    """The simulated database: its citizens and its fault switch."""

    faults: Faults = field(default_factory=Faults)
    citizens: dict[str, dict] = field(default_factory=lambda: {k: dict(v) for k, v in CITIZENS.items()})


def database() -> PopulationState:
    """This app's simulated population database."""
    return state("population", PopulationState)


@bp.get("/congdan/<id_number>")
def citizen(id_number: str):
    """Tra cứu công dân: the citizen with this 12-digit ID, or 404."""
    sim = database()
    check_key("POPULATION_KEY")
    sim.faults.apply()
    found = sim.citizens.get(id_number)
    if found is None:
        return jsonify({"error": "not found"}), 404
    return jsonify({"SoDinhDanh": id_number, **found})


@bp.post("/mode")
def mode():
    """Fault switch: {"mode": "ok" | "error" | "slow", "delay": seconds}."""
    return set_mode(database().faults)
