"""Benchmark: time to settle a fee by the gateway's signed callback, and to answer a replay, per backend.

Usage: .venv/bin/python bench/payment_callbacks.py [--dossiers 100] [--pg URL]
Each dossier is a building permit brought to its fee step; then one callback settles it (which also
runs the process on to the next step) and the same callback again is answered as already recorded.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from backends import arguments, demo_database, each_backend, walk  # noqa: E402
from sqlalchemy import select  # noqa: E402

from engine.calendar.working import TZ  # noqa: E402
from engine.dossier import (
    lifecycle,  # noqa: E402
    payments,
)
from engine.integrations.payment_gateway import sign  # noqa: E402
from engine.models import Payment, User  # noqa: E402

SECRET = "bench-secret"
APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001099000001"}
TO_FEE = [("desk1", {"intake_decision": "receive"}),
          ("specialist1", {"appraisal_decision": "propose_approve", "appraisal_opinion": "Hồ sơ hợp lệ"})]


def awaiting_fee(sessions, users: dict, now: datetime) -> int:
    with sessions() as s:
        dossier = lifecycle.create_dossier(s, s.get(User, users["desk1"]), "1.013225", "in_person", APPLICANT, {}, now)
        s.commit()
        dossier_id = dossier.id
    walk(sessions, users, dossier_id, TO_FEE, now)
    with sessions() as s:
        return s.scalar(select(Payment.id).where(Payment.dossier_id == dossier_id))


def timed(sessions, body: bytes, now: datetime) -> tuple[float, int]:
    with sessions() as s:
        started = time.perf_counter()
        answer = payments.handle_callback(s, body, sign(SECRET, body), SECRET, now)
        s.commit()
        return time.perf_counter() - started, answer.status


def run(name: str, url: str, count: int) -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    engine, sessions, users = demo_database(url, now)
    settle, replay = [], []
    for i in range(count):
        payment_id = awaiting_fee(sessions, users, now)
        body = json.dumps({"order_id": f"MC{payment_id}", "transaction_id": f"BENCH-{i}", "amount": 75000,
                           "status": "paid"}).encode()
        for into in (settle, replay):
            seconds, status = timed(sessions, body, now)
            assert status == 200
            into.append(seconds * 1000)
    engine.dispose()
    for label, values in (("settle (callback → paid → next step)", settle), ("replay (already recorded)", replay)):
        values.sort()
        print(f"== {name}, {count} dossiers: {label}: median {statistics.median(values):.1f} ms, "
              f"p95 {values[int(len(values) * 0.95) - 1]:.1f} ms")


if __name__ == "__main__":
    args = arguments(100)
    each_backend(args, lambda name, url: run(name, url, args.dossiers))
