"""Thông báo cho công dân: a message to the applicant at each change of their dossier that matters: by email,
by SMS to their phone, and always in the portal's inbox for an online dossier.

Written to the outbox in the same transaction as the change (engine.dossier.lifecycle and engine.dossier.extension
call `dossier_changed` after each event they record); the scheduler delivers them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.messaging import outbox, portal_status
from engine.models import Dossier, HumanTask

KIND = "applicant_email"
SUBJECTS = {
    "dossier.submitted": "Hồ sơ {code} đã được nộp trực tuyến",
    "dossier.received": "Hồ sơ {code} đã được tiếp nhận",
    "dossier.supplement_requested": "Hồ sơ {code} cần bổ sung, hoàn thiện",
    "dossier.refused": "Hồ sơ {code} bị từ chối tiếp nhận",
    "dossier.extended": "Hồ sơ {code} được hẹn lại ngày trả kết quả",
    "dossier.done": "Hồ sơ {code} đã có kết quả",
    "dossier.returned": "Hồ sơ {code} đã trả kết quả",
    "dossier.stopped": "Hồ sơ {code} đã dừng xử lý",
    "postal.delivered": "Kết quả hồ sơ {code} đã được bưu điện phát đến Ông/Bà",
    "postal.returned": "Bưu điện không phát được kết quả hồ sơ {code}",
    "dossier.payment_requested": "Hồ sơ {code} chờ nộp lệ phí",
    "result.issued": "Hồ sơ {code} đã có giấy tờ kết quả được ký số",
}


def _vn(value: object) -> str:
    if isinstance(value, str) and value:
        value = datetime.fromisoformat(value)
    return f"{value.astimezone(TZ):%H:%M ngày %d/%m/%Y}" if isinstance(value, datetime) else ""


def _details(dossier: Dossier, kind: str, payload: dict) -> list[str]:
    lines = []
    if kind == "dossier.received":
        lines.append(f"Ngày hẹn trả kết quả: {_vn(dossier.due_at)}.")
    elif kind == "dossier.supplement_requested":
        lines.append("Giấy tờ cần bổ sung:\n" + str(payload.get("items") or ""))
        lines.append("Ông/Bà nộp bổ sung tại mục Hồ sơ của tôi hoặc tại Bộ phận Một cửa.")
    elif kind == "dossier.refused":
        lines.append(f"Lý do: {payload.get('reason') or ''}")
    elif kind == "dossier.extended":
        lines.append(f"Hạn cũ: {_vn(payload.get('original_due_at'))}. Ngày hẹn trả mới: {_vn(payload.get('new_due_at'))}.")
        lines.append(f"Lý do: {payload.get('reason') or ''}")
    elif kind == "dossier.done":
        lines.append("Kết quả: " + ("phê duyệt" if payload.get("result") == "approved" else "từ chối giải quyết") + ".")
    elif kind == "dossier.stopped":
        lines.append(f"Lý do: {payload.get('reason') or ''}")
    elif kind == "dossier.payment_requested":
        amount = f"{int(payload.get('amount') or 0):,}".replace(",", ".")
        lines.append(f"{payload.get('description') or 'Lệ phí'}: {amount} đồng.")
        lines.append("Ông/Bà nộp phí trực tuyến tại mục Hồ sơ của tôi hoặc tại Bộ phận Một cửa; "
                     "thời gian chờ nộp phí không tính vào thời hạn giải quyết.")
    elif kind == "result.issued":
        lines.append(f"{payload.get('title') or 'Giấy tờ kết quả'} số {payload.get('number') or ''} đã được ký số.")
        if (dossier.data or {}).get("result_delivery") == "electronic":
            lines.append("Ông/Bà tải bản điện tử tại mục Hồ sơ của tôi; bản điện tử có giá trị như bản giấy.")
        lines.append("Kiểm tra tính xác thực của tệp tại trang Xác thực giấy tờ (/xac-thuc).")
    elif kind in ("postal.delivered", "postal.returned"):
        lines.append(f"Số hiệu bưu gửi: {payload.get('tracking_number') or ''}.")
        if kind == "postal.returned":
            lines.append("Kết quả đã được chuyển hoàn về cơ quan; Ông/Bà liên hệ Bộ phận Một cửa để nhận.")
    return lines


def dossier_changed(session: Session, dossier: Dossier, kind: str, payload: dict, now: datetime,
                    tasks: list[HumanTask] | None = None, national_id: object = portal_status.UNKNOWN) -> None:
    """Enqueue the applicant's email for event `kind` of the dossier, if it matters and they gave an email
    (once: a message already queued under its dedupe key is not written again).

    Every change is also pushed to the national portal (engine.integrations.national_portal), through the outbox,
    in the same statement. `tasks`, when given, are every worklist row of the dossier (the portal's record lists
    the steps), and `national_id` the portal's id of it, as the step's lock read them; else they are read.
    """
    portal = portal_status.status_message(session, dossier, kind, now, tasks, national_id)
    applicant = applicant_message(dossier, kind, payload, now)
    outbox.write_all(session, [m for m in (portal, applicant) if m is not None], now)


def notify_applicant(session: Session, dossier: Dossier, kind: str, payload: dict, now: datetime) -> bool:
    """Enqueue only the applicant's email (and SMS) for event `kind`; True if written (engine.dossier.shipments uses it:
    a delivery report changes no national status)."""
    message = applicant_message(dossier, kind, payload, now)
    return message is not None and bool(outbox.enqueue_all(session, [message], now))


def applicant_message(dossier: Dossier, kind: str, payload: dict, now: datetime) -> outbox.Message | None:
    """The applicant's message for event `kind`: an email when they gave one, with its SMS text for their phone.

    Without an email it is still written (`no_email` in the payload) when they gave a phone (the SMS is then the
    message: engine.messaging.delivery.Router) or submitted online (the portal's inbox shows it: engine.applicants.
    inbox); None if the event is not told or there is nobody to tell."""
    email = (dossier.applicant or {}).get("email")
    phone = (dossier.applicant or {}).get("phone")
    if kind not in SUBJECTS or not (email or phone or dossier.channel == "online"):
        return None
    procedure = dossier.version.procedure
    subject = SUBJECTS[kind].format(code=dossier.code)
    body = "\n\n".join([f"Kính gửi Ông/Bà {dossier.applicant_name},",
                        f"{subject} ({procedure.name}, {dossier.unit.name}).", *_details(dossier, kind, payload),
                        f"Tra cứu tình trạng hồ sơ bằng mã {dossier.code} tại trang Tra cứu hồ sơ.",
                        "Thư này được gửi tự động từ hệ thống Một Cửa; xin đừng trả lời."])
    extra = {} if email else {"no_email": True}
    return outbox.Message(KIND, email or phone or "", subject, body, f"applicant:{dossier.id}:{kind}:{now.isoformat()}",
                          dossier_id=dossier.id,
                          payload={"event": kind, "code": dossier.code, "phone": phone, "sms": subject, **extra})
