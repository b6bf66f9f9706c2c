"""Báo cáo quý: a unit's quarterly report on the handling of administrative procedures.

Sections: the summary numbers; counts by procedure and channel with the on-time rate; the late
dossiers with their reasons (the steps that overran, and the extension's reason if any); the
apologies issued (form 04); the supplements requested (form 02). The report is plain data
(titles, headings, rows) that forms.reports turns into xlsx or PDF. Cells keep their types: counts are
ints, rates are floats (0–1, shown as percentages), moments are datetimes in Vietnam's time, a missing
value is None; so the workbook has real number and date cells and the PDF formats them the Vietnamese way.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.clock.lateness import working_time_text
from engine.ground.vocabulary import CHANNEL_LABELS
from engine.models import Dossier, Event, HumanTask, Procedure, ProcedureVersion, Unit
from engine.org.tree import subtree_ids
from engine.supervision.dashboard import dashboard
from engine.supervision.metrics import CHANNELS, METRIC_LABELS, Window, condition
from engine.supervision.online_answers import late_answers
from engine.supervision.scope import Period

# "Released" has two moments: the processing end (NgayKetThucXuLy, which classifies early/on time/late as the
# national portal does) and the hand-over of the result to the applicant; the report shows both.
RELEASED_HEADING, RETURNED_HEADING = "Kết thúc xử lý (có kết quả)", "Trả kết quả cho người nộp"
SUMMARY_KEYS = ("received", "received.in_person", "received.post", "received.online", "released", "early",
                "on_time", "late", "refused_at_intake", "returned", "in_progress", "overdue", "online_answer_late")


def _when(moment: datetime | None) -> datetime | None:
    return moment.astimezone(TZ) if moment else None


def _percent(rate: float | None) -> float | None:
    return float(rate) if rate is not None else None


def quarterly_report(session: Session, unit: Unit, period: Period, now: datetime) -> dict:
    """The report of `unit` (its subtree) for `period`: title, unit, period and sections."""
    board = dashboard(session, unit, period, now)
    w = Window(frozenset(subtree_ids(session, [unit.id])), period, now)
    summary = [[METRIC_LABELS[k], board.total.counts[k]] for k in SUMMARY_KEYS]
    summary.append(["Tỷ lệ giải quyết trước hạn và đúng hạn", _percent(board.total.on_time_rate)])
    sections = [
        {"key": "summary", "sheet": "Tổng hợp", "title": "Tổng hợp", "headings": ["Chỉ tiêu", "Số lượng"], "rows": summary},
        by_procedure(session, w, {r.procedure_id: r for r in board.procedures}),
        late_dossiers(session, w), late_online_answers(session, w), apologies(session, w), supplements(session, w),
    ]
    return {"title": f"Báo cáo tình hình giải quyết thủ tục hành chính {period.label}",
            "unit": unit.name, "unit_code": unit.code, "period": period.label,
            "generated_at": f"{now.astimezone(TZ):%d/%m/%Y %H:%M}", "sections": sections}


def by_procedure(session: Session, w: Window, rows_by_id: dict) -> dict:
    """Received by procedure and channel, released by class, on-time rate."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for pid, channel, count in session.execute(
            select(ProcedureVersion.procedure_id, Dossier.channel, func.count())
            .join(ProcedureVersion, Dossier.procedure_version_id == ProcedureVersion.id)
            .where(condition("received", w)).group_by(ProcedureVersion.procedure_id, Dossier.channel)):
        counts[pid][channel] = count
    rows = []
    for pid, row in sorted(rows_by_id.items(), key=lambda item: item[1].code):
        by_channel = [counts[pid].get(c, 0) for c in CHANNELS]
        rows.append([row.code, row.name, *by_channel, sum(by_channel), row.released, row.early, row.on_time,
                     row.late, _percent(row.on_time_rate)])
    headings = ["Mã TTHC", "Thủ tục", *(CHANNEL_LABELS[c] for c in CHANNELS), "Tổng tiếp nhận", "Đã giải quyết",
                "Trước hạn", "Đúng hạn", "Quá hạn", "Tỷ lệ trước hạn và đúng hạn"]
    return {"key": "procedures", "sheet": "Theo thủ tục", "title": "Theo thủ tục và kênh tiếp nhận", "headings": headings, "rows": rows}


def _late_reasons(session: Session, ids: list[int]) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return reasons
    for dossier_id, name, unit_name, minutes in session.execute(
            select(HumanTask.dossier_id, HumanTask.name, Unit.name, HumanTask.overrun_minutes)
            .join(Unit, Unit.id == HumanTask.unit_id)
            .where(HumanTask.dossier_id.in_(ids), HumanTask.lateness == "late",
                   or_(HumanTask.kind.is_(None), HumanTask.kind != "supplement"))
            .order_by(HumanTask.created_at, HumanTask.id)):
        reasons[dossier_id].append(f"{name} ({unit_name}) quá hạn {working_time_text(minutes or 0)}")
    for dossier_id, payload in session.execute(select(Event.dossier_id, Event.payload).where(
            Event.dossier_id.in_(ids), Event.kind == "dossier.extended")):
        reasons[dossier_id].append(f"Gia hạn: {(payload or {}).get('reason', '')}")
    return reasons


