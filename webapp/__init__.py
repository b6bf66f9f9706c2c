"""The Flask application: app factory, one blueprint per actor."""
from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from flask import Flask

from engine.ground.db import SERVING_TIMEOUTS, make_engine, make_session_factory
from webapp import bounds, errors, proxy, security

ENV_PREFIX = "MOTCUA_"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then MOTCUA_* variables, then `test_config`."""
    app = Flask(__name__, instance_relative_config=True)
    bounds.init_app(app)
    app.config.from_mapping(
        SECRET_KEY=None,  # MOTCUA_SECRET_KEY; webapp.security refuses production without it
        DATABASE_URL=None,
        STORAGE_DIR=None,
        ENV_NAME="development",
        TOKEN_MAX_AGE=security.TOKEN_LIFETIME,
        TOKEN_RENEW_LIMIT=security.TOKEN_RENEW_LIMIT,
        TRUSTED_PROXIES="",  # our reverse proxies' addresses; X-Forwarded-For is believed only from them
        MAX_CONTENT_LENGTH=60 * 1024 * 1024,
        BABEL_DEFAULT_LOCALE="vi",
        BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=security.SESSION_LIFETIME,
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(ENV_PREFIX[:-1])
    for key in ("SECRET_KEY", "DATABASE_URL", "STORAGE_DIR", "ENV"):
        if os.environ.get(ENV_PREFIX + key):
            app.config["ENV_NAME" if key == "ENV" else key] = os.environ[ENV_PREFIX + key]
    if test_config:
        app.config.update(test_config)
    security.configure(app)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{os.path.join(app.instance_path, 'motcua.sqlite')}"
    app.config.setdefault("NOW", lambda: datetime.now(UTC))
    app.config.setdefault("SIMULATORS", False)  # MOTCUA_SIMULATORS=true mounts them (`make run` does)
    security.check_production(app)
    if not app.config["STORAGE_DIR"]:
        app.config["STORAGE_DIR"] = os.path.join(app.instance_path, "storage")
    engine = make_engine(app.config["DATABASE_URL"], {**SERVING_TIMEOUTS, **app.config.get("DATABASE_TIMEOUTS", {})})
    app.extensions["motcua"] = {"engine": engine, "sessions": make_session_factory(engine)}
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from webapp import (
        admin,
        api,
        applicants,
        auth,
        case_file,
        consent,
        db,
        desk,
        feedback,
        handover,
        labels,
        leader,
        officials,
        online,
        online_group,
        own_password,
        pages,
        payments,
        portal,
        postal,
        printing,
        public,
        results,
        simulators,
        studio,
        supervision,
        withdrawals,
    )

    proxy.init_app(app)
    db.init_app(app)
    errors.init_app(app)
    pages.init_app(app)
    auth.login_manager.init_app(app)
    applicants.init_app(app)
    consent.init_app(app)
    own_password.init_app(app)
    blueprints = (api.bp, public.bp, auth.bp, officials.bp, desk.bp, admin.bp, printing.bp, supervision.bp,
                  studio.bp, portal.bp, applicants.bp, online.bp, online_group.bp, withdrawals.bp, postal.bp, leader.bp, payments.applicant_bp,
                  payments.gateway_bp, payments.desk_bp, handover.bp, case_file.bp, results.bp, feedback.bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    for blueprint in (api.bp, payments.gateway_bp):  # bearer tokens and signed callbacks, not cookies
        pages.csrf.exempt(blueprint)
    labels.init_app(app)
    leader.init_app(app)
    desk.checklist.init_app(app)
    payments.init_app(app)
    simulators.init_app(app)
    portal.init_app(app)
    results.init_app(app)
    auth.login_manager.blueprint_login_views = {"applicants": "applicants.login", "online": "applicants.login",
                                               "online_group": "applicants.login"}
    return app
