"""The organisation tree is data: Hanoi's 126 communes import in one go, and both the 2018 shape
(city, district, commune) and the 2025 shape (city, commune, service points) hold, with admin
rights and lookups following the tree."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import func, select

from engine.dossier import lifecycle
from engine.ground.errors import Forbidden, Invalid
from engine.models import Event, Unit
from engine.org.accounts import create_user, get_unit, grant_role
from engine.org.provinces import import_province
from engine.org.tree import admin_scope, ancestor_of_level, may_administer, subtree_ids, tree_rows
from engine.org.unit_admin import UnitForm, create_unit, move_unit, update_unit
from tests.procedures.drive import APPLICANT, user
from webapp.cli import main


def units_under(session, code: str, level: str) -> list[Unit]:
    parent = get_unit(session, code)
    return list(session.scalars(select(Unit).where(Unit.parent_id == parent.id, Unit.level == level)))


def unit_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Unit))


def test_importing_hanoi_creates_its_126_communes_each_with_desk_division_and_leadership(session, clock):
    result = import_province(session, user(session, "admin1"), "01", clock())
    session.commit()
    communes = units_under(session, "H26", "commune")
    assert len(communes) == len(result.communes) == 126
    hoan_kiem = get_unit(session, "H26.70")
    assert hoan_kiem.name == "UBND Phường Hoàn Kiếm" and hoan_kiem.admin_code == "00070"
    assert {u.code for u in session.scalars(select(Unit).where(Unit.parent_id == hoan_kiem.id))} == {
        "H26.70.MC", "H26.70.VP", "H26.70.LD", "H26.70.CA"}  # the commune police: the demo's liên thông
    assert get_unit(session, "H26.382.MC").level == "desk"  # Xã Kim Anh, the last commune
    assert result.created == 123 * 4 and result.existing == 3 * 4  # the demo had three wards already
    before = unit_count(session)
    again = import_province(session, None, 1, clock())
    session.commit()
    assert (again.created, again.existing, unit_count(session)) == (0, 126 * 4, before)
    imported = session.scalars(select(Event).where(Event.kind == "org.imported")).all()
    assert [e.payload["created"] for e in imported] == [492, 0]


def test_a_second_import_keeps_what_admins_edited(session, clock):
    ward = get_unit(session, "H26.4")
    update_unit(session, None, ward, UnitForm("H26.BD", "UBND phường Ba Đình (Hà Nội)", "commune", "00004",
                                              "08:00-12:00,13:30-17:00", "16:00"), clock())
    session.commit()
    import_province(session, None, "01", clock())
    session.commit()
    assert len(units_under(session, "H26", "commune")) == 126
    edited = get_unit(session, "H26.BD")
    assert edited.name == "UBND phường Ba Đình (Hà Nội)" and edited.office_hours == "08:00-12:00,13:30-17:00"
    assert session.scalar(select(Unit).where(Unit.code == "H26.4")) is None


def test_a_ward_admin_cannot_import_a_province(session, clock):
    ward_admin = create_user(session, "wardadmin", "Quản trị phường", "demo1234", clock())
    grant_role(session, ward_admin, get_unit(session, "H26.70"), "admin")
    with pytest.raises(Forbidden):
        import_province(session, ward_admin, "01", clock())
    with pytest.raises(Forbidden):
        import_province(session, ward_admin, "79", clock())
    with pytest.raises(Invalid):
        import_province(session, None, "99", clock())


def test_the_cli_imports_a_province_with_a_progress_bar(sqlite_template, tmp_path, clock):
    import shutil

    from webapp import create_app

    path = tmp_path / "cli.sqlite"
    shutil.copy(sqlite_template, path)
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{path}", "NOW": clock, "SECRET_KEY": "t"})
    result = CliRunner().invoke(main, ["org", "import", "--province", "01"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert "Thành phố Hà Nội (H26): 126 xã, phường; tạo mới 492 đơn vị" in result.output
    wrong = CliRunner().invoke(main, ["org", "import", "--province", "99"], obj=ScriptInfo(create_app=lambda: app))
    assert wrong.exit_code == 1 and "Không có tỉnh, thành phố mã 99" in wrong.output
    app.extensions["motcua"]["engine"].dispose()


def unit(session, parent: Unit | None, code: str, name: str, level: str, actor=None, clock=None) -> Unit:
    return create_unit(session, actor, parent, UnitForm(code, name, level), clock())


@pytest.fixture
def tree_2018(session, clock):
    """Thành phố (H99) → quận Đông (H99.1), quận Tây (H99.2) → one phường each, with a desk."""
    city = unit(session, None, "H99", "UBND Thành phố Mẫu", "province", clock=clock)
    shapes = {"city": city}
    for number, side in ((1, "Đông"), (2, "Tây")):
        district = unit(session, city, f"H99.{number}", f"UBND Quận {side}", "district", clock=clock)
        ward = unit(session, district, f"H99.{number}.1", f"UBND Phường {side} Một", "commune", clock=clock)
        shapes[f"district{number}"], shapes[f"ward{number}"] = district, ward
        shapes[f"desk{number}"] = unit(session, ward, f"H99.{number}.1.MC", "Bộ phận Một cửa", "desk", clock=clock)
    session.commit()
    return shapes


def test_a_2018_tree_gives_a_district_admin_its_communes_and_nothing_else(session, clock, tree_2018):
    t = tree_2018
    east = create_user(session, "admin_dong", "Quản trị quận Đông", "demo1234", clock())
    grant_role(session, east, t["district1"], "admin")
    assert may_administer(east, t["desk1"]) and may_administer(east, t["ward1"])
    assert not may_administer(east, t["ward2"]) and not may_administer(east, t["city"])
    assert admin_scope(session, east) == {t[k].id for k in ("district1", "ward1", "desk1")}
    assert ancestor_of_level(t["desk1"], "district") is t["district1"]
    assert ancestor_of_level(t["desk2"], "province") is t["city"]
    unit(session, t["ward1"], "H99.1.1.VP", "Văn phòng", "division", east, clock)
    with pytest.raises(Forbidden):
        unit(session, t["ward2"], "H99.2.1.VP", "Văn phòng", "division", east, clock)
    with pytest.raises(Forbidden):
        move_unit(session, east, t["ward1"], t["district2"], clock())
    rows = tree_rows(session, east)
    assert [row.unit.code for row in rows] == ["H99", "H99.1", "H99.1.1", "H99.1.1.MC", "H99.1.1.VP"]
    assert [row.editable for row in rows] == [False, True, True, True, True]


def test_a_city_admin_moves_a_commune_between_districts_but_never_under_itself(session, clock, tree_2018):
    t = tree_2018
    city_admin = create_user(session, "admin_tp", "Quản trị thành phố", "demo1234", clock())
    grant_role(session, city_admin, t["city"], "admin")
    move_unit(session, city_admin, t["ward1"], t["district2"], clock())
    session.commit()
    assert ancestor_of_level(t["desk1"], "district") is t["district2"]
    assert subtree_ids(session, [t["district2"].id]) >= {t["ward1"].id, t["desk1"].id, t["ward2"].id}
    with pytest.raises(Invalid):
        move_unit(session, city_admin, t["district2"], t["desk1"], clock())
    moved = session.scalars(select(Event).where(Event.kind == "unit.moved")).one()
    assert moved.payload == {"old_parent": "H99.1", "new_parent": "H99.2"}


def test_a_2025_tree_of_commune_and_service_points_routes_dossiers_by_their_unit(session, clock):
    city = get_unit(session, "H26")
    centre = unit(session, city, "H26.TTPVHCC", "Trung tâm Phục vụ hành chính công", "service_centre", clock=clock)
    branch = unit(session, centre, "H26.TTPVHCC.CN1", "Chi nhánh số 1", "branch", clock=clock)
    officer = create_user(session, "desk_cn1", "Cán bộ chi nhánh", "demo1234", clock())
    grant_role(session, officer, branch, "mot_cua")
    session.commit()
    dossier = lifecycle.create_dossier(session, officer, "1.001193", "in_person", APPLICANT, {}, clock())
    session.commit()
    assert dossier.code.startswith("H26.TTPVHCC.CN1-")
    assert ancestor_of_level(dossier.unit, "service_centre") is centre
    assert may_administer(user(session, "admin1"), branch)
    assert lifecycle.can_view(officer, dossier, session) and not lifecycle.can_view(user(session, "desk1"), dossier,
                                                                                    session)


def test_unit_fields_are_checked_and_each_change_is_an_event(session, clock):
    ward = get_unit(session, "H26.70")
    admin = user(session, "admin1")
    with pytest.raises(Invalid) as bad:
        create_unit(session, admin, ward, UnitForm("H26.73", "", "Desk", "7a", "8:00-7:00"), clock())
    assert set(bad.value.fields) == {"code", "name", "level", "admin_code", "office_hours"}
    desk = create_unit(session, admin, ward, UnitForm("H26.70.CN", "Điểm tiếp nhận Hàng Bạc", "desk", "",
                                                      "08:00-12:00,13:00-17:00", "16:00"), clock())
    update_unit(session, admin, desk, UnitForm("H26.70.HB", "Điểm tiếp nhận Hàng Bạc", "desk", "",
                                               "08:00-12:00,13:00-17:00", "16:00"), clock())
    session.commit()
    kinds = [e.kind for e in session.scalars(select(Event).where(Event.unit_id == desk.id).order_by(Event.id))]
    assert kinds == ["unit.created", "unit.office_hours_set", "unit.updated"]
    assert desk.same_day_cutoff == "16:00" and desk.parent is ward
