"""The postal adapter (engine.integrations.postal_service) against the postal simulator, over real HTTP.

The simulator runs in a bare Flask app (no database), so these are the contract between the adapter
and the service: booking once per idempotency key, S10 tracking numbers, tracking, signed status
reports, and what the adapter says when the service fails, is slow or refuses.
"""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from flask import Flask, request

from engine.calendar.working import TZ
from engine.integrations.http import IntegrationError, RemoteNotFound
from engine.integrations.postal_service import (
    SIGNATURE_HEADER,
    SIMULATOR_PATH,
    HttpPostalService,
    sign,
    signature_valid,
)
from tests.net import post_json, served
from webapp.simulators import postal as simulator

SECRET = "bi-mat-thu-nghiem"
REQUEST = {"reference": "H26.70-260302-0001/1", "contents": "Kết quả giải quyết hồ sơ H26.70-260302-0001",
           "recipient": {"name": "Phạm Minh Đức", "address": "12 Hàng Bạc, Hoàn Kiếm, Hà Nội", "phone": "0901234567"},
           "sender": {"name": "Phường Hoàn Kiếm", "code": "H26.70"}}


@pytest.fixture
def service_app():
    """The simulator alone, plus a receiver that keeps the status reports it is sent."""
    app = Flask(__name__)
    app.config.update(NOW=lambda: datetime(2026, 3, 2, 9, 0, tzinfo=TZ), POSTAL_CALLBACK_SECRET=SECRET)
    app.register_blueprint(simulator.bp)
    app.extensions["received"] = []

    @app.post("/receiver")
    def receiver():
        app.extensions["received"].append((request.get_data(), request.headers.get(SIGNATURE_HEADER)))
        return {"ok": True}

    with served(app) as base:
        app.config["BASE"] = base
        yield app


def service(app, timeout: float = 5.0, key: str | None = None) -> HttpPostalService:
    return HttpPostalService(app.config["BASE"] + SIMULATOR_PATH, key, timeout)


def s10_check_digit_ok(number: str) -> bool:
    digits = number[2:10]
    check = 11 - sum(int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11
    return int(number[10]) == {10: 0, 11: 5}.get(check, check)


def test_a_booking_gets_an_s10_tracking_number_and_a_repeat_with_the_same_key_gets_the_same_one(service_app):
    postal = service(service_app)
    first = postal.book(REQUEST, "postal:book:1")
    number = first["tracking_number"]
    assert number.startswith("EV") and number.endswith("VN") and len(number) == 13 and s10_check_digit_ok(number)
    assert first["status"] == "accepted" and first["duplicate"] is False
    again = postal.book(REQUEST, "postal:book:1")
    assert again["tracking_number"] == number and again["duplicate"] is True
    other = postal.book(REQUEST, "postal:book:2")["tracking_number"]
    assert other != number
    assert len(service_app.extensions["simulators"]["postal"].parcels) == 2


def test_tracking_answers_the_status_and_events_and_an_unknown_number_is_not_found(service_app):
    postal = service(service_app)
    number = postal.book(REQUEST, "postal:book:7")["tracking_number"]
    post_json(f"{service_app.config['BASE']}{SIMULATOR_PATH}/buugui/{number}/trangthai", {"status": "in_transit"})
    tracked = postal.track(number)
    assert tracked["status"] == "in_transit" and [e["status"] for e in tracked["events"]] == ["in_transit"]
    with pytest.raises(RemoteNotFound):
        postal.track("EV999999999VN")


def test_a_new_status_is_reported_to_the_callback_signed_with_the_shared_secret(service_app):
    base = service_app.config["BASE"]
    number = service(service_app).book({**REQUEST, "callback_url": base + "/receiver"}, "k1")["tracking_number"]
    answer = post_json(f"{base}{SIMULATOR_PATH}/buugui/{number}/trangthai", {"status": "delivered", "note": "Đã phát"})
    assert answer["callback"]["status"] == 200
    [(raw, signature)] = service_app.extensions["received"]
    report = json.loads(raw)
    assert report["tracking_number"] == number and report["status"] == "delivered" and report["event_id"]
    assert signature_valid(SECRET, raw, signature)
    assert not signature_valid(SECRET, raw.replace(b"delivered", b"returned"), signature)
    assert not signature_valid("khoa-khac", raw, signature) and not signature_valid(None, raw, sign("", raw))


def test_a_booking_without_a_recipient_address_is_refused_with_its_reason(service_app):
    with pytest.raises(IntegrationError, match="400.*recipient"):
        service(service_app).book({**REQUEST, "recipient": {"name": "A"}}, "k2")


def test_a_wrong_api_key_is_refused(service_app):
    service_app.config["POSTAL_KEY"] = "khoa-dung"
    with pytest.raises(IntegrationError, match="401"):
        service(service_app, key="khoa-sai").book(REQUEST, "k3")
    assert service(service_app, key="khoa-dung").book(REQUEST, "k3")["tracking_number"]


@pytest.mark.parametrize("mode, expected", [("error", "503"), ("slow", "timed out")])
def test_a_failing_or_slow_service_raises_an_integration_error(service_app, mode, expected):
    post_json(service_app.config["BASE"] + SIMULATOR_PATH + "/mode", {"mode": mode, "delay": 3})
    with pytest.raises(IntegrationError, match=expected):  # a short limit only against the slow-on-purpose service
        service(service_app, timeout=0.5 if mode == "slow" else 10).book(REQUEST, "k4")
