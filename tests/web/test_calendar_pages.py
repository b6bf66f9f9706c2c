"""The admin calendar page, `motcua calendar due|sync|list`, GET /api/v1/calendar/due and the scheduler's warning."""
from __future__ import annotations

import logging

from click.testing import CliRunner
from flask.cli import ScriptInfo

from webapp.cli import main


def test_the_admin_calendar_shows_announced_and_expected_days_with_a_warning(browser, clock):
    admin = browser("admin1")
    page = admin.get("/admin/calendar?year=2026").get_data(as_text=True)
    assert 'data-day="2026-01-02" data-source="announced"' in page
    assert "12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ" in page
    assert 'data-day="2026-11-24" data-source="holiday" data-expected' in page
    assert "data-expected-warning" in page and "24/11/2026" in page and "Dự kiến" in page
    res = admin.post("/admin/calendar/confirm", {"day": "2026-11-24", "year": "2026"})
    assert res.status_code == 303
    page = admin.get("/admin/calendar?year=2026").get_data(as_text=True)
    assert 'data-day="2026-11-24" data-source="admin"' in page and "Xác nhận: Ngày Văn hóa Việt Nam" in page
    assert "24/11/2026" not in page.split("data-expected-warning")[1].split("</div>")[0]


def test_an_admin_corrects_an_expected_day_and_a_bad_day_gets_a_clear_message(browser):
    admin = browser("admin1")
    res = admin.post("/admin/calendar/days", {"day": "2027-02-10", "kind": "working", "year": "2027",
                                              "note": "Sửa ngày dự kiến"})
    assert res.status_code == 303
    page = admin.get("/admin/calendar?year=2027").get_data(as_text=True)
    assert 'data-day="2027-02-10" data-source="admin"' in page
    bad = admin.post("/admin/calendar/days", {"day": "31/02/2027", "kind": "off", "year": "2027"})
    assert bad.status_code == 422 and "Ngày không hợp lệ" in bad.get_data(as_text=True)
    announced = admin.post("/admin/calendar/days/remove", {"day": "2026-01-02", "year": "2026"})
    assert announced.status_code == 422 and "không bỏ được" in announced.get_data(as_text=True)
    typo = admin.post("/admin/calendar/days", {"day": "2027-02-11", "kind": "off", "year": "2027", "unit": "H99.99",
                                               "note": "Nghỉ bù"})
    page = typo.get_data(as_text=True)  # by the field, with what was typed, nothing saved
    assert typo.status_code == 403 and 'id="unit-error"' in page and "H99.99" in page  # refused, on its page
    assert 'value="2027-02-11"' in page and 'value="Nghỉ bù"' in page
    assert 'data-day="2027-02-11"' not in admin.get("/admin/calendar?year=2027").get_data(as_text=True)


def _ward_admin(app) -> None:
    from engine.org.accounts import create_user, get_unit, grant_role

    with app.extensions["motcua"]["sessions"]() as session:
        user = create_user(session, "wardadmin", "Quản trị phường", "demo1234", app.config["NOW"]())
        grant_role(session, user, get_unit(session, "H26.70"), "admin")
        session.commit()


def test_a_ward_admin_sets_the_expected_day_rule_and_the_code_format(app, browser, api):
    _ward_admin(app)
    admin = browser("wardadmin")
    res = admin.post("/admin/calendar/settings", {"unit": "H26.70", "expected_days": "working",
                                                  "code_format": "national", "year": "2026"})
    assert res.status_code == 303
    page = admin.get("/admin/calendar?year=2026&unit=H26.70").get_data(as_text=True)
    assert '<option value="working" selected>' in page and '<option value="national" selected>' in page
    due = api.get("/calendar/due?unit=H26.70&from=2026-11-23T10:00&limit=P1D", "desk1").json
    assert due["due_at"] == "2026-11-24T10:00:00+07:00"
    bad = admin.post("/admin/calendar/settings", {"unit": "H26.70", "code_format": "2030", "year": "2026"})
    assert bad.status_code == 422 and "Mẫu mã hồ sơ không hợp lệ" in bad.get_data(as_text=True)
    assert browser("wardadmin").post("/admin/calendar/confirm", {"day": "2027-02-08"}).status_code == 403


def test_officials_ask_the_clock_through_the_api(api, client):
    res = api.get("/calendar/due?unit=H26.70&from=2025-12-31T10:00&limit=P1D", "desk1")
    assert res.status_code == 200, res.json
    assert res.json["due_at"] == "2026-01-05T10:00:00+07:00" and res.json["from"] == "2025-12-31T10:00:00+07:00"
    assert client.get("/api/v1/calendar/due?unit=H26.70&from=2025-12-31T10:00&limit=P1D").status_code == 401
    missing = api.get("/calendar/due?unit=H26.70&from=2025-12-31T10:00", "desk1")
    assert missing.status_code == 422 and "limit" in missing.json["error"]["fields"]
    assert api.get("/calendar/due?unit=XX&from=2025-12-31T10:00&limit=P1D", "desk1").status_code == 404
    spec = client.get("/api/v1/openapi.json").json
    params = {p["name"] for p in spec["paths"]["/calendar/due"]["get"]["parameters"]}
    assert params == {"unit", "from", "limit"}


def test_the_calendar_commands_due_sync_and_list(app):
    runner, obj = CliRunner(), ScriptInfo(create_app=lambda: app)
    result = runner.invoke(main, ["calendar", "due", "--unit", "H26.70", "--from", "2025-12-31T10:00",
                                  "--limit", "P1D"], obj=obj)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "2026-01-05T10:00:00+07:00"
    synced = runner.invoke(main, ["calendar", "sync"], obj=obj)
    assert synced.exit_code == 0 and "thêm 0, sửa 0, bỏ 0" in synced.output
    listing = runner.invoke(main, ["calendar", "list", "--year", "2026"], obj=obj)
    assert "2026-01-10 Sat  làm việc" in listing.stdout and "12729/VPCP-KGVX" in listing.stdout
    assert "2026-11-24" in listing.stdout and "[dự kiến]" in listing.stdout
    bad = runner.invoke(main, ["calendar", "due", "--unit", "H26.70", "--from", "mai", "--limit", "P1D"], obj=obj)
    assert bad.exit_code != 0 and "Thời điểm không hợp lệ" in bad.output


def test_the_scheduler_warns_once_a_day_about_expected_days(app, clock, caplog):
    from webapp.scheduler import run_job, warn_expected_days

    clock.set(2026, 11, 1, 9)
    with caplog.at_level(logging.WARNING, logger="webapp.scheduler"):
        assert run_job(app, warn_expected_days) == 1
        assert run_job(app, warn_expected_days) == 0
    assert len([r for r in caplog.records if "ngày dự kiến" in r.getMessage()]) == 1
    assert "24/11/2026" in caplog.records[-1].getMessage()


def test_a_new_day_off_names_the_open_dossiers_it_would_move_and_leaves_their_appointments(app, browser, session,
                                                                                          clock):
    from engine.dossier.lifecycle import get_dossier
    from tests.procedures.drive import new_dossier, step

    dossier = new_dossier(session, clock, "permit")
    step(session, clock, dossier, "Task_Intake", "receive")
    issued = get_dossier(session, dossier.code).due_at
    res = browser("admin1").post("/admin/calendar/days", {"day": "2026-03-10", "kind": "off", "year": "2026"},
                                 follow_redirects=True)
    page = res.get_data(as_text=True)
    assert "1 hồ sơ đang giải quyết" in page and dossier.code in page and "mẫu 04" in page
    session.expire_all()
    assert get_dossier(session, dossier.code).due_at == issued
