"""Dossier states and how the standard decision fields of a completed step move them."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from engine.clock import statutory
from engine.dossier import fees
from engine.ground.errors import Invalid
from engine.models import Dossier

RESULT_LABELS = {"approved": "Phê duyệt", "refused": "Từ chối giải quyết"}


@dataclass
class Transition:
    """What a completed step did to its dossier: the events to record."""

    events: list[tuple[str, dict]] = field(default_factory=list)

    def add(self, kind: str, **payload: object) -> None:
        """Record an event of this transition."""
        self.events.append((kind, payload))


def check_decision(dossier: Dossier, kind: str | None, data: dict) -> None:
    """Refuse decisions the law does not allow, before anything is written."""
    if kind == "appraisal" and data.get("appraisal_decision") == "supplement" and dossier.supplements_in_handling:
        raise Invalid("Hồ sơ chỉ được yêu cầu bổ sung một lần trong quá trình giải quyết",
                      {"appraisal_decision": "Đã yêu cầu bổ sung một lần; không được yêu cầu lần thứ hai."})
    if kind == "approval" and data.get("approval_decision") == "send_back" and not str(
            data.get("approval_note") or "").strip():
        raise Invalid("Trả lại để thẩm định lại cần ghi rõ ý kiến chỉ đạo",
                      {"approval_note": "Ghi ý kiến chỉ đạo: cần thẩm định lại điều gì."})


def apply_step(dossier: Dossier, kind: str | None, data: dict, catalogue: dict, now: datetime) -> Transition:
    """Move the dossier's state after a step of `kind` completed with `data`."""
    handler = _HANDLERS.get(kind or "", _other)
    transition = Transition()
    handler(dossier, data, catalogue, now, transition)
    return transition


def _intake(dossier: Dossier, data: dict, catalogue: dict, now: datetime, t: Transition) -> None:
    # an intake step whose form has no decision field (a Camunda 7 diagram's first desk step, bpmn.kinds)
    # receives the dossier by being completed
    decision = data.get("intake_decision", "receive")
    if decision == "receive":
        dossier.status, dossier.received_at = "received", now
        dossier.due_at = statutory.statutory_due(dossier.unit, catalogue, statutory.receipt_time(dossier, now))
        t.add("dossier.received", due_at=dossier.due_at.isoformat())
    elif decision == "supplement":
        dossier.status = "supplement_at_intake"
        t.add("dossier.supplement_requested", stage="intake", items=data.get("supplement_items"))
    elif decision == "refuse":
        dossier.status, dossier.completed_at, dossier.result = "refused", now, "refused"
        t.add("dossier.refused", stage="intake", reason=data.get("refuse_reason"))


def _supplement(dossier: Dossier, data: dict, catalogue: dict, now: datetime, t: Transition) -> None:
    if dossier.received_at is None:
        dossier.status, dossier.resubmitted_at = "submitted", now
    else:
        statutory.resume(dossier, catalogue, now)
        dossier.status = "in_progress"
    t.add("dossier.supplement_received", due_at=dossier.due_at.isoformat() if dossier.due_at else None)


def _appraisal(dossier: Dossier, data: dict, catalogue: dict, now: datetime, t: Transition) -> None:
    if data.get("appraisal_decision") == "supplement":
        dossier.status = "supplement_requested"
        dossier.supplements_in_handling += 1
        statutory.pause(dossier, now)
        t.add("dossier.supplement_requested", stage="handling", items=data.get("supplement_items"),
              clock=catalogue.get("supplement_clock", "pause"))
    else:
        dossier.status = "in_progress"


def _approval(dossier: Dossier, data: dict, catalogue: dict, now: datetime, t: Transition) -> None:
    decision = data.get("approval_decision")
    if decision in ("approve", "refuse"):
        dossier.status, dossier.completed_at = "done", now
        dossier.result = "approved" if decision == "approve" else "refused"
        t.add("dossier.done", result=dossier.result)
    else:
        dossier.status = "in_progress"
        t.add("dossier.sent_back", note=data.get("approval_note"))


def _return(dossier: Dossier, data: dict, catalogue: dict, now: datetime, t: Transition) -> None:
    if dossier.result is None:  # no approval step decided (a return step inferred in a Camunda 7 diagram)
        dossier.result = "refused" if data.get("approval_decision") == "refuse" else "approved"
        t.add("dossier.done", result=dossier.result)
    dossier.status, dossier.returned_at = "returned", now
    dossier.completed_at = dossier.completed_at or now
    t.add("dossier.returned", method=data.get("return_method"), receiver=data.get("receiver_name"))


def _payment(dossier: Dossier, data: dict, catalogue: dict, now: datetime, t: Transition) -> None:
    fees.resume_after_payment(dossier, catalogue, now)
    t.add("dossier.paid", receipt_number=data.get("receipt_number"),
          due_at=dossier.due_at.isoformat() if dossier.due_at else None)


def _other(dossier: Dossier, data: dict, catalogue: dict, now: datetime, t: Transition) -> None:
    if dossier.status == "received":
        dossier.status = "in_progress"


_HANDLERS = {"intake": _intake, "supplement": _supplement, "appraisal": _appraisal,
             "approval": _approval, "return": _return, "payment": _payment}
