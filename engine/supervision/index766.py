"""Chỉ số Quyết định 766 and the city's one-stop target, per unit and quarter.

Decision 766/QĐ-TTg (2022) scores service quality out of 100 in five groups: publication 18,
progress 20, digitisation 22, online 22, satisfaction 18. The system's data supports the
indicators below; each is a rate with a maximum and a threshold, and scores
`max` when the rate reaches the threshold, else `rate × max ÷ threshold`. Indicators the data
cannot support (publication, online payment) are listed without a score.

The digitisation group counts real documents (engine.models.Document): a dossier is digitised at
intake when a scan (uploaded, or reused from the citizen's store) came with its intake; its result is
electronic when a document of kind `result` is on it; it reuses data when one of its documents was
taken from the citizen's store (kho dữ liệu) instead of a new upload. The
maxima and thresholds are this module's reading of the decision, kept in one table.

The seed's own measure (Hanoi's Decision 5298): the share of frequent procedures whose whole
process (receive, appraise, approve, return) runs at the one-stop desk; target 20% for the city
centre (a top-level unit), 50% for lower levels. A procedure is frequent in a unit and quarter
when its catalogue says `frequent: true` or the unit's subtree received at least FREQUENT_MIN of
its dossiers; it runs wholly at the desk when every agency step of its dossiers returned in the
quarter was done by the desk's role.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.orm import Session

from engine.models import (
    Document,
    Dossier,
    HumanTask,
    Procedure,
    ProcedureUnit,
    ProcedureVersion,
    Unit,
)
from engine.supervision.metrics import Window, condition
from engine.supervision.ratings import satisfaction_counts

FREQUENT_MIN = 10
DESK_ROLE = "mot_cua"
CENTRE_TARGET, LOWER_TARGET = 0.20, 0.50
GROUPS = {"publication": ("Công khai, minh bạch", 18), "progress": ("Tiến độ giải quyết", 20),
          "digitisation": ("Số hóa hồ sơ", 22), "online": ("Cung cấp dịch vụ trực tuyến", 22),
          "satisfaction": ("Mức độ hài lòng", 18)}
# key: (group, name, max points, threshold); a threshold None means the data cannot support it
RULES = (
    ("publication", "Công khai thủ tục, tiến độ và kết quả", 18, None),
    ("progress", "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn", 20, 1.0),
    ("digitisation", "Tỷ lệ hồ sơ được số hóa khi tiếp nhận", 8, 1.0),
    ("digitisation", "Tỷ lệ trả kết quả điện tử", 8, 0.5),
    ("digitisation", "Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa", 6, 0.5),
    ("online", "Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến", 6, 0.8),
    ("online", "Tỷ lệ hồ sơ nộp trực tuyến (thủ tục có dịch vụ trực tuyến)", 8, 0.5),
    ("online", "Tỷ lệ thanh toán trực tuyến", 8, None),
    ("satisfaction", "Tỷ lệ hài lòng của người dân, doanh nghiệp", 18, 1.0),
)


@dataclass(frozen=True)
class Indicator:
    """One indicator: its rate (numerator ÷ denominator), maximum, threshold and score."""

    group: str
    name: str
    maximum: int
    threshold: float | None
    numerator: int | None = None
    denominator: int | None = None

    @property
    def rate(self) -> float | None:
        """numerator ÷ denominator; None without data."""
        return self.numerator / self.denominator if self.denominator else None

    @property
    def score(self) -> float | None:
        """max at or above the threshold, else rate × max ÷ threshold; None without data."""
        return threshold_score(self.rate, self.maximum, self.threshold)


def threshold_score(rate: float | None, maximum: float, threshold: float | None) -> float | None:
    """Decision 766's rule: `maximum` from the threshold up, `rate × maximum ÷ threshold` below it."""
    if rate is None or threshold is None:
        return None
    return float(maximum) if rate >= threshold else rate * maximum / threshold


def indicators(session: Session, w: Window) -> list[Indicator]:
    """Every indicator of RULES for the window, with the counts the data gives."""
    counts = {
        "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn": _on_time(session, w),
        "Tỷ lệ hồ sơ được số hóa khi tiếp nhận": _digitised(session, w),
        "Tỷ lệ trả kết quả điện tử": _electronic_results(session, w),
        "Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa": _reused(session, w),
        "Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến": _online_procedures(session, w),
        "Tỷ lệ hồ sơ nộp trực tuyến (thủ tục có dịch vụ trực tuyến)": _online_submissions(session, w),
        "Tỷ lệ hài lòng của người dân, doanh nghiệp": satisfaction_counts(session, condition("returned", w)),
    }
    return [Indicator(group, name, maximum, threshold, *(counts.get(name) or (None, None)))
            for group, name, maximum, threshold in RULES]


