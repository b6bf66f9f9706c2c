"""The forms of a procedure as its diagrams name them: by form id, by file name (Camunda 7's
`camunda:formKey="camunda-forms:deployment:intake.form"`) and the forms generated from `camunda:formData`."""
from __future__ import annotations

from bpmn.camunda_forms import generated_forms
from bpmn.folder import diagram_roots
from forms import FormDefinition, FormError, parse_form


def extra_forms(files: dict[str, str], by_id: dict[str, FormDefinition], where: str = "") -> dict[str, FormDefinition]:
    """Forms to add to `by_id` (the folder's parsed .form files): each again under its file name, and the
    generated form of every user task with camunda:formData."""
    out = {}
    for form in by_id.values():
        name = form.filename.rsplit("/", 1)[-1]
        if name not in by_id:
            out[name] = form
    for form_id, document in generated_forms(list(diagram_roots(files))).items():
        try:
            out[form_id] = parse_form(document, f"{where}/{form_id}" if where else form_id)
        except FormError:
            continue  # a field without an id; the diagram's check names the task
    return out
