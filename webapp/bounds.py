"""Input the database cannot hold, stopped at the edge.

A number typed into an address (`/tasks/99999999999999999999`, `?page=` with thirty digits) must be
an unknown object (404) or fall back to the default, never a database overflow (500); text with a
NUL character (which PostgreSQL refuses in any text column) is a bad request (400). So is JSON nested
deeper than MAX_JSON_DEPTH or holding a lone surrogate (which no database encoding holds), and an
uploaded file whose name holds NUL, a control or bidi character, or runs past 255 characters.
"""
from __future__ import annotations

import re

from flask import Flask, Request, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from engine.ground.text import has_bidi_control

MAX_JSON_DEPTH = 64
MAX_FILENAME = 255
DB_INT_MAX = 2**31 - 1  # PostgreSQL INTEGER; SQLite takes 64 bits, the smaller bound serves both


def db_int(value: str) -> int:
    """`int(value)`, refused (ValueError) when it does not fit a database integer."""
    number = int(value)
    if not -DB_INT_MAX - 1 <= number <= DB_INT_MAX:
        raise ValueError(f"{value} vượt quá giới hạn số nguyên")
    return number


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in routes: larger numbers than any id match no route (404)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's parameter name
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


class BoundedArgs(ImmutableMultiDict):
    """Request arguments whose `get(…, type=int)` gives the default for numbers no column can hold."""

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        return super().get(key, default, db_int if type is int else type)


class BoundedRequest(Request):
    parameter_storage_class = BoundedArgs


def _json_has_nul(value) -> bool:
    return _json_problem(value) == "nul"


def _json_problem(value) -> str | None:
    """"nul", "surrogate" or "deep" for JSON the database cannot hold or the code should not walk; else None."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return "deep"
        if isinstance(item, str):
            if "\x00" in item:
                return "nul"
            if SURROGATE.search(item):
                return "surrogate"
        elif isinstance(item, dict):
            stack.extend((key, depth + 1) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return None


SURROGATE = re.compile("[\ud800-\udfff]")
CONTROL = re.compile("[\x00-\x1f\x7f]")


def _json_body_problem() -> str | None:
    if not request.is_json:
        return None
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        return "deep"
    return _json_problem(body)


def _upload_problem() -> str | None:
    if request.mimetype != "multipart/form-data":
        return None
    for upload in request.files.values():
        name = upload.filename or ""
        if CONTROL.search(name) or has_bidi_control(name) or SURROGATE.search(name) or len(name) > MAX_FILENAME:
            return "filename"
    return None


MESSAGES = {
    "nul": lambda: _("Dữ liệu gửi lên chứa ký tự NUL, không hợp lệ."),
    "surrogate": lambda: _("Dữ liệu gửi lên chứa ký tự Unicode không hợp lệ (nửa cặp thay thế)."),
    "deep": lambda: _("Dữ liệu JSON lồng nhau quá sâu (tối đa %(depth)d tầng).", depth=MAX_JSON_DEPTH),
    "filename": lambda: _("Tên tệp tải lên không hợp lệ: tối đa %(limit)d ký tự, không chứa ký tự điều khiển.",
                          limit=MAX_FILENAME),
}


def has_nul() -> bool:
    """Whether the request's path, query, form fields or JSON body hold a NUL character."""
    texts = [request.path, *request.args.keys(), *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        texts += [*request.form.keys(), *request.form.values()]
    return any("\x00" in text for text in texts if text) or (request.is_json and _json_has_nul(request.get_json(silent=True)))


def refuse_nul():
    """A request carrying NUL, a lone surrogate, JSON nested too deep or a bad upload name gets 400 with a
    message (JSON under /api/), before any view runs."""
    texts = [request.path, *request.args.keys(), *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        texts += [*request.form.keys(), *request.form.values()]
    # a multipart part without a name has the key None (werkzeug)
    problem = "nul" if any("\x00" in text for text in texts if text) else _json_body_problem() or _upload_problem()
    if problem is None:
        return None
    message = MESSAGES[problem]()
    from webapp.errors import answer, error_response

    if request.is_json:  # who sent JSON reads JSON, on any path
        return error_response(400, "invalid_character", message)
    return answer(400, "invalid_character", message)


def init_app(app: Flask) -> None:
    """Install the bounded converter and arguments (before any blueprint adds its routes) and the NUL guard."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.request_class = BoundedRequest
    app.before_request(refuse_nul)
