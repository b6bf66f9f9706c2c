"""SIMULATOR of VNeID's OpenID Connect provider, under /simulators/vneid.

Discovery (/.well-known/openid-configuration), an authorization page where the developer picks or types
a demo citizen (name, 12-digit citizen ID) and then is sent back with a code, /token (authorization
code with PKCE S256 checked, client secret by HTTP Basic or form) and /jwks. ID tokens are signed RS256
with a key made when the simulator first runs in this app. Codes, the key and the fault switch stay in memory.
The issuer is this server's address + /simulators/vneid.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.common.urls import add_params_to_uri
from flask import Blueprint, abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from joserfc import jwt
from joserfc.jwk import RSAKey

from webapp.simulators import LOCK, Faults, set_mode, state

bp = Blueprint("sim_vneid", __name__, url_prefix="/simulators/vneid")
DEMO_CITIZENS = (("Nguyễn Văn An", "001090000123"), ("Trần Thị Bình", "079185000456"),
                 ("Lê Hoàng Cường", "031200000789"))
CODE_SECONDS, TOKEN_SECONDS = 120, 300


@dataclass
class ProviderState:
    """The simulated provider: its signing key, codes not yet exchanged, its fault switch."""

    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "sim-" + secrets.token_hex(4)}))
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: Faults = field(default_factory=Faults)


def provider() -> ProviderState:
    """This app's simulated provider."""
    return state("vneid", ProviderState)


def issuer() -> str:
    """The simulator's issuer: this server's address + /simulators/vneid."""
    return request.host_url.rstrip("/") + bp.url_prefix


def _client() -> tuple[str, str]:
    return (str(current_app.config.get("VNEID_CLIENT_ID") or "motcua"),
            str(current_app.config.get("VNEID_CLIENT_SECRET") or ""))


@bp.get("/.well-known/openid-configuration")
def discovery():
    """The provider's metadata."""
    provider().faults.apply()
    base = issuer()
    return jsonify({"issuer": base, "authorization_endpoint": base + "/authorize", "token_endpoint": base + "/token",
                    "jwks_uri": base + "/jwks", "response_types_supported": ["code"],
                    "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"], "scopes_supported": ["openid", "profile"],
                    "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]})


@bp.get("/jwks")
def jwks():
    """The public key that signs ID tokens."""
    return jsonify({"keys": [provider().key.as_dict(private=False)]})


def _redirect_back(redirect_uri: str, params: list[tuple[str, str]]):
    return current_app.response_class(status=302, headers={"Location": add_params_to_uri(redirect_uri, params)})


@bp.route("/authorize", methods=["GET", "POST"])
def authorize():
    """The citizen's page at VNeID: pick or type a demo citizen, or refuse; then back to redirect_uri."""
    args = request.values
    if args.get("response_type") != "code" or not args.get("redirect_uri") or args.get("client_id") != _client()[0] \
            or args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
        abort(400, "SIMULATOR: response_type=code, client_id, redirect_uri and an S256 code_challenge are required")
    back = [("state", args.get("state", ""))]
    if request.method == "GET":
        return render_template("simulators/vneid.html", args=args, citizens=DEMO_CITIZENS,
                               title=_("Mô phỏng đăng nhập VNeID"), error=None)
    if request.form.get("outcome") == "deny":
        return _redirect_back(args["redirect_uri"], [("error", "access_denied"), *back])
    name, citizen_id = request.form.get("name", "").strip(), request.form.get("citizen_id", "").strip()
    if not name or not (len(citizen_id) == 12 and citizen_id.isdigit()):
        return render_template("simulators/vneid.html", args=args, citizens=DEMO_CITIZENS,
                               title=_("Mô phỏng đăng nhập VNeID"),
                               error=_("Nhập họ tên và số định danh cá nhân gồm 12 chữ số.")), 422
    code = secrets.token_urlsafe(24)
    with LOCK:
        provider().codes[code] = {"name": name, "citizen_id": citizen_id, "nonce": args.get("nonce"),
                                  "challenge": args["code_challenge"], "redirect_uri": args["redirect_uri"],
                                  "client_id": args["client_id"], "expires": time.time() + CODE_SECONDS}
    return _redirect_back(args["redirect_uri"], [("code", code), *back])


def _token_error(error: str, status: int = 400):
    return jsonify({"error": error}), status


def _client_authenticated() -> bool:
    client_id, secret = _client()
    auth = request.authorization
    given_id, given_secret = (auth.username, auth.password) if auth else (request.form.get("client_id"),
                                                                        request.form.get("client_secret"))
    return given_id == client_id and hmac.compare_digest(str(given_secret or ""), secret)


@bp.post("/token")
def token():
    """Exchange a code once for an ID token: client, redirect_uri and the PKCE verifier must match."""
    sim = provider()
    sim.faults.apply()
    form = request.form
    if form.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type")
    if not _client_authenticated():
        return _token_error("invalid_client", 401)
    with LOCK:
        grant = sim.codes.pop(form.get("code", ""), None)
    if grant is None or grant["expires"] < time.time() or grant["redirect_uri"] != form.get("redirect_uri"):
        return _token_error("invalid_grant")
    verifier = form.get("code_verifier", "")
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    if not verifier or not hmac.compare_digest(challenge, grant["challenge"]):
        return _token_error("invalid_grant")  # PKCE: the verifier is not the one behind the challenge
    now = int(time.time())
    claims = {"iss": issuer(), "aud": grant["client_id"], "sub": "vneid-" + grant["citizen_id"],
              "iat": now, "exp": now + TOKEN_SECONDS, "name": grant["name"], "citizen_id": grant["citizen_id"]}
    if grant["nonce"]:
        claims["nonce"] = grant["nonce"]
    id_token = jwt.encode({"alg": "RS256", "kid": sim.key.kid}, claims, sim.key)
    return jsonify({"access_token": secrets.token_urlsafe(24), "token_type": "Bearer", "expires_in": TOKEN_SECONDS,
                    "id_token": id_token})


@bp.post("/mode")
def mode():
    """The fault switch (ok, error, slow)."""
    return set_mode(provider().faults)
