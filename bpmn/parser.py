"""The parser subclass for our Camunda 7 vocabulary (candidateGroups, formRef, properties)."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.bpmn.specs.defaults import ManualTask, NoneTask, ReceiveTask
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.camunda.parser.event_parsers import (
    CamundaBoundaryEventParser,
    CamundaEndEventParser,
    CamundaIntermediateCatchEventParser,
    CamundaStartEventParser,
)
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS, CamundaTaskParser, UserTaskParser
from SpiffWorkflow.camunda.specs.user_task import UserTask

from bpmn.camunda_forms import task_form_ref
from bpmn.connector_task import ConnectorTask, ConnectorTaskParser
from bpmn.cron import cron_problem, looks_like_cron
from bpmn.juel import translate_conditions
from bpmn.messages import DeliveredMessageMixin, MotcuaReceiveTaskParser
from bpmn.scripts import RestrictedScriptEngine
from bpmn.timers import injected, working_time_flag
from bpmn.vocabulary import STANDARD_ROLES, TASK_KINDS  # noqa: F401  (TASK_KINDS: re-exported for older callers)


class _VocabularyMixin:
    """Reads candidateGroups and formRef into the task's extensions, beside the properties."""

    def parse_extensions(self, node=None) -> dict:
        extensions = super().parse_extensions(node)
        groups = self.node.get(f"{{{CAMUNDA_MODEL_NS}}}candidateGroups")
        if groups:
            extensions["candidateGroups"] = groups
        assignee = self.node.get(f"{{{CAMUNDA_MODEL_NS}}}assignee")
        if assignee:
            extensions["assignee"] = assignee
        candidates = self.node.get(f"{{{CAMUNDA_MODEL_NS}}}candidateUsers")
        if candidates:
            extensions["candidateUsers"] = candidates
        form_ref = task_form_ref(self.node)
        if form_ref:
            extensions["formRef"] = form_ref
        lane = self._lane_element()
        if lane is not None:
            extensions["laneId"] = lane.get("id", "")
        return extensions

    def _lane_element(self):
        refs = self.doc_xpath(f".//bpmn:lane/bpmn:flowNodeRef[normalize-space(text())='{self.bpmn_id}']")
        return refs[0].getparent() if refs else None


class MotcuaUserTaskParser(_VocabularyMixin, UserTaskParser):
    """A user task: a step of an official's worklist, with our vocabulary in its extensions."""


class MotcuaManualTaskParser(_VocabularyMixin, CamundaTaskParser):
    """A manual task: a step an official confirms (a worklist row; its form, if any, is optional)."""


class PassThroughTask(NoneTask):
    """A plain `bpmn:task`: Camunda 7 runs it as a no-op that passes on at once, and so do we."""

    def __init__(self, wf_spec, bpmn_id, **kwargs):
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.manual = False


HUMAN_TASKS = (UserTask, ManualTask)  # the task specs that become worklist rows


TIMER_KINDS = {
    "timeDate": TimerEventDefinition.get_datetime,
    "timeDuration": TimerEventDefinition.parse_iso_duration,
    "timeCycle": TimerEventDefinition.parse_iso_recurring_interval,
}


def timer_literal(text: str | None, kind: str) -> str | None:
    """The ISO 8601 value of a timer written bare, as Camunda writes it (`P2D` for a timeDuration,
    `2025-07-01T08:00` for a timeDate, `R3/PT1H` or a Quartz cron such as `0 0 9 ? * MON-FRI` for a
    timeCycle); None when the text is not one."""
    value = (text or "").strip()
    if not value:
        return None
    if kind == "timeCycle" and looks_like_cron(value):
        return value if cron_problem(value) is None else None
    try:
        TIMER_KINDS[kind](value)
    except Exception:  # noqa: BLE001 - SpiffWorkflow raises bare Exception for a bad ISO value
        return None
    return value


class _BareTimerMixin:
    """Lets a timer hold a bare ISO 8601 value (SpiffWorkflow evaluates timers as expressions) and
    makes it read time from the engine's clock, counting working time when the event says so."""

    def parse_timer_event(self, event):
        definition = super().parse_timer_event(event)
        kinds = {TimeDateEventDefinition: "timeDate", DurationTimerEventDefinition: "timeDuration",
                 CycleTimerEventDefinition: "timeCycle"}
        literal = timer_literal(definition.expression, kinds.get(type(definition), "timeDuration"))
        if literal is not None:
            definition.expression = repr(literal)
        return injected(definition, working_time_flag(self.node))


class _StartEventParser(DeliveredMessageMixin, _BareTimerMixin, CamundaStartEventParser):
    pass


class _CatchEventParser(DeliveredMessageMixin, _BareTimerMixin, CamundaIntermediateCatchEventParser):
    """A catching timer is named by its event's id (SpiffWorkflow uses the event's name when it has one):
    after an event-based gateway the timers are told apart, and their branch found, by name."""

    def parse_timer_event(self, event):
        definition = super().parse_timer_event(event)
        definition.name = self.node.get("id") or definition.name
        return definition


