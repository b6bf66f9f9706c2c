"""Đánh giá của công dân: the applicants' ratings, when the applicants' portal records them.

The portal keeps one rating per returned dossier (`dossier_rating.satisfied`). Supervision only
reads it; without the table (an older database) there is simply no satisfaction to report.
It also counts the applicants' feedback and complaints (phản ánh, kiến nghị) and their answers.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement


def _model():
    try:
        from engine.models.applicant import DossierRating
    except ImportError:  # the applicants' portal is not installed
        return None
    return DossierRating


def _available(session: Session) -> bool:
    model = _model()
    return model is not None and inspect(session.connection()).has_table(model.__tablename__)


def ratings_of(session: Session, dossier_ids: list[int]) -> dict[int, bool]:
    """dossier id → satisfied, for the given dossiers that were rated."""
    if not dossier_ids or not _available(session):
        return {}
    model = _model()
    return dict(session.execute(select(model.dossier_id, model.satisfied)
                                .where(model.dossier_id.in_(dossier_ids))).all())


def satisfaction_counts(session: Session, dossier_filter: ColumnElement) -> tuple[int, int] | None:
    """(satisfied, rated) among the dossiers matching the filter; None when ratings are not kept."""
    if not _available(session):
        return None
    from engine.models import Dossier

    model = _model()
    satisfied, rated = session.execute(
        select(func.count().filter(model.satisfied.is_(True)), func.count())
        .select_from(model).join(Dossier, Dossier.id == model.dossier_id).where(dossier_filter)).one()
    return int(satisfied or 0), int(rated or 0)


def criteria_means(session: Session, dossier_filter: ColumnElement) -> dict[str, tuple[float, int]]:
    """criterion → (mean score 1..5, number of ratings scoring it) among the dossiers matching the filter;
    the national portal survey's criteria (engine.applicants.satisfaction). Yes/no ratings have no scores."""
    if not _available(session):
        return {}
    from engine.models import Dossier

    model = _model()
    totals: dict[str, list[int]] = {}
    for (scores,) in session.execute(select(model.scores).join(Dossier, Dossier.id == model.dossier_id)
                                     .where(dossier_filter, model.scores.is_not(None))):
        for key, value in (scores or {}).items():
            totals.setdefault(key, []).append(int(value))
    return {key: (sum(values) / len(values), len(values)) for key, values in totals.items()}


@dataclass(frozen=True)
class FeedbackCounts:
    """Phản ánh, kiến nghị to the units in a quarter: received, and of those answered (on any date)."""

    received: int
    answered: int


def feedback_counts(session: Session, unit_ids: Iterable[int], start: datetime, end: datetime) -> FeedbackCounts | None:
    """Feedback received in [start, end) by the units (engine.applicants.feedback); None without the table."""
    try:
        from engine.models.applicant import Feedback
    except ImportError:
        return None
    if not inspect(session.connection()).has_table(Feedback.__tablename__):
        return None
    received, answered = session.execute(
        select(func.count(), func.count().filter(Feedback.answered_at.is_not(None)))
        .where(Feedback.unit_id.in_(list(unit_ids)), Feedback.created_at >= start, Feedback.created_at < end)).one()
    return FeedbackCounts(int(received or 0), int(answered or 0))
