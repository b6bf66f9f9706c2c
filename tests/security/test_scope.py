"""Scope: a ward's admin publishes, edits, migrates and grants only within the ward (engine.catalogue.scope).

Ward A is H26.70 (desk1's ward, administered by `wardadmin` here), ward B is H26.73 (desk2's).
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.catalogue import studio
from engine.dossier import lifecycle as dossiers
from engine.dossier import version_migration
from engine.ground.errors import Forbidden
from engine.models import Dossier, Procedure, ProcedureUnit, RoleGrant, Unit, User
from engine.org import user_admin as users_admin
from engine.org.accounts import create_user, grant_role
from tests.conftest import Browser
from tests.procedures.drive import APPLICANT

CITY_WIDE = "1.001193"   # birth registration: dossiers in both wards
WARD_ONLY = "1.001612"   # household business: offered by ward A alone
WARD_A, WARD_B = "H26.70", "H26.73"


def _unit(session, code: str) -> Unit:
    return session.scalar(select(Unit).where(Unit.code == code))


def _user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def _offer(session, code: str, *units: str) -> None:
    procedure = session.scalar(select(Procedure).where(Procedure.code == code))
    procedure.units_listed = True
    for unit in units:
        session.add(ProcedureUnit(procedure_id=procedure.id, unit_id=_unit(session, unit).id,
                                  since=session.info.get("now")))


@pytest.fixture
def world(app, clock):
    """A ward admin of A; the birth procedure with a dossier in each ward; the business one offered by A only."""
    with app.extensions["motcua"]["sessions"]() as session:
        session.info["now"] = clock()
        grant_role(session, create_user(session, "wardadmin", "Quản trị phường", "demo1234", clock()),
                   _unit(session, WARD_A), "admin")
        grant_role(session, create_user(session, "staffa", "Cán bộ phường", "demo1234", clock()),
                   _unit(session, WARD_A), "chuyen_vien")
        _offer(session, CITY_WIDE, WARD_A, WARD_B)
        _offer(session, WARD_ONLY, WARD_A)
        codes = {}
        for desk, ward in (("desk1", WARD_A), ("desk2", WARD_B)):
            codes[ward] = dossiers.create_dossier(session, _user(session, desk), CITY_WIDE, "in_person",
                                                  APPLICANT, {}, clock()).code
        session.commit()
    return codes


def _save(client: Browser, code: str, files: dict[str, str]):
    return client.client.post(f"/studio/{code}/draft", json={"files": files}, headers={"X-CSRFToken": client.token})


def test_a_ward_admin_cannot_open_edit_or_publish_a_procedure_other_wards_use(app, world):
    analyst, ward = Browser(app, "analyst1"), Browser(app, "wardadmin")
    files = analyst.get(f"/studio/{CITY_WIDE}/files.json").json["files"]
    assert _save(analyst, CITY_WIDE, {"process.bpmn": files["process.bpmn"].replace('"PT3H"', '"PT2H"')}).status_code == 200
    assert ward.get(f"/studio/{CITY_WIDE}").status_code == 403
    assert ward.get(f"/studio/{CITY_WIDE}/files.json").status_code == 403
    assert _save(ward, CITY_WIDE, {"process.bpmn": files["process.bpmn"]}).status_code == 403
    assert ward.post(f"/studio/{CITY_WIDE}/publish", {"note": "của phường"}).status_code == 403
    with app.extensions["motcua"]["sessions"]() as session:
        assert studio.versions_of(session, CITY_WIDE)[0].number == 1
        with pytest.raises(Forbidden):
            studio.publish_draft(session, CITY_WIDE, _user(session, "wardadmin"), app.config["NOW"]())


def test_a_ward_admin_publishes_a_procedure_their_ward_alone_offers(app, world):
    ward = Browser(app, "wardadmin")
    files = ward.get(f"/studio/{WARD_ONLY}/files.json").json["files"]
    res = _save(ward, WARD_ONLY, {"process.bpmn": files["process.bpmn"] + "\n"})
    assert res.status_code == 200
    res = ward.post(f"/studio/{WARD_ONLY}/publish", {"note": "phường tự công bố"})
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/studio/{WARD_ONLY}/versions")


def test_a_diagram_that_sends_a_step_to_another_ward_is_refused_at_publish(app, world):
    ward = Browser(app, "wardadmin")
    xml = ward.get(f"/studio/{WARD_ONLY}/files.json").json["files"]["process.bpmn"]
    stolen = xml.replace('<camunda:property name="kind" value="appraisal" />',
                         f'<camunda:property name="kind" value="appraisal" />'
                         f'<camunda:property name="unit" value="{WARD_B}" />', 1)
    assert stolen != xml
    assert _save(ward, WARD_ONLY, {"process.bpmn": stolen}).status_code == 200
    res = ward.post(f"/studio/{WARD_ONLY}/publish", {"note": "phường chuyển bước sang phường khác"})
    assert res.status_code == 403 and WARD_B in res.get_data(as_text=True)
    with app.extensions["motcua"]["sessions"]() as session:
        assert len(studio.versions_of(session, WARD_ONLY)) == 1
    # the city's admin may route a step to any unit
    assert Browser(app, "admin1").post(f"/studio/{WARD_ONLY}/publish", {"note": "thành phố duyệt"}).status_code == 302


def test_migration_lists_and_moves_only_the_dossiers_of_the_admins_wards(app, world):
    analyst, city, ward = Browser(app, "analyst1"), Browser(app, "admin1"), Browser(app, "wardadmin")
    files = analyst.get(f"/studio/{CITY_WIDE}/files.json").json["files"]
    _save(analyst, CITY_WIDE, {"process.bpmn": files["process.bpmn"].replace('"PT3H"', '"PT2H"')})
    assert city.post(f"/studio/{CITY_WIDE}/publish", {"note": "rút ngắn thẩm định"}).status_code == 302
    page = ward.get(f"/studio/{CITY_WIDE}/versions/2/migrate").get_data(as_text=True)
    assert f'data-dossier="{world[WARD_A]}"' in page and f'data-dossier="{world[WARD_B]}"' not in page
    with app.extensions["motcua"]["sessions"]() as session:
        ids = [session.scalar(select(Dossier.id).where(Dossier.code == world[w])) for w in (WARD_A, WARD_B)]
    assert ward.post(f"/studio/{CITY_WIDE}/versions/2/migrate",
                     {"dossier": [str(i) for i in ids]}).status_code == 302
    with app.extensions["motcua"]["sessions"]() as session:
        moved = {d.code: d.version.number for d in session.scalars(select(Dossier).where(Dossier.id.in_(ids)))}
        assert moved == {world[WARD_A]: 2, world[WARD_B]: 1}
        target = studio.version_by_number(session, CITY_WIDE, 2)
        checks = version_migration.dry_run(session, target, _user(session, "wardadmin"))
        assert [c.dossier.code for c in checks] == []  # ward A's dossier has moved; B's is not theirs


@pytest.mark.parametrize("role", ["analyst"])
def test_a_ward_admin_cannot_grant_a_role_that_acts_beyond_the_ward(app, world, role):
    ward = Browser(app, "wardadmin")
    with app.extensions["motcua"]["sessions"]() as session:
        staff_id, admin_id = _user(session, "staffa").id, _user(session, "wardadmin").id
    for user_id in (staff_id, admin_id):
        res = ward.post(f"/admin/users/{user_id}/grants", {"unit": WARD_A, "role": role})
        assert res.status_code == 403
    res = ward.post("/admin/users/new", {"username": "moi1", "full_name": "Người mới", "email": "",
                                         "password": "mat-khau-2026", "unit": WARD_A, "role": role})
    assert res.status_code == 403
    with app.extensions["motcua"]["sessions"]() as session:
        assert not session.scalar(select(func.count(RoleGrant.id)).where(RoleGrant.role == role,
                                                                          RoleGrant.user_id.in_([staff_id, admin_id])))
        assert _user(session, "moi1") is None
        assert role not in users_admin.grantable_roles(_user(session, "wardadmin"))
    # roles that act only in the ward stay the ward admin's to give; the city's admin gives the others
    assert ward.post(f"/admin/users/{staff_id}/grants", {"unit": WARD_A, "role": "mot_cua"}).status_code == 302
    assert Browser(app, "admin1").post(f"/admin/users/{staff_id}/grants",
                                       {"unit": WARD_A, "role": role}).status_code == 302
