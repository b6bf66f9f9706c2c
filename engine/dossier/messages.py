"""Messages delivered to a waiting dossier: a BPMN message catch (intermediate event, boundary event,
receive task, event subprocess start) moves on when `POST /api/v1/dossiers/{code}/messages/{name}` arrives.

The caller is an official who holds a role (other than supervisor) in the dossier's unit or in the unit
of one of its ready steps; integrations (the national portal, payment callbacks) call with such an account.
The payload, a JSON object, becomes process data (the fields later conditions and forms read). Each
delivery is recorded as the event `message.received` (who, which message, which fields). A message the
dossier does not wait for is a Conflict: nothing is written.
"""
from __future__ import annotations

from datetime import datetime

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.exceptions import WorkflowException
from sqlalchemy import select
from sqlalchemy.orm import Session

from bpmn.messages import DeliveredMessage
from engine.catalogue.procedures import process_of
from engine.dossier import workflow_end
from engine.dossier.workflow import load_workflow, lock_dossier, run_engine_steps, save_workflow, sync_tasks
from engine.ground import events
from engine.ground.errors import Conflict, Forbidden, Invalid
from engine.ground.vocabulary import ENDED
from engine.models import Dossier, HumanTask, User
from engine.org.accounts import grants_of

NOT_SENDERS = ("supervisor",)


def deliver_message(session: Session, dossier: Dossier, name: str, payload: object, user: User,
                    now: datetime) -> Dossier:
    """Deliver message `name` with `payload` to the dossier's process; the dossier moves on at once."""
    if not isinstance(payload, dict):
        raise Invalid("Nội dung thông điệp phải là một đối tượng JSON", {"payload": "Cần JSON dạng {…}."})
    dossier = lock_dossier(session, dossier.id)
    _check_sender(session, dossier, user)
    if dossier.status in ENDED:
        raise Conflict(f"Hồ sơ {dossier.code} đã kết thúc, không nhận thông điệp '{name}'")
    state, workflow = load_workflow(session, dossier, now)
    try:
        workflow.send_event(BpmnEvent(DeliveredMessage(name), payload=dict(payload)))
    except WorkflowException as err:
        raise Conflict(f"Hồ sơ {dossier.code} không chờ thông điệp '{name}'") from err
    run_engine_steps(workflow)
    sync_tasks(session, dossier, process_of(dossier.version), workflow, now)
    save_workflow(session, dossier, state, workflow, now)
    events.record(session, "message.received", now, dossier=dossier, user=user, name=name,
                  fields=sorted(payload))
    workflow_end.workflow_completed(session, dossier, workflow, now, user)
    return dossier


def _check_sender(session: Session, dossier: Dossier, user: User) -> None:
    units = {dossier.unit_id} | set(session.scalars(select(HumanTask.unit_id).where(
        HumanTask.dossier_id == dossier.id, HumanTask.state == "ready")))
    if not any(role not in NOT_SENDERS and unit_id in units for role, unit_id in grants_of(user)):
        raise Forbidden(f"Bạn không có vai trò ở đơn vị xử lý hồ sơ {dossier.code}; không gửi được thông điệp")
