"""REST API under /api/v1: JSON, bearer tokens, JSON errors."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from webapp.api import auth, clock_views, document_views, integration_views, message_views, openapi, views  # noqa: E402,F401  (routes register on import)
