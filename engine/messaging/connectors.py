"""What each named connector of bpmn.connectors does when a dossier's serviceTask or sendTask runs.

`attach(workflow, session, dossier, now)` gives a loaded workflow the runner; engine.dossier.workflow calls
it wherever it starts or restores a dossier's workflow. Each connector writes to the outbox in the step's
transaction (nothing leaves before the commit; the scheduler delivers) and returns the data it sets.

- `notify-applicant`: an email (and its SMS text) to the applicant, subject and message from the task's
  inputs (`subject`, `message`; defaults say the dossier has news). Sets `da_thong_bao` (whether a message
  was written: an applicant without an email gets none). Written once per task run (dedupe key).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from bpmn.connector_task import attach_runner
from engine.messaging import outbox
from engine.messaging.notices import KIND as APPLICANT_EMAIL
from engine.models import Dossier

Handler = Callable[[Session, Dossier, object, dict, datetime], dict]


def notify_applicant(session: Session, dossier: Dossier, task, inputs: dict, now: datetime) -> dict:
    """Thông báo cho người nộp: the task's message to the applicant's email, through the outbox."""
    email = (dossier.applicant or {}).get("email")
    if not email:
        return {"da_thong_bao": False}
    subject = str(inputs.get("subject") or f"Thông báo về hồ sơ {dossier.code}")
    message = str(inputs.get("message") or "Hồ sơ của Ông/Bà có thông tin mới.")
    body = "\n\n".join([f"Kính gửi Ông/Bà {dossier.applicant_name},", message,
                        f"Tra cứu tình trạng hồ sơ bằng mã {dossier.code} tại trang Tra cứu hồ sơ.",
                        "Thư này được gửi tự động từ hệ thống Một Cửa; xin đừng trả lời."])
    payload = {"event": "connector.notify-applicant", "code": dossier.code,
               "phone": (dossier.applicant or {}).get("phone"), "sms": subject}
    written = outbox.enqueue_all(session, [outbox.Message(
        APPLICANT_EMAIL, email, subject, body, f"connector:notify-applicant:{dossier.code}:{task.id}",
        dossier_id=dossier.id, payload=payload)], now)
    return {"da_thong_bao": bool(written)}


HANDLERS: dict[str, Handler] = {"notify-applicant": notify_applicant}  # the keys of bpmn.connectors.CONNECTORS


def attach(workflow, session: Session, dossier: Dossier, now: datetime | None) -> None:
    """Make the workflow's connector tasks run their handler for `dossier` at `now`."""
    def run(task, name: str, inputs: dict) -> dict:
        return HANDLERS[name](session, dossier, task, inputs, now or datetime.now().astimezone())

    attach_runner(workflow, run)
