"""Catalogue: procedures, their published versions, the studio's drafts and test-runs.

- procedures: check procedure folders, publish immutable versions, look them up.
- admin: the catalogue as admins keep it (import, export, per-unit offering).
- studio: drafts of procedure folders, their checks, publication and versions.
- sandbox: test-run a draft in memory; step budgets along every path.
- form_index: the forms as diagrams name them (id, file name, generated from camunda:formData).
- publish_org: at publish, steps' roles and units checked against the organisation.
"""
