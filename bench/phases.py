"""Benchmark: where a dossier lifecycle's time goes, phase by phase and statement by statement, on PostgreSQL.

The lifecycle is bench/lifecycles.py's (a birth registration created at the desk and taken through its four user
tasks, a transaction each). Prints the median wall and CPU time per lifecycle in this process, the time spent in
each phase of the step path (timed with perf_counter wrappers, so a phase includes what it calls), and each SQL
statement's time at the cursor (the database and the driver, not SQLAlchemy above it).

This machine's speed drifts by 10-40% between runs minutes apart: compare two commits by alternating runs of this
script, never by two single runs. For a commit REV:
    git worktree add /tmp/base REV && cp bench/phases.py /tmp/base/bench/ && ln -s $PWD/.venv /tmp/base/.venv
    for i in 1 2 3; do (cd /tmp/base && .venv/bin/python bench/phases.py --no-detail); \
                       .venv/bin/python bench/phases.py --no-detail; done

Usage: .venv/bin/python bench/phases.py [--dossiers 300] [--pg URL] [--no-detail]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from backends import demo_database, scratch_postgres, walk  # noqa: E402
from lifecycles import APPLICANT, PATH, PROCEDURE  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bpmn import process as bpmn_process  # noqa: E402
from engine.calendar.working import TZ  # noqa: E402
from engine.dossier import lifecycle, step, workflow  # noqa: E402
from engine.org import accounts  # noqa: E402

TIMES: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
PHASES = [(lifecycle, "open_step"), (lifecycle, "run_step"), (lifecycle, "_step_data"), (lifecycle, "create_dossier"),
          (step, "advance"), (step.notices, "dossier_changed"), (step.events, "append"), (step, "_finish"),
          (step.workflow_end, "workflow_completed"), (step.lateness, "classify_dossier"),
          (workflow, "load_workflow"), (workflow, "run_engine_steps"), (workflow, "sync_tasks"),
          (workflow, "save_workflow"), (bpmn_process.ParsedProcess, "dump"), (bpmn_process.ParsedProcess, "restore"),
          (Session, "commit"), (Session, "flush"), (accounts, "user_with_grants")]


def timed(owner, name: str) -> None:
    """Replace `owner.name` by a wrapper adding its wall time to TIMES (callers that imported it by name keep the
    original: the modules above are the ones that call these through their module)."""
    original = getattr(owner, name)
    label = f"{getattr(owner, '__name__', type(owner).__name__).rsplit('.', 1)[-1]}.{name}"

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            TIMES[label] += time.perf_counter() - started
            CALLS[label] += 1

    setattr(owner, name, wrapper)


class StatementTimer:
    """Each statement's time at the cursor, by its first 70 characters."""

    def __init__(self, engine) -> None:
        self.times: dict[str, list] = defaultdict(lambda: [0, 0.0])
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, _cursor, _statement, _params, _context, _many) -> None:
        conn.info["statement_started"] = time.perf_counter()

    def _after(self, conn, _cursor, statement, _params, _context, _many) -> None:
        entry = self.times[" ".join(statement.split())[:70]]
        entry[0] += 1
        entry[1] += time.perf_counter() - conn.info["statement_started"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=300)
    parser.add_argument("--pg", default=os.environ.get("MOTCUA_TEST_POSTGRES_URL"))
    parser.add_argument("--no-detail", action="store_true", help="only the medians (for alternating comparisons)")
    args = parser.parse_args()
    if not args.pg:
        sys.exit("give --pg URL or set MOTCUA_TEST_POSTGRES_URL")
    with scratch_postgres(args.pg) as url:
        now = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)
        engine, sessions, users = demo_database(url, now)

        def one(i: int) -> None:
            at = now + timedelta(seconds=i)
            with sessions() as s:
                dossier = lifecycle.create_dossier(s, accounts.user_with_grants(s, users["desk1"]), PROCEDURE,
                                                  "in_person", APPLICANT, {}, at)
                s.commit()
                dossier_id = dossier.id
            walk(sessions, users, dossier_id, PATH, at)

        for i in range(30):  # warm up: caches, connection pool, prepared plans
            one(i)
        walls, cpus = [], []
        for i in range(args.dossiers):
            wall, cpu = time.perf_counter(), time.process_time()
            one(100 + i)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        print(f"== {args.dossiers} lifecycles: wall median {statistics.median(walls) * 1000:.2f} ms, "
              f"CPU in this process median {statistics.median(cpus) * 1000:.2f} ms")
        if args.no_detail:
            engine.dispose()
            return
        for owner, name in PHASES:
            timed(owner, name)
        statements = StatementTimer(engine)
        count = args.dossiers
        started = time.perf_counter()
        for i in range(count):
            one(10_000 + i)
        total = time.perf_counter() - started
        engine.dispose()
    print(f"== phases (with the wrappers: {total / count * 1000:.2f} ms per lifecycle); a phase includes its callees")
    for label, seconds in sorted(TIMES.items(), key=lambda kv: -kv[1]):
        print(f"   {label:<34} {seconds / count * 1000:7.2f} ms per lifecycle  ({CALLS[label] / count:.1f} calls)")
    spent = sum(seconds for _n, seconds in statements.times.values())
    print(f"== statements at the cursor: {spent / count * 1000:.2f} ms per lifecycle")
    for text, (calls, seconds) in sorted(statements.times.items(), key=lambda kv: -kv[1][1]):
        print(f"   {seconds / count * 1000:6.2f} ms  {calls / count:4.1f}×  {seconds / calls * 1000:5.2f} ms each  {text}")


if __name__ == "__main__":
    main()
