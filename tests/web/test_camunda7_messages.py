"""A Camunda 7 diagram that waits for a message moves on when the message arrives through
`POST /api/v1/dossiers/{code}/messages/{name}`: in the OpenAPI document, recorded, role and unit checked."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from engine.catalogue.procedures import publish_folder
from engine.dossier import lifecycle
from engine.models import Dossier, Event
from tests.procedures.drive import APPLICANT, ready_tasks, user

FOLDER = Path(__file__).resolve().parents[1] / "data" / "camunda7" / "message_wait"
PATH = "/dossiers/{code}/messages/ket_qua_xac_minh"


def waiting_dossier(app, clock) -> str:
    with app.extensions["motcua"]["sessions"]() as session:
        version, _created = publish_folder(session, FOLDER, clock(), "test")
        dossier = lifecycle.create_dossier(session, user(session, "desk1"), version.procedure.code, "in_person",
                                           APPLICANT, {}, clock())
        session.commit()
        [intake] = ready_tasks(session, dossier)
        lifecycle.complete_task(session, intake.id, user(session, "desk1"), {"intake_decision": "receive"}, clock())
        session.commit()
        assert ready_tasks(session, dossier) == []
        return dossier.code


def test_the_message_moves_the_waiting_dossier_on_and_is_recorded(app, clock, api):
    code = waiting_dossier(app, clock)
    res = api.post(PATH.format(code=code), "specialist1", {"payload": {"verified": True, "note": "Đúng"}})
    assert res.status_code == 200, res.json
    assert res.json["tasks"] == ["Task_Approve"]
    with app.extensions["motcua"]["sessions"]() as session:
        dossier = session.scalar(select(Dossier).where(Dossier.code == code))
        event = session.scalar(select(Event).where(Event.dossier_id == dossier.id, Event.kind == "message.received"))
        assert (event.user_id, event.payload) == (user(session, "specialist1").id,
                                                  {"name": "ket_qua_xac_minh", "fields": ["note", "verified"]})
        [approve] = ready_tasks(session, dossier)
        assert approve.element_id == "Task_Approve"
    again = api.post(PATH.format(code=code), "specialist1", {"payload": {}})
    assert again.status_code == 409 and "không chờ thông điệp 'ket_qua_xac_minh'" in again.json["error"]["message"]


def test_only_officials_of_the_dossiers_unit_may_send_it_and_a_payload_is_an_object(app, clock, api):
    code = waiting_dossier(app, clock)
    assert api.post(PATH.format(code=code), "desk2", {"payload": {}}).status_code == 403
    assert api.post(PATH.format(code=code), "supervisor1", {"payload": {}}).status_code == 403
    assert api.post(PATH.format(code=code), None, {"payload": {}}).status_code == 401
    assert api.post(PATH.format(code=code), "leader1", {"payload": [1, 2]}).status_code == 422
    assert api.post("/dossiers/H26.70-000000-9999/messages/x", "leader1", {}).status_code == 404
    with app.extensions["motcua"]["sessions"]() as session:
        dossier = session.scalar(select(Dossier).where(Dossier.code == code))
        assert ready_tasks(session, dossier) == []  # nothing moved


def test_the_messages_endpoint_is_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    post = doc["paths"]["/dossiers/{code}/messages/{name}"]["post"]
    assert {"401", "403", "404", "409", "422"} <= set(post["responses"])
