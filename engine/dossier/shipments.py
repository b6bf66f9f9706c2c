"""Trả kết quả qua dịch vụ bưu chính: results sent to the applicant by post, and their delivery status.

When the return step completes with `return_method` = `post`, `send_result` writes a shipment
(postal_shipment, status `booking`) and, in the same transaction, an outbox message of kind `postal`.
The scheduler hands the message to `PostalSender`, which books the parcel at the postal service
(engine.integrations.postal_service) with the message's dedupe key as idempotency key, and records the tracking
number (số hiệu bưu gửi) in the same transaction that marks the message sent. Delivery status comes
back by signed callback (`apply_status`): each report is stored once per event id (a replay does
nothing), written to the dossier's history, and the applicant is told when the result is delivered or
returned to the agency. Failed deliveries are listed for the desk (`shipments`, `PROBLEM_STATUSES`).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, object_session

from engine.clock import statutory
from engine.ground import events
from engine.ground.errors import Invalid, NotFound
from engine.integrations.http import IntegrationError
from engine.integrations.postal_service import PostalService
from engine.messaging import notices, outbox
from engine.models import Dossier, IssuedResult, OutboxMessage, PostalEvent, PostalShipment, User

KIND = "postal"
STATUS_LABELS = {
    "booking": "Chờ gửi bưu điện",
    "accepted": "Bưu điện đã nhận gửi",
    "in_transit": "Đang vận chuyển",
    "delivered": "Đã phát thành công",
    "failed": "Phát không thành công",
    "returned": "Chuyển hoàn về cơ quan",
}
REPORTED_STATUSES = ("accepted", "in_transit", "delivered", "failed", "returned")
PROBLEM_STATUSES = ("failed", "returned")
NOTIFIED = ("delivered", "returned")


def check_return(dossier: Dossier, kind: str | None, data: dict) -> None:
    """Refuse a return by post to an applicant without an address, before anything is written."""
    if kind == "return" and data.get("return_method") == "post" and not _address(dossier, data):
        raise Invalid("Không gửi được kết quả qua bưu chính: người nộp chưa có địa chỉ",
                      {"return_method": "Hồ sơ không có địa chỉ của người nộp; hãy nhập địa chỉ nhận "
                                        "hoặc chọn hình thức trả khác.",
                       "postal_address": "Nhập địa chỉ nhận kết quả."})


def _address(dossier: Dossier, data: dict | None = None) -> str:
    """Where the result goes: the address typed at the return step, else the applicant's."""
    typed = str((data or {}).get("postal_address") or "").strip()
    return typed or str((dossier.applicant or {}).get("address") or "").strip()


def after_step(session: Session, dossier: Dossier, kind: str | None, data: dict, user: User | None,
               now: datetime) -> PostalShipment | None:
    """After a completed step: a return by post sends the result (`send_result`); anything else does nothing."""
    if kind == "return" and data.get("return_method") == "post":
        return send_result(session, dossier, data, user, now)
    return None


def send_result(session: Session, dossier: Dossier, data: dict, user: User | None, now: datetime) -> PostalShipment:
    """Gửi kết quả qua bưu chính: a shipment to the applicant's address and its booking in the outbox."""
    applicant = dossier.applicant or {}
    shipment = PostalShipment(
        dossier_id=dossier.id, direction="outbound", status="booking", created_at=now,
        recipient_name=str(data.get("receiver_name") or dossier.applicant_name)[:255],
        recipient_address=_address(dossier, data)[:500], recipient_phone=applicant.get("phone"),
        created_by_id=user.id if user else None)
    session.add(shipment)
    session.flush()
    request = {"reference": f"{dossier.code}/{shipment.id}",
               "recipient": {"name": shipment.recipient_name, "address": shipment.recipient_address,
                             "phone": shipment.recipient_phone},
               "sender": {"name": dossier.unit.name, "code": dossier.unit.code},
               "contents": _contents(session, dossier)}
    outbox.enqueue(session, KIND, "Bưu chính", f"{dossier.code}: gửi kết quả", request["contents"],
                   booking_key(shipment), now, dossier_id=dossier.id,
                   payload={"shipment_id": shipment.id, "request": request})
    events.record(session, "postal.requested", now, dossier=dossier, user=user, name=shipment.recipient_address)
    return shipment


def _contents(session: Session, dossier: Dossier) -> str:
    """What the parcel holds: the signed results issued (title and register number), else the dossier's result."""
    issued = session.scalars(select(IssuedResult).where(IssuedResult.dossier_id == dossier.id)
                             .order_by(IssuedResult.id)).all()
    named = "; ".join(f"{r.title} số {r.number}" for r in issued)
    return f"Kết quả giải quyết hồ sơ {dossier.code}" + (f": {named}" if named else "")


def booking_key(shipment: PostalShipment) -> str:
    """The booking message's dedupe key, sent as the idempotency key: one parcel per shipment, however often sent."""
    return f"postal:book:{shipment.id}"


