"""The one web edge for errors: domain errors and HTTP errors become JSON under /api and our own pages elsewhere.

Views raise (or let through) the engine's domain errors; nothing here is caught view by view. A failure we
did not foresee is logged with a short reference that the error page shows, so an admin can find it.
"""
from __future__ import annotations

import uuid

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError
from werkzeug.exceptions import HTTPException

from engine.ground.db_errors import DatabaseTrouble, classify
from engine.ground.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    StepFailed,
    Unauthenticated,
)
from engine.integrations.signing import SigningError, SigningUnavailable

STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, Invalid: 422, Unauthenticated: 401, SigningUnavailable: 503,
          SigningError: 409}
HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid", 429: "too_many_requests"}


def status_of(err: DomainError) -> int:
    """The HTTP status of a domain error."""
    return next((code for kind, code in STATUS.items() if isinstance(err, kind)), 400)


def wants_json() -> bool:
    """The API answers JSON; every other path answers a page."""
    return request.blueprint == "api" or request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    """The API's error body `{"error": {"code", "message", "fields"?}}` with its status."""
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return jsonify({"error": body}), status


def _default_message(status: int) -> str:
    return {
        401: _("Bạn cần đăng nhập để tiếp tục."),
        403: _("Bạn không có quyền xem hoặc thực hiện thao tác này."),
        404: _("Không tìm thấy trang hoặc hồ sơ bạn yêu cầu."),
        405: _("Thao tác này không được hỗ trợ ở địa chỉ này."),
        409: _("Dữ liệu vừa được người khác thay đổi; hãy tải lại trang rồi thử lại."),
        413: _("Nội dung gửi lên quá lớn."),
        422: _("Dữ liệu chưa hợp lệ."),
        429: _("Bạn thao tác quá nhanh; hãy thử lại sau ít phút."),
        503: _("Hệ thống tạm thời không kết nối được cơ sở dữ liệu; hãy thử lại sau ít phút."),
    }.get(status, _("Yêu cầu không hợp lệ."))


def _rollback() -> None:
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def answer(status: int, code: str, message: str | None = None, fields: dict | None = None,
           reference: str | None = None):
    """JSON for the API, our error page for everyone else."""
    message = message or _default_message(status)
    if wants_json():
        return error_response(status, code, message, fields)
    return render_template("public/error.html", status=status, message=message, fields=fields,
                           reference=reference), status


def _domain(err: DomainError):
    _rollback()
    if isinstance(err, StepFailed):
        _keep_incident(err)
    return answer(status_of(err), err.code, err.message, err.fields)


def _keep_incident(err: StepFailed) -> None:
    """A step whose process failed is rolled back; the failure is kept for admins (engine.operations.incidents)."""
    from engine.operations import incidents
    from webapp.db import now

    session = g.get("db_session")
    if session is None or err.dossier_id is None:
        return
    try:
        incidents.record(session, err, now())
        session.commit()
    except DBAPIError:  # the incident is a courtesy; the answer to the official must still go out
        _rollback_quietly()
        current_app.logger.exception("could not record the incident of dossier %s", err.dossier_id)


def _http(err: HTTPException):
    status = err.code or 500
    if status == 413:
        megabytes = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
        return answer(413, "too_large", _("Nội dung gửi lên quá lớn: tối đa %(mb)d MB mỗi lần gửi.", mb=megabytes))
    # abort(404) carries werkzeug's English description unless a view gave its own
    own = err.description if err.description and err.description != type(err).description else None
    return answer(status, HTTP_CODES.get(status, err.name.lower().replace(" ", "_")), own)


def _csrf(err: CSRFError):
    return answer(400, "csrf", _("Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ (CSRF); hãy tải lại trang rồi gửi lại."))


def _database(err: DBAPIError):
    """A lock wait that ran out (lock_timeout, SQLite's busy timeout) is 409; a slow or lost database 503;
    never "someone else is handling the dossier" for both (engine.ground.db_errors.classify)."""
    trouble = classify(err)
    if trouble is None and isinstance(err, DataError):  # a value the column cannot hold, past the checks
        _rollback_quietly()
        return answer(422, "invalid", _("Dữ liệu quá dài hoặc sai kiểu so với nơi lưu; hãy rút gọn rồi gửi lại."))
    if trouble is None:
        return _unexpected(err)
    _rollback_quietly()
    if trouble is DatabaseTrouble.LOCKED:
        return answer(409, "locked", _("Dữ liệu đang được một thao tác khác cập nhật; hãy thử lại sau giây lát."))
    current_app.logger.warning("database %s: %s", trouble, err)
    if trouble is DatabaseTrouble.TIMEOUT:
        return answer(503, "database_timeout", _("Cơ sở dữ liệu trả lời quá chậm; hãy thử lại sau ít phút."))
    return answer(503, "database_unavailable", _("Không kết nối được cơ sở dữ liệu; hệ thống tạm gián đoạn, "
                                                 "hãy thử lại sau ít phút."))


def _rollback_quietly() -> None:
    session = g.get("db_session")
    if session is not None:
        try:
            session.rollback()
        except DBAPIError:  # the connection is gone: drop it from the pool
            session.invalidate()


def _unexpected(err: Exception):
    _rollback()
    reference = uuid.uuid4().hex[:10]
    current_app.logger.exception("unexpected error [ref %s] at %s %s", reference, request.method, request.path)
    return answer(500, "internal_error", _("Lỗi hệ thống; sự cố đã được ghi lại với mã tham chiếu %(ref)s.",
                                           ref=reference), reference=reference)


def init_app(app: Flask) -> None:
    """Register the handlers for the whole app (the API's blueprint included)."""
    app.register_error_handler(DomainError, _domain)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(DBAPIError, _database)
    app.register_error_handler(Exception, _unexpected)
