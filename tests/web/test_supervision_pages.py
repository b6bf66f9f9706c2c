"""The supervision pages as a supervisor, an admin, other officials and the public see them."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from engine.models import Unit
from engine.org.accounts import create_user, grant_role
from tests.pdfs import pdf_text
from tests.supervision_data import NOW, build_quarter


@pytest.fixture
def quarter(sessions, clock):
    clock.now = NOW
    with sessions() as s:
        built = build_quarter(s)
        ward_b = s.scalar(select(Unit).where(Unit.code == "H26.73"))
        grant_role(s, create_user(s, "supervisor_b", "Giám sát Cửa Nam", "demo1234", NOW), ward_b, "supervisor")
        s.commit()
        return {name: d.code for name, d in built.items()}


@pytest.mark.parametrize(("user", "status"), [("supervisor1", 200), ("admin1", 200), ("desk1", 403),
                                              ("specialist1", 403), ("leader1", 403), ("analyst1", 403)])
def test_only_supervisors_and_admins_open_the_dashboard(browser, quarter, user, status):
    assert browser(user).get("/supervision?quarter=2026-Q1").status_code == status


def test_the_dashboard_shows_the_numbers_as_cards_tables_and_chart_data(browser, quarter):
    page = browser("supervisor1").get("/supervision?unit=H26&quarter=2026-Q1").get_data(as_text=True)
    assert re.search(r'data-metric="received"><a href="[^"]*/supervision/list/received\?[^"]*">7</a>', page)
    assert 'data-metric="on_time_rate">75,0%' in page and "chart.umd.min.js" in page
    assert '"lateness": [2, 1, 1]' in page and '"channels": [5, 1, 1]' in page
    assert "UBND Phường Hoàn Kiếm" in page and "Đăng ký khai sinh" in page


def test_a_quarter_without_dossiers_says_so_instead_of_drawing_empty_charts(browser, quarter):
    page = browser("supervisor1").get("/supervision?unit=H26&quarter=2025-Q3").get_data(as_text=True)
    assert "data-empty-period" in page and "Chưa có hồ sơ nào trong kỳ này" in page
    assert "<canvas" not in page
    busy = browser("supervisor1").get("/supervision?unit=H26&quarter=2026-Q1").get_data(as_text=True)
    assert "<canvas" in busy and "data-empty-period" not in busy


def test_a_number_opens_its_list_with_the_step_and_official(browser, quarter):
    sup = browser("supervisor1")
    page = sup.get("/supervision/list/overdue?unit=H26&quarter=2026-Q1").get_data(as_text=True)
    assert quarter["D4"] in page and "Phê duyệt kết quả" in page and "Lãnh đạo · UBND Phường Cửa Nam" in page and "lanh_dao" not in page
    assert quarter["D5"] not in page
    soon = sup.get("/supervision/list/due_soon?unit=H26&quarter=2026-Q1").get_data(as_text=True)
    assert quarter["D5"] in soon and "Hoàng Văn Bình" in soon
    assert sup.get("/supervision/list/nothing?unit=H26").status_code == 404


def test_a_ward_supervisor_sees_only_their_ward(browser, quarter):
    sup = browser("supervisor_b")
    page = sup.get("/supervision?quarter=2026-Q1").get_data(as_text=True)
    assert "UBND Phường Cửa Nam" in page and 'value="H26.70"' not in page
    assert sup.get("/supervision?unit=H26.70&quarter=2026-Q1").status_code == 403
    assert sup.get("/supervision?unit=H26&quarter=2026-Q1").status_code == 403
    assert sup.get("/supervision/list/received?unit=H26.70").status_code == 403
    assert sup.get("/supervision/report.xlsx?unit=H26.70&quarter=2026-Q1").status_code == 403
    listed = sup.get("/supervision/list/received?unit=H26.73&quarter=2026-Q1").get_data(as_text=True)
    assert quarter["D4"] in listed and quarter["D1"] not in listed


def test_the_quarterly_report_downloads_as_xlsx_and_pdf(browser, quarter):
    sup = browser("supervisor1")
    xlsx = sup.get("/supervision/report.xlsx?unit=H26.70&quarter=2026-Q1")
    assert xlsx.status_code == 200 and "bao-cao-H26.70-2026-Q1.xlsx" in xlsx.headers["Content-Disposition"]
    summary = dict(row[:2] for row in load_workbook(io.BytesIO(xlsx.data))["Tổng hợp"].iter_rows(
        min_row=5, values_only=True))
    assert summary["Đã tiếp nhận"] == 5 and summary["Đã giải quyết"] == 4
    pdf = sup.get("/supervision/report.pdf?unit=H26.70&quarter=2026-Q1")
    assert pdf.mimetype == "application/pdf" and quarter["D3"] in pdf_text(pdf.data)


def test_the_evaluation_page_scores_returned_dossiers(browser, quarter):
    page = browser("admin1").get("/supervision/evaluation?unit=H26&quarter=2026-Q1").get_data(as_text=True)
    assert quarter["D1"] in page and "12/12" in page and "4/12" in page
    assert "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn" in page and "15,0" in page


def test_the_digitisation_group_shows_numbers_from_the_documents(browser, quarter):
    import re

    page = browser("admin1").get("/supervision/evaluation?unit=H26&quarter=2026-Q1").get_data(as_text=True)
    rows = [row for row in page.split("<tr")[1:] if 'data-indicator="digitisation"' in row]
    assert len(rows) == 3 and not any("chưa có dữ liệu" in row for row in rows)
    reuse = next(row for row in rows if "sử dụng lại" in row)
    assert re.search(r">1<.*>7<", reuse, re.S) and "1,7" in reuse  # D2 reused D1's scan: 1/7 × 6 ÷ 0.5


def test_the_public_indicators_page_shows_no_personal_data(client, quarter):
    res = client.get("/chi-so/H26?quarter=2026-Q1")
    page = res.get_data(as_text=True)
    assert res.status_code == 200 and 'data-metric="received">7<' in page and "75,0%" in page
    assert "Bí Mật" not in page and "0010880" not in page and "Hoàng Văn Bình" not in page
    assert not any(code in page for code in quarter.values())
    assert client.get("/chi-so/NOPE").status_code == 404


def test_strangers_are_sent_to_log_in(client, quarter):
    res = client.get("/supervision")
    assert res.status_code == 302 and "/login" in res.headers["Location"]


def test_a_code_in_a_list_opens_the_dossier_for_reading_not_acting(browser, quarter):
    sup = browser("supervisor1")
    page = sup.get("/supervision/list/overdue?unit=H26&quarter=2026-Q1").get_data(as_text=True)
    assert f'<a href="/dossiers/{quarter["D4"]}">{quarter["D4"]}</a>' in page
    dossier = sup.get(f"/dossiers/{quarter['D4']}")
    html = dossier.get_data(as_text=True)
    assert dossier.status_code == 200 and "Phê duyệt kết quả" in html
    assert "Mở bước" not in html and "data-leader-actions" not in html and "/tasks/" not in html


def test_numbers_are_written_the_vietnamese_way(browser, quarter):
    page = browser("supervisor1").get("/supervision?unit=H26&quarter=2026-Q1").get_data(as_text=True)
    assert "75,0%" in page and "75.0%" not in page
    assert re.search(r'"chart-lateness" aria-label="[^"]+"', page)  # the chart's title