class PostalSender:
    """The outbox's sender for kind `postal`: books the parcel and records its tracking number.

    `callback_url` is where the postal service reports delivery status; `now` gives the time recorded.
    """

    def __init__(self, service: PostalService, callback_url: str | None = None,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.service, self.callback_url, self.now = service, callback_url, now

    def __call__(self, message: OutboxMessage) -> None:
        """Book one shipment; raises (the outbox retries later) when the postal service fails."""
        request = dict(message.payload["request"])
        if self.callback_url:
            request["callback_url"] = self.callback_url
        answer = self.service.book(request, message.dedupe_key)
        record_booking(object_session(message), message.payload["shipment_id"], answer, self.now())



def record_booking(session: Session, shipment_id: int, answer: dict, now: datetime) -> PostalShipment:
    """Store the tracking number the postal service gave; the same answer twice changes nothing."""
    shipment = session.get(PostalShipment, shipment_id)
    if shipment is None:
        raise NotFound(f"Không có bưu gửi số {shipment_id}")
    number = str(answer.get("tracking_number") or "").strip()
    if shipment.tracking_number == number:
        return shipment
    if shipment.tracking_number:
        raise IntegrationError(f"bưu gửi {shipment_id} đã có số hiệu {shipment.tracking_number}, "
                               f"bưu điện trả về {number}")
    shipment.tracking_number, shipment.booked_at = number, now
    if shipment.status == "booking":
        shipment.status, shipment.status_at = "accepted", now
    events.record(session, "postal.booked", now, dossier=shipment.dossier, name=number)
    return shipment


def _clean_report(report: object) -> dict:
    if not isinstance(report, dict):
        raise Invalid("Báo cáo trạng thái phải là một đối tượng JSON", {"body": "Phải là một đối tượng JSON."})
    errors = {}
    for key in ("event_id", "tracking_number"):
        if not str(report.get(key) or "").strip():
            errors[key] = "Bắt buộc."
    if report.get("status") not in REPORTED_STATUSES:
        errors["status"] = f"Một trong: {', '.join(REPORTED_STATUSES)}."
    if errors:
        raise Invalid("Báo cáo trạng thái bưu gửi không hợp lệ", errors)
    at = statutory.parse_moment(report.get("at") or "", "at")
    return {"event_id": str(report["event_id"]).strip()[:100], "tracking_number": str(report["tracking_number"]).strip(),
            "status": report["status"], "at": at, "location": (str(report.get("location") or "") or None),
            "note": (str(report.get("note") or "") or None)}


def apply_status(session: Session, report: object, now: datetime) -> tuple[PostalShipment, bool]:
    """Cập nhật trạng thái bưu gửi: store one delivery report; returns (shipment, False) for a replayed one.

    The newest report by its time sets the shipment's status; every report goes to the dossier's history;
    a delivery and a return to the agency are told to the applicant.
    """
    clean = _clean_report(report)
    query = select(PostalShipment).where(PostalShipment.tracking_number == clean["tracking_number"])
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    shipment = session.scalar(query)
    if shipment is None:
        raise NotFound(f"Không có bưu gửi số hiệu {clean['tracking_number']}")
    if not _insert_event(session, shipment, clean, now):
        return shipment, False
    if shipment.status_at is None or clean["at"] >= shipment.status_at or shipment.status == "booking":
        shipment.status, shipment.status_at = clean["status"], clean["at"]
    if clean["status"] == "delivered":
        shipment.delivered_at = shipment.delivered_at or clean["at"]
    kind = f"postal.{clean['status']}"
    events.record(session, kind, now, dossier=shipment.dossier, name=shipment.tracking_number,
                  reason=clean["note"], location=clean["location"], at=clean["at"].isoformat())
    if clean["status"] in NOTIFIED:
        notices.notify_applicant(session, shipment.dossier, kind, {"tracking_number": shipment.tracking_number}, now)
    return shipment, True


def _insert_event(session: Session, shipment: PostalShipment, clean: dict, now: datetime) -> bool:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = PostalEvent.__table__
    stmt = (insert(table).values(shipment_id=shipment.id, event_id=clean["event_id"], status=clean["status"],
                                 at=clean["at"], location=clean["location"], note=clean["note"], received_at=now)
            .on_conflict_do_nothing(index_elements=["shipment_id", "event_id"]).returning(table.c.id))
    return session.execute(stmt).first() is not None


def shipments_of(session: Session, dossier: Dossier) -> list[PostalShipment]:
    """The dossier's shipments, oldest first."""
    return list(session.scalars(select(PostalShipment).where(PostalShipment.dossier_id == dossier.id)
                                .order_by(PostalShipment.id)))


def shipment_events(session: Session, shipment: PostalShipment) -> list[PostalEvent]:
    """A shipment's delivery reports in the order they happened."""
    return list(session.scalars(select(PostalEvent).where(PostalEvent.shipment_id == shipment.id)
                                .order_by(PostalEvent.at, PostalEvent.id)))


def shipments(session: Session, unit_ids: set[int], status: str | None = None, limit: int = 500
              ) -> list[PostalShipment]:
    """Bưu gửi của đơn vị: shipments of dossiers handled in `unit_ids`, problems first, then newest.

    `status` keeps one status, or `problem` the failed and returned ones.
    """
    query = (select(PostalShipment).join(Dossier, Dossier.id == PostalShipment.dossier_id)
             .where(Dossier.unit_id.in_(unit_ids)).order_by(PostalShipment.id.desc()).limit(limit))
    if status == "problem":
        query = query.where(PostalShipment.status.in_(PROBLEM_STATUSES))
    elif status:
        if status not in STATUS_LABELS:
            raise Invalid("Trạng thái bưu gửi không hợp lệ", {"status": f"Một trong: {', '.join(STATUS_LABELS)}."})
        query = query.where(PostalShipment.status == status)
    rows = list(session.scalars(query))
    return sorted(rows, key=lambda s: s.status not in PROBLEM_STATUSES)


def booking_errors(session: Session, rows: list[PostalShipment]) -> dict[int, OutboxMessage]:
    """The booking messages that failed at least once, by shipment id: why a shipment still waits."""
    keys = {booking_key(s): s.id for s in rows if s.status == "booking"}
    if not keys:
        return {}
    messages = session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.in_(keys),
                                                           OutboxMessage.attempts > 0))
    return {keys[m.dedupe_key]: m for m in messages if m.state != "sent"}
