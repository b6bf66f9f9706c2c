"""Supervision numbers on the hand-built quarter of tests/supervision_data.py, worked out by hand."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from engine import supervision as sv
from engine.models import Unit
from engine.org.tree import subtree_ids
from engine.supervision import index766
from forms.reports import report_pdf, report_xlsx
from tests.pdfs import pdf_text
from tests.supervision_data import NOW, build_quarter

Q1 = sv.Period(2026, 1)


@pytest.fixture
def quarter(session):
    return build_quarter(session)


def unit(session, code: str) -> Unit:
    return session.scalar(select(Unit).where(Unit.code == code))


def window(session, code: str) -> sv.Window:
    return sv.window(session, subtree_ids(session, [unit(session, code).id]), Q1, NOW)


def test_the_city_dashboard_rolls_up_both_wards(session, quarter):
    board = sv.dashboard(session, unit(session, "H26"), Q1, NOW)
    c = board.total.counts
    # received in Q1: D1 D2 D3 D4 D5 D7 D8 (D6 is December's); in person D1 D4 D5 D7 D8, post D3, online D2
    assert (c["received"], c["received.in_person"], c["received.post"], c["received.online"]) == (7, 5, 1, 1)
    # being handled: D4 (in progress), D5 (received), D7 (waiting for a supplement)
    assert c["in_progress"] == 3
    # released in Q1 with a class: D1 early, D8 early, D2 on time, D3 late; returned: the same four
    assert (c["released"], c["early"], c["on_time"], c["late"], c["returned"]) == (4, 2, 1, 1, 4)
    assert board.total.on_time_rate == pytest.approx(3 / 4)  # (2 early + 1 on time) ÷ 4 released
    # overdue now: D4 (due Thu 12/3 17:00); D7's due date passed too, but its clock is paused
    # due soon: D5, due today 17:00, inside the default one working day of warning
    assert (c["overdue"], c["due_soon"]) == (1, 1)
    rows = {child.code: numbers.counts for child, numbers in board.children}
    assert rows["H26.70"]["received"] == 5 and rows["H26.70"]["released"] == 4
    assert rows["H26.73"]["received"] == 2 and rows["H26.73"]["overdue"] == 1 and rows["H26.73"]["due_soon"] == 1


def test_average_handling_time_is_working_time_less_the_supplement_wait(session, quarter):
    rows = {r.code: r for r in sv.dashboard(session, unit(session, "H26"), Q1, NOW).procedures}
    # birth: D1 08:00→10:00 = 120 min; D2 08:00→11:30 (210) + 13:00→16:00 (180) = 390; average 255
    assert rows["1.001193"].received == 5 and rows["1.001193"].average_minutes == 255
    # building: Mon 2/3 08:00 → Wed 11/3 08:00 = 210 + 240 (Mon) + 6 full days × 480 (3,4,5,6,9,10/3)
    # + 30 (Wed 07:30→08:00) = 3360, less the supplement wait Wed 4/3 08:00 → Thu 5/3 08:00 = 480: 2880
    assert rows["1.013225"].average_minutes == 2880 and rows["1.013225"].late == 1
    assert rows["1.001612"].average_minutes == 60 and rows["1.001612"].on_time_rate == 1


def test_each_number_lists_exactly_its_dossiers(session, quarter):
    w = window(session, "H26")
    codes = {metric: {d.code for d in sv.dossier_list(session, w, metric).items} for metric in sv.METRIC_LABELS}
    q = {name: d.code for name, d in quarter.items()}
    assert codes["late"] == {q["D3"]} and codes["early"] == {q["D1"], q["D8"]}
    assert codes["received.online"] == {q["D2"]} and quarter["D6"].code not in codes["returned"]
    for metric, found in codes.items():
        assert sv.dossier_list(session, w, metric).total == len(found), metric


def test_overdue_and_due_soon_lists_name_the_step_and_the_official(session, quarter):
    w = window(session, "H26")
    (overdue,) = sv.dossier_list(session, w, "overdue").items
    assert (overdue.code, overdue.step, overdue.responsible) == (
        quarter["D4"].code, "Phê duyệt kết quả", "lanh_dao · UBND Phường Cửa Nam")
    (soon,) = sv.dossier_list(session, w, "due_soon").items
    assert (soon.code, soon.step, soon.responsible) == (quarter["D5"].code, "Thẩm định hồ sơ", "Hoàng Văn Bình")


def test_a_ward_sees_only_its_own_dossiers(session, quarter):
    w = window(session, "H26.73")
    assert {d.code for d in sv.dossier_list(session, w, "received").items} == {quarter["D4"].code, quarter["D5"].code}


def test_decree_61_scores_each_returned_dossier(session, quarter):
    scores, total = sv.evaluate_returned(session, window(session, "H26"))
    by_code = {s.code: s for s in scores}
    assert total == 4
    # D1: early 2; every step early 2; two visits 2; one agency 2; intake and return at the desk 2; satisfied 2
    assert by_code[quarter["D1"].code].scores == {"total_time": 2, "agency_time": 2, "contacts": 2, "agencies": 2,
                                                  "at_desk": 2, "satisfaction": 2}
    # D2: on time 1; steps on time 1; 2; 2; 2; not rated (not scored): 8 of 10
    d2 = by_code[quarter["D2"].code]
    assert (d2.scores["total_time"], d2.scores["agency_time"], d2.scores["satisfaction"]) == (1, 1, None)
    assert (d2.total, d2.maximum) == (8, 10)
    # D3: late 0; a step late 0; intake + 1 supplement + return = 3 visits 1; the ward and Sở Xây dựng 1;
    # a one-stop procedure received and returned at the desk 2; not satisfied 0: 4 of 12
    d3 = by_code[quarter["D3"].code]
    assert d3.scores == {"total_time": 0, "agency_time": 0, "contacts": 1, "agencies": 1, "at_desk": 2,
                         "satisfaction": 0}
    assert (d3.total, d3.maximum, d3.facts["visits"], d3.facts["agencies"]) == (4, 12, 3, 2)


def test_decision_766_groups_follow_their_thresholds(session, quarter):
    found = {i.name: i for i in sv.indicators(session, window(session, "H26"))}
    progress = found["Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn"]
    assert (progress.numerator, progress.denominator, progress.score) == (3, 4, pytest.approx(15.0))  # 0.75 × 20
    scanned = found["Tỷ lệ hồ sơ được số hóa khi tiếp nhận"]  # D1, D2 of 7 received: 2/7 × 8 ÷ 1.0
    assert (scanned.numerator, scanned.denominator, scanned.score) == (2, 7, pytest.approx(16 / 7))
    electronic = found["Tỷ lệ trả kết quả điện tử"]  # D2's result file, of 4 returned: 0.25 × 8 ÷ 0.5 = 4
    assert (electronic.numerator, electronic.denominator, electronic.score) == (1, 4, pytest.approx(4.0))
    reused = found["Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa"]  # D2 reused D1's scan: 1/7 × 6 ÷ 0.5
    assert (reused.numerator, reused.denominator, reused.score) == (1, 7, pytest.approx(12 / 7))
    online = found["Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến"]  # all three are online: ≥ 0.8 → 6
    assert online.rate == 1 and online.score == 6
    submitted = found["Tỷ lệ hồ sơ nộp trực tuyến (thủ tục có dịch vụ trực tuyến)"]  # 1/7 × 8 ÷ 0.5
    assert (submitted.numerator, submitted.denominator, submitted.score) == (1, 7, pytest.approx(16 / 7))
    happy = found["Tỷ lệ hài lòng của người dân, doanh nghiệp"]  # D1 satisfied, D3 not: 0.5 × 18 = 9
    assert (happy.numerator, happy.denominator, happy.score) == (1, 2, pytest.approx(9.0))
    assert found["Tỷ lệ thanh toán trực tuyến"].score is None


def test_the_one_stop_measure_compares_with_the_city_and_ward_targets(session, quarter, monkeypatch):
    monkeypatch.setattr(index766, "FREQUENT_MIN", 1)  # every procedure received in the quarter is frequent
    city = sv.one_stop_measure(session, unit(session, "H26"), window(session, "H26"))
    # three frequent procedures; only the household business (D8: intake and return) ran wholly at the desk
    assert city.frequent == ["1.001193", "1.001612", "1.013225"] and city.at_desk == ["1.001612"]
    assert city.share == pytest.approx(1 / 3) and city.target == 0.20 and city.met is True
    ward = sv.one_stop_measure(session, unit(session, "H26.70"), window(session, "H26.70"))
    assert ward.share == pytest.approx(1 / 3) and ward.target == 0.50 and ward.met is False


def test_the_quarterly_report_opens_in_excel_and_as_pdf_with_the_figures(session, quarter):
    report = sv.quarterly_report(session, unit(session, "H26.70"), Q1, NOW)
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=5, values_only=True)}
    # ward A: received D1 D2 D3 D7 D8; released D1 D8 early, D2 on time, D3 late: 3 of 4 = 75%
    assert summary["Đã tiếp nhận"] == 5 and summary["Quá hạn"] == 1
    assert summary["Tỷ lệ giải quyết trước hạn và đúng hạn"] == 0.75  # a number cell, shown as a percentage
    assert book["Tổng hợp"]["B5"].number_format == "#,##0"
    rate = next(row[1] for row in book["Tổng hợp"].iter_rows(min_row=5) if row[0].value.startswith("Tỷ lệ"))
    assert rate.number_format == "0.0%"
    procedures = list(book["Theo thủ tục"].iter_rows(min_row=5, values_only=True))
    assert ("1.001193", "Đăng ký khai sinh", 2, 0, 1, 3, 2, 1, 1, 0, 1.0) in procedures
    late = list(book["Hồ sơ quá hạn"].iter_rows(min_row=5, values_only=True))
    assert late[0][0] == quarter["D3"].code
    assert late[0][4:6] == (datetime(2026, 3, 11, 8, 0), datetime(2026, 3, 11, 9, 0))  # processing end, hand-over
    assert "Thẩm định hồ sơ (UBND Phường Hoàn Kiếm) quá hạn 1 ngày" in late[0][6]
    assert "Gia hạn: Chờ ý kiến Sở Xây dựng" in late[0][6]
    apologies = list(book["Xin lỗi, hẹn lại"].iter_rows(min_row=5, values_only=True))
    assert apologies == [(quarter["D3"].code, datetime(2026, 3, 5, 9, 0), "Cấp giấy phép xây dựng",
                          datetime(2026, 3, 6, 8, 0), datetime(2026, 3, 9, 8, 0), "Chờ ý kiến Sở Xây dựng",
                          "Lê Hoàng Nam")]  # date cells, in Vietnam's time
    assert book["Xin lỗi, hẹn lại"]["B5"].number_format == "dd/mm/yyyy hh:mm"
    supplements = list(book["Yêu cầu bổ sung"].iter_rows(min_row=5, values_only=True))
    assert [(r[0], r[3]) for r in supplements] == [(quarter["D3"].code, 2), (quarter["D7"].code, 1)]
    text = pdf_text(report_pdf(report))
    assert "Báo cáo tình hình giải quyết thủ tục hành chính Quý 1/2026" in text and quarter["D3"].code in text
    assert "75,0%" in text and "05/03/2026 09:00" in text and "Chờ ý kiến Sở Xây dựng" in text


def test_a_dossier_walked_through_the_engine_stores_its_handling_time(session, clock):
    from tests.procedures.drive import new_dossier, step

    dossier = new_dossier(session, clock, "permit")  # received Mon 2/3/2026 09:00
    step(session, clock, dossier, "Task_Intake", "receive")
    clock.set(2026, 3, 3, 10)
    step(session, clock, dossier, "Task_Appraise", "appraisal_supplement")
    clock.set(2026, 3, 5, 10)  # the applicant supplements two working days later
    step(session, clock, dossier, "Task_Supplement", "supplied")
    step(session, clock, dossier, "Task_Appraise", "propose_approve")
    step(session, clock, dossier, "Task_Consult", "consult")
    clock.set(2026, 3, 6, 9)
    step(session, clock, dossier, "Task_Approve", "approve")  # released: the result is ready
    step(session, clock, dossier, "Task_Return", "return")
    # Mon 2/3 09:00 → Fri 6/3 09:00 is four working days (1,920 min) less the wait Tue 10:00 → Thu 10:00 (960)
    assert dossier.completed_at == clock() and dossier.handling_minutes == 960
    rows = {r.code: r for r in sv.dashboard(session, unit(session, "H26.70"), Q1, clock()).procedures}
    assert rows["1.013225"].average_minutes == 960 and rows["1.013225"].early == 1


def test_the_dashboard_sums_stored_handling_times_and_computes_the_missing_ones(session, quarter):
    quarter["D1"].handling_minutes = 999  # as if the engine had stored it
    session.commit()
    rows = {r.code: r for r in sv.dashboard(session, unit(session, "H26"), Q1, NOW).procedures}
    assert rows["1.001193"].average_minutes == (999 + 390) / 2  # D2's 390 is still computed


def test_the_evaluation_averages_cover_the_whole_period_not_one_page(session, quarter):
    w = window(session, "H26")
    everything, total = sv.evaluate_returned(session, w, per_page=1000)
    first_page, _total = sv.evaluate_returned(session, w, page=1, per_page=1)
    assert total > 1 and len(first_page) == 1
    assert sv.period_averages(session, w, batch=2) == pytest.approx(sv.average_scores(everything))
    assert sv.period_averages(session, w) != sv.average_scores(first_page)


def test_a_postal_dossier_already_due_when_it_reached_the_desk_is_late_for_that_reason(session, clock):
    from engine.dossier import lifecycle
    from tests.procedures.drive import APPLICANT, step, user

    dossier = lifecycle.create_dossier(session, user(session, "desk1"), "1.013225", "post", APPLICANT, {}, clock(),
                                       postmarked_at="2026-01-20T10:00")  # 15 working days ran out in February
    session.commit()
    for element, data in (("Task_Intake", "receive"), ("Task_Appraise", "propose_approve"),
                          ("Task_Consult", "consult"), ("Task_Approve", "approve"), ("Task_Return", "return")):
        step(session, clock, dossier, element, data)
    assert dossier.due_at < dossier.received_at and dossier.lateness == "late"
    late = next(s for s in sv.quarterly_report(session, unit(session, "H26.70"), Q1, clock())["sections"]
                if s["key"] == "late")
    row = next(r for r in late["rows"] if r[0] == dossier.code)
    assert row[-1].startswith("Gửi qua bưu chính ngày 20/01/2026, đã đến hạn khi tiếp nhận")
