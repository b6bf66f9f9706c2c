"""VNeID in the Flask test client: the relying party's HTTP calls answered by the app's own simulator."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from engine.integrations.http import IntegrationError

ISSUER = "http://localhost/simulators/vneid"  # the simulator's issuer as the test client sees it
SECRET = "test-vneid-secret"


def in_process_transport(app):
    """A transport (engine.integrations.vneid) that sends discovery, token and JWKS calls to `app`'s simulator."""
    def call(method, url, form=None, headers=None):
        res = app.test_client().open(url, method=method, data=form, headers=headers or {})
        if res.status_code >= 400:
            raise IntegrationError(f"{method} {url}: HTTP {res.status_code} {res.get_data(as_text=True)[:200]}")
        return res.get_json()
    return call


def canned_discovery(issuer: str):
    """A transport that only knows the provider's discovery document (no simulator mounted: the access matrix)."""
    def call(method, url, form=None, headers=None):
        if url != issuer + "/.well-known/openid-configuration":
            raise IntegrationError(f"{method} {url}: not simulated")
        return {"issuer": issuer, "authorization_endpoint": issuer + "/authorize", "token_endpoint": issuer + "/token",
                "jwks_uri": issuer + "/jwks"}
    return call


def query(url: str) -> dict[str, str]:
    """The query parameters of an address, one value each."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
