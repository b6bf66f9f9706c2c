"""Gửi thông báo: the adapters that deliver outbox messages, email over SMTP and SMS.

The scheduler's `deliver_outbox` job hands each pending message to the sender that the deployment
built from its configuration (webapp.adapters). Email goes over SMTP (smtplib); SMS goes to an adapter:
only `SmsSimulator` exists here, which writes each text to a local file instead of a network
(the national SMS gateway is not reachable from here). A failure raises, so the outbox retries with
back-off and keeps the error on the message (`last_error`, state `failed` after the last attempt).
"""
from __future__ import annotations

import email.policy
import hashlib
import json
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from engine.models import OutboxMessage

log = logging.getLogger(__name__)
# Headers unfolded: Python folds a long Vietnamese subject into encoded words that lose the space at the fold.
_POLICY = email.policy.SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class SmtpSender:
    """Send a message as an email through an SMTP server (STARTTLS and login when configured)."""

    host: str
    port: int = 25
    from_addr: str = "motcua@localhost"
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30.0

    def __call__(self, message: OutboxMessage) -> None:
        """Send one message; raises on any SMTP failure."""
        mail = EmailMessage(policy=_POLICY)
        mail["From"], mail["To"], mail["Subject"] = self.from_addr, message.recipient, message.subject
        mail["Message-ID"] = message_id(message, self.from_addr)
        mail.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(mail)


def message_id(message: OutboxMessage, from_addr: str) -> str:
    """The email's Message-ID, made from the outbox dedupe key: a copy re-sent after a crash carries the
    same one, so the receiving side can drop it (at-least-once delivery, exactly-once effect)."""
    domain = from_addr.rpartition("@")[2] or "localhost"
    if not message.dedupe_key:
        return make_msgid(domain=domain)
    return f"<{hashlib.sha256(message.dedupe_key.encode()).hexdigest()[:40]}@{domain}>"


@dataclass(frozen=True)
class SmsSimulator:
    """MÔ PHỎNG SMS: a local stand-in for an SMS gateway; appends each text as a JSON line to `path`."""

    path: Path

    def send(self, phone: str, text: str) -> None:
        """'Send' a text message: write it to the simulator's file and the log."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"phone": phone, "text": text}, ensure_ascii=False) + "\n")
        log.info("SMS SIMULATOR (not sent): %s <- %s", phone, text)


@dataclass(frozen=True)
class Router:
    """The outbox's sender: email for every message, plus a text to the applicant's phone when SMS is on."""

    email: Callable[[OutboxMessage], None] | None
    sms: SmsSimulator | None = None

    def __call__(self, message: OutboxMessage) -> None:
        """Deliver one message; raises when its email cannot be sent (the SMS copy is best effort).

        A message to an applicant without an email (`no_email`) is a text to their phone, retried when the SMS
        cannot be sent; without a phone, or with SMS off, it is done (the portal's inbox shows it)."""
        payload = message.payload or {}
        if payload.get("no_email"):
            if self.sms is not None and payload.get("phone"):
                self.sms.send(payload["phone"], payload.get("sms") or message.subject)
            return
        if self.email is None:
            raise RuntimeError("Chưa cấu hình máy chủ thư (MOTCUA_SMTP_HOST)")
        self.email(message)
        if self.sms is not None and payload.get("phone"):
            try:
                self.sms.send(payload["phone"], payload.get("sms") or message.subject)
            except OSError:
                log.exception("SMS to %s failed", payload["phone"])
