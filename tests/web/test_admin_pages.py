"""The admin pages in the Flask test client: who may open them, and what admins do there."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from engine.models import Event, ProcedureUnit, RoleGrant, Unit, User
from engine.org.accounts import create_user, grant_role

NON_ADMINS = ("desk1", "specialist1", "leader1", "analyst1", "supervisor1", "consult1")


def db(app):
    return app.extensions["motcua"]["sessions"]()


def ids(app) -> dict[str, int]:
    with db(app) as session:
        units = {u.code: u.id for u in session.scalars(select(Unit))}
        users = {u.username: u.id for u in session.scalars(select(User))}
        grant = session.scalar(select(RoleGrant.id).where(RoleGrant.user_id == users["desk1"]))
    return {"ward": units["H26.70"], "ward2": units["H26.73"], "desk1": users["desk1"], "desk2": users["desk2"],
            "grant": grant}


def admin_urls(app) -> list[tuple[str, str]]:
    i = ids(app)
    gets = ["/admin/", "/admin/units", f"/admin/units/new?parent={i['ward']}", f"/admin/units/{i['ward']}",
            f"/admin/units/{i['ward']}/procedures", "/admin/users", "/admin/users/new", f"/admin/users/{i['desk1']}",
            "/admin/procedures", "/admin/procedures/1.001193", "/admin/procedures/1.001193/export",
            "/admin/procedures/import", "/admin/audit", "/admin/audit.xlsx"]
    posts = [f"/admin/units/new?parent={i['ward']}", f"/admin/units/{i['ward']}", f"/admin/units/{i['ward']}/move",
             f"/admin/units/{i['ward']}/procedures", "/admin/users/new", f"/admin/users/{i['desk1']}",
             f"/admin/users/{i['desk1']}/deactivate", f"/admin/users/{i['desk1']}/activate",
             f"/admin/users/{i['desk1']}/password", f"/admin/users/{i['desk1']}/grants",
             f"/admin/users/{i['desk1']}/grants/{i['grant']}/revoke", "/admin/procedures/import"]
    return [("GET", url) for url in gets] + [("POST", url) for url in posts]


@pytest.mark.parametrize("username", NON_ADMINS)
def test_every_admin_url_is_forbidden_to_a_non_admin(app, browser, username):
    official = browser(username)
    for method, url in admin_urls(app):
        res = official.get(url) if method == "GET" else official.post(url, {"name": "X", "role": "admin", "unit": "H26"})
        assert res.status_code == 403, (method, url, res.status_code)
    assert "Quản trị" not in official.get("/worklist").get_data(as_text=True)
    with db(app) as session:
        assert session.scalar(select(User).where(User.username == "desk1")).active


def test_the_admin_pages_ask_for_a_login(app, client):
    for method, url in admin_urls(app):
        if method == "GET":
            res = client.get(url)
            assert res.status_code == 302 and "/login" in res.headers["Location"], url


def test_every_admin_page_opens_for_the_city_admin(app, browser):
    admin = browser("admin1")
    assert "Quản trị" in admin.get("/worklist").get_data(as_text=True)
    for method, url in admin_urls(app):
        if method == "GET":
            res = admin.get(url)
            assert res.status_code in (200, 302), (url, res.status_code)
    tree = admin.get("/admin/units").get_data(as_text=True)
    assert "Phường Hoàn Kiếm" in tree and 'data-unit="H26.70.MC"' in tree


def test_the_catalogue_names_the_authority_level_in_words(app, browser):
    page = browser("admin1").get("/admin/procedures").get_data(as_text=True)
    assert "<td>Cấp xã</td>" in page and "<td>commune</td>" not in page
    entry = browser("admin1").get("/admin/procedures/1.001193").get_data(as_text=True)
    assert "Cấp xã" in entry and ">commune<" not in entry


@pytest.fixture
def ward_admin(app, browser):
    """An admin of Phường Hoàn Kiếm (H26.70) only, logged in."""
    with db(app) as session:
        admin = create_user(session, "wardadmin", "Quản trị phường Hoàn Kiếm", "demo1234", app.config["NOW"]())
        grant_role(session, admin, session.scalar(select(Unit).where(Unit.code == "H26.70")), "admin")
        session.commit()
    return browser("wardadmin")


def test_a_unit_admin_cannot_touch_another_unit(app, ward_admin):
    i = ids(app)
    other = i["ward2"]
    for url in (f"/admin/units/{other}", f"/admin/units/{other}/procedures", f"/admin/units/new?parent={other}",
                f"/admin/users/{i['desk2']}", "/admin/procedures/import"):
        assert ward_admin.get(url).status_code == 403, url
    for url, data in ((f"/admin/units/{other}", {"code": "H26.73", "name": "Đổi tên", "level": "commune"}),
                      (f"/admin/units/{other}/procedures", {"procedures": "1.001193"}),
                      (f"/admin/units/{i['ward']}/move", {"parent": "H26.73"}),
                      (f"/admin/users/{i['desk2']}/deactivate", {}),
                      (f"/admin/users/{i['desk1']}/grants", {"unit": "H26.73", "role": "lanh_dao"}),
                      ("/admin/users/new", {"username": "x9", "full_name": "X", "unit": "H26.73", "role": "mot_cua"})):
        assert ward_admin.post(url, data).status_code == 403, url
    assert ward_admin.get(f"/admin/units/{i['ward']}").status_code == 200
    users = ward_admin.get("/admin/users").get_data(as_text=True)
    assert 'data-user="desk1"' in users and 'data-user="desk2"' not in users
    tree = ward_admin.get("/admin/units").get_data(as_text=True)
    assert f'/admin/units/{i["ward"]}"' in tree and f'/admin/units/{other}"' not in tree
    with db(app) as session:
        assert session.get(Unit, other).name == "UBND Phường Cửa Nam"
        assert session.scalar(select(User).where(User.username == "desk2")).active


def test_an_admin_creates_edits_and_moves_a_unit(app, browser):
    admin, i = browser("admin1"), ids(app)
    bad = admin.post(f"/admin/units/new?parent={i['ward']}", {"code": "H26.70", "name": "", "level": "desk",
                                                              "office_hours": "7h-11h", "same_day_cutoff": "15:00"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "đã dùng cho" in page and "Cần tên đơn vị" in page
    cutoff = admin.post(f"/admin/units/new?parent={i['ward']}", {"code": "H26.70.X", "name": "X", "level": "desk",
                                                                 "office_hours": "07:30-11:30", "same_day_cutoff": "25:00"})
    page = cutoff.get_data(as_text=True)  # the bad cut-off is said by its own field, the hours stay unmarked
    assert cutoff.status_code == 422 and 'id="same_day_cutoff-error"' in page and 'id="office_hours-error"' not in page
    res = admin.post(f"/admin/units/new?parent={i['ward']}", {
        "code": "H26.70.HB", "name": "Điểm tiếp nhận Hàng Bạc", "level": "desk", "admin_code": "",
        "office_hours": "08:00-12:00,13:00-17:00", "same_day_cutoff": "16:00"})
    assert res.status_code == 302
    edit = res.headers["Location"]
    assert "Điểm tiếp nhận Hàng Bạc" in admin.get(edit).get_data(as_text=True)
    assert admin.post(edit + "/move", {"parent": "H26.73"}).status_code == 302
    assert admin.post(edit + "/move", {"parent": "KHONG.CO"}).status_code == 302
    with db(app) as session:
        unit = session.scalar(select(Unit).where(Unit.code == "H26.70.HB"))
        assert unit.parent.code == "H26.73" and unit.same_day_cutoff == "16:00"


def test_an_admin_creates_a_user_who_logs_in_with_the_temporary_password(app, browser):
    admin = browser("admin1")
    res = admin.post("/admin/users/new", {"username": "desk5", "full_name": "Đinh Thị Thu", "email": "",
                                          "password": "", "unit": "H26.4", "role": "mot_cua"})
    assert res.status_code == 302
    shown = admin.get(res.headers["Location"]).get_data(as_text=True)
    password = re.search(r"Mật khẩu tạm thời: (\S+) \(", shown).group(1)
    assert 'data-grant="mot_cua@H26.4"' in shown
    assert browser().login("desk5", password).status_code == 302


def test_a_deactivated_user_cannot_log_in_and_a_reset_password_works(app, browser):
    admin, i = browser("admin1"), ids(app)
    assert admin.post(f"/admin/users/{i['desk1']}/deactivate").status_code == 302
    assert browser().login("desk1").status_code == 401
    admin.post(f"/admin/users/{i['desk1']}/activate")
    admin.post(f"/admin/users/{i['desk1']}/password", {"password": "matkhaumoi1"})
    assert browser().login("desk1", "matkhaumoi1").status_code == 302
    admin.post(f"/admin/users/{i['desk1']}/grants", {"unit": "H26.70.VP", "role": "chuyen_vien"})
    page = admin.get(f"/admin/users/{i['desk1']}").get_data(as_text=True)
    assert 'data-grant="chuyen_vien@H26.70.VP"' in page
    with db(app) as session:
        kinds = [e.kind for e in session.scalars(select(Event).where(Event.kind.like("user.%")
                                                                      | Event.kind.like("role.%")).order_by(Event.id))]
    assert kinds == ["user.deactivated", "user.reactivated", "user.password_reset", "role.granted"]


def test_a_unit_publishes_its_procedures(app, browser):
    admin, i = browser("admin1"), ids(app)
    res = admin.post(f"/admin/units/{i['ward']}/procedures", {"procedures": ["1.001193", "1.001612"]})
    assert res.status_code == 302
    with db(app) as session:
        assert session.scalar(select(ProcedureUnit.id).where(ProcedureUnit.unit_id == i["ward"])) is not None
    listing = admin.get("/admin/procedures").get_data(as_text=True)
    row = listing.split('data-procedure="1.001612"')[1].split("</tr>")[0]
    assert "H26.70" in row and "3 ngày làm việc" in row


def test_a_procedure_exported_as_zip_imports_back_as_a_new_version_once_changed(app, browser):
    admin = browser("admin1")
    res = admin.get("/admin/procedures/1.001193/export")
    assert res.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(res.data)) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    yaml_name = "1.001193-dang-ky-khai-sinh/procedure.yaml"
    files[yaml_name] = files[yaml_name].replace("Hộ tịch".encode(), "Hộ tịch, chứng thực".encode())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    upload = {"file": (io.BytesIO(buffer.getvalue()), "khai-sinh.zip"), "note": "Sửa lĩnh vực"}
    res = admin.post("/admin/procedures/import", upload, content_type="multipart/form-data")
    assert res.status_code == 302
    page = admin.get(res.headers["Location"]).get_data(as_text=True)
    assert "phiên bản 2" in page and "Hộ tịch, chứng thực" in page
    bad = admin.post("/admin/procedures/import", {"file": (io.BytesIO(b"rubbish"), "x.zip")},
                     content_type="multipart/form-data")
    assert bad.status_code == 422 and "không phải tệp .zip" in bad.get_data(as_text=True)


def test_logins_on_the_web_and_the_api_are_in_the_audit_which_filters_and_exports(app, browser, api):
    browser().login("desk1", "sai")
    api.token("desk2")
    admin = browser("admin1")
    page = admin.get("/admin/audit?user=desk1").get_data(as_text=True)
    assert "Đăng nhập không thành công" in page and 'data-event="auth.login_failed"' in page
    partial = admin.get("/admin/audit?user=desk2", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial and 'data-event="auth.login"' in partial
    assert admin.get("/admin/audit?date_from=hôm-qua").status_code == 422
    res = admin.get("/admin/audit.xlsx?kind=auth.")
    assert res.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(res.data)).active
    lines = [[cell.value for cell in line] for line in sheet.iter_rows(min_row=2)]
    assert [(line[2], line[3]) for line in lines] == [("auth.login", "admin1"), ("auth.login", "desk2"),
                                                      ("auth.login_failed", "desk1")]
    assert '"via": "api"' in lines[1][9] and lines[2][1] == "Đăng nhập không thành công"


def test_the_new_user_form_names_every_bad_field_at_once_and_writes_nothing(app, browser):
    admin = browser("admin1")
    res = admin.post("/admin/users/new", {"username": "desk1", "full_name": "  ", "email": "",
                                          "password": "ngan", "unit": "H26.70.MC", "role": "mot_cua"})
    page = res.get_data(as_text=True)
    assert res.status_code == 422
    for name in ("username", "full_name", "password"):
        assert f'id="{name}-error"' in page, name
    assert "đã tồn tại" in page and "ít nhất 8 ký tự" in page
    with db(app) as session:
        assert session.scalar(select(User.full_name).where(User.username == "desk1")) != "  "


def test_the_unit_tree_counts_the_procedures_each_unit_offers_as_its_catalogue_page_ticks_them(app, browser):
    from engine.catalogue.admin import offered_procedures

    admin, i = browser("admin1"), ids(app)
    with db(app) as session:
        expected = len(offered_procedures(session, session.get(Unit, i["ward"])))
    assert expected > 0
    tree = admin.get("/admin/units").get_data(as_text=True)
    assert f'href="/admin/units/{i["ward"]}/procedures">{expected}</a>' in tree
    page = admin.get(f"/admin/units/{i['ward']}/procedures").get_data(as_text=True)
    assert page.count("checked") == expected


def test_the_user_form_says_every_mistake_at_once_and_names_are_found_without_diacritics(app, browser):
    admin = browser("admin1")
    empty = admin.post("/admin/users/new", {"username": "", "full_name": "", "email": "khong-phai-email",
                                            "password": "", "unit": "", "role": "mot-cua"})
    page = empty.get_data(as_text=True)
    assert empty.status_code == 422
    for name in ("username", "full_name", "email", "unit", "role"):
        assert f'id="{name}-error"' in page, name
    assert "dấu gạch dưới" in page and "Không có đơn vị mã" not in page
    twin = admin.post("/admin/users/new", {"username": "ADMIN1", "full_name": "Trùng tên", "email": "",
                                           "password": "", "unit": "H26.70", "role": "mot_cua"})
    assert twin.status_code == 422 and "không phân biệt chữ hoa" in twin.get_data(as_text=True)
    assert browser().login("Desk1").status_code == 302  # typed with a capital, the one account of that name
    found = admin.get("/admin/users?q=nguyen").get_data(as_text=True)
    assert 'data-user="desk1"' in found  # Nguyễn Thị Lan


def test_a_unit_name_too_long_is_refused_not_cut(app, browser):
    admin, i = browser("admin1"), ids(app)
    res = admin.post(f"/admin/units/new?parent={i['ward']}", {"code": "H26.70.DAI", "name": "Phòng " * 100,
                                                              "level": "desk", "office_hours": "07:30-11:30",
                                                              "same_day_cutoff": ""})
    assert res.status_code == 422 and "tối đa 255 ký tự" in res.get_data(as_text=True)
    with db(app) as session:
        assert session.scalar(select(Unit).where(Unit.code == "H26.70.DAI")) is None


def test_the_audit_finds_an_official_by_full_name_without_diacritics_and_offers_kinds_in_words(app, browser):
    browser("desk1")  # a login of Nguyễn Thị Lan
    admin = browser("admin1")
    by_name = admin.get("/admin/audit?user=Nguyễn Thị Lan").get_data(as_text=True)
    plain = admin.get("/admin/audit?user=nguyen thi lan").get_data(as_text=True)
    count = re.search(r"(\d+) sự kiện", by_name).group(1)
    assert int(count) > 0 and re.search(r"(\d+) sự kiện", plain).group(1) == count
    assert '<option value="auth.">Đăng nhập, mật khẩu</option>' in by_name


def test_granting_a_role_already_held_says_nothing_changed(app, browser):
    admin, i = browser("admin1"), ids(app)
    admin.post(f"/admin/users/{i['desk1']}/grants", {"unit": "H26.70", "role": "mot_cua"})
    page = admin.get(f"/admin/users/{i['desk1']}").get_data(as_text=True)
    assert "đã có vai trò này" in page and "Đã cấp vai trò" not in page
