"""A dossier refused at the counter (form 03) on the supervision pages, reports and public indicators.

A refusal at intake has a completion time but was never received: it is counted apart
("từ chối tiếp nhận"), never as resolved on time, and it never takes a page down.
"""
from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from tests.pdfs import pdf_text
from tests.web.test_desk_pages import code_from, receive


def refuse_one(browser):
    desk = browser("desk1")
    res = receive(desk, decision="refuse", docs=(), refuse_reason="Không thuộc thẩm quyền của phường")
    assert res.status_code == 302
    received = receive(desk)
    assert received.status_code == 302
    return code_from(res)


def test_a_counter_refusal_is_counted_apart_on_every_supervision_page(browser, clock):
    refused = refuse_one(browser)
    clock.advance(hours=1)
    sup = browser("supervisor1")
    for unit in ("H26.70", "H26"):
        res = sup.get(f"/supervision?unit={unit}&quarter=2026-Q1")
        page = res.get_data(as_text=True)
        assert res.status_code == 200, unit
        assert "Từ chối tiếp nhận" in page
        assert re.search(r'data-metric="released"><a href="[^"]*">0</a>', page), unit
        assert re.search(r'data-metric="refused_at_intake"><a href="[^"]*">1</a>', page), unit
        assert 'data-metric="on_time_rate">–' in page
    listed = sup.get("/supervision/list/refused_at_intake?unit=H26.70&quarter=2026-Q1")
    assert listed.status_code == 200 and refused in listed.get_data(as_text=True)
    released = sup.get("/supervision/list/released?unit=H26.70&quarter=2026-Q1").get_data(as_text=True)
    assert refused not in released
    evaluation = sup.get("/supervision/evaluation?unit=H26.70&quarter=2026-Q1")
    assert evaluation.status_code == 200


def test_the_quarterly_reports_count_the_refusal_apart(browser, clock):
    refused = refuse_one(browser)
    sup = browser("supervisor1")
    xlsx = sup.get("/supervision/report.xlsx?unit=H26.70&quarter=2026-Q1")
    assert xlsx.status_code == 200
    summary = dict(row[:2] for row in load_workbook(io.BytesIO(xlsx.data))["Tổng hợp"].iter_rows(
        min_row=5, values_only=True))
    assert summary["Từ chối tiếp nhận"] == 1 and summary["Đã giải quyết"] == 0
    assert summary["Đã tiếp nhận"] == 1
    pdf = sup.get("/supervision/report.pdf?unit=H26&quarter=2026-Q1")
    assert pdf.status_code == 200 and "Từ chối tiếp nhận" in pdf_text(pdf.data)
    late = [row[0] for row in load_workbook(io.BytesIO(xlsx.data))["Hồ sơ quá hạn"].iter_rows(values_only=True)]
    assert refused not in late


def test_the_public_indicators_survive_a_counter_refusal(client, browser):
    refuse_one(browser)
    for unit in ("H26.70", "H26"):
        res = client.get(f"/chi-so/{unit}?quarter=2026-Q1")
        assert res.status_code == 200, unit
        assert 'data-metric="refused_at_intake">1<' in res.get_data(as_text=True)
