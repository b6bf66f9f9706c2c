"""An official sees and completes the steps of a Camunda 7 diagram in the browser pages: the form generated
from camunda:formData, and a manual task confirmed with no form (issue 19)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from engine.catalogue.procedures import publish_folder
from engine.dossier import lifecycle as dossiers
from engine.models import Dossier
from tests.procedures.drive import APPLICANT, ready_tasks, user

C7 = Path(__file__).resolve().parents[1] / "data" / "camunda7"


def dossier_at(app, clock, folder: str, intake: dict) -> tuple[str, int]:
    with app.extensions["motcua"]["sessions"]() as session:
        version, _created = publish_folder(session, C7 / folder, clock(), "test")
        dossier = dossiers.create_dossier(session, user(session, "desk1"), version.procedure.code, "in_person",
                                          APPLICANT, {}, clock())
        session.commit()
        [intake_task] = ready_tasks(session, dossier)
        dossiers.complete_task(session, intake_task.id, user(session, "desk1"), intake, clock())
        session.commit()
        return dossier.code, ready_tasks(session, dossier)[0].id


def test_a_form_data_step_is_shown_as_a_form_and_its_constraints_hold(app, clock, browser):
    code, task_id = dossier_at(app, clock, "form_key_data", {"intake_decision": "receive"})
    official = browser("specialist1")
    page = official.get(f"/tasks/{task_id}").get_data(as_text=True)
    for label in ("Đồng ý giải quyết", "Lệ phí (đồng)", "Ý kiến", "Cách trả kết quả", "Qua bưu chính"):
        assert label in page
    refused = official.post(f"/tasks/{task_id}", {"approved": "on", "fee": "-1", "channel_back": "desk"})
    assert refused.status_code == 422
    done = official.post(f"/tasks/{task_id}", {"approved": "on", "fee": "20000", "channel_back": "desk"})
    assert done.status_code == 302
    with app.extensions["motcua"]["sessions"]() as session:
        dossier = session.scalar(select(Dossier).where(Dossier.code == code))
        assert (dossier.status, dossier.result) == ("returned", "approved")


def test_a_manual_task_is_confirmed_with_one_button(app, clock, browser):
    code, task_id = dossier_at(app, clock, "manual_steps", {"intake_decision": "receive"})
    official = browser("specialist1")
    page = official.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "Ký nháy hồ sơ giấy" in page
    assert official.post(f"/tasks/{task_id}", {}).status_code == 302
    with app.extensions["motcua"]["sessions"]() as session:
        dossier = session.scalar(select(Dossier).where(Dossier.code == code))
        assert [t.element_id for t in ready_tasks(session, dossier)] == ["Task_Approve"]
