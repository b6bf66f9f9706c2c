"""Benchmark: dossier lifecycles per second through the engine on PostgreSQL, beside SpiffWorkflow in memory.

A lifecycle is one birth-registration dossier (1.001193) created at the desk and taken through its four
user tasks: receive, appraise, approve, return. The engine runs it through engine.dossier.lifecycle (create_dossier,
complete_task, one transaction each, as the web app does); the in-memory run drives the same parsed BPMN
with SpiffWorkflow alone (no database, no serialization). Both run in the same process, back to back.

Usage: .venv/bin/python bench/lifecycles.py [--dossiers 300] [--pg URL] [--profile out.html]
PostgreSQL is --pg or MOTCUA_TEST_POSTGRES_URL; a scratch database is created and dropped.
--profile writes a pyinstrument HTML profile of the engine run (pip install pyinstrument).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from backends import demo_database, scratch_postgres, walk  # noqa: E402
from floor import floor_lifecycles  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402
from sqlalchemy import event, select, text  # noqa: E402

from engine.calendar.working import TZ  # noqa: E402
from engine.catalogue.procedures import get_procedure, process_of  # noqa: E402
from engine.dossier import lifecycle  # noqa: E402
from engine.dossier.timers import attach  # noqa: E402
from engine.dossier.workflow import run_engine_steps  # noqa: E402
from engine.ground.db import make_engine, make_session_factory  # noqa: E402
from engine.org.accounts import user_with_grants  # noqa: E402

PROCEDURE = "1.001193"
APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001099000001", "phone": "0912345678",
             "email": "an@example.vn"}
PATH = [("desk1", {"intake_decision": "receive"}),
        ("specialist1", {"appraisal_decision": "propose_approve", "appraisal_opinion": "Hồ sơ hợp lệ"}),
        ("leader1", {"approval_decision": "approve"}),
        ("desk1", {"return_method": "desk", "receiver_name": "Nguyễn Văn An"})]


class StatementCounter:
    """Counts the SQL statements an engine sends, by their first word."""

    def __init__(self, engine) -> None:
        self.kinds: Counter[str] = Counter()
        self.on = False
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, _params, _context, _many) -> None:
        if self.on:
            self.kinds[statement.split(None, 1)[0].upper()] += 1


def engine_lifecycles(url: str, count: int, profile: str | None) -> dict:
    """Run `count` lifecycles through engine.dossier.lifecycle; timings per lifecycle and statements per step."""
    now = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)
    engine, sessions, users = demo_database(url, now)
    counter = StatementCounter(engine)

    def one_lifecycle(now: datetime, task_ids: list[int] | None = None) -> None:
        with sessions() as s:
            dossier = lifecycle.create_dossier(s, user_with_grants(s, users["desk1"]), PROCEDURE, "in_person",
                                              APPLICANT, {}, now)
            s.commit()
            dossier_id = dossier.id
        walk(sessions, users, dossier_id, PATH, now)

    for i in range(20):  # warm up: caches, connection pool, prepared plans
        one_lifecycle(now + timedelta(seconds=i))
    # statements of one lifecycle, counted apart from the timed run
    counter.on = True
    one_lifecycle(now + timedelta(minutes=1))
    counter.on = False
    per_lifecycle = dict(counter.kinds)
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    times = []
    started = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        one_lifecycle(now + timedelta(minutes=2, seconds=i))
        times.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    if profiler:
        profiler.stop()
        Path(profile).write_text(profiler.output_text(unicode=False, show_all=False) if profile.endswith(".txt")
                                 else profiler.output_html())
        print(profiler.output_text(unicode=True, color=False, show_all=False)[:6000])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # as autovacuum would: dead row versions of the updates freed
        returned = conn.scalar(text("SELECT count(*) FROM dossier WHERE status = 'returned'"))
        tables = conn.execute(SIZES).all()
        state = conn.execute(text("SELECT avg(pg_column_size(state)), avg(length(state::text)) FROM workflow_state")).one()
        conn.execute(text("VACUUM FULL"))  # rewritten compactly: what the dossiers themselves take
        compact = {name: size for name, size, _indexes in conn.execute(SIZES)}
    engine.dispose()
    return {"rate": count / elapsed, "times": times, "statements": per_lifecycle, "returned": returned,
            "tables": tables, "state": state, "compact": compact}


SIZES = text(
    "SELECT c.relname, pg_total_relation_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public' "
    "AND c.relname NOT IN ('procedure_version', 'procedure', 'unit', 'user_account', 'role_grant', "
    "'calendar_day', 'procedure_unit', 'alembic_version') AND c.relname NOT LIKE 'floor_%' ORDER BY 2 DESC")


def spec_and_dossier(url: str):
    """The parsed process of the procedure, and a dossier whose unit lends its calendar to the BPMN timers."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as s:
        procedure = get_procedure(s, PROCEDURE)
        process = process_of(procedure.current_version)
        from engine.models import Dossier
        dossier = s.scalars(select(Dossier).limit(1)).first()
        dossier.unit  # noqa: B018 - load it, the in-memory run keeps no session
    engine.dispose()
    return process, dossier


