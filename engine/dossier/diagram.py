"""Sơ đồ của hồ sơ: a dossier's diagram with the path it has taken and the steps that hold it now."""
from __future__ import annotations

from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from engine.dossier.workflow import load_workflow
from engine.ground.errors import NotFound
from engine.models import Dossier


def dossier_diagram(session: Session, dossier: Dossier) -> dict:
    """The dossier's diagram and its path: the BPMN XML, the elements passed and the current steps."""
    files = dossier.version.files
    xml = next((files[n] for n in sorted(files) if n.endswith(".bpmn")), "")
    done: list[str] = []
    current: list[str] = []
    try:
        _state, workflow = load_workflow(session, dossier)
    except NotFound:
        return {"xml": xml, "done": done, "current": current}
    for task in workflow.get_tasks():
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if not bpmn_id or bpmn_id == workflow.spec.name:
            continue
        if task.state == TaskState.COMPLETED and bpmn_id not in done:
            done.append(bpmn_id)
        elif task.state & (TaskState.READY | TaskState.WAITING | TaskState.STARTED) and bpmn_id not in current:
            current.append(bpmn_id)
    return {"xml": xml, "done": [i for i in done if i not in current], "current": current}
