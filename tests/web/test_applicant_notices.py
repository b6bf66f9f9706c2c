"""Thông báo của tôi: the applicant's messages in the portal, the unread ones marked and counted in the navbar,
"mark all read" (engine.applicants.inbox)."""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.applicants import inbox
from engine.dossier.lifecycle import get_dossier
from engine.messaging.notices import KIND
from engine.models import ApplicantAccount, OutboxMessage
from tests.applicant_helpers import Applicant
from tests.procedures.drive import step

COUNT = re.compile(r'data-field="unread_count">(\d+)')


def _count(page: str) -> int:
    found = COUNT.search(page)
    return int(found.group(1)) if found else 0


def test_the_citizen_reads_the_messages_of_their_dossiers_and_marks_them_read(app, session, clock):
    applicant = Applicant(app, "thong-bao@example.vn")
    code = applicant.submit_birth()
    step(session, clock, get_dossier(session, code), "Task_Intake", "receive")
    sent = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == KIND,
                                                       OutboxMessage.dossier_id == get_dossier(session, code).id)).all()
    assert len(sent) >= 2  # submitted, received
    page = applicant.get("/cong-dan/thong-bao").get_data(as_text=True)
    assert f"Hồ sơ {code} đã được tiếp nhận" in page and f"Hồ sơ {code} đã được nộp trực tuyến" in page
    assert page.count("data-unread") == len(sent) and _count(page) == len(sent)
    assert f'href="/cong-dan/ho-so/{code}"' in page
    res = applicant.post("/cong-dan/thong-bao/da-doc")
    assert res.status_code == 302
    page = applicant.get("/cong-dan/thong-bao").get_data(as_text=True)
    assert "data-unread" not in page and 'data-field="unread_count"' not in page
    assert "Đánh dấu tất cả đã đọc" not in page  # nothing left to mark
    clock.advance(hours=1)
    step(session, clock, get_dossier(session, code), "Task_Appraise", "propose_approve")
    step(session, clock, get_dossier(session, code), "Task_Approve", "approve")
    page = applicant.get("/cong-dan/ho-so").get_data(as_text=True)
    assert _count(page) == 1  # "đã có kết quả", in the navbar of every page
    assert applicant.get("/cong-dan/thong-bao").get_data(as_text=True).count("data-unread") == 1


def test_a_citizen_sees_only_their_own_messages(app, session, clock):
    owner, other = Applicant(app, "chu-tb@example.vn"), Applicant(app, "khac-tb@example.vn", "Trần Thị Bình")
    code = owner.submit_birth()
    page = other.get("/cong-dan/thong-bao").get_data(as_text=True)
    assert code not in page and "Chưa có thông báo nào" in page and _count(page) == 0
    account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == "khac-tb@example.vn"))
    assert inbox.unread_count(session, account.id) == 0
    mine = session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == "chu-tb@example.vn"))
    assert inbox.unread_count(session, mine.id) == 1


def test_the_notices_page_asks_anonymous_users_to_log_in_and_refuses_officials(client, browser):
    assert "/cong-dan/dang-nhap" in client.get("/cong-dan/thong-bao").headers["Location"]
    assert browser("desk1").get("/cong-dan/thong-bao").status_code == 403
    assert 'data-field="notices_link"' not in browser("desk1").get("/").get_data(as_text=True)
