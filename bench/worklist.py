"""Benchmark: server time of the worklist page with many dossiers in the database.

Usage: .venv/bin/python bench/worklist.py [--dossiers 100000] [--pg URL]
Rows are bulk-inserted (dossiers spread over the demo wards and procedures, each with one ready
step of a role), then the worklist page is requested through the Flask test client as desk1 and
specialist1, plain, searched and filtered. Prints medians of 20 requests each.
"""
from __future__ import annotations

import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from backends import arguments, each_backend  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from engine.calendar.working import TZ  # noqa: E402
from engine.ground.db import make_engine, make_session_factory  # noqa: E402
from engine.ground.migrate import upgrade  # noqa: E402
from engine.ground.search_text import fold  # noqa: E402
from engine.models import Dossier, HumanTask, Procedure, Unit  # noqa: E402
from engine.operations.demo import load_demo  # noqa: E402

STEPS = [("Task_Intake", "Tiếp nhận hồ sơ", "mot_cua", "intake", "submitted"),
         ("Task_Appraise", "Thẩm định hồ sơ", "chuyen_vien", "appraisal", "received"),
         ("Task_Approve", "Phê duyệt kết quả", "lanh_dao", "approval", "in_progress"),
         ("Task_Return", "Trả kết quả", "mot_cua", "return", "done")]
NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def fill(url: str, count: int) -> None:
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        load_demo(s, NOW)
        s.commit()
        wards = [u.id for u in s.scalars(select(Unit).where(Unit.level == "commune"))]
        versions = [p.current_version_id for p in s.scalars(select(Procedure))]
    rng = random.Random(7)
    started, batch = time.perf_counter(), 5000
    with engine.begin() as conn:
        for first in range(0, count, batch):
            dossiers, tasks = [], []
            for i in range(first, min(count, first + batch)):
                element, name, role, kind, status = STEPS[i % 4]
                at = NOW - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
                due = at + timedelta(days=rng.randint(0, 20))
                dossiers.append({"id": i + 1, "code": f"B{i // 9999:05d}-260101-{i % 9999 + 1:04d}",
                                 "procedure_version_id": versions[i % len(versions)], "unit_id": wards[i % len(wards)],
                                 "channel": "in_person", "status": status,
                                 "applicant": {"name": f"{NAMES[i % 8]} Văn {i}"},
                                 "applicant_name": f"{NAMES[i % 8]} Văn {i}", "applicant_id_number": f"{i:012d}",
                                 "applicant_name_folded": fold(f"{NAMES[i % 8]} Văn {i}"),  # no ORM listener here
                                 "data": {}, "checklist": [], "submitted_at": at, "received_at": at, "due_at": due,
                                 "supplements_in_handling": 0})
                tasks.append({"dossier_id": i + 1, "task_uuid": str(uuid.UUID(int=i + 1)), "element_id": element,
                              "name": name, "role": role, "kind": kind, "form_id": kind, "unit_id": wards[i % len(wards)],
                              "state": "ready" if i % 10 < 3 else "completed", "created_at": at,
                              "due_at": at + timedelta(hours=rng.randint(1, 40))})
            conn.execute(insert(Dossier), dossiers)
            conn.execute(insert(HumanTask), tasks)
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    print(f"   generated {count:,} dossiers in {time.perf_counter() - started:.1f} s")
    engine.dispose()


def measure(url: str) -> None:
    from webapp import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "NOW": lambda: NOW, "WTF_CSRF_ENABLED": False})
    for username, queries in (("desk1", ["", "?q=Nguy%E1%BB%85n", "?procedure=1.001612", "?page=40"]),
                              ("specialist1", ["", "?q=000000012345"])):
        client = app.test_client()
        client.post("/login", data={"username": username, "password": "demo1234"})
        for query in queries:
            times = []
            for _ in range(20):
                started = time.perf_counter()
                res = client.get("/worklist" + query)
                times.append(time.perf_counter() - started)
                assert res.status_code == 200
            print(f"   {username:<12} /worklist{query:<28} median {statistics.median(times) * 1000:7.1f} ms")
    app.extensions["motcua"]["engine"].dispose()


def main() -> None:
    args = arguments(100_000)

    def work(name: str, url: str) -> None:
        print(f"== {name}, {args.dossiers:,} dossiers")
        upgrade(url)
        fill(url, args.dossiers)
        measure(url)
    each_backend(args, work)


if __name__ == "__main__":
    main()
