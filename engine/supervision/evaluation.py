"""Đánh giá theo Nghị định 61: the indicators of one returned dossier that the system can know.

Decree 61/2018 art. 32 scores each indicator 0, 1 or 2 (nine indicators, maximum 18). The
system knows six of them from its own records; publication, staff attitude and complaint
handling need a survey and are not scored here. The rules, as coded below:

1. total time (tổng thời gian giải quyết so với quy định): early 2, on time 1, late 0
   (the dossier's class, engine.clock.lateness, after any legitimate extension);
2. each agency's time (thời gian thực hiện của từng cơ quan): the agency's steps grouped by
   unit; every unit's steps early 2, no unit late 1, any unit late 0 (the applicant's
   supplement steps are the applicant's time and are left out);
3. contacts (số lần phải liên hệ): the desk visits, intake + one per supplement requested +
   return: two visits 2, three 1, more 0;
4. agencies (số cơ quan phải liên hệ): distinct units of the agency's steps: one 2, two 1, more 0;
5. handled at the desk (tiếp nhận và trả kết quả tại Bộ phận Một cửa): a one-stop procedure
   (catalogue `one_stop`) whose intake and return steps were both the desk's (role mot_cua) 2,
   one of them 1, neither (or not one-stop) 0;
6. satisfaction (mức độ hài lòng): when the applicant rated: satisfied 2, not satisfied 0;
   without a rating the indicator is not scored and the maximum shrinks by two.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.models import Dossier, HumanTask, Procedure, ProcedureVersion
from engine.supervision.metrics import Window, condition
from engine.supervision.ratings import ratings_of

DESK_ROLE = "mot_cua"
APPLICANT_STEP = "supplement"
INDICATORS = {"total_time": "Tổng thời gian giải quyết so với quy định",
              "agency_time": "Thời gian thực hiện của từng cơ quan",
              "contacts": "Số lần phải liên hệ để hoàn thiện hồ sơ",
              "agencies": "Số cơ quan phải liên hệ",
              "at_desk": "Tiếp nhận và trả kết quả tại Bộ phận Một cửa",
              "satisfaction": "Mức độ hài lòng"}


@dataclass(frozen=True)
class Step:
    """What scoring needs of one step."""

    kind: str | None
    role: str
    unit_id: int
    lateness: str | None


@dataclass(frozen=True)
class Decree61Score:
    """One returned dossier's scores: indicator → (what was counted, score 0–2); None = not scored."""

    code: str
    procedure: str
    facts: dict[str, object]
    scores: dict[str, int | None]

    @property
    def total(self) -> int:
        """The sum of the scored indicators."""
        return sum(s for s in self.scores.values() if s is not None)

    @property
    def maximum(self) -> int:
        """Two points per scored indicator."""
        return 2 * sum(1 for s in self.scores.values() if s is not None)


def score_total_time(lateness: str | None) -> int:
    """Early 2, on time 1, late (or unclassified) 0."""
    return {"early": 2, "on_time": 1}.get(lateness or "", 0)


def score_agency_time(steps: list[Step]) -> int:
    """Every unit's steps early 2, no unit late 1, any late 0."""
    agency = [s for s in steps if s.kind != APPLICANT_STEP and s.lateness]
    if any(s.lateness == "late" for s in agency):
        return 0
    return 2 if agency and all(s.lateness == "early" for s in agency) else 1


def score_contacts(visits: int) -> int:
    """Two desk visits (intake, return) 2, three 1, more 0."""
    return 2 if visits <= 2 else 1 if visits == 3 else 0


def score_agencies(count: int) -> int:
    """One agency 2, two 1, more 0."""
    return 2 if count <= 1 else 1 if count == 2 else 0


def score_at_desk(one_stop: bool, steps: list[Step]) -> int:
    """Intake and return both at the desk 2, one of them 1, neither or not a one-stop procedure 0."""
    if not one_stop:
        return 0
    return sum(1 for kind in ("intake", "return")
               if any(s.kind == kind and s.role == DESK_ROLE for s in steps))


def score_satisfaction(satisfied: bool | None) -> int | None:
    """Satisfied 2, not satisfied 0, no rating None (not scored)."""
    return None if satisfied is None else (2 if satisfied else 0)


