"""Admins keep users and roles within their units; every action and every login is in the audit log,
which admins filter and export to xlsx."""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from engine.ground.errors import Forbidden, Invalid, Unauthenticated
from engine.models import Event
from engine.operations.audit import AuditQuery, audit_xlsx, export_events, search_events
from engine.org.accounts import create_user, get_unit, grant_role, login
from engine.org.user_admin import (
    add_grant,
    create_account,
    list_users,
    may_manage_account,
    reset_password,
    revoke_grant,
    set_active,
    update_account,
)
from tests.procedures.drive import new_dossier, step, user


@pytest.fixture
def ward_admin(session, clock):
    """An admin of Phường Hoàn Kiếm (H26.70) only."""
    admin = create_user(session, "wardadmin", "Quản trị phường Hoàn Kiếm", "demo1234", clock())
    grant_role(session, admin, get_unit(session, "H26.70"), "admin")
    session.commit()
    session.refresh(admin, ["grants"])
    return admin


def kinds(session) -> list[str]:
    return [e.kind for e in session.scalars(select(Event).order_by(Event.id))]


def test_an_admin_creates_a_user_who_then_logs_in_until_deactivated(session, clock):
    admin = user(session, "admin1")
    new = create_account(session, admin, "desk3", "Ngô Thị Hoa", "hoa@example.vn", "matkhau123",
                         get_unit(session, "H26.73"), "mot_cua", clock())
    session.commit()
    assert login(session, "desk3", "matkhau123", clock()) is new
    set_active(session, admin, new, False, clock())
    session.commit()
    with pytest.raises(Unauthenticated):
        login(session, "desk3", "matkhau123", clock())
    set_active(session, admin, new, True, clock())
    temporary = reset_password(session, admin, new, clock())
    session.commit()
    assert len(temporary) >= 12 and login(session, "desk3", temporary, clock()) is new
    assert kinds(session)[-7:] == ["user.created", "auth.login", "user.deactivated", "auth.login_failed",
                                   "user.reactivated", "user.password_reset", "auth.login"]
    assert all(temporary not in str(e.payload) for e in session.scalars(select(Event)))


def test_a_person_may_hold_several_roles_and_lose_one(session, clock):
    admin, desk2 = user(session, "admin1"), user(session, "desk2")
    grant = add_grant(session, admin, desk2, get_unit(session, "H26.70"), "chuyen_vien", clock())
    add_grant(session, admin, desk2, get_unit(session, "H26.70"), "chuyen_vien", clock())  # idempotent
    assert {(g.role, g.unit.code) for g in desk2.grants} == {("mot_cua", "H26.73"), ("chuyen_vien", "H26.70")}
    revoke_grant(session, admin, grant, clock())
    session.commit()
    assert {(g.role, g.unit.code) for g in desk2.grants} == {("mot_cua", "H26.73")}
    events = session.scalars(select(Event).where(Event.kind.like("role.%")).order_by(Event.id)).all()
    assert [(e.kind, e.payload["role"], e.payload["unit"]) for e in events] == [
        ("role.granted", "chuyen_vien", "H26.70"), ("role.revoked", "chuyen_vien", "H26.70")]


def test_a_near_miss_of_a_standard_role_is_refused_with_the_role_meant_and_a_role_of_its_own_is_kept(session, clock):
    admin, desk2, ward = user(session, "admin1"), user(session, "desk2"), get_unit(session, "H26.70")
    for typo, meant in (("motcua", "mot_cua"), ("lanh_dau", "lanh_dao")):
        with pytest.raises(Invalid) as refused:
            add_grant(session, admin, desk2, ward, typo, clock())
        assert meant in refused.value.fields["role"]
    assert add_grant(session, admin, desk2, ward, "tu_phap", clock()).role == "tu_phap"  # a role a process may ask for


def test_a_ward_admin_cannot_touch_another_ward_or_a_city_official(session, clock, ward_admin):
    other, desk2 = get_unit(session, "H26.73"), user(session, "desk2")
    with pytest.raises(Forbidden):
        create_account(session, ward_admin, "x1", "X", "", "matkhau123", other, "mot_cua", clock())
    with pytest.raises(Forbidden):
        add_grant(session, ward_admin, desk2, other, "lanh_dao", clock())
    with pytest.raises(Forbidden):
        set_active(session, ward_admin, desk2, False, clock())
    with pytest.raises(Forbidden):
        reset_password(session, ward_admin, user(session, "admin1"), clock())
    analyst = user(session, "analyst1")
    add_grant(session, ward_admin, analyst, get_unit(session, "H26.70.VP"), "chuyen_vien", clock())
    assert not may_manage_account(session, ward_admin, analyst)  # also holds a city role
    with pytest.raises(Forbidden):
        update_account(session, ward_admin, analyst, "Tên khác", "", clock())
    assert may_manage_account(session, ward_admin, user(session, "desk1"))
    assert [u.username for u in list_users(session, ward_admin).users] == [  # police: the ward's commune police
        "analyst1", "desk1", "leader1", "police1", "police_lead1", "specialist1", "wardadmin"]


def test_an_admin_cannot_lock_themselves_out(session, clock, ward_admin):
    with pytest.raises(Invalid):
        set_active(session, ward_admin, ward_admin, False, clock())
    with pytest.raises(Invalid):
        revoke_grant(session, ward_admin, ward_admin.grants[0], clock())


