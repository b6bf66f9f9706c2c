"""Benchmark: the CPU one SQL statement costs through SQLAlchemy Core, through exec_driver_sql and on raw psycopg.

What #24's "within 2× of the floor" weighs: the floor (bench/floor.py) sends its statements on raw psycopg, the
engine through SQLAlchemy. One UPDATE and one single-row SELECT by primary key, on a scratch PostgreSQL table,
each run 3,000 times after 200 to warm up; prints the CPU and wall time per statement in this process.

Usage: .venv/bin/python bench/statement_cost.py [--pg URL] [--count 3000]
PostgreSQL is --pg or MOTCUA_TEST_POSTGRES_URL; a scratch database is created and dropped.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from backends import scratch_postgres  # noqa: E402
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, create_engine, select, update  # noqa: E402

ROWS = 100


def measure(url: str, count: int) -> None:
    engine = create_engine(url)
    metadata = MetaData()
    table = Table("bench_row", metadata, Column("id", Integer, primary_key=True), Column("a", String),
                  Column("b", Integer))
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"id": i, "a": "x", "b": 0} for i in range(ROWS)])
    core_update = update(table).where(table.c.id == bindparam("k")).values(b=bindparam("v"))
    core_select = select(table).where(table.c.id == bindparam("k"))
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        cases = [
            ("UPDATE, SQLAlchemy Core", lambda i: conn.execute(core_update, {"k": i % ROWS, "v": i})),
            ("UPDATE, exec_driver_sql", lambda i: conn.exec_driver_sql(
                "UPDATE bench_row SET b=%(v)s WHERE id=%(k)s", {"k": i % ROWS, "v": i})),
            ("UPDATE, raw psycopg", lambda i: raw.execute("UPDATE bench_row SET b=%(v)s WHERE id=%(k)s",
                                                          {"k": i % ROWS, "v": i})),
            ("SELECT, SQLAlchemy Core", lambda i: conn.execute(core_select, {"k": i % ROWS}).first()),
            ("SELECT, raw psycopg", lambda i: raw.execute("SELECT id, a, b FROM bench_row WHERE id=%(k)s",
                                                          {"k": i % ROWS}).fetchone()),
        ]
        for name, run in cases:
            for i in range(200):
                run(i)
            cpu, wall = time.process_time(), time.perf_counter()
            for i in range(count):
                run(i)
            print(f"   {name:26s} CPU {(time.process_time() - cpu) / count * 1e6:6.0f} µs · "
                  f"wall {(time.perf_counter() - wall) / count * 1e6:6.0f} µs per statement")
        conn.rollback()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("MOTCUA_TEST_POSTGRES_URL"))
    parser.add_argument("--count", type=int, default=3000)
    args = parser.parse_args()
    if not args.pg:
        sys.exit("PostgreSQL is needed: --pg URL or MOTCUA_TEST_POSTGRES_URL")
    print(f"== one statement, {args.count} times, PostgreSQL")
    with scratch_postgres(args.pg) as url:
        measure(url, args.count)


if __name__ == "__main__":
    main()
