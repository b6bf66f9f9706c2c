"""The databases a benchmark runs on: a scratch SQLite file, and a scratch PostgreSQL database."""
from __future__ import annotations

import argparse
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def arguments(default_dossiers: int) -> argparse.Namespace:
    """--dossiers N and --pg URL (default: MOTCUA_TEST_POSTGRES_URL)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=default_dossiers)
    parser.add_argument("--pg", default=os.environ.get("MOTCUA_TEST_POSTGRES_URL"))
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    return parser.parse_args()


@contextmanager
def scratch_postgres(server_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of `server_url`, dropped afterwards."""
    name = f"motcua_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def each_backend(args: argparse.Namespace, work: Callable[[str, str], None]) -> None:
    """Run `work(name, url)` on SQLite and, when a server is given, on PostgreSQL."""
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            work("SQLite", f"sqlite:///{tmp}/bench.sqlite")
    if not args.pg:
        print("== PostgreSQL: skipped (give --pg URL or set MOTCUA_TEST_POSTGRES_URL)")
        return
    with scratch_postgres(args.pg) as url:
        work("PostgreSQL", url)
