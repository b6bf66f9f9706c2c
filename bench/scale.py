"""Benchmark: page times at city scale — 1,000,000 dossiers and 5,000,000 events in PostgreSQL.

Usage:
  .venv/bin/python bench/scale.py --generate [--dossiers 1000000] [--pg URL] [--db motcua_scale]
  .venv/bin/python bench/scale.py [--pg URL] [--db motcua_scale] [--repeat 40]

--generate (re)creates the database `--db` on the server of --pg (default MOTCUA_TEST_POSTGRES_URL)
with bench/city_history.py's generator, plus a `task.completed` event for each appraisal and
approval step, so each returned dossier has five events. The database is kept, so the measurement can
be repeated (after a schema change, `--migrate` upgrades it first); drop it by hand when done:
  psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE motcua_scale'
Measured through the Flask test client (server time, no network): the worklist page of an official
of the busiest ward (plain, and searching a name), the public lookup /tra-cuu/<code>, the officials'
dossier page, and the ward's and the city's quarterly dashboard. Prints p50/p95 per page, then the
storage per returned dossier (bytes of every table and its indexes, over the returned dossiers).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import city_history  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from engine.ground.db import make_engine, make_session_factory  # noqa: E402
from engine.ground.migrate import upgrade  # noqa: E402
from engine.models import RoleGrant, Unit, User  # noqa: E402
from engine.org.passwords import hash_password  # noqa: E402

NOW = city_history.NOW


class FiveEvents(city_history.History):
    """The city history with a `task.completed` event for each completed appraisal and approval step."""

    def dossier(self, i: int):
        """city_history's dossier, its code in canonical form (yymmdd, then the number with at least 4 digits)."""
        row, tasks, events = super().dossier(i)
        return (row[0], row[1].rsplit("-", 1)[0] + f"-{i:04d}", *row[2:]), tasks, events

    def _events(self, i, ward_id, received, completed, due, finished, lateness) -> list[tuple]:
        rows = super()._events(i, ward_id, received, completed, due, finished, lateness)
        marks = {"Task_Appraise": received + (completed - received) * 0.8, "Task_Approve": completed}
        if not finished:  # open: steps STEPS[:2 + i % 2], the last one ready
            marks = {"Task_Appraise": marks["Task_Appraise"]} if i % 2 else {}
        for element, at in marks.items():
            self.event_id += 1
            rows.append((self.event_id, at, "task.completed", i, ward_id,
                         f'{{"task": "{element}", "data": {{"decision": "approve"}}}}'))
        return rows


def database_url(server: str, name: str) -> str:
    return make_url(server).set(database=name).render_as_string(False)


