"""The national portal survey's six criteria: when a rating counts as satisfied, and supervision's means."""
from __future__ import annotations

import pytest

from engine.applicants.satisfaction import CRITERIA, is_satisfied, parse_scores
from engine.ground.errors import Invalid
from engine.models import Dossier
from engine.models.applicant import DossierRating
from engine.supervision import index766
from engine.supervision.ratings import criteria_means
from tests.db.test_supervision import window
from tests.supervision_data import build_quarter


def test_a_rating_is_satisfied_on_a_mean_of_four_with_nothing_below_three():
    assert len(CRITERIA) == 6
    assert is_satisfied(dict.fromkeys(CRITERIA, 4))
    assert is_satisfied({**dict.fromkeys(CRITERIA, 5), "time": 3})
    assert not is_satisfied({**dict.fromkeys(CRITERIA, 5), "time": 2})  # mean 4.5, one aspect bad
    assert not is_satisfied({**dict.fromkeys(CRITERIA, 4), "result": 3})  # mean below 4
    assert parse_scores({f"score_{k}": "5" for k in CRITERIA}) == dict.fromkeys(CRITERIA, 5)
    with pytest.raises(Invalid) as err:
        parse_scores({"score_access": "6", "score_time": "3"})
    assert set(err.value.fields) == {f"score_{k}" for k in CRITERIA if k != "time"}


def test_supervision_averages_each_criterion_beside_the_766_satisfaction_group(session):
    quarter = build_quarter(session)
    d1, d3 = quarter["D1"], quarter["D3"]
    session.get(DossierRating, d1.id).scores = dict.fromkeys(CRITERIA, 5)
    session.get(DossierRating, d3.id).scores = {**dict.fromkeys(CRITERIA, 2), "officials": 4}
    session.flush()
    means = criteria_means(session, Dossier.id.in_([d1.id, d3.id]))
    assert means["access"] == (pytest.approx(3.5), 2) and means["officials"] == (pytest.approx(4.5), 2)
    found = {i.name: i for i in index766.indicators(session, window(session, "H26"))}
    happy = found["Tỷ lệ hài lòng của người dân, doanh nghiệp"]
    assert (happy.numerator, happy.denominator) == (1, 2)