def score_dossier(code: str, procedure: str, lateness: str | None, one_stop: bool, steps: list[Step],
                  satisfied: bool | None) -> Decree61Score:
    """All six indicators of one returned dossier."""
    supplements = sum(1 for s in steps if s.kind == APPLICANT_STEP)
    visits = 2 + supplements
    agencies = len({s.unit_id for s in steps if s.kind != APPLICANT_STEP})
    facts = {"lateness": lateness, "visits": visits, "agencies": agencies, "one_stop": one_stop,
             "satisfied": satisfied}
    scores = {"total_time": score_total_time(lateness), "agency_time": score_agency_time(steps),
              "contacts": score_contacts(visits), "agencies": score_agencies(agencies),
              "at_desk": score_at_desk(one_stop, steps), "satisfaction": score_satisfaction(satisfied)}
    return Decree61Score(code, procedure, facts, scores)


def evaluate_returned(session: Session, w: Window, page: int = 1, per_page: int = 50) -> tuple[list[Decree61Score], int]:
    """The Decree 61 scores of the dossiers returned in the window, a page at a time, and the total."""
    where = condition("returned", w)
    total = session.scalar(select(func.count()).select_from(Dossier).where(where)) or 0
    rows = session.execute(
        select(Dossier.id, Dossier.code, Dossier.lateness, Procedure.name, Procedure.catalogue)
        .join(ProcedureVersion, Dossier.procedure_version_id == ProcedureVersion.id)
        .join(Procedure, ProcedureVersion.procedure_id == Procedure.id)
        .where(where).order_by(Dossier.returned_at.desc(), Dossier.id.desc())
        .limit(per_page).offset((max(1, page) - 1) * per_page)).all()
    return score_rows(session, rows), total


def score_rows(session: Session, rows: list) -> list[Decree61Score]:
    """Score rows of (id, code, lateness, procedure name, catalogue), loading their steps and ratings."""
    ids = [r[0] for r in rows]
    steps: dict[int, list[Step]] = defaultdict(list)
    if ids:
        for dossier_id, kind, role, unit_id, lateness in session.execute(
                select(HumanTask.dossier_id, HumanTask.kind, HumanTask.role, HumanTask.unit_id, HumanTask.lateness)
                .where(HumanTask.dossier_id.in_(ids), HumanTask.state == "completed")):
            steps[dossier_id].append(Step(kind, role, unit_id, lateness))
    ratings = ratings_of(session, ids)
    return [score_dossier(code, name, lateness, bool((catalogue or {}).get("one_stop")), steps[i], ratings.get(i))
            for i, code, lateness, name, catalogue in rows]


def average_scores(scores: list[Decree61Score]) -> dict[str, float | None]:
    """The average score of each indicator over the scored dossiers (None when none was scored)."""
    result: dict[str, float | None] = {}
    for key in INDICATORS:
        values = [s.scores[key] for s in scores if s.scores[key] is not None]
        result[key] = sum(values) / len(values) if values else None
    return result


def period_averages(session: Session, w: Window, batch: int = 1000) -> dict[str, float | None]:
    """The average of each indicator over every dossier returned in the window (not one page of them),
    scored a batch at a time so that a city's quarter never sits in memory at once."""
    where = condition("returned", w)
    sums: dict[str, float] = dict.fromkeys(INDICATORS, 0.0)
    counts: dict[str, int] = dict.fromkeys(INDICATORS, 0)
    last_id = None
    while True:
        query = (select(Dossier.id, Dossier.code, Dossier.lateness, Procedure.name, Procedure.catalogue)
                 .join(ProcedureVersion, Dossier.procedure_version_id == ProcedureVersion.id)
                 .join(Procedure, ProcedureVersion.procedure_id == Procedure.id)
                 .where(where).order_by(Dossier.id).limit(batch))
        rows = session.execute(query if last_id is None else query.where(Dossier.id > last_id)).all()
        if not rows:
            break
        for score in score_rows(session, rows):
            for key in INDICATORS:
                if score.scores[key] is not None:
                    sums[key] += score.scores[key]
                    counts[key] += 1
        last_id = rows[-1][0]
    return {key: sums[key] / counts[key] if counts[key] else None for key in INDICATORS}