def _count(session: Session, *where) -> int:
    return session.scalar(select(func.count()).select_from(Dossier).where(*where)) or 0


def _on_time(session: Session, w: Window) -> tuple[int, int]:
    early, on_time = _count(session, condition("early", w)), _count(session, condition("on_time", w))
    return early + on_time, _count(session, condition("released", w))


def _with_documents(session: Session, base, *where) -> int:
    return session.scalar(select(func.count(distinct(Document.dossier_id))).join(
        Dossier, Dossier.id == Document.dossier_id).where(base, *where)) or 0


def _digitised(session: Session, w: Window) -> tuple[int, int]:
    received = condition("received", w)
    return (_with_documents(session, received, Document.kind == "scan", Document.at_intake.is_(True)),
            _count(session, received))


def _electronic_results(session: Session, w: Window) -> tuple[int, int]:
    returned = condition("returned", w)
    return _with_documents(session, returned, Document.kind == "result"), _count(session, returned)


def _reused(session: Session, w: Window) -> tuple[int, int]:
    received = condition("received", w)
    return _with_documents(session, received, Document.reused_from_id.is_not(None)), _count(session, received)


def _online_capable(session: Session) -> set[int]:
    return {pid for pid, cat in session.execute(select(Procedure.id, Procedure.catalogue))
            if (cat or {}).get("online") in ("full", "partial")}


def _online_procedures(session: Session, w: Window) -> tuple[int, int]:
    offered = set(session.scalars(select(ProcedureUnit.procedure_id).where(ProcedureUnit.unit_id.in_(w.unit_ids))))
    if not offered:  # no published list: the procedures the units actually handled
        offered = set(session.scalars(select(distinct(ProcedureVersion.procedure_id)).join(
            Dossier, Dossier.procedure_version_id == ProcedureVersion.id).where(condition("received", w))))
    return len(offered & _online_capable(session)), len(offered)


def _online_submissions(session: Session, w: Window) -> tuple[int, int]:
    versions = select(ProcedureVersion.id).where(ProcedureVersion.procedure_id.in_(_online_capable(session)))
    base = and_(condition("received", w), Dossier.procedure_version_id.in_(versions))
    return _count(session, base, Dossier.channel == "online"), _count(session, base)


@dataclass(frozen=True)
class OneStopMeasure:
    """The share of frequent procedures run wholly at the desk, against the unit's target."""

    frequent: list[str]
    at_desk: list[str]
    target: float

    @property
    def share(self) -> float | None:
        """at desk ÷ frequent."""
        return len(self.at_desk) / len(self.frequent) if self.frequent else None

    @property
    def met(self) -> bool | None:
        """Whether the share reaches the target."""
        return None if self.share is None else self.share >= self.target


def one_stop_measure(session: Session, unit: Unit, w: Window) -> OneStopMeasure:
    """The seed's measure for a unit (its subtree) in the window's quarter."""
    received = dict(session.execute(
        select(Procedure.code, func.count()).join(ProcedureVersion, ProcedureVersion.procedure_id == Procedure.id)
        .join(Dossier, Dossier.procedure_version_id == ProcedureVersion.id)
        .where(condition("received", w)).group_by(Procedure.code)).all())
    flagged = {code for code, cat in session.execute(select(Procedure.code, Procedure.catalogue))
               if (cat or {}).get("frequent")}
    frequent = sorted({c for c, n in received.items() if n >= FREQUENT_MIN} | (flagged & set(received)))
    at_desk = [code for code in frequent if _wholly_at_desk(session, w, code)]
    return OneStopMeasure(frequent, at_desk, CENTRE_TARGET if unit.parent_id is None else LOWER_TARGET)


def _wholly_at_desk(session: Session, w: Window, code: str) -> bool:
    """Whether the procedure's dossiers returned in the window had agency steps, all by the desk.

    Two EXISTS probes: they stop at the first row found, so a city's quarter costs little."""
    steps = (select(HumanTask.id).join(Dossier, Dossier.id == HumanTask.dossier_id)
             .join(ProcedureVersion, ProcedureVersion.id == Dossier.procedure_version_id)
             .join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
             .where(condition("returned", w), Procedure.code == code, HumanTask.state == "completed",
                    or_(HumanTask.kind.is_(None), HumanTask.kind != "supplement")))
    if not session.scalar(select(steps.exists())):
        return False
    return not session.scalar(select(steps.where(HumanTask.role != DESK_ROLE).exists()))