def memory_lifecycles(url: str, count: int, serialize: bool = False) -> dict:
    """The same lifecycles with SpiffWorkflow alone: the parsed spec, no database, no serialization.

    With `serialize`, the state is dumped after each start or step and restored before the next one, as a
    persistent engine must, still without a database."""
    process, dossier = spec_and_dossier(url)
    now = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)

    def lifecycle() -> None:
        workflow = process.new_workflow()
        attach(workflow, dossier, now)  # the same working-time clock for the BPMN timers
        workflow.data["dossier"] = {"code": "X", "channel": "in_person"}
        run_engine_steps(workflow)
        for _username, data in PATH:
            if serialize:
                workflow = process.restore(process.dump(workflow))
                attach(workflow, dossier, now)
            task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
            task.data.update(data)
            task.run()
            run_engine_steps(workflow)
        if serialize:
            process.dump(workflow)
        if not workflow.completed:
            raise RuntimeError("the in-memory workflow did not complete")

    for _ in range(20):
        lifecycle()
    times = []
    started = time.perf_counter()
    for _ in range(count):
        t0 = time.perf_counter()
        lifecycle()
        times.append(time.perf_counter() - t0)
    return {"rate": count / (time.perf_counter() - started), "times": times}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=300)
    parser.add_argument("--pg", default=os.environ.get("MOTCUA_TEST_POSTGRES_URL"))
    parser.add_argument("--profile", help="write a pyinstrument HTML profile of the engine run here")
    args = parser.parse_args()
    if not args.pg:
        sys.exit("give --pg URL or set MOTCUA_TEST_POSTGRES_URL")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    with scratch_postgres(args.pg) as url:
        engine = engine_lifecycles(url, args.dossiers, args.profile)
        memory = memory_lifecycles(url, args.dossiers)
        serialized = memory_lifecycles(url, args.dossiers, serialize=True)
        process, dossier = spec_and_dossier(url)
        floor = floor_lifecycles(url, args.dossiers, process, dossier, PATH, datetime(2026, 3, 2, 8, 0, tzinfo=TZ))
    statements = engine["statements"]
    total = sum(statements.values())
    print(f"== {args.dossiers} lifecycles (create + receive, appraise, approve, return)")
    for name, result in (("engine on PostgreSQL", engine), ("SpiffWorkflow in memory", memory),
                         ("in memory + dump/restore", serialized), ("floor: raw psycopg", floor)):
        t = sorted(result["times"])
        print(f"   {name:<24} {result['rate']:8.1f} lifecycles/s   median {statistics.median(t) * 1000:7.2f} ms"
              f"   p95 {t[int(len(t) * 0.95)] * 1000:7.2f} ms")
    print(f"   engine / in-memory: {engine['rate'] / memory['rate']:.1%} (target ≥ 40%); the floor, the same durable "
          f"writes hand-written without an ORM (bench/floor.py): {floor['rate'] / memory['rate']:.1%} of in-memory; "
          f"engine / floor: {engine['rate'] / floor['rate']:.0%}; dumping and restoring the state at each step, with "
          f"no database at all: {serialized['rate'] / memory['rate']:.0%} of in-memory")
    print(f"   SQL statements per lifecycle: {total} ({total / 5:.1f} per transaction) — "
          + ", ".join(f"{k} {v}" for k, v in sorted(statements.items())))
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    storage(engine)


def storage(result: dict) -> None:
    """Bytes per returned dossier: the dossier tables with indexes and TOAST (not the catalogue, users, units),
    after VACUUM (dead versions of updated rows freed for reuse, still on disk) and after VACUUM FULL (none)."""
    total, returned = sum(row[1] for row in result["tables"]), result["returned"]
    compact = sum(result["compact"].values())
    stored, text_length = result["state"]
    print(f"== storage: {total:,} bytes for {returned:,} returned dossiers = {total / returned:,.0f} bytes each "
          f"after VACUUM, {compact / returned:,.0f} after VACUUM FULL (small tables round up to 8 KiB pages: use "
          f"--dossiers 2000 or more); workflow state {stored:,.0f} bytes stored ({text_length:,.0f} as JSON text)")
    for name, size, indexes in result["tables"][:8]:
        print(f"   {name:<16} {size / returned:8,.0f} B/dossier (indexes {indexes / returned:,.0f}); "
              f"{result['compact'].get(name, 0) / returned:8,.0f} after VACUUM FULL")


if __name__ == "__main__":
    main()
