"""One database session per request, owned by the request and closed at its end."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, g
from sqlalchemy.orm import Session


def get_session() -> Session:
    """This request's session."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["motcua"]["sessions"]()
    return g.db_session


def now() -> datetime:
    """The current time (tests may fix it through the NOW setting)."""
    return current_app.config["NOW"]()


def _close(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """Close the request's session when the request ends."""
    app.teardown_appcontext(_close)
