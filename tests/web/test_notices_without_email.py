"""An account without an email (VNeID until the citizen gives one) is told by SMS when it has a phone, and always in
the portal's inbox; no email is attempted."""
from __future__ import annotations

import json

from sqlalchemy import select

from engine.dossier.lifecycle import get_dossier
from engine.messaging import outbox
from engine.messaging.delivery import Router, SmsSimulator
from engine.messaging.notices import KIND
from engine.models import ApplicantAccount, OutboxMessage
from engine.models.applicant import NO_MAIL_DOMAIN
from tests.applicant_helpers import Applicant
from tests.procedures.drive import step


def _without_email(session, email: str, phone: str | None) -> None:
    account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == email))
    account.email, account.phone = f"001088011223@{NO_MAIL_DOMAIN}", phone
    session.commit()


def test_a_citizen_without_email_gets_an_sms_and_the_portal_notice(app, session, clock, tmp_path):
    citizen = Applicant(app, "sms@example.vn")
    _without_email(session, "sms@example.vn", "0912345678")
    code = citizen.submit_birth()
    step(session, clock, get_dossier(session, code), "Task_Intake", "receive")
    sent = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == KIND)).all()
    assert len(sent) >= 2 and all(m.payload.get("no_email") and m.recipient == "0912345678" for m in sent)
    simulator = SmsSimulator(tmp_path / "sms.jsonl")
    assert outbox.deliver_pending(session, clock(), Router(None, simulator)) == len(sent)  # no SMTP needed
    session.commit()
    texts = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {t["phone"] for t in texts} == {"0912345678"}
    assert any(f"Hồ sơ {code} đã được tiếp nhận" in t["text"] for t in texts)
    page = citizen.get("/cong-dan/thong-bao").get_data(as_text=True)
    assert f"Hồ sơ {code} đã được tiếp nhận" in page


def test_a_citizen_with_neither_email_nor_phone_still_sees_the_notice_in_the_portal(app, session, clock, tmp_path):
    citizen = Applicant(app, "khong@example.vn")
    _without_email(session, "khong@example.vn", None)
    code = citizen.submit_birth()
    step(session, clock, get_dossier(session, code), "Task_Intake", "receive")
    simulator = SmsSimulator(tmp_path / "sms.jsonl")
    assert outbox.deliver_pending(session, clock(), Router(None, simulator)) >= 2  # done: nothing to send but the inbox
    session.commit()
    assert not (tmp_path / "sms.jsonl").exists()
    assert f"Hồ sơ {code} đã được tiếp nhận" in citizen.get("/cong-dan/thong-bao").get_data(as_text=True)
