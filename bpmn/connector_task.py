"""The task spec a serviceTask or sendTask naming a registered connector runs as (bpmn.connectors).

When the task runs it asks the runner attached to its top workflow (`attach_runner`; the engine attaches
engine.messaging.connectors' runner each time it loads a dossier's workflow) to do the connector's work
with the resolved inputs, and puts what the runner returns into the task's data. A workflow without a
runner (a test run of the bare process) refuses to go on rather than skip the integration silently.
"""
from __future__ import annotations

from collections.abc import Callable

from SpiffWorkflow.bpmn.specs.defaults import NoneTask
from SpiffWorkflow.camunda.parser.task_spec import CamundaTaskParser
from SpiffWorkflow.exceptions import WorkflowException

from bpmn.connectors import connector_of, input_parameters, resolve_inputs

Runner = Callable[[object, str, dict], dict | None]
_ATTRIBUTE = "motcua_connector_runner"


def attach_runner(workflow, runner: Runner) -> None:
    """Make the workflow's connector tasks call `runner(task, connector name, inputs)`."""
    setattr(workflow, _ATTRIBUTE, runner)


class ConnectorTask(NoneTask):
    """A step done by a registered connector, then the process goes on."""

    def __init__(self, wf_spec, bpmn_id, connector: str | None = None, connector_inputs: dict | None = None,
                 **kwargs):
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.connector = connector
        self.connector_inputs = dict(connector_inputs or {})
        self.manual = False

    def _run_hook(self, my_task):
        runner = getattr(my_task.workflow.top_workflow, _ATTRIBUTE, None)
        if runner is None or self.connector is None:
            raise WorkflowException(f"không có bộ kết nối '{self.connector}' để chạy bước này", task_spec=self)
        result = runner(my_task, self.connector, resolve_inputs(self.connector_inputs, my_task.data))
        my_task.data.update(result or {})
        return True


class ConnectorTaskParser(CamundaTaskParser):
    """Reads the connector's name and inputs off a serviceTask or sendTask."""

    def create_task(self):
        task = super().create_task()
        task.connector = connector_of(self.node)
        task.connector_inputs = input_parameters(self.node)
        return task
