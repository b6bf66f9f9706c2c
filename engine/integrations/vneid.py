"""VNeID sign-in through OpenID Connect: authorization code with PKCE (S256), ID token checked here.

Authlib makes the state, nonce, PKCE verifier and challenge and the authorization address; joserfc (Authlib's
JOSE library) verifies the ID token: RS256 signature against the provider's JWKS, iss, aud, exp and nonce.
The HTTP calls (discovery, token, JWKS) go through `transport`, a function (method, url, form) -> JSON,
urllib by default, so tests can answer them from the simulator in the same app.
"""
from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from engine.integrations.http import IntegrationError

PROVIDER = "vneid"
Transport = Callable[[str, str, dict[str, str] | None, dict[str, str] | None], Any]


class SignInRefused(Exception):
    """The provider's answer cannot be trusted (bad state, bad token, wrong nonce…) or the citizen said no."""


def urllib_transport(timeout: float = 10.0) -> Transport:
    """The default transport: a GET, or a POST of a form, answered with JSON."""
    def call(method: str, url: str, form: dict[str, str] | None = None,
             headers: dict[str, str] | None = None) -> Any:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, method=method,
                                         headers={"Accept": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - configured URL
                return json.loads(response.read())
        except urllib.error.HTTPError as err:
            raise IntegrationError(f"{method} {url}: HTTP {err.code} {err.read()[:300]!r}") from err
        except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as err:
            raise IntegrationError(f"{method} {url}: {getattr(err, 'reason', err)}") from err
    return call


@dataclass(frozen=True)
class Start:
    """What to keep in the browser's session until the callback, and where to send the browser."""

    url: str
    state: str
    nonce: str
    verifier: str


@dataclass(frozen=True)
class Citizen:
    """A citizen as VNeID vouches for them."""

    subject: str
    id_number: str
    full_name: str


@dataclass
class VneidClient:
    """The relying party: issuer, client id and secret, our callback address."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    transport: Transport = field(default_factory=urllib_transport)
    leeway: int = 60

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document; its issuer must be the configured one."""
        meta = self.transport("GET", self.issuer.rstrip("/") + "/.well-known/openid-configuration", None, None)
        if not isinstance(meta, dict) or meta.get("issuer") != self.issuer:
            raise IntegrationError("VNeID: discovery document of another issuer")
        return meta

    def start(self) -> Start:
        """A fresh state, nonce and PKCE verifier, and the authorization address that carries them."""
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
        url = add_params_to_uri(self.metadata()["authorization_endpoint"], [
            ("response_type", "code"), ("client_id", self.client_id), ("redirect_uri", self.redirect_uri),
            ("scope", "openid profile"), ("state", state), ("nonce", nonce),
            ("code_challenge", create_s256_code_challenge(verifier)), ("code_challenge_method", "S256")])
        return Start(url, state, nonce, verifier)

    def finish(self, args: dict[str, str], state: str | None, nonce: str | None, verifier: str | None) -> Citizen:
        """The callback: check the state, exchange the code (with the verifier), verify the ID token."""
        if args.get("error"):
            raise SignInRefused("denied")
        if not state or not nonce or not verifier or args.get("state") != state:
            raise SignInRefused("state")
        if not args.get("code"):
            raise SignInRefused("code")
        meta = self.metadata()
        basic = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        try:
            tokens = self.transport("POST", meta["token_endpoint"], {
                "grant_type": "authorization_code", "code": args["code"], "redirect_uri": self.redirect_uri,
                "code_verifier": verifier}, {"Authorization": "Basic " + basic})
        except IntegrationError as err:
            raise SignInRefused("token") from err
        if not isinstance(tokens, dict) or not tokens.get("id_token"):
            raise SignInRefused("token")
        claims = self.verify_id_token(str(tokens["id_token"]), nonce, meta)
        id_number = str(claims.get("citizen_id") or "")
        if not (len(id_number) == 12 and id_number.isdigit()):
            raise SignInRefused("claims")
        return Citizen(str(claims["sub"]), id_number, str(claims.get("name") or ""))

    def verify_id_token(self, id_token: str, nonce: str, meta: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ID token's claims, once its RS256 signature, iss, aud, exp and nonce are right."""
        meta = meta or self.metadata()
        keys = KeySet.import_key_set(self.transport("GET", meta["jwks_uri"], None, None))
        try:
            token = jwt.decode(id_token, keys, algorithms=["RS256"])
            jwt.JWTClaimsRegistry(
                leeway=self.leeway, iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id}, exp={"essential": True},
                sub={"essential": True}, nonce={"essential": True, "value": nonce},
            ).validate(token.claims)
        except (JoseError, ValueError) as err:
            raise SignInRefused("id_token") from err
        return dict(token.claims)
