"""No raw codes on the officials' pages: event kinds, roles, unit levels, return methods and classes are
labelled from one table (webapp/labels.py); officials are not offered the citizens' online submission."""
from __future__ import annotations

import re

from tests.web.test_desk_pages import receive
from tests.web.test_leader_pages import to_approval

RAW = re.compile(r"\b(dossier|task|document|payment|postal)\.[a-z_]+\b")


def visible_text(html: str) -> str:
    """The page without tags and attribute values: what a reader sees."""
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_a_returned_dossiers_history_shows_labels_not_codes(browser):
    code, task = to_approval(browser)
    leader = browser("leader1")
    assert leader.post(f"/tasks/{task}", {"approval_decision": "approve"}).status_code == 302
    desk = browser("desk1")
    ret = re.search(r"/tasks/(\d+)", desk.get("/worklist").get_data(as_text=True)).group(1)
    res = desk.post(f"/tasks/{ret}", {"return_method": "desk", "receiver_name": "Phạm Minh Đức"})
    assert res.status_code == 302
    page = visible_text(desk.get(f"/dossiers/{code}").get_data(as_text=True))
    assert "Trả tại Bộ phận Một cửa" in page and "Xếp loại kết quả giải quyết" in page
    assert not RAW.search(page), RAW.search(page)
    for raw in ("on_time", "early", " desk ", "in_person"):
        assert raw not in page, raw


def test_the_audit_log_units_and_users_pages_show_no_codes(browser):
    receive(browser("desk1"))
    admin = browser("admin1")
    audit = visible_text(admin.get("/admin/audit").get_data(as_text=True))
    assert "Tiếp nhận hồ sơ" in audit and not RAW.search(audit), RAW.search(audit)
    html = admin.get("/admin/units").get_data(as_text=True)
    units = visible_text(html)
    assert "Cấp tỉnh" in units and not re.search(r"<td>(province|commune|ward|division|desk)<", html)
    users = visible_text(admin.get("/admin/users").get_data(as_text=True))
    assert "Bộ phận Một cửa" in users and not re.search(r"\b(mot_cua|chuyen_vien|lanh_dao)\b", users)


def test_an_unknown_code_gets_a_readable_fallback(app):
    from webapp.labels import label

    with app.test_request_context("/"):
        assert label("event", "dossier.something_new") == "Sự kiện khác" and label("role", None) == ""


def test_officials_are_not_offered_the_citizens_online_submission(browser, client):
    assert "Nộp hồ sơ trực tuyến" in client.get("/thu-tuc/1.001193").get_data(as_text=True)
    desk = browser("desk1").get("/thu-tuc/1.001193").get_data(as_text=True)
    assert "Nộp hồ sơ trực tuyến</a>" not in desk and "Tiếp nhận hồ sơ tại quầy" in desk
    assert "Nộp hồ sơ trực tuyến</a>" not in browser("specialist1").get("/thu-tuc/1.001193").get_data(as_text=True)
