"""Applicants get an email at each change that matters, through the outbox, over real SMTP (aiosmtpd)."""
from __future__ import annotations

import email
from datetime import datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from engine.calendar.working import TZ
from engine.dossier.extension import extend_due
from engine.messaging import outbox
from engine.messaging.delivery import Router, SmsSimulator, SmtpSender
from engine.models import OutboxMessage
from tests.net import free_port
from tests.procedures.drive import APPLICANT, new_dossier, step, user
from webapp.adapters import notice_sender


class Inbox:
    """aiosmtpd handler keeping every received message."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, SmtpSender("127.0.0.1", port, "motcua@hoankiem.example.vn")
    controller.stop()


def deliver(session, clock, sender) -> int:
    sent = outbox.deliver_pending(session, clock(), sender)
    session.commit()
    return sent


def test_receipt_supplement_extension_result_and_return_each_send_an_email(session, clock, smtp):
    inbox, sender = smtp
    dossier = new_dossier(session, clock, "business")
    step(session, clock, dossier, "Task_Intake", "receive")
    assert deliver(session, clock, sender) == 1
    received = inbox.messages[-1]
    assert received["Subject"] == f"Hồ sơ {dossier.code} đã được tiếp nhận" and received["To"] == APPLICANT["email"]
    due = dossier.due_at.astimezone(TZ)
    assert f"{due:%H:%M ngày %d/%m/%Y}" in received.get_content()
    step(session, clock, dossier, "Task_Appraise", "appraisal_supplement")
    step(session, clock, dossier, "Task_Supplement", "supplied")
    new_due = (dossier.due_at + timedelta(days=7)).astimezone(TZ).replace(hour=16, minute=0)
    while new_due.weekday() >= 5:
        new_due += timedelta(days=1)
    extend_due(session, dossier, user(session, "leader1"), "Cần xác minh thêm", new_due.isoformat(), clock())
    session.commit()
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    step(session, clock, dossier, "Task_Approve", "approve")
    step(session, clock, dossier, "Task_Return", "return")
    assert deliver(session, clock, sender) == 4
    subjects = [m["Subject"] for m in inbox.messages]
    assert subjects[1:] == [f"Hồ sơ {dossier.code} cần bổ sung, hoàn thiện",
                            f"Hồ sơ {dossier.code} được hẹn lại ngày trả kết quả",
                            f"Hồ sơ {dossier.code} đã có kết quả", f"Hồ sơ {dossier.code} đã trả kết quả"]
    assert "1. Bản vẽ mặt bằng" in inbox.messages[1].get_content()
    assert f"Ngày hẹn trả mới: {new_due:%H:%M ngày %d/%m/%Y}" in inbox.messages[2].get_content()
    assert deliver(session, clock, sender) == 0  # each message once


def test_a_dossier_without_an_email_sends_nothing(session, clock):
    from engine.dossier import lifecycle

    dossier = lifecycle.create_dossier(session, user(session, "desk1"), "1.001193", "in_person",
                                      {"name": "Lê Văn Tám"}, {}, clock())
    step(session, clock, dossier, "Task_Intake", "receive")
    assert not session.scalars(select(OutboxMessage).where(OutboxMessage.dossier_id == dossier.id,
                                                   OutboxMessage.kind == "applicant_email")).all()


def test_an_unreachable_mail_server_is_retried_with_back_off_and_the_error_kept(session, clock):
    dossier = new_dossier(session, clock, "birth")
    step(session, clock, dossier, "Task_Intake", "receive")
    assert deliver(session, clock, SmtpSender("127.0.0.1", free_port(), timeout=2)) == 0
    message = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "applicant_email"))
    assert message.state == "pending" and message.attempts == 1 and message.last_error
    assert message.next_attempt_at > clock()


def test_the_sms_simulator_writes_a_copy_of_each_notification_to_its_file(session, clock, smtp, tmp_path):
    inbox, sender = smtp
    dossier = new_dossier(session, clock, "birth")
    step(session, clock, dossier, "Task_Intake", "receive")
    simulator = SmsSimulator(tmp_path / "sms.jsonl")
    assert deliver(session, clock, Router(sender, simulator)) == 1
    line = (tmp_path / "sms.jsonl").read_text(encoding="utf-8")
    assert APPLICANT["phone"] in line and dossier.code in line and len(inbox.messages) == 1


def test_the_sender_comes_from_configuration():
    assert notice_sender({}) is None
    router = notice_sender({"SMTP_HOST": "mail.example.vn", "SMTP_PORT": 2525, "SMTP_FROM": "a@b.vn",
                                 "SMS_SIMULATOR": "1"}, "/tmp/x")
    assert router.email.port == 2525 and router.email.from_addr == "a@b.vn"
    assert str(router.sms.path) == "/tmp/x/sms-simulator.jsonl"
    assert isinstance(datetime.now(TZ), datetime)


def test_delivered_messages_are_deleted_after_the_retention_and_nothing_else(session, clock, smtp):
    from engine.operations import jobs

    inbox, sender = smtp
    dossier = new_dossier(session, clock, "birth")
    step(session, clock, dossier, "Task_Intake", "receive")
    assert deliver(session, clock, sender) == 1  # the applicant's email; the portal's record waits for its adapter
    outbox.enqueue(session, "applicant_email", "chet@example.vn", "Thư hỏng", "…", "dead-letter", clock())
    session.commit()
    dead = session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == "dead-letter"))
    dead.state = "dead"
    session.commit()

    def kept() -> dict[str, str]:
        session.expire_all()
        return {m.kind + (":dead" if m.dedupe_key == "dead-letter" else ""): m.state
                for m in session.scalars(select(OutboxMessage))}

    assert jobs.prune_outbox(session, clock() + outbox.RETENTION - timedelta(hours=1)) == 0
    assert kept() == {"applicant_email": "sent", "national_portal": "pending", "applicant_email:dead": "dead"}
    assert jobs.prune_outbox(session, clock() + outbox.RETENTION + timedelta(hours=1)) == 1
    assert kept() == {"national_portal": "pending", "applicant_email:dead": "dead"}
    assert len(inbox.messages) == 1
