"""A dossier whose process reached its end: the dossier ends with it.

Camunda 7 diagrams end when their process does; nothing else is left to move a dossier whose workflow
completed. `workflow_completed` is called wherever the engine runs a workflow on (start, a completed step,
a fired timer) and ends the dossier when the workflow has completed and the dossier has not ended yet:

- A dossier already ended by a step (refused at intake, returned, stopped, closed) is left as it is.
- A dossier never received whose intake decision was not `receive` (a supplement asked at intake, and
  the diagram ends there) ends refused at intake (`dossier.refused`).
- The result is the standard decision when present: `approval_decision` (approve/refuse), else an
  `intake_decision` or `appraisal_decision` that refused; a `result` property on the end event
  reached (`camunda:property name="result" value="approved|refused"`) decides first.
- Without any of these the documented default is the result `approved`: the process ran to its end
  without refusing.
- The dossier becomes `returned` (the process has no step left to give the result back), with the
  events `dossier.done` (unless a step already made it done) and `dossier.returned`, each pushed to the
  applicant and the national portal like any other change.
"""
from __future__ import annotations

from datetime import datetime

from SpiffWorkflow.bpmn.specs.defaults import EndEvent
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from engine.ground import events
from engine.ground.vocabulary import ENDED, DossierStatus
from engine.messaging import notices
from engine.models import Dossier, User

RESULTS = ("approved", "refused")
DEFAULT_RESULT = "approved"


def workflow_completed(session: Session, dossier: Dossier, workflow, now: datetime,
                       user: User | None = None) -> bool:
    """End the dossier if its workflow has completed; True if it ended the dossier here."""
    if workflow is None or not workflow.is_completed() or dossier.status in ENDED:
        return False
    end_event, data = _last_end(workflow)
    if dossier.received_at is None and data.get("intake_decision") not in (None, "receive"):
        return _refused_at_intake(session, dossier, data, now, user)
    result = _result(end_event, data)
    payloads = []
    if dossier.status != DossierStatus.DONE:
        dossier.result = dossier.result or result
        payloads.append(("dossier.done", {"result": dossier.result, "end_event": end_event and end_event.bpmn_id}))
    dossier.status, dossier.returned_at = DossierStatus.RETURNED, now
    dossier.completed_at = dossier.completed_at or now
    payloads.append(("dossier.returned", {"method": data.get("return_method"), "receiver": data.get("receiver_name"),
                                          "by": "process_end"}))
    for kind, payload in payloads:
        events.record(session, kind, now, dossier=dossier, user=user, **payload)
        notices.dossier_changed(session, dossier, kind, payload, now)
    return True


def _refused_at_intake(session: Session, dossier: Dossier, data: dict, now: datetime, user: User | None) -> bool:
    dossier.status, dossier.completed_at, dossier.result = DossierStatus.REFUSED, now, "refused"
    payload = {"stage": "intake", "reason": data.get("refuse_reason") or data.get("supplement_items"),
               "by": "process_end"}
    events.record(session, "dossier.refused", now, dossier=dossier, user=user, **payload)
    notices.dossier_changed(session, dossier, "dossier.refused", payload, now)
    return True


def _last_end(workflow) -> tuple[object | None, dict]:
    """The spec of the top-level end event that completed last, and the data it ended with."""
    ends = [t for t in workflow.get_tasks(state=TaskState.COMPLETED)
            if isinstance(t.task_spec, EndEvent) and t.workflow is workflow]
    if not ends:
        return None, dict(workflow.data)
    last = max(ends, key=lambda t: t.last_state_change)
    return last.task_spec, {**workflow.data, **last.data}


def _result(end_event, data: dict) -> str:
    declared = (getattr(end_event, "extensions", None) or {}).get("result")
    if declared in RESULTS:
        return declared
    decision = data.get("approval_decision")
    if decision in ("approve", "refuse"):
        return "approved" if decision == "approve" else "refused"
    if data.get("intake_decision") == "refuse" or data.get("appraisal_decision") == "propose_refuse":
        return "refused"
    return DEFAULT_RESULT
