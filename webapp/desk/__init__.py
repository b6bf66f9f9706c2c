"""Bộ phận Một cửa: the one-stop desk's pages.

- receiving: choose a procedure, receive a dossier at the counter, print the receipt.
- identity: the population database check of the applicant at the counter.
- checklist: the papers brought later, ticked before the dossier is received.
- groups: liên thông at the counter: one declaration for a procedure group, the group's page.
"""
from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")

from webapp.desk import checklist, groups, identity, receiving  # noqa: E402,F401  (their routes register on bp)