def test_bad_user_input_names_the_field(session, clock):
    admin, ward = user(session, "admin1"), get_unit(session, "H26.70")
    with pytest.raises(Invalid) as bad:
        create_account(session, admin, "có dấu", "", "", "matkhau123", ward, "mot_cua", clock())
    assert set(bad.value.fields) == {"username", "full_name"}
    with pytest.raises(Invalid) as taken:
        create_account(session, admin, "desk1", "Trùng tên", "", "matkhau123", ward, "mot_cua", clock())
    assert "username" in taken.value.fields
    with pytest.raises(Invalid) as role:
        create_account(session, admin, "desk9", "Tên", "", "matkhau123", ward, "Một Cửa", clock())
    assert "role" in role.value.fields


@pytest.fixture
def history(session, clock):
    """A dossier received at H26.70 on 2 March, logins, and a role change at H26.73 on 4 March."""
    login(session, "desk1", "demo1234", clock())
    dossier = new_dossier(session, clock)
    step(session, clock, dossier, "Task_Intake", "receive")
    clock.set(2026, 3, 4, 10, 0)
    with pytest.raises(Unauthenticated):
        login(session, "desk2", "sai mật khẩu", clock(), via="api")
    add_grant(session, user(session, "admin1"), user(session, "desk2"), get_unit(session, "H26.73.LD"), "lanh_dao",
              clock())
    session.commit()
    return dossier


def test_the_audit_filters_by_user_dossier_unit_and_period(session, clock, history):
    admin = user(session, "admin1")
    everything = search_events(session, admin, AuditQuery())
    assert [r.event.at for r in everything.rows] == sorted((r.event.at for r in everything.rows), reverse=True)
    by_dossier = search_events(session, admin, AuditQuery(dossier=history.code.lower()))
    assert by_dossier.total >= 3 and {r.dossier_code for r in by_dossier.rows} == {history.code}
    by_user = search_events(session, admin, AuditQuery(user="desk2"))
    assert [r.event.kind for r in by_user.rows] == ["auth.login_failed"]
    assert by_user.rows[0].event.payload == {"username": "desk2", "via": "api", "reason": "wrong_password"}
    by_unit = search_events(session, admin, AuditQuery(unit="H26.73"))
    assert [(r.event.kind, r.unit_code) for r in by_unit.rows] == [("role.granted", "H26.73.LD")]
    march_2 = search_events(session, admin, AuditQuery(date_from=date(2026, 3, 2), date_to=date(2026, 3, 2)))
    assert "role.granted" not in {r.event.kind for r in march_2.rows} and march_2.total == by_dossier.total + 1
    assert search_events(session, admin, AuditQuery(kind="auth.")).total == 2
    with pytest.raises(Invalid):
        AuditQuery.parse({"date_from": "02/03/2026"})


def test_a_ward_admin_sees_only_the_events_of_their_ward_and_its_people(session, clock, history, ward_admin):
    seen = search_events(session, ward_admin, AuditQuery())
    assert {r.unit_code for r in seen.rows} <= {"H26.70", "H26.70.MC", "H26.70.VP", "H26.70.LD", None}
    assert "role.granted" not in {r.event.kind for r in seen.rows}
    assert ("auth.login", "desk1") in {(r.event.kind, r.username) for r in seen.rows}
    assert "desk2" not in {r.username for r in seen.rows}


def test_the_xlsx_export_holds_the_filtered_events(session, clock, history):
    rows = export_events(session, user(session, "admin1"), AuditQuery(unit="H26.73"))
    book = load_workbook(io.BytesIO(audit_xlsx(rows, {"role.granted": "Cấp vai trò"})))
    sheet = book.active
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert values[0][:4] == ["Thời điểm", "Loại sự kiện", "Mã sự kiện", "Tên đăng nhập"]
    assert len(values) == 2
    assert values[1][0].strftime("%d/%m/%Y %H:%M") == "04/03/2026 10:00"
    assert values[1][1:8] == ["Cấp vai trò", "role.granted", "admin1", "Đỗ Quang Huy", "H26.73.LD",
                              "Lãnh đạo UBND Phường Cửa Nam", None]
    assert '"role": "lanh_dao"' in values[1][9]


def test_users_and_procedures_made_on_the_command_line_are_in_the_audit_too(app, session):
    from pathlib import Path

    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from webapp.cli import main

    obj, runner = ScriptInfo(create_app=lambda: app), CliRunner()
    made = runner.invoke(main, ["users", "create", "desk7", "--name", "Lý Văn Tám", "--password", "matkhau123",
                                "--role", "mot_cua@H26.4"], obj=obj)
    assert made.exit_code == 0, made.output
    folder = next((Path(__file__).resolve().parents[2] / "procedures").glob("1.001193-*"))
    published = runner.invoke(main, ["procedures", "publish", str(folder)], obj=obj)
    assert published.exit_code == 0, published.output
    rows = search_events(session, None, AuditQuery(kind="")).rows
    assert [(r.event.kind, r.event.payload.get("source")) for r in rows[:2]] == [("procedure.published", "cli"),
                                                                                ("user.created", "cli")]
    assert rows[1].unit_code == "H26.4"
