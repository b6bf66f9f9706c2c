"""Deployment: simulators only when switched on, no default secret for any callback, production refuses
to start in an unsafe configuration."""
from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from webapp.security import UnsafeProduction

ENV = ("MOTCUA_SECRET_KEY", "MOTCUA_ENV", "FLASK_DEBUG", "MOTCUA_SIMULATORS", "MOTCUA_PUBLIC_URL",
       "MOTCUA_PAYMENT_GATEWAY_URL", "MOTCUA_PAYMENT_GATEWAY_SECRET", "MOTCUA_POSTAL_URL")


def _app(monkeypatch, tmp_path, env: dict[str, str] | None = None, config: dict | None = None):
    from webapp import create_app

    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MOTCUA_DATABASE_URL", f"sqlite:///{tmp_path / 'deploy.sqlite'}")
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    app = create_app(config)
    app.extensions["motcua"]["engine"].dispose()
    return app


def test_simulators_are_not_mounted_unless_switched_on(monkeypatch, tmp_path):
    plain = _app(monkeypatch, tmp_path)  # development, nothing set: the README's serving recipe without MOTCUA_ENV
    assert not any(rule.rule.startswith("/simulators/") for rule in plain.url_map.iter_rules())
    assert plain.test_client().get("/simulators/national-portal/").status_code == 404
    demo = _app(monkeypatch, tmp_path, {"MOTCUA_SIMULATORS": "true"})
    assert any(rule.rule.startswith("/simulators/payment") for rule in demo.url_map.iter_rules())


def _signed(secret: str, body: bytes) -> dict:
    return {"X-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
            "Content-Type": "application/json"}


@pytest.mark.parametrize("env", [{}, {"MOTCUA_SIMULATORS": "true"}])
def test_a_payment_callback_is_refused_while_no_secret_is_set(monkeypatch, tmp_path, env):
    app = _app(monkeypatch, tmp_path, env, {"TESTING": True})
    body = json.dumps({"order_id": "MC1", "status": "paid", "amount": 8000}).encode()
    for secret in ("simulator-only-secret", ""):  # the old public default, and an empty key
        res = app.test_client().post("/thanh-toan/callback", data=body, headers=_signed(secret, body))
        assert res.status_code == 503 and res.json["error"]["code"] == "not_configured"


def test_the_postal_callback_is_refused_while_no_secret_is_set(monkeypatch, tmp_path):
    app = _app(monkeypatch, tmp_path, {"MOTCUA_SIMULATORS": "true"}, {"TESTING": True})
    body = b'{"tracking_number": "X"}'
    res = app.test_client().post("/postal/callback", data=body,
                                 headers={"X-Postal-Signature": "sha256=" + hmac.new(b"", body, "sha256").hexdigest()})
    assert res.status_code == 503


SAFE = {"MOTCUA_ENV": "production", "MOTCUA_SECRET_KEY": "k" * 64, "MOTCUA_PUBLIC_URL": "https://motcua.example.vn"}


@pytest.mark.parametrize(("change", "named"), [
    ({"MOTCUA_SIMULATORS": "true"}, "MOTCUA_SIMULATORS"),
    ({"MOTCUA_PAYMENT_GATEWAY_URL": "http://127.0.0.1:5000/simulators/payment"}, "MOTCUA_PAYMENT_GATEWAY_URL"),
    ({"MOTCUA_POSTAL_URL": "http://127.0.0.1:5000/simulators/postal"}, "MOTCUA_POSTAL_URL"),
    ({"MOTCUA_PUBLIC_URL": ""}, "MOTCUA_PUBLIC_URL"),
])
def test_production_refuses_to_start_in_an_unsafe_configuration(monkeypatch, tmp_path, change, named):
    with pytest.raises(UnsafeProduction, match=named):
        _app(monkeypatch, tmp_path, {**SAFE, **change})


def test_production_starts_with_a_secret_a_public_address_and_no_simulator(monkeypatch, tmp_path):
    app = _app(monkeypatch, tmp_path, SAFE)
    assert not any(rule.rule.startswith("/simulators/") for rule in app.url_map.iter_rules())
    assert app.config["PUBLIC_URL"] == "https://motcua.example.vn"
