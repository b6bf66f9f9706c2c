"""Benchmark: engine time per task completion on SQLite and PostgreSQL, and the stored state's size.

Usage: .venv/bin/python bench/task_completion.py [--dossiers 200] [--pg URL]
PostgreSQL is used when --pg or MOTCUA_TEST_POSTGRES_URL is given; a scratch database is created
and dropped. Prints one block of numbers per backend.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from backends import arguments, demo_database, each_backend  # noqa: E402
from sqlalchemy import select  # noqa: E402

from engine.calendar.working import TZ  # noqa: E402
from engine.dossier import lifecycle  # noqa: E402
from engine.models import HumanTask, User, WorkflowState  # noqa: E402

APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001099000001", "phone": "0912345678"}
PATH = [("desk1", {"intake_decision": "receive"}),
        ("specialist1", {"appraisal_decision": "propose_approve", "appraisal_opinion": "Hồ sơ hợp lệ"}),
        ("leader1", {"approval_decision": "approve"}),
        ("desk1", {"return_method": "desk", "receiver_name": "Nguyễn Văn An"})]


def run(url: str, count: int) -> dict:
    now = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)
    engine, sessions, users = demo_database(url, now)
    timings, sizes, creations = [], {}, []
    for _ in range(count):
        with sessions() as s:
            started = time.perf_counter()
            dossier = lifecycle.create_dossier(s, s.get(User, users["desk1"]), "1.001193", "in_person",
                                              APPLICANT, {}, now)
            s.commit()
            creations.append(time.perf_counter() - started)
            dossier_id = dossier.id
        for step, (username, data) in enumerate(PATH):
            with sessions() as s:
                task_id = s.scalar(select(HumanTask.id).where(HumanTask.dossier_id == dossier_id,
                                                               HumanTask.state == "ready"))
                user = s.get(User, users[username])
                started = time.perf_counter()
                lifecycle.complete_task(s, task_id, user, data, now)
                s.commit()
                timings.append(time.perf_counter() - started)
                state = s.get(WorkflowState, dossier_id)
                sizes.setdefault(step, []).append(len(json.dumps(state.state, separators=(",", ":"))))
        now += timedelta(minutes=1)
    engine.dispose()
    return {"creations": creations, "timings": timings, "sizes": sizes}


def report(name: str, result: dict) -> None:
    t = sorted(result["timings"])
    c = sorted(result["creations"])
    print(f"== {name}: {len(c)} dossiers, {len(t)} task completions")
    print(f"   complete_task + commit: median {statistics.median(t) * 1000:.2f} ms, "
          f"p95 {t[int(len(t) * 0.95)] * 1000:.2f} ms, min {t[0] * 1000:.2f} ms")
    print(f"   create_dossier + commit: median {statistics.median(c) * 1000:.2f} ms")
    labels = ["after intake", "after appraisal", "after approval", "after return (completed)"]
    for step, label in enumerate(labels):
        print(f"   stored workflow state {label}: {statistics.median(result['sizes'][step]):,.0f} bytes")


def main() -> None:
    args = arguments(200)
    each_backend(args, lambda name, url: report(name, run(url, args.dossiers)))


if __name__ == "__main__":
    main()