def late_dossiers(session: Session, w: Window) -> dict:
    """The dossiers released late in the quarter, each with the steps that overran."""
    rows = session.execute(
        select(Dossier.id, Dossier.code, Procedure.name, Unit.name, Dossier.due_at, Dossier.completed_at,
               Dossier.returned_at, Dossier.received_at, Dossier.postmarked_at)
        .join(ProcedureVersion, Dossier.procedure_version_id == ProcedureVersion.id)
        .join(Procedure, ProcedureVersion.procedure_id == Procedure.id).join(Unit, Unit.id == Dossier.unit_id)
        .where(condition("late", w)).order_by(Dossier.completed_at, Dossier.id)).all()
    reasons = _late_reasons(session, [r[0] for r in rows])
    for i, _code, _name, _unit, due, _done, _back, received, postmarked in rows:
        if postmarked is not None and received is not None and due is not None and due <= received:
            # the clock of a postal dossier counts from its postmark: it may be due before it reaches the desk
            reasons[i].insert(0, f"Gửi qua bưu chính ngày {postmarked.astimezone(TZ):%d/%m/%Y}, "
                                 "đã đến hạn khi tiếp nhận")
    return {"key": "late", "sheet": "Hồ sơ quá hạn", "title": "Hồ sơ quá hạn và nguyên nhân",
            "headings": ["Mã hồ sơ", "Thủ tục", "Đơn vị", "Hạn trả", RELEASED_HEADING, RETURNED_HEADING, "Nguyên nhân"],
            "rows": [[code, name, unit, _when(due), _when(done), _when(back), "; ".join(reasons.get(i, [])) or "–"]
                     for i, code, name, unit, due, done, back, _received, _postmarked in rows]}


def late_online_answers(session: Session, w: Window) -> dict:
    """The online submissions not answered at the desk within 8 working hours (engine.supervision.online_answers)."""
    rows = [[late.code, late.unit_name, _when(late.submitted_at), _when(late.answer_due_at),
             _when(late.answered_at) if late.answered_at else "Chưa xử lý"]
            for late in late_answers(session, w.unit_ids, w.period, w.now)]
    return {"key": "online_answers", "sheet": "Trực tuyến quá 8 giờ", "title": "Hồ sơ trực tuyến không được tiếp nhận, "
            "từ chối hoặc yêu cầu bổ sung trong 8 giờ làm việc",
            "headings": ["Mã hồ sơ", "Đơn vị", "Nộp lúc", "Hạn xử lý (8 giờ làm việc)", "Xử lý lúc"], "rows": rows}


def _events(session: Session, w: Window, kind: str) -> list:
    return session.execute(
        select(Event.at, Dossier.code, Event.payload).join(Dossier, Dossier.id == Event.dossier_id)
        .where(Event.kind == kind, Dossier.unit_id.in_(w.unit_ids),
               and_(Event.at >= w.period.start, Event.at < w.period.end))
        .order_by(Event.at, Event.id)).all()


def apologies(session: Session, w: Window) -> dict:
    """Phiếu xin lỗi và hẹn lại (form 04) issued in the quarter."""
    rows = [[code, _when(at), p.get("procedure", ""), _iso(p.get("original_due_at")), _iso(p.get("new_due_at")),
             p.get("reason", ""), p.get("signed_by", "")] for at, code, p in _events(session, w, "dossier.extended")]
    return {"key": "apologies", "sheet": "Xin lỗi, hẹn lại", "title": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
            "headings": ["Mã hồ sơ", "Ngày phát hành", "Thủ tục", "Hạn cũ", "Hạn mới", "Lý do", "Người ký"],
            "rows": rows}


def supplements(session: Session, w: Window) -> dict:
    """Phiếu yêu cầu bổ sung (form 02) issued in the quarter, at intake or during handling."""
    stages = {"intake": "Khi tiếp nhận", "handling": "Trong quá trình giải quyết"}
    rows = [[code, _when(at), stages.get(p.get("stage"), p.get("stage") or ""), _item_count(p.get("items"))]
            for at, code, p in _events(session, w, "dossier.supplement_requested")]
    return {"key": "supplements", "sheet": "Yêu cầu bổ sung", "title": "Yêu cầu bổ sung, hoàn thiện hồ sơ",
            "headings": ["Mã hồ sơ", "Ngày yêu cầu", "Giai đoạn", "Số nội dung cần bổ sung"], "rows": rows}


def _iso(text: str | None) -> str:
    return _when(datetime.fromisoformat(text)) if text else ""


def _item_count(items: object) -> int:
    if isinstance(items, (list, tuple)):
        return len(items)
    return len([line for line in str(items or "").splitlines() if line.strip()])
