"""Sự cố quy trình on the web: the API answers 409 step_failed in Vietnamese, the incident is kept although the
step rolled back, and the ward's admins see it at /admin/incidents and retry it."""
from __future__ import annotations

from sqlalchemy import select

from engine.models import HumanTask, Incident
from tests.db.test_incidents import RECEIVE, break_current_version
from tests.procedures.drive import new_dossier


def db(app):
    return app.extensions["motcua"]["sessions"]()


def test_a_failing_step_answers_step_failed_and_the_admin_sees_and_retries_it(app, clock, api, browser):
    with db(app) as session:
        break_current_version(session, RECEIVE, "intake_decision == 'received'")
        dossier = new_dossier(session, clock)
        code, dossier_id = dossier.code, dossier.id
        task_id = session.scalar(select(HumanTask.id).where(HumanTask.dossier_id == dossier.id))
    res = api.post(f"/tasks/{task_id}/complete", "desk1", {"data": {"intake_decision": "receive"}})
    assert res.status_code == 409 and res.json["error"]["code"] == "step_failed"
    assert "không có luồng đi ra nào khớp" in res.json["error"]["message"]
    with db(app) as session:
        incident = session.scalars(select(Incident)).one()
        assert (incident.dossier_id, incident.task_id, incident.kind) == (dossier_id, task_id, "no_flow")
        assert session.get(HumanTask, task_id).state == "ready"
    admin = browser("admin1")
    page = admin.get("/admin/incidents").get_data(as_text=True)
    assert f'data-incident="{incident.id}" data-kind="no_flow"' in page and code in page
    assert "không có luồng đi ra nào khớp" in page and "Cổng rẽ nhánh không có luồng phù hợp" in page
    res = admin.post(f"/admin/incidents/{incident.id}/retry")
    assert res.status_code == 303
    assert "Vẫn chưa chạy được" in admin.get("/admin/incidents").get_data(as_text=True)
    with db(app) as session:
        assert session.get(Incident, incident.id).failures == 2
    assert browser("desk1").get("/admin/incidents").status_code == 403
