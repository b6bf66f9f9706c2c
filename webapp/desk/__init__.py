"""Bộ phận Một cửa: the one-stop desk's pages.

- receiving: choose a procedure, receive a dossier at the counter, print the receipt.
- identity: the population database check of the applicant at the counter.
- checklist: the papers brought later, ticked before the dossier is received.
"""
from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")

from webapp.desk import checklist, identity, receiving  # noqa: E402,F401  (their routes register on bp)