class _BoundaryEventParser(DeliveredMessageMixin, _BareTimerMixin, CamundaBoundaryEventParser):
    pass


class _EndEventParser(CamundaEndEventParser):
    """An end event with its camunda:properties (a `result` property says how the dossier ends)."""

    parse_extensions = CamundaTaskParser.parse_extensions


def _override(tag: str, parser_class: type) -> tuple[str, tuple[type, type]]:
    return full_tag(tag), (parser_class, CamundaParser.OVERRIDE_PARSER_CLASSES[full_tag(tag)][1])


DOCUMENTATION_ONLY = ("dataObject", "dataObjectReference", "dataStore", "dataStoreReference",
                      "dataInputAssociation", "dataOutputAssociation")


def strip_documentation(root) -> None:
    """Remove what Camunda 7 draws but never executes: data objects, data stores and their associations.

    Camunda 7 keeps process data in variables; these shapes only document the diagram. SpiffWorkflow would
    execute them (and fail at run time on a data object nobody set), so they go before it parses.
    """
    bpmn_ns = "http://www.omg.org/spec/BPMN/20100524/MODEL"
    for el in list(root.iter(*(f"{{{bpmn_ns}}}{tag}" for tag in DOCUMENTATION_ONLY))):
        if el.getparent() is not None:
            el.getparent().remove(el)


def submission_starts(root) -> None:
    """Messages to and from other pools: the sole start event of a process starts when the dossier is
    submitted, so a message definition on it is what the submission already is (bpmn.events_check
    .submission_start); a message thrown to another pool is sent by nobody here, so the event passes on."""
    from bpmn.events_check import submission_start

    bpmn_ns = "http://www.omg.org/spec/BPMN/20100524/MODEL"
    for process in root.iter(f"{{{bpmn_ns}}}process"):
        for start in process.findall(f"{{{bpmn_ns}}}startEvent"):
            if submission_start(start):
                for definition in start.findall(f"{{{bpmn_ns}}}messageEventDefinition"):
                    start.remove(definition)
    # A message thrown (end or intermediate throw event) goes to another pool; no one here receives it, the
    # applicant and the national portal hear of every change of the dossier anyway: the event passes on.
    for tag in ("endEvent", "intermediateThrowEvent"):
        for event in root.iter(f"{{{bpmn_ns}}}{tag}"):
            for definition in event.findall(f"{{{bpmn_ns}}}messageEventDefinition"):
                event.remove(definition)


class MotcuaParser(CamundaParser):
    """CamundaParser whose user tasks carry our vocabulary in `extensions`, whose timers accept bare
    ISO 8601 values, whose plain tasks pass through and which ignores data objects and stores."""

    OVERRIDE_PARSER_CLASSES = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        full_tag("userTask"): (MotcuaUserTaskParser, UserTask),
        full_tag("manualTask"): (MotcuaManualTaskParser, ManualTask),
        full_tag("task"): (CamundaTaskParser, PassThroughTask),
        full_tag("receiveTask"): (MotcuaReceiveTaskParser, ReceiveTask),
        full_tag("serviceTask"): (ConnectorTaskParser, ConnectorTask),
        full_tag("sendTask"): (ConnectorTaskParser, ConnectorTask),
        **dict([_override("startEvent", _StartEventParser), _override("intermediateCatchEvent", _CatchEventParser),
                _override("boundaryEvent", _BoundaryEventParser), _override("endEvent", _EndEventParser)]),
    }

    def add_bpmn_xml(self, bpmn, filename=None):
        """Add a diagram, without its documentation-only data shapes, its JUEL conditions in Python."""
        strip_documentation(bpmn)
        translate_conditions(bpmn)
        submission_starts(bpmn)
        super().add_bpmn_xml(bpmn, filename)


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
    assignee: str | None = None  # camunda:assignee as written (bpmn.camunda_assign reads it)
    candidate_users: str | None = None  # camunda:candidateUsers as written: who of the role may claim it


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
        assignee=ext.get("assignee"),
        candidate_users=ext.get("candidateUsers"),
    )


def new_parser() -> MotcuaParser:
    """A parser that validates against the BPMN 2.0 XSD (one schema per process, shared under a lock)."""
    return MotcuaParser(validator=_shared_validator())


_VALIDATOR_LOCK = threading.Lock()
_VALIDATOR: list = []


def _shared_validator():
    """The BPMN 2.0 XSD loaded once. lxml builds a schema wrongly when two threads load it at once ("Document is
    not valid XML Schema": seen when a restarted threaded server took its first completions together), and a
    schema keeps its last error per object, so validations take turns too; each takes a few milliseconds."""
    from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator

    class TakingTurns(BpmnValidator):
        def validate(self, bpmn, filename=None):
            with _VALIDATOR_LOCK:
                return super().validate(bpmn, filename)

    with _VALIDATOR_LOCK:
        if not _VALIDATOR:
            _VALIDATOR.append(TakingTurns())
        return _VALIDATOR[0]


def script_engine() -> RestrictedScriptEngine:
    """The one script engine every workflow runs with."""
    return RestrictedScriptEngine()
