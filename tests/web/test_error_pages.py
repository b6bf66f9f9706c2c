"""Refusals and failures in Vietnamese: 403 says the official may not, 500 is our own page with a reference in the log;
and the counter refuses over-long text with a message on the field, creating nothing."""
from __future__ import annotations

import logging
import re

from sqlalchemy import func, select

from engine.models import Dossier
from tests.web.test_desk_pages import receive


def test_a_refusal_says_ban_khong_co_quyen(browser):
    res = browser("specialist1").get("/desk/new")
    page = res.get_data(as_text=True)
    assert res.status_code == 403 and "Bạn không có quyền" in page and "Forbidden" not in page


def test_a_server_error_is_our_page_with_a_reference_the_log_holds(app, browser, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/__boom")
    def boom():
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR):
        res = browser("desk1").get("/__boom")
    page = res.get_data(as_text=True)
    assert res.status_code == 500 and "Hệ thống gặp sự cố" in page and "Internal Server Error" not in page
    reference = re.search(r"Mã tham chiếu[^<]*<code>([^<]+)</code>", page).group(1)
    assert any(reference in r.getMessage() for r in caplog.records)


def test_the_counter_refuses_text_longer_than_its_column_and_creates_nothing(browser, session):
    desk = browser("desk1")
    before = session.scalar(select(func.count()).select_from(Dossier))
    res = receive(desk, name="Nguyễn " * 60, refuse_reason="x")
    page = res.get_data(as_text=True)
    assert res.status_code == 422 and "Tối đa 255 ký tự (đã nhập 419)" in page
    assert 'maxlength="255"' in page and "Tối đa 255 ký tự." in page
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Dossier)) == before
