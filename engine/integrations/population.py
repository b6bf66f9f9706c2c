"""CSDL quốc gia về dân cư: check an applicant's 12-digit citizen ID and name at intake.

A read, not a side effect, so it is called directly (not through the outbox). The answer prefills the
applicant; a name that differs from the registry's is reported as a mismatch for the officer to
resolve, never accepted silently; an unreachable registry is reported as such and intake goes on by hand.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

from engine.integrations.http import IntegrationError, JsonClient, RemoteNotFound
from forms.identifiers import is_citizen_id

FIELDS = {"HoTen": "name", "NoiThuongTru": "address", "NgaySinh": "birth_date", "GioiTinh": "sex"}


class PopulationRegistry(Protocol):
    """What the engine needs from the population database."""

    def lookup(self, id_number: str) -> dict | None:
        """The citizen's record (national field names), None when there is none; raises IntegrationError."""


class HttpPopulationRegistry:
    """The population database's HTTP API: GET /congdan/<id>."""

    def __init__(self, base_url: str, api_key: str | None = None, timeout: float = 5.0) -> None:
        self.client = JsonClient(base_url, api_key, timeout)

    def lookup(self, id_number: str) -> dict | None:
        """GET the citizen; None on 404."""
        try:
            return self.client.call("GET", "/congdan/" + quote(id_number))
        except RemoteNotFound:
            return None



@dataclass(frozen=True)
class IdentityCheck:
    """Kết quả đối chiếu: status match | mismatch | not_found | unavailable | invalid, what to prefill, and why."""

    status: str
    message: str
    prefill: dict = field(default_factory=dict)
    differences: dict = field(default_factory=dict)  # field -> {"given", "registry"}

    def to_dict(self) -> dict:
        """The check as JSON-friendly data."""
        return {"status": self.status, "message": self.message, "prefill": self.prefill,
                "differences": self.differences}


def same_name(a: str, b: str) -> bool:
    """Whether two names are the same person's name, ignoring case and spacing (not diacritics)."""
    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).casefold().split())
    return norm(a) == norm(b)


def check_applicant(registry: PopulationRegistry | None, id_number: str, name: str = "") -> IdentityCheck:
    """Đối chiếu CSDL dân cư: look the ID up and compare the name the applicant gave, if any."""
    id_number = (id_number or "").strip()
    if not is_citizen_id(id_number):
        return IdentityCheck("invalid", "Số định danh cá nhân gồm đúng 12 chữ số.")
    if registry is None:
        return IdentityCheck("unavailable", "Chưa kết nối CSDL quốc gia về dân cư; hãy kiểm tra giấy tờ bản gốc.")
    try:
        record = registry.lookup(id_number)
    except IntegrationError as err:
        return IdentityCheck("unavailable", f"Không tra cứu được CSDL dân cư ({err}); hãy kiểm tra giấy tờ bản gốc.")
    if record is None:
        return IdentityCheck("not_found", f"CSDL dân cư không có số định danh {id_number}.")
    prefill = {ours: record[theirs] for theirs, ours in FIELDS.items() if record.get(theirs)}
    prefill["id_number"] = id_number
    if name.strip() and not same_name(name, prefill.get("name", "")):
        return IdentityCheck("mismatch", f"Họ tên khác với CSDL dân cư: đã nhập \"{name.strip()}\", "
                             f"CSDL ghi \"{prefill.get('name', '')}\".", prefill,
                             {"name": {"given": name.strip(), "registry": prefill.get("name", "")}})
    return IdentityCheck("match", "Khớp với CSDL quốc gia về dân cư.", prefill)


def record_check(session: Any, user: Any, id_number: str, check: IdentityCheck, now: Any, via: str) -> None:
    """Nhật ký: who looked which citizen ID up in the population database, when, through which door, and
    what came back (personal data is read, so every lookup is audited)."""
    from engine.ground import events

    events.record(session, "citizen.checked", now, user=user, message=(id_number or "").strip()[:20],
                  id_number=(id_number or "").strip()[:20], status=check.status, via=via)
