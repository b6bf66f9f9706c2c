"""The parser subclass for our Camunda 7 vocabulary (candidateGroups, formRef, properties)."""
from __future__ import annotations

from dataclasses import dataclass

from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS, UserTaskParser
from SpiffWorkflow.camunda.specs.user_task import UserTask

from bpmn.scripts import RestrictedScriptEngine

STANDARD_ROLES = ("mot_cua", "chuyen_vien", "lanh_dao", "analyst", "admin", "supervisor")
TASK_KINDS = ("intake", "appraisal", "approval", "return", "consult", "supplement")


class MotcuaUserTaskParser(UserTaskParser):
    """Reads candidateGroups and formRef into the task's extensions, beside the properties."""

    def parse_extensions(self, node=None) -> dict:
        extensions = super().parse_extensions(node)
        groups = self.node.get(f"{{{CAMUNDA_MODEL_NS}}}candidateGroups")
        if groups:
            extensions["candidateGroups"] = groups
        form_ref = self.node.get(f"{{{CAMUNDA_MODEL_NS}}}formRef")
        if form_ref:
            extensions["formRef"] = form_ref
        lane = self._lane_element()
        if lane is not None:
            extensions["laneId"] = lane.get("id", "")
        return extensions

    def _lane_element(self):
        refs = self.doc_xpath(f".//bpmn:lane/bpmn:flowNodeRef[normalize-space(text())='{self.bpmn_id}']")
        return refs[0].getparent() if refs else None


class MotcuaParser(CamundaParser):
    """CamundaParser whose user tasks carry our vocabulary in `extensions`."""

    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        full_tag("userTask"): (MotcuaUserTaskParser, UserTask),
    }


@dataclass(frozen=True)
class UserTaskInfo:
    """What the engine reads from a user task: role, form, budget, unit and kind."""

    element_id: str
    name: str
    role: str | None
    form_id: str | None
    budget: str | None
    unit: str
    kind: str | None


def role_of(extensions: dict, lane: str | None) -> str | None:
    """The task's role: the first candidate group, else the lane's id or name."""
    groups = [g.strip() for g in (extensions.get("candidateGroups") or "").split(",") if g.strip()]
    if groups:
        return groups[0]
    lane_id = extensions.get("laneId") or ""
    for candidate in (lane_id.removeprefix("Lane_"), lane_id, lane or ""):
        if candidate in STANDARD_ROLES:
            return candidate
    return lane or None


def user_task_info(task_spec) -> UserTaskInfo:
    """Read our vocabulary off a parsed user task spec."""
    ext = getattr(task_spec, "extensions", {}) or {}
    return UserTaskInfo(
        element_id=task_spec.bpmn_id,
        name=task_spec.bpmn_name or task_spec.bpmn_id,
        role=role_of(ext, task_spec.lane),
        form_id=ext.get("formRef"),
        budget=ext.get("budget"),
        unit=ext.get("unit") or "self",
        kind=ext.get("kind"),
    )


def new_parser() -> MotcuaParser:
    """A parser that validates against the BPMN 2.0 XSD."""
    from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator

    return MotcuaParser(validator=BpmnValidator())


def script_engine() -> RestrictedScriptEngine:
    """The one script engine every workflow runs with."""
    return RestrictedScriptEngine()
