"""Adapters wired once, at the edge: each outside system's client built from the app's configuration.

The engine never reads a setting; the app factory, the views and the scheduler take the adapters from here
(`adapters_of(app)`) and pass them in. They are built again only when a setting they read changes (tests
point them at a live simulator after the app exists). Settings: POPULATION_*, PAYMENT_GATEWAY_*,
NATIONAL_PORTAL_*, POSTAL_* (+ POSTAL_CALLBACK_URL, PUBLIC_URL), SMTP_*, SMS_SIMULATOR, SIGNING_*, VNEID_*,
CIVIL_STATUS_*, RESIDENCE_*, INTERCONNECTION_* (the national systems of liên thông).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask

from engine.dossier.shipments import KIND as POSTAL_KIND
from engine.dossier.shipments import PostalSender
from engine.integrations import national_registries as registries
from engine.integrations.national_portal import KIND as PORTAL_KIND
from engine.integrations.national_portal import HttpNationalPortal, NationalPortal, PortalSender
from engine.integrations.payment_gateway import HttpPaymentGateway, PaymentGateway
from engine.integrations.population import HttpPopulationRegistry, PopulationRegistry
from engine.integrations.postal_service import HttpPostalService
from engine.integrations.signing import HttpSigningService, Pkcs12Signer, Signer
from engine.integrations.vneid import VneidClient, urllib_transport
from engine.messaging.delivery import Router, SmsSimulator, SmtpSender
from engine.messaging.outbox import Sender

PREFIXES = ("POPULATION_", "PAYMENT_GATEWAY_", "NATIONAL_PORTAL_", "POSTAL_", "PUBLIC_URL", "SMTP_", "SMS_",
            "SIGNING_", "ENV_NAME", "VNEID_", "CIVIL_STATUS_", "RESIDENCE_", "INTERCONNECTION_")
DEMO_SIGNING_DIR = "signing"  # under the instance folder: what `motcua demo load` writes (engine.integrations.certificates)


@dataclass(frozen=True)
class Adapters:
    """Every outside system this deployment talks to; None where one is not configured."""

    population: PopulationRegistry | None = None
    payment_gateway: PaymentGateway | None = None
    payment_secret: str = ""
    national_portal: NationalPortal | None = None
    notices: Sender | None = None  # the applicant's and officials' email and SMS
    integrations: dict[str, Sender] = field(default_factory=dict)  # outbox kind -> adapter
    signer: Signer | None = None  # signs issued results (PAdES)
    trust_roots: tuple[str, ...] = ()  # PEM files of the CAs whose signatures /xac-thuc accepts
    vneid: VneidClient | None = None  # sign-in with VNeID (OpenID Connect)


def build_adapters(config: Mapping[str, Any], instance_path: str, now: Callable[[], datetime]) -> Adapters:
    """The adapters for this configuration."""
    portal, postal = national_portal(config), postal_sender(config, now)
    integrations: dict[str, Sender] = {}
    if portal is not None:
        integrations[PORTAL_KIND] = PortalSender(portal)
    if postal is not None:
        integrations[POSTAL_KIND] = postal
    integrations.update(national_registries(config, now))
    return Adapters(population_registry(config), payment_gateway(config), payment_secret(config), portal,
                    notice_sender(config, instance_path), integrations, signer(config, instance_path),
                    trust_roots(config, instance_path), vneid_client(config))


def adapters_of(app: Flask) -> Adapters:
    """The app's adapters, built on first use and again when one of their settings changed."""
    key = tuple(sorted((k, repr(v)) for k, v in app.config.items() if k.startswith(PREFIXES)))
    cached = app.extensions["motcua"].get("adapters")
    if cached is None or cached[0] != key:
        cached = (key, build_adapters(app.config, app.instance_path, app.config["NOW"]))
        app.extensions["motcua"]["adapters"] = cached
    return cached[1]


def population_registry(config: Mapping[str, Any]) -> HttpPopulationRegistry | None:
    """The registry for POPULATION_URL (+ _KEY, _TIMEOUT seconds); None when not configured."""
    url = config.get("POPULATION_URL")
    if not url:
        return None
    return HttpPopulationRegistry(str(url), config.get("POPULATION_KEY") or None,
                                  float(config.get("POPULATION_TIMEOUT") or 5))


def payment_gateway(config: Mapping[str, Any]) -> HttpPaymentGateway | None:
    """The gateway for PAYMENT_GATEWAY_URL (+ _KEY, _TIMEOUT seconds); None when not configured."""
    url = config.get("PAYMENT_GATEWAY_URL")
    if not url:
        return None
    return HttpPaymentGateway(str(url), config.get("PAYMENT_GATEWAY_KEY") or None,
                              float(config.get("PAYMENT_GATEWAY_TIMEOUT") or 10))


def payment_secret(config: Mapping[str, Any]) -> str:
    """The shared secret that signs callbacks (PAYMENT_GATEWAY_SECRET); empty means every callback is refused."""
    return str(config.get("PAYMENT_GATEWAY_SECRET") or "")


def postal_service(config: Mapping[str, Any]) -> HttpPostalService | None:
    """The postal service for POSTAL_URL (+ _KEY, _TIMEOUT seconds); None (bookings stay pending) without a URL."""
    url = config.get("POSTAL_URL")
    if not url:
        return None
    return HttpPostalService(str(url), config.get("POSTAL_KEY") or None, float(config.get("POSTAL_TIMEOUT") or 10))


def national_portal(config: Mapping[str, Any]) -> HttpNationalPortal | None:
    """The portal for NATIONAL_PORTAL_URL (+ _KEY, _TIMEOUT seconds); None (records stay pending) without a URL.

    `make run` points it at the local simulator (SIMULATOR_PATH on the same server)."""
    url = config.get("NATIONAL_PORTAL_URL")
    if not url:
        return None
    return HttpNationalPortal(str(url), config.get("NATIONAL_PORTAL_KEY") or None,
                              float(config.get("NATIONAL_PORTAL_TIMEOUT") or 10))


