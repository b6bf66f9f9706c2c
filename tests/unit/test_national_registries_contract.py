"""Liên thông's national systems (engine.integrations.national_registries) against their simulators, over HTTP.

The civil-status database (hộ tịch), the residence database (cư trú) and the interconnection software (phần mềm
liên thông) run as simulators in a bare Flask app (no database): each acknowledges a record once per idempotency
key, refuses a record it cannot take with its reason, and the adapter raises IntegrationError when the system
fails, is slow or refuses the key.
"""
from __future__ import annotations

import json
import urllib.request

import pytest
from flask import Flask

from engine.integrations.http import IntegrationError
from engine.integrations.national_registries import SYSTEMS, HttpNationalRegistry
from tests.net import post_json, served
from webapp.simulators import national_registries as simulators

BASE = {"MaHoSoLienThong": "LT-H26.70-260302-0001", "MaThuTucLienThong": "LT.01", "MaHoSo": "H26.70-260302-0001",
        "MaTTHC": "1.001193", "MaDonVi": "H26.70", "TenDonVi": "UBND Phường Hoàn Kiếm"}
RECORDS = {
    "civil_status": {**BASE, "LoaiGiaoDich": "khai_sinh", "NgayDangKy": "20260302090000", "NguoiYeuCau": "Phạm Minh Đức",
                     "DuLieu": {"child_full_name": "Phạm Minh An", "child_birth_date": "2026-02-20"}},
    "residence": {**BASE, "LoaiGiaoDich": "dang_ky_thuong_tru", "MaHoSo": "H26.70.CA-260302-0001", "MaTTHC": "CA.01",
                  "MaDonVi": "H26.70.CA", "NgayDangKy": "20260303090000",
                  "DuLieu": {"child_full_name": "Phạm Minh An", "birth_dossier": "H26.70-260302-0001"}},
    "interconnection": {**BASE, "LoaiGiaoDich": "chuyen_ho_so", "MaHoSo": "H26.BHXH-260302-0001", "MaTTHC": "BHXH.01",
                        "MaDonVi": "H26.BHXH", "DonViChuyen": "H26.70", "DonViNhan": "H26.BHXH",
                        "ThoiGianChuyen": "20260302090000", "DuLieu": {"child_full_name": "Phạm Minh An"}},
}


@pytest.fixture
def systems_app():
    """The three simulators alone, on a real port."""
    app = Flask(__name__)
    for blueprint in simulators.BLUEPRINTS:
        app.register_blueprint(blueprint)
    with served(app) as base:
        app.config["BASE"] = base
        yield app


def registry(app, kind: str, timeout: float = 5.0, key: str | None = None) -> HttpNationalRegistry:
    return HttpNationalRegistry(SYSTEMS[kind], app.config["BASE"] + SYSTEMS[kind].simulator_path, key, timeout)


def received(app, kind: str) -> list[dict]:
    with urllib.request.urlopen(app.config["BASE"] + SYSTEMS[kind].simulator_path + "/", timeout=5) as res:
        body = json.loads(res.read())
    assert body["simulator"] is True  # clearly a simulator, never taken for the national system
    return body["items"]


@pytest.mark.parametrize("kind", sorted(SYSTEMS))
def test_each_system_acknowledges_a_record_once_per_idempotency_key(systems_app, kind):
    system = registry(systems_app, kind)
    ack = system.send(RECORDS[kind], f"{kind}:1")
    assert ack.startswith({"civil_status": "HT-", "residence": "CT-", "interconnection": "LT-"}[kind])
    assert system.send(RECORDS[kind], f"{kind}:1") == ack  # a redelivery is the same record
    other = system.send(RECORDS[kind], f"{kind}:2")
    assert other != ack
    items = received(systems_app, kind)
    assert [i["ack"] for i in items] == [ack, other] and items[0]["MaHoSo"] == RECORDS[kind]["MaHoSo"]


@pytest.mark.parametrize("kind, bad", [("civil_status", {"LoaiGiaoDich": "ket_hon"}), ("residence", {"DuLieu": None}),
                                       ("interconnection", {"DonViNhan": ""})])
def test_a_record_the_system_cannot_take_is_refused_with_its_reason(systems_app, kind, bad):
    with pytest.raises(IntegrationError, match="400"):
        registry(systems_app, kind).send({**RECORDS[kind], **bad}, f"{kind}:bad")
    assert received(systems_app, kind) == []


def test_a_wrong_api_key_is_refused(systems_app):
    systems_app.config["CIVIL_STATUS_KEY"] = "khoa-dung"
    with pytest.raises(IntegrationError, match="401"):
        registry(systems_app, "civil_status", key="khoa-sai").send(RECORDS["civil_status"], "k")
    assert registry(systems_app, "civil_status", key="khoa-dung").send(RECORDS["civil_status"], "k")


@pytest.mark.parametrize("mode, expected", [("error", "503"), ("slow", "timed out")])
def test_a_failing_or_slow_system_raises_an_integration_error(systems_app, mode, expected):
    post_json(systems_app.config["BASE"] + SYSTEMS["residence"].simulator_path + "/mode", {"mode": mode, "delay": 3})
    with pytest.raises(IntegrationError, match=expected):
        registry(systems_app, "residence", timeout=0.5 if mode == "slow" else 10).send(RECORDS["residence"], "k")
