"""Web hardening: the secret key from the environment, cookie flags, and security headers on every response.

The Content-Security-Policy allows scripts only from our own origin: no inline script, no event
handler attributes, no `eval`. Style sheets come from our origin too, or carry the request's nonce
(the printed forms keep their A4 stylesheet inline, so that the browser and WeasyPrint print the very
same HTML: `<style nonce="{{ csp_nonce() }}">`). Only `style` attributes are allowed inline
(style-src-attr): the bpmn-js properties panel of the studio builds its markup with them, and a few
templates set a computed width. An attribute cannot hold a selector, so injected markup cannot read
the page through CSS; and every value in our templates is escaped anyway.
"""
from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request, session

PAGE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'nonce-{nonce}'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'{form_targets}",
    "frame-ancestors": "'none'",
}
# Stored files (scans, results) open inside the dossier page's viewer, so our own pages may frame them;
# anything but a PDF is sandboxed, so that an uploaded HTML or SVG file can never run script here.
FILE_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
PDF_POLICY = "frame-ancestors 'self'"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HSTS = "max-age=31536000; includeSubDomains"
SESSION_LIFETIME = timedelta(hours=8)  # idle time after which a login lapses (a working day)
# A bearer token lives one hour (it was 12): it travels in scripts and integrations' logs, where a leaked one
# was usable for a working day and a half. A client renews it before it lapses (POST /api/v1/auth/refresh)
# up to TOKEN_RENEW_LIMIT after the password was given; then it logs in again.
TOKEN_LIFETIME = 3600
TOKEN_RENEW_LIMIT = 12 * 3600


class MissingSecretKey(RuntimeError):
    """Production refuses to start without MOTCUA_SECRET_KEY."""


class UnsafeProduction(RuntimeError):
    """Production refuses to start with the simulators, an adapter pointed at one, or no public address."""


SIMULATOR_PATH = "/simulators/"


def production_problems(config: Mapping[str, Any]) -> list[str]:
    """Why this configuration may not serve real users (empty when it may)."""
    problems = []
    if config.get("SIMULATORS"):
        problems.append("MOTCUA_SIMULATORS đang bật (the simulators are switched on)")
    for key in sorted(config):
        value = config[key]
        if key.endswith("_URL") and isinstance(value, str) and SIMULATOR_PATH in value:
            problems.append(f"MOTCUA_{key} trỏ tới trình mô phỏng: {value} (points at a simulator)")
    if not str(config.get("PUBLIC_URL") or "").startswith(("https://", "http://")):
        problems.append("MOTCUA_PUBLIC_URL chưa được đặt: địa chỉ công khai in trên mã QR và gửi cho cổng thanh "
                        "toán không được lấy từ tiêu đề Host (MOTCUA_PUBLIC_URL is not set)")
    return problems


def check_production(app: Flask) -> None:
    """In production (MOTCUA_ENV=production), refuse to start on any of production_problems."""
    if not is_production(app):
        return
    problems = production_problems(app.config)
    if problems:
        raise UnsafeProduction("Môi trường production không khởi động (production refuses to start):\n- "
                               + "\n- ".join(problems))


def page_policy(nonce: str, form_targets: tuple[str, ...] = ()) -> str:
    """The Content-Security-Policy of every HTML page, for the request's nonce.

    `form_targets` are the other origins a form may lead to: browsers check form-action on the
    redirect after a POST too, and paying a fee posts a form that redirects to the payment gateway.
    """
    extra = "".join(f" {origin}" for origin in form_targets)
    return "; ".join(f"{name} {value.format(nonce=nonce, form_targets=extra)}" for name, value in PAGE_POLICY.items())


def form_targets(config: Mapping[str, Any]) -> tuple[str, ...]:
    """The payment gateway's origin (PAYMENT_GATEWAY_URL) and any in CSP_FORM_ACTION (space-separated)."""
    origins = [_origin(config.get("PAYMENT_GATEWAY_URL"))] + str(config.get("CSP_FORM_ACTION") or "").split()
    return tuple(dict.fromkeys(origin for origin in origins if origin))


def _origin(url: Any) -> str:
    parts = urlsplit(str(url or ""))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def csp_nonce() -> str:
    """This request's nonce, which an inline `<style>` element must carry (templates: `csp_nonce()`)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def is_production(app: Flask) -> bool:
    """Production is MOTCUA_ENV=production, except in debug or test runs."""
    return app.config.get("ENV_NAME") == "production" and not app.debug and not app.testing


def configure(app: Flask) -> None:
    """Check the secret key, set the cookie flags, and add the security headers to every response."""
    if not app.config.get("SECRET_KEY"):
        if is_production(app):
            raise MissingSecretKey(
                "MOTCUA_SECRET_KEY chưa được đặt: môi trường production không khởi động khi thiếu khóa bí mật "
                "(MOTCUA_SECRET_KEY is not set; production refuses to start without a secret key).")
        app.config["SECRET_KEY"] = secrets.token_hex(32)  # development: a fresh key per process
    secure = _secure_cookies(app)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax", REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_DURATION=timedelta(days=7))
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(keep_logins_expiring)
    app.after_request(add_security_headers)


def _secure_cookies(app: Flask) -> bool:
    value = app.config.get("SECURE_COOKIES")
    if value is None or value == "":
        return app.config.get("PREFERRED_URL_SCHEME") == "https"
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def keep_logins_expiring(response: Response) -> Response:
    """A logged-in session is permanent: its cookie expires after PERMANENT_SESSION_LIFETIME without a request."""
    if "_user_id" in session and not session.permanent:
        session.permanent = True
    return response


def add_security_headers(response: Response) -> Response:
    """Security headers on every response; HSTS when the request came over HTTPS."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint != "static" and ("_user_id" in session or request.headers.get("Authorization")):
        headers["Cache-Control"] = "no-store"  # a logged-in page or file: never kept by a browser or a proxy
    if request.endpoint != "static":
        policy = headers.setdefault("Content-Security-Policy", _policy_for(response))
        headers.setdefault("X-Frame-Options", "DENY" if "frame-ancestors 'none'" in policy else "SAMEORIGIN")
    if request.is_secure or current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _policy_for(response: Response) -> str:
    if response.headers.get("Content-Disposition"):  # a stored or generated file
        return PDF_POLICY if response.mimetype == "application/pdf" else FILE_POLICY
    if response.mimetype != "text/html":
        return FILE_POLICY
    return page_policy(csp_nonce(), form_targets(current_app.config))