def national_registries(config: Mapping[str, Any], now: Callable[[], datetime]) -> dict[str, Sender]:
    """The outbox senders of liên thông's national systems: CIVIL_STATUS_URL (hộ tịch), RESIDENCE_URL (cư trú),
    INTERCONNECTION_URL (phần mềm liên thông), each + _KEY, _TIMEOUT seconds; a system without a URL is left out
    (its records stay pending). `make run` points them at the local simulators (System.simulator_path)."""
    senders: dict[str, Sender] = {}
    for kind, system in registries.SYSTEMS.items():
        url = config.get(f"{kind.upper()}_URL")
        if url:
            client = registries.HttpNationalRegistry(system, str(url), config.get(f"{kind.upper()}_KEY") or None,
                                                     float(config.get(f"{kind.upper()}_TIMEOUT") or 10))
            senders[kind] = registries.AcknowledgingSender(client, system, now)
    return senders


def notice_sender(config: Mapping[str, Any], instance_path: str = ".") -> Router | None:
    """The sender for config keys SMTP_HOST, SMTP_PORT, SMTP_FROM, SMTP_USER, SMTP_PASSWORD,
    SMTP_STARTTLS and SMS_SIMULATOR (a file path, or true for instance/sms-simulator.jsonl);
    None (messages stay pending) when neither email nor SMS is configured."""
    email = None
    if config.get("SMTP_HOST"):
        email = SmtpSender(str(config["SMTP_HOST"]), int(config.get("SMTP_PORT") or 25),
                           str(config.get("SMTP_FROM") or "motcua@localhost"), config.get("SMTP_USER") or None,
                           config.get("SMTP_PASSWORD") or None, bool(config.get("SMTP_STARTTLS")))
    sms = None
    setting = config.get("SMS_SIMULATOR")
    if setting not in (None, "", False, 0, "0", "false"):
        target = Path(instance_path) / "sms-simulator.jsonl" if setting in (True, 1, "1", "true") else Path(setting)
        sms = SmsSimulator(target)
    if email is None and sms is None:
        return None
    return Router(email, sms)


def postal_sender(config: Mapping[str, Any], now: Callable[[], datetime]) -> PostalSender | None:
    """The outbox's postal sender for POSTAL_URL (None: bookings wait); delivery reports are asked for at
    POSTAL_CALLBACK_URL, else PUBLIC_URL + /postal/callback."""
    service = postal_service(config)
    if service is None:
        return None
    callback = config.get("POSTAL_CALLBACK_URL") or (
        str(config["PUBLIC_URL"]).rstrip("/") + "/postal/callback" if config.get("PUBLIC_URL") else None)
    return PostalSender(service, callback, now)


def signer(config: Mapping[str, Any], instance_path: str = ".") -> Signer | None:
    """The result signer: SIGNING_URL (+ _KEY, _TIMEOUT seconds) for a remote signing service, else the
    PKCS#12 file SIGNING_PKCS12 (+ SIGNING_PKCS12_PASSWORD); outside production, the demo ward's file that
    `motcua demo load` wrote (instance/signing/demo-signer.p12). None: approving a result says so."""
    if config.get("SIGNING_URL"):
        return HttpSigningService(str(config["SIGNING_URL"]), config.get("SIGNING_KEY") or None,
                                  float(config.get("SIGNING_TIMEOUT") or 20))
    if config.get("SIGNING_PKCS12"):
        return Pkcs12Signer(str(config["SIGNING_PKCS12"]), config.get("SIGNING_PKCS12_PASSWORD") or None)
    demo = Path(instance_path) / DEMO_SIGNING_DIR / "demo-signer.p12"
    if config.get("ENV_NAME") != "production" and demo.is_file():
        from engine.integrations.certificates import DEMO_PASSPHRASE

        return Pkcs12Signer(demo, DEMO_PASSPHRASE)
    return None


def trust_roots(config: Mapping[str, Any], instance_path: str = ".") -> tuple[str, ...]:
    """SIGNING_TRUST_ROOTS (PEM files, comma-separated); outside production also the demo CA, when written."""
    configured = config.get("SIGNING_TRUST_ROOTS") or ()
    roots = [p.strip() for p in configured.split(",")] if isinstance(configured, str) else list(configured)
    demo = Path(instance_path) / DEMO_SIGNING_DIR / "demo-ca.pem"
    if config.get("ENV_NAME") != "production" and demo.is_file():
        roots.append(str(demo))
    return tuple(p for p in roots if p)


def vneid_client(config: Mapping[str, Any]) -> VneidClient | None:
    """Sign-in with VNeID for VNEID_ISSUER (+ _CLIENT_ID, default "motcua", _CLIENT_SECRET, _REDIRECT_URI,
    else the callback's address on this server, _TIMEOUT seconds); None (no VNeID button) without an issuer.
    VNEID_TRANSPORT (tests only) replaces the HTTP calls. `make run` points it at the local simulator."""
    issuer = config.get("VNEID_ISSUER")
    if not issuer:
        return None
    transport = config.get("VNEID_TRANSPORT")  # a callable, set by tests; never from the environment
    if not callable(transport):
        transport = urllib_transport(float(config.get("VNEID_TIMEOUT") or 10))
    return VneidClient(str(issuer).rstrip("/"), str(config.get("VNEID_CLIENT_ID") or "motcua"),
                       str(config.get("VNEID_CLIENT_SECRET") or ""), str(config.get("VNEID_REDIRECT_URI") or ""),
                       transport)
