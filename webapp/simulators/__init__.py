"""Simulators (mô phỏng) of the national systems, for development and tests only.

Each is a blueprint under /simulators/<name>, mounted only when the SIMULATORS setting is on (default
off; `make run` sets MOTCUA_SIMULATORS=true; production refuses it). Each keeps its state in memory and
has a fault switch (POST /simulators/<name>/mode: ok, error or slow) so tests can see what the adapters do when the far
side fails.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import Flask, abort, current_app, jsonify, request


@dataclass
class Faults:
    """A simulator's fault switch: `ok`, `error` (HTTP 503) or `slow` (answers after `delay` seconds)."""

    mode: str = "ok"
    delay: float = 0.0

    def apply(self) -> None:
        """Act out the current fault before a simulated call is answered."""
        if self.mode == "error":
            abort(503, "SIMULATOR: lỗi giả lập")
        if self.mode == "slow":
            time.sleep(self.delay)


def state(name: str, factory):
    """The simulator's in-memory state in this app, created on first use."""
    store = current_app.extensions.setdefault("simulators", {})
    with LOCK:
        return store.setdefault(name, factory())


LOCK = threading.RLock()


def set_mode(faults: Faults):
    """The view behind POST …/mode: set the fault switch from JSON {"mode", "delay"}."""
    body = request.get_json(silent=True) or {}
    if body.get("mode") not in ("ok", "error", "slow"):
        abort(400, "mode: ok | error | slow")
    faults.mode, faults.delay = body["mode"], float(body.get("delay") or 0)
    return jsonify({"mode": faults.mode, "delay": faults.delay})


def check_key(setting: str) -> None:
    """401 unless the request carries the configured API key (none configured: anything goes)."""
    key = current_app.config.get(setting)
    if key and request.headers.get("X-Api-Key") != key:
        abort(401, "SIMULATOR: sai khóa API")


def init_app(app: Flask) -> None:
    """Mount the simulators when the SIMULATORS setting is on."""
    if not app.config.get("SIMULATORS"):
        return
    from webapp.pages import csrf
    from webapp.simulators import (
        national_portal,
        national_registries,
        payment,
        population,
        postal,
        signing,
        vneid,
    )

    for blueprint in (national_portal.bp, population.bp, postal.bp, payment.bp, signing.bp, vneid.bp,
                      *national_registries.BLUEPRINTS):
        csrf.exempt(blueprint)
        app.register_blueprint(blueprint)
