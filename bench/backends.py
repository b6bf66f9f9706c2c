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


def demo_database(url: str, now):
    """Migrate `url`, load the demo at `now`: (engine, session factory, user ids by username)."""
    from sqlalchemy import select

    from engine.ground.db import make_engine, make_session_factory
    from engine.ground.migrate import upgrade
    from engine.models import User
    from engine.operations.demo import load_demo

    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as s:
        load_demo(s, now)
        s.commit()
        users = {u.username: u.id for u in s.scalars(select(User))}
    return engine, sessions, users


def walk(sessions, users: dict, dossier_id: int, path, now) -> None:
    """Complete the dossier's ready step once per (username, data) of `path`, a transaction each."""
    from sqlalchemy import select

    from engine.dossier import lifecycle
    from engine.models import HumanTask
    from engine.org.accounts import user_with_grants

    task_id = None
    for username, data in path:
        with sessions() as s:
            if task_id is None:  # the first step only; later ones are the row the previous step created
                task_id = s.scalar(select(HumanTask.id).where(HumanTask.dossier_id == dossier_id,
                                                               HumanTask.state == "ready"))
            # the user as the web app loads one per request: with the grants, one statement
            lifecycle.complete_task(s, task_id, user_with_grants(s, users[username]), data, now)
            created = [o for o in s.new if isinstance(o, HumanTask)]  # held here: ids stay after the commit
            s.commit()
            # as a client takes the next task's id from the page it is shown, not from a query of its own
            task_id = next((row.id for row in created if row.state == "ready"), None)
