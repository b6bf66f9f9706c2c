"""Trả kết quả liên thông: the receiving desk hands over a group's results once it has ended, once, and only
the receiving desk; bad input names every field, two officers at once get one hand-over."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.dossier import group_return, lifecycle
from engine.ground.errors import Conflict, Forbidden, Invalid
from engine.models import DossierGroup, Event
from tests.db.test_lien_thong import BIRTH, lien_thong, members  # noqa: F401  (the fixture)
from tests.procedures.drive import APPLICANT, step, user
from tests.race import race


def stopped_group(session, clock) -> DossierGroup:
    """LT.01 whose birth registration the desk refused at intake: the group has ended, stopped."""
    group = lifecycle.create_group(session, user(session, "desk1"), "LT.01", "in_person", APPLICANT, BIRTH, clock())
    session.commit()
    step(session, clock, members(session, group)["1.001193"], "Task_Intake", "intake_refuse")
    session.refresh(group)
    assert group.status == "stopped"
    return group


def test_the_desk_hands_over_an_ended_group_once(session, clock, lien_thong):  # noqa: F811
    group = stopped_group(session, clock)
    assert group_return.awaiting_return(group)
    assert [g.code for g in group_return.awaiting_at(session, group.unit_id)] == [group.code]
    group_return.return_group(session, user(session, "desk1"), group.id, "  Phạm   Minh Đức ", "001088011223",
                              "Nhận đủ giấy tờ", clock())
    session.commit()
    session.refresh(group)
    assert group.returned_at == clock() and group.data["returned"]["receiver_name"] == "Phạm Minh Đức"
    assert not group_return.awaiting_return(group) and group_return.awaiting_at(session, group.unit_id) == []
    with pytest.raises(Conflict, match="đã được trả"):
        group_return.return_group(session, user(session, "desk1"), group.id, "Phạm Minh Đức", "", "", clock())
    assert session.scalar(select(func.count()).select_from(Event).where(Event.kind == "group.returned")) == 1


def test_an_open_group_another_desk_and_bad_input_are_refused_and_nothing_is_written(session, clock,
                                                                                     lien_thong):  # noqa: F811
    group = lifecycle.create_group(session, user(session, "desk1"), "LT.01", "in_person", APPLICANT, BIRTH, clock())
    session.commit()
    with pytest.raises(Conflict, match="chưa có đủ kết quả"):
        group_return.return_group(session, user(session, "desk1"), group.id, "Phạm Minh Đức", "", "", clock())
    session.rollback()
    ended = stopped_group(session, clock)
    with pytest.raises(Forbidden):
        group_return.return_group(session, user(session, "desk2"), ended.id, "Phạm Minh Đức", "", "", clock())
    session.rollback()
    with pytest.raises(Invalid) as caught:
        group_return.return_group(session, user(session, "desk1"), ended.id, "   ", "12345", "x" * 2001, clock())
    assert set(caught.value.fields) == {"receiver_name", "receiver_id_number", "return_note"}
    session.rollback()
    session.refresh(ended)
    assert ended.returned_at is None and "returned" not in ended.data


def test_two_officers_recording_at_once_make_one_hand_over(sessions, session, clock, lien_thong):  # noqa: F811
    group = stopped_group(session, clock)
    results = race(sessions, 2, lambda s, i: group_return.return_group(
        s, user(s, "desk1"), group.id, f"Người nhận {i + 1}", "", "", clock()) and "ok")
    assert sorted(str(type(r).__name__) if r != "ok" else r for r in results) == ["Conflict", "ok"], results
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Event).where(Event.kind == "group.returned")) == 1
