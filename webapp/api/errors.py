"""Every API error as JSON {"error": {"code", "message", "fields"?}}; never a stack trace."""
from __future__ import annotations

from flask import jsonify
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from engine.ground.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Unauthenticated
from webapp.api import bp
from webapp.db import get_session

STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, Invalid: 422, Unauthenticated: 401}


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    """The JSON error body with its status."""
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return jsonify({"error": body}), status


@bp.errorhandler(DomainError)
def domain_error(err: DomainError):
    get_session().rollback()
    return error_response(STATUS.get(type(err), 400), err.code, err.message, err.fields)


@bp.errorhandler(OperationalError)
def busy_database(err: OperationalError):
    get_session().rollback()
    return error_response(409, "conflict", "Hồ sơ đang được người khác xử lý; hãy thử lại")


@bp.errorhandler(HTTPException)
def http_error(err: HTTPException):
    return error_response(err.code or 500, err.name.lower().replace(" ", "_"), err.description or err.name)


@bp.errorhandler(Exception)
def unexpected(err: Exception):
    from flask import current_app

    get_session().rollback()
    current_app.logger.exception("unexpected error in the API")
    return error_response(500, "internal_error", "Lỗi hệ thống; sự cố đã được ghi lại")