def generate(server: str, name: str, count: int) -> None:
    admin = create_engine(make_url(server).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    city_history.History = FiveEvents  # the generator builds its history from the module's name
    city_history.generate(database_url(server, name), count)


def official_of(url: str, ward: str) -> None:
    """A user `bench_<ward>` holding the desk, specialist and leader roles of the ward (password demo1234)."""
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        username = f"bench_{ward}".lower()
        if s.scalar(select(User).where(User.username == username)) is None:
            unit = s.scalar(select(Unit).where(Unit.code == ward))
            user = User(username=username, full_name="Cán bộ đo hiệu năng", password_hash=hash_password("demo1234"), created_at=NOW)
            s.add(user)
            s.flush()
            s.add_all(RoleGrant(user_id=user.id, unit_id=unit.id, role=role)
                      for role in ("mot_cua", "chuyen_vien", "lanh_dao"))
            s.commit()
    engine.dispose()


def percentiles(times: list[float]) -> str:
    t = sorted(times)
    return (f"p50 {statistics.median(t) * 1000:7.1f} ms  p95 {t[min(len(t) - 1, int(len(t) * 0.95))] * 1000:7.1f} ms"
            f"  max {t[-1] * 1000:7.1f} ms")


def timed(client, paths: list[str], expect: int = 200) -> list[float]:
    times = []
    for path in paths:
        started = time.perf_counter()
        res = client.get(path)
        times.append(time.perf_counter() - started)
        assert res.status_code == expect, (path, res.status_code)
    return times


def measure(url: str, repeat: int) -> None:
    from engine import supervision as sv
    from webapp import create_app

    rng = random.Random(11)
    engine = make_engine(url)
    with engine.connect() as conn:
        dossiers_n = conn.scalar(text("SELECT reltuples::bigint FROM pg_class WHERE relname = 'dossier'"))
        events_n = conn.scalar(text("SELECT reltuples::bigint FROM pg_class WHERE relname = 'event'"))
        ward = conn.scalar(text("SELECT u.code FROM human_task t JOIN unit u ON u.id = t.unit_id "
                                "WHERE t.state = 'ready' GROUP BY u.code ORDER BY count(*) DESC LIMIT 1"))
        ward_id = conn.scalar(text("SELECT id FROM unit WHERE code = :c"), {"c": ward})
        ready = conn.scalar(text("SELECT count(*) FROM human_task WHERE state = 'ready' AND unit_id = :u"),
                            {"u": ward_id})
        codes = [c for (c,) in conn.execute(text(
            "SELECT code FROM dossier WHERE unit_id = :u AND id % 97 = 0 LIMIT 400"), {"u": ward_id})]
        names = [n for (n,) in conn.execute(text(
            "SELECT d.applicant_name FROM human_task t JOIN dossier d ON d.id = t.dossier_id "
            "WHERE t.state = 'ready' AND t.unit_id = :u LIMIT 50"), {"u": ward_id})]
    engine.dispose()
    official_of(url, ward)
    print(f"== {dossiers_n:,} dossiers, {events_n:,} events (planner estimates); ward {ward}: {ready:,} ready steps")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "NOW": lambda: NOW, "WTF_CSRF_ENABLED": False,
                      "LOOKUP_RATE_LIMIT": 10**9})
    app.config["TESTING"] = True
    official = app.test_client()
    assert official.post("/login", data={"username": f"bench_{ward}".lower(), "password": "demo1234"}).status_code \
        in (200, 302)
    public = app.test_client()
    pick = [rng.choice(codes) for _ in range(repeat)]
    lookups = [f"/tra-cuu/{c}" for c in pick]
    pages = {
        "worklist page 1": ["/worklist"] * repeat,
        "worklist, later page": [f"/worklist?page={rng.randrange(2, 40)}" for _ in range(repeat)],
        "worklist name search": [f"/worklist?q={rng.choice(names).split()[-1]}" for _ in range(repeat)],
        "dossier page": [f"/dossiers/{c}" for c in pick],
    }
    timed(official, ["/worklist", f"/dossiers/{codes[0]}"])  # warm up
    timed(public, [lookups[0]])
    load = os.getloadavg()
    for label, paths in pages.items():
        print(f"   {label:<24} {percentiles(timed(official, paths))}")
    print(f"   {'public lookup /tra-cuu':<24} {percentiles(timed(public, lookups))}")
    sessions = app.extensions["motcua"]["sessions"]
    quarter = sv.Period(2026, 1)
    for code in (ward, "H26"):
        times = []
        for _ in range(max(3, repeat // 8)):
            with sessions() as s:
                unit = sv.unit_by_code(s, code)
                started = time.perf_counter()
                sv.dashboard(s, unit, quarter, NOW)
                times.append(time.perf_counter() - started)
        print(f"   {'dashboard ' + quarter.key + ' ' + code:<24} {percentiles(times)}")
    print(f"   load average at start {load[0]:.2f} {load[1]:.2f}, now {os.getloadavg()[0]:.2f}")
    app.extensions["motcua"]["engine"].dispose()
    storage(url)


def storage(url: str) -> None:
    """Bytes per returned dossier: every table with its indexes and TOAST, over the returned dossiers."""
    engine = make_engine(url)
    with engine.connect() as conn:
        returned = conn.scalar(text("SELECT count(*) FROM dossier WHERE status = 'returned'"))
        rows = conn.execute(text(
            "SELECT c.relname, pg_total_relation_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public' "
            "ORDER BY 2 DESC")).all()
    engine.dispose()
    total = sum(r[1] for r in rows)
    print(f"   storage: {total / 2**20:,.0f} MiB for {returned:,} returned dossiers = "
          f"{total / max(returned, 1):,.0f} bytes per returned dossier")
    for name, size, indexes in rows[:6]:
        print(f"      {name:<16} {size / 2**20:8,.0f} MiB (indexes {indexes / 2**20:,.0f} MiB)"
              f"  {size / max(returned, 1):7,.0f} B/dossier")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("MOTCUA_TEST_POSTGRES_URL"))
    parser.add_argument("--db", default="motcua_scale")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--migrate", action="store_true", help="upgrade the kept database to the newest schema")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    if not args.pg:
        sys.exit("give --pg URL or set MOTCUA_TEST_POSTGRES_URL")
    url = database_url(args.pg, args.db)
    if args.generate:
        started = time.perf_counter()
        generate(args.pg, args.db, args.dossiers)
        print(f"   generated in {timedelta(seconds=int(time.perf_counter() - started))}")
    elif args.migrate:
        upgrade(url)
        with make_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    measure(url, args.repeat)


if __name__ == "__main__":
    main()
