"""BPMN message catches that a delivered message moves on: its payload becomes process data.

SpiffWorkflow's Camunda message definition puts a payload under `<task>_Response`; a message delivered to
a dossier (engine.dossier.messages) carries fields that later conditions and forms read by name, so here
the payload's fields are merged into the task's data, or stored under `camunda:resultVariable` when the
diagram names one.
"""
from __future__ import annotations

from SpiffWorkflow.bpmn.parser.event_parsers import ReceiveTaskParser
from SpiffWorkflow.camunda.serializer.event_definition import MessageEventDefinitionConverter
from SpiffWorkflow.camunda.specs.event_definitions import MessageEventDefinition


class DeliveredMessage(MessageEventDefinition):
    """A message whose payload (a JSON object) becomes the catching task's data."""

    def update_internal_data(self, my_task, event):
        """Keep the payload as it came."""
        my_task.internal_data[self.name] = event.payload

    def update_task_data(self, my_task):
        """Merge the payload's fields into the task's data (or store it under the result variable)."""
        payload = my_task.internal_data.get(self.name)
        if isinstance(payload, dict) and set(payload) == {"payload", "result_var"}:  # thrown inside the process
            payload = payload["payload"]
        if self.result_var:
            my_task.data[self.result_var] = payload
        elif isinstance(payload, dict):
            my_task.set_data(**payload)


class DeliveredMessageMixin:
    """Event parsers whose message definitions are DeliveredMessage."""

    def parse_message_event(self, message_event):
        definition = super().parse_message_event(message_event)
        return DeliveredMessage(definition.name, definition.correlation_properties,
                                getattr(definition, "expression", None), getattr(definition, "result_var", None),
                                description=definition.description)


class MotcuaReceiveTaskParser(DeliveredMessageMixin, ReceiveTaskParser):
    """A receive task waiting for a delivered message."""


SERIALIZER_CONFIG = {DeliveredMessage: MessageEventDefinitionConverter}
