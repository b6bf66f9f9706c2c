"""The procedure catalogue: zip export and import through the same checks as publishing, and each
unit's published list of procedures."""
from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from engine.catalogue.admin import (
    catalogue_rows,
    describe_time_limit,
    export_zip,
    import_zip,
    offered_procedures,
    set_offered,
    slug,
)
from engine.ground.errors import Forbidden, Invalid
from engine.models import Event, ProcedureVersion
from engine.org.accounts import create_user, get_unit, grant_role
from tests.procedures.drive import user


def zipped(files: dict[str, str], folder: str = "1.001193-dang-ky-khai-sinh") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"{folder}/{name}" if folder else name, text)
    return buffer.getvalue()


def exported(session, code: str = "1.001193") -> dict[str, str]:
    name, data = export_zip(session, code)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info).decode() for info in archive.infolist()}


def test_the_export_is_the_folder_of_the_current_version(session):
    files = exported(session)
    assert "1.001193-dang-ky-khai-sinh/procedure.yaml" in files and "1.001193-dang-ky-khai-sinh/process.bpmn" in files
    assert export_zip(session, "1.001193")[0] == "1.001193-dang-ky-khai-sinh.zip"
    assert slug("Cấp giấy phép xây dựng nhà ở riêng lẻ") == "cap-giay-phep-xay-dung-nha-o-rieng-le"


def test_importing_an_export_unchanged_keeps_the_version_and_a_change_publishes_a_new_one(session, clock):
    admin = user(session, "admin1")
    files = {name.split("/", 1)[1]: text for name, text in exported(session).items()}
    version, created = import_zip(session, admin, zipped(files), clock())
    assert not created and version.number == 1
    files["procedure.yaml"] = files["procedure.yaml"].replace('name: "Đăng ký khai sinh"', 'name: "Đăng ký khai sinh (sửa)"')
    version, created = import_zip(session, admin, zipped(files, folder=""), clock(), note="Sửa tên")
    session.commit()
    assert created and version.number == 2 and version.procedure.name == "Đăng ký khai sinh (sửa)"
    assert version.published_by == "admin1" and version.note == "Sửa tên"
    published = session.scalars(select(Event).where(Event.kind == "procedure.published")).all()
    assert [(e.payload["version"], e.payload["created"]) for e in published] == [(1, False), (2, True)]


def test_a_broken_folder_is_refused_naming_the_file_and_nothing_is_published(session, clock):
    admin = user(session, "admin1")
    files = {name.split("/", 1)[1]: text for name, text in exported(session).items()}
    files["process.bpmn"] = files["process.bpmn"].replace("camunda:formRef=\"intake\"", "camunda:formRef=\"missing\"")
    before = session.scalars(select(ProcedureVersion)).all()
    with pytest.raises(Invalid) as err:
        import_zip(session, admin, zipped(files), clock())
    assert "1.001193-dang-ky-khai-sinh/process.bpmn" in err.value.message and "/tmp" not in err.value.message
    with pytest.raises(Invalid):
        import_zip(session, admin, b"not a zip", clock())
    with pytest.raises(Invalid):
        import_zip(session, admin, zipped({"process.bpmn": files["process.bpmn"]}), clock())
    session.rollback()
    assert session.scalars(select(ProcedureVersion)).all() == before


def test_only_an_admin_of_a_top_level_unit_imports_into_the_national_catalogue(session, clock):
    ward_admin = create_user(session, "wardadmin", "Quản trị phường", "demo1234", clock())
    grant_role(session, ward_admin, get_unit(session, "H26.70"), "admin")
    with pytest.raises(Forbidden):
        import_zip(session, ward_admin, zipped({}), clock())


# commune level: every ward with a desk offers them by default (the death registration and the two liên thông
# groups a ward's desk receives included; the police's and social insurance's members are not the ward's)
WARD_DEFAULT = ["1.000656", "1.001193", "1.001612", "1.013225", "LT.01", "LT.02"]


def codes_at(session, unit_code: str) -> list[str]:
    return [p.code for p in offered_procedures(session, get_unit(session, unit_code))]


def test_each_unit_publishes_its_own_list_of_procedures(session, clock):
    ward, admin = get_unit(session, "H26.70"), user(session, "admin1")
    assert codes_at(session, "H26.70") == WARD_DEFAULT  # before any list: what the portal offers by default
    set_offered(session, admin, ward, ["1.001193", "1.001612"], clock())
    set_offered(session, admin, get_unit(session, "H26.73"), ["1.001193"], clock())
    set_offered(session, admin, ward, ["1.001193"], clock())
    session.commit()
    assert codes_at(session, "H26.70") == ["1.001193"]
    rows = {row.procedure.code: row for row in catalogue_rows(session)}
    assert [u.code for u in rows["1.001193"].units] == ["H26.70", "H26.73"]
    birth = rows["1.001193"]
    assert (birth.time_limit, birth.online, birth.one_stop, birth.procedure.field) == ("Trong ngày", "Toàn trình",
                                                                                      True, "Hộ tịch")
    assert birth.channels == ["Trực tiếp", "Bưu chính", "Trực tuyến"] and birth.results[0] == "Giấy khai sinh"
    changes = session.scalars(select(Event).where(Event.kind == "unit.procedures_set").order_by(Event.id)).all()
    assert changes[-1].payload == {"added": [], "removed": ["1.001612"]}
    with pytest.raises(Invalid):
        set_offered(session, admin, ward, ["9.999999"], clock())


def test_ticking_or_unticking_a_procedure_for_one_ward_never_takes_it_from_another(session, clock):
    admin = user(session, "admin1")
    set_offered(session, admin, get_unit(session, "H26.70"), ["1.001193"], clock())
    session.commit()
    assert codes_at(session, "H26.73") == WARD_DEFAULT
    set_offered(session, admin, get_unit(session, "H26.73"), ["1.001193", "1.013225"], clock())
    session.commit()
    assert codes_at(session, "H26.70") == ["1.001193"] and codes_at(session, "H26.73") == ["1.001193", "1.013225"]
    set_offered(session, admin, get_unit(session, "H26.70"), [], clock())
    session.commit()
    assert codes_at(session, "H26.70") == [] and codes_at(session, "H26.73") == ["1.001193", "1.013225"]


def test_the_admin_page_list_is_what_the_portal_offers(session, clock):
    from engine.dossier.online import handling_units

    set_offered(session, user(session, "admin1"), get_unit(session, "H26.73"), ["1.001612"], clock())
    session.commit()
    for row in catalogue_rows(session):
        portal = {u.code for u in handling_units(session, row.procedure)}
        assert portal == {u.code for u in row.units}
        for code in ("H26.70", "H26.73", "H26.4"):
            assert (row.procedure.code in codes_at(session, code)) == (code in portal)


def test_a_ward_admin_keeps_only_their_own_ward_list(session, clock):
    ward_admin = create_user(session, "wardadmin", "Quản trị phường", "demo1234", clock())
    grant_role(session, ward_admin, get_unit(session, "H26.70"), "admin")
    set_offered(session, ward_admin, get_unit(session, "H26.70"), ["1.001193"], clock())
    with pytest.raises(Forbidden):
        set_offered(session, ward_admin, get_unit(session, "H26.73"), ["1.001193"], clock())


def test_time_limits_read_as_vietnamese():
    assert describe_time_limit({"value": 3, "unit": "working_days"}) == "3 ngày làm việc"
    assert describe_time_limit({"value": 240, "unit": "working_hours"}) == "240 giờ làm việc"
    assert describe_time_limit({"value": 0.5, "unit": "working_days"}) == "0,5 ngày làm việc"
