"""The client address behind a reverse proxy: X-Forwarded-For is believed only from configured proxies.

`MOTCUA_TRUSTED_PROXIES` lists the addresses or networks of our own reverse proxies (comma-separated,
e.g. `127.0.0.1,10.0.0.0/24`; empty by default, so that no header is believed) and
`MOTCUA_TRUSTED_PROXY_HOPS` how many of them stand in a row (default 1). A request whose peer is one
of them goes through werkzeug's ProxyFix, which takes the client address from the last `hops` entries
of X-Forwarded-For (and the scheme from X-Forwarded-Proto). From any other peer the X-Forwarded-*
headers are dropped, so that a client cannot pick its own address and escape the per-address limits
(the login throttle, the public lookup, online submission).
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
             "HTTP_X_FORWARDED_PREFIX", "HTTP_FORWARDED")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str | Iterable[str] | None) -> list[Network]:
    """The configured proxies as networks; ValueError naming the entry that is not an address."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    networks = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as err:
            raise ValueError(f"MOTCUA_TRUSTED_PROXIES: '{item}' không phải địa chỉ IP hay dải mạng") from err
    return networks


class TrustedProxies:
    """WSGI middleware: ProxyFix for requests from a trusted proxy, forwarded headers dropped otherwise."""

    def __init__(self, app, networks: list[Network], hops: int = 1) -> None:
        self.app, self.networks = app, networks
        self.fixed = ProxyFix(app, x_for=hops, x_proto=hops)

    def trusted(self, peer: str | None) -> bool:
        """Whether the direct peer is one of our proxies."""
        try:
            address = ipaddress.ip_address(peer or "")
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        if self.networks and self.trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        for key in FORWARDED:
            environ.pop(key, None)
        return self.app(environ, start_response)


def init_app(app: Flask) -> None:
    """Wrap the app's WSGI callable according to TRUSTED_PROXIES and TRUSTED_PROXY_HOPS."""
    networks = parse_networks(app.config.get("TRUSTED_PROXIES"))
    app.wsgi_app = TrustedProxies(app.wsgi_app, networks, int(app.config.get("TRUSTED_PROXY_HOPS") or 1))
