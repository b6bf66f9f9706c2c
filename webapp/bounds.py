"""Input the database cannot hold, stopped at the edge.

A number typed into an address (`/tasks/99999999999999999999`, `?page=` with thirty digits) must be
an unknown object (404) or fall back to the default, never a database overflow (500); text with a
NUL character (which PostgreSQL refuses in any text column) is a bad request (400).
"""
from __future__ import annotations

from flask import Flask, Request, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

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
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and "\x00" in item:
            return True
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def has_nul() -> bool:
    """Whether the request's path, query, form fields or JSON body hold a NUL character."""
    texts = [request.path, *request.args.keys(), *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        texts += [*request.form.keys(), *request.form.values()]
    return any("\x00" in text for text in texts) or (request.is_json and _json_has_nul(request.get_json(silent=True)))


def refuse_nul():
    """A request carrying NUL gets 400 with a message (JSON under /api/), before any view runs."""
    if not has_nul():
        return None
    message = _("Dữ liệu gửi lên chứa ký tự NUL, không hợp lệ.")
    from webapp.errors import answer, error_response

    if request.is_json:  # who sent JSON reads JSON, on any path
        return error_response(400, "invalid_character", message)
    return answer(400, "invalid_character", message)


def init_app(app: Flask) -> None:
    """Install the bounded converter and arguments (before any blueprint adds its routes) and the NUL guard."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.request_class = BoundedRequest
    app.before_request(refuse_nul)
