"""Benchmark: SQL statements and in-process CPU per request of the official's loop, which load cannot blur.

Usage: .venv/bin/python bench/statements.py [--dossiers 20] [--pg URL] [--no-sqlite] [--show KIND]

The loop is bench/user_loop.py's (open a birth registration, then per step read the worklist by code and
complete the step), played through Flask's test client against a migrated demo database. For each kind of
request it prints the median number of SQL statements the request sent, and the median CPU time of the
process (time.process_time) the request took. `--show create|worklist|complete|approve` prints the
statements of the last request of that kind, to see which ones could go.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backends import each_backend  # noqa: E402
from http_api import APPLICANT, PHASES, migrated_demo, signing_settings  # noqa: E402
from sqlalchemy import event  # noqa: E402


def kind_of(element: str) -> str:
    return "approve" if element == "Task_Approve" else "complete"


def run(name: str, url: str, dossiers: int, show: str | None) -> None:
    from webapp import create_app

    migrated_demo(url)
    settings = {key.removeprefix("MOTCUA_"): value for key, value in signing_settings().items()}
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-secret-key-bench-secret-key", "TESTING": True,
                      "STORAGE_DIR": "/tmp/motcua-bench-storage", **settings})
    engine = app.extensions["motcua"]["engine"]
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, statement, *_a: seen.append(statement))
    client = app.test_client()
    tokens = {user: client.post("/api/v1/auth/token", json={"username": user, "password": "demo1234"}).json["token"]
              for user in {u for _e, u, _d in PHASES}}
    counts, cpu, last = defaultdict(list), defaultdict(list), {}

    def timed(kind: str, method: str, path: str, user: str, body: dict | None = None):
        seen.clear()
        started = time.process_time()
        response = client.open(path, method=method, json=body, headers={"Authorization": f"Bearer {tokens[user]}"})
        cpu[kind].append(time.process_time() - started)
        counts[kind].append(len(seen))
        last[kind] = list(seen)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.get_data(as_text=True)}")
        return response.json

    for _ in range(dossiers):
        code = timed("create", "POST", "/api/v1/dossiers", "desk1", {
            "procedure_code": "1.001193", "channel": "in_person", "applicant": APPLICANT, "data": {}})["code"]
        for element, user, data in PHASES:
            listing = timed("worklist", "GET", f"/api/v1/tasks?q={code}", user)
            task = next(t for t in listing["items"] if t["element_id"] == element)
            timed(kind_of(element), "POST", f"/api/v1/tasks/{task['id']}/complete", user, {"data": data})
    print(f"== {name}: {dossiers} dossiers")
    print(f"{'request':<10} {'statements (median)':>20} {'CPU ms (median)':>16} {'CPU ms (p95)':>13}")
    for kind in ("create", "worklist", "complete", "approve"):
        ms = sorted(1000 * t for t in cpu[kind][1:] or cpu[kind])  # the first of each kind warms caches
        print(f"{kind:<10} {statistics.median(counts[kind]):>20.0f} {statistics.median(ms):>16.1f} "
              f"{ms[int(0.95 * (len(ms) - 1))]:>13.1f}")
    if show:
        print(f"-- statements of the last {show}:")
        for statement in last.get(show, []):
            print("  ", " ".join(statement.split())[:300])
    app.extensions["motcua"]["engine"].dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=20)
    parser.add_argument("--pg", help="a PostgreSQL server URL (a scratch database is made on it)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--show", choices=("create", "worklist", "complete", "approve"))
    args = parser.parse_args()
    each_backend(args, lambda name, url: run(name, url, args.dossiers, args.show))


if __name__ == "__main__":
    main()
