"""The national systems a liên thông group reports to: civil status, residence, the interconnection software.

- `civil_status`: Cơ sở dữ liệu hộ tịch điện tử toàn quốc: the birth (khai sinh) or death (khai tử) record,
  sent once the commune has signed and issued the certificate.
- `residence`: Cơ sở dữ liệu quốc gia về cư trú: the child's permanent residence registration (đăng ký thường
  trú) or the deceased's deletion (xóa đăng ký thường trú), sent once the police has decided.
- `interconnection`: Phần mềm dùng chung liên thông: each hand-over of a member dossier to the next agency
  (chuyển hồ sơ) and each agency's result back to the group (trả kết quả); its acknowledgement is recorded.

All three take one JSON record by POST with the outbox message's dedupe key as Idempotency-Key and answer an
acknowledgement id (`MaBanGhi` for the registers, `MaTiepNhan` for the interconnection software). The records
are written to the outbox by engine.messaging.lien_thong_records; `AcknowledgingSender` delivers them and keeps
the acknowledgement as the dossier's IntegrationRef (one per system and id, so a repeated delivery adds nothing).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import object_session

from engine.ground import events
from engine.integrations.http import IntegrationError, JsonClient
from engine.models import Dossier, IntegrationRef, OutboxMessage

CIVIL_STATUS, RESIDENCE, INTERCONNECTION = "civil_status", "residence", "interconnection"


@dataclass(frozen=True)
class System:
    """One national system: its name as users read it, where it takes records, what its acknowledgement is called."""

    kind: str
    name: str
    path: str
    ack_field: str
    simulator_path: str


SYSTEMS = {
    CIVIL_STATUS: System(CIVIL_STATUS, "CSDL hộ tịch điện tử", "/hotich/sukien", "MaBanGhi",
                         "/simulators/civil-status"),
    RESIDENCE: System(RESIDENCE, "CSDL quốc gia về cư trú", "/cutru/capnhat", "MaBanGhi", "/simulators/residence"),
    INTERCONNECTION: System(INTERCONNECTION, "Phần mềm liên thông", "/lienthong/giaodich", "MaTiepNhan",
                            "/simulators/interconnection"),
}
KINDS = frozenset(SYSTEMS)  # outbox kinds, one per system


class NationalRegistry(Protocol):
    """What the engine needs from each of these systems: take one record, answer its acknowledgement."""

    def send(self, record: dict, idempotency_key: str) -> str:
        """Send the record; the system's acknowledgement id. Raises IntegrationError on failure."""


class HttpNationalRegistry:
    """A system's HTTP API: POST <path> with the record; the answer's acknowledgement field."""

    def __init__(self, system: System, base_url: str, api_key: str | None = None, timeout: float = 10.0) -> None:
        self.system, self.client = system, JsonClient(base_url, api_key, timeout)

    def send(self, record: dict, idempotency_key: str) -> str:
        """POST the record once per idempotency key (a repeat answers the same acknowledgement)."""
        answer = self.client.call("POST", self.system.path, record, idempotency_key) or {}
        ack = str(answer.get(self.system.ack_field) or "").strip()
        if not ack:
            raise IntegrationError(f"{self.system.name}: câu trả lời không có {self.system.ack_field}")
        return ack


class AcknowledgingSender:
    """The outbox's sender for one system's kind: sends the stored record and records the acknowledgement."""

    def __init__(self, registry: NationalRegistry, system: System, now=None) -> None:
        self.registry, self.system = registry, system
        self.now = now or (lambda: datetime.now().astimezone())

    def __call__(self, message: OutboxMessage) -> None:
        """Deliver one record; raises (the outbox retries later) when the system fails."""
        ack = self.registry.send(message.payload["record"], message.dedupe_key)
        session = object_session(message)
        if session is None or message.dossier_id is None:
            return
        known = session.scalar(select(IntegrationRef.id).where(IntegrationRef.system == self.system.kind,
                                                               IntegrationRef.external_id == ack))
        if known is None:
            at = self.now()
            session.add(IntegrationRef(system=self.system.kind, external_id=ack, dossier_id=message.dossier_id,
                                       created_at=at))
            events.record(session, "integration.acknowledged", at, dossier=session.get(Dossier, message.dossier_id),
                          system=self.system.kind, name=self.system.name, ack=ack,
                          transaction=message.payload["record"].get("LoaiGiaoDich"))
