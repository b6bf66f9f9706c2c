"""Catalogue: procedures, their published versions, the studio's drafts and test-runs.

- procedures: check procedure folders, publish immutable versions, look them up.
- admin: the catalogue as admins keep it (import, export, per-unit offering).
- studio: drafts of procedure folders, their checks, publication and versions.
- sandbox: test-run a draft in memory; step budgets along every path.
- sandbox_process: the studio's test-run in a child process with CPU, memory and time limits.
- scope: who may edit, publish and migrate which procedure (the units it reaches).
- form_index: the forms as diagrams name them (id, file name, generated from camunda:formData).
- publish_org: at publish, steps' roles and units checked against the organisation.
- groups: procedure groups (một cửa liên thông) as data: checked and published.
- new_procedure: a new procedure's first draft from the studio's wizard and the template folder.
- catalogue_form: a draft's procedure.yaml edited as a form, other keys and diacritics kept.
- templates: blank forms (mẫu đơn, tờ khai) a procedure folder carries for citizens to download, as PDF.
- step_templates: the standard steps as element templates for the studio, with the forms they name.
"""
