"""Benchmark: what an official's client does, end to end, through gunicorn and PostgreSQL.

Usage: .venv/bin/python bench/user_loop.py [--dossiers 200] [--clients 1,4] [--workers N] [--port P]
       [--no-scheduler] [--return-later N] [--pg URL]

Each client, in a loop until `--dossiers` dossiers are done in all: opens a birth registration at the desk
(POST /api/v1/dossiers as desk1), then for each of its four user tasks (intake, appraisal, approval,
return) reads the worklist of the official who holds it, searching by the dossier's code
(GET /api/v1/tasks?q=CODE), and completes the task it finds (POST /api/v1/tasks/{id}/complete). Nothing
is prepared outside the timing. gunicorn runs as the README serves it (gunicorn.conf.py: one sync worker
per core, unless `--workers`). Prints dossiers per second and the p50/p95 latency of each kind of request
as the clients saw them; the clients share the machine with the server. One `motcua scheduler` runs beside
gunicorn, as the README serves it (unless `--no-scheduler`): it signs the results the approvals queued
(engine.printing.issuance), and the return step signs on demand whatever it has not reached yet, so its CPU
is counted with the server's. With `--return-later N` each client hands a result over N dossiers after it
approved it, as the desk does when the citizen comes back: by then the scheduler has usually signed it, so the
return step no longer signs inside the request; the signing's CPU is still counted (the scheduler's).

Wall-clock rates need a quiet machine. The CPU each side spent (gunicorn's workers, the PostgreSQL
backends of the scratch database, the clients) is read from /proc before and after, so the cost per
dossier and per completion can be compared on a busy one too; "on idle cores" is what the cores could do
if the loop had them to itself (cores / CPU seconds per dossier, clients included).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_api as h  # noqa: E402
from backends import scratch_postgres  # noqa: E402


class CpuMeter:
    """CPU spent by gunicorn's workers and by the database's PostgreSQL backends between two readings."""

    def __init__(self, master: int, database: str, scheduler: int | None = None):
        self.master, self.database, self.scheduler = master, database, scheduler

    def reading(self) -> dict[str, dict[int, float]]:
        workers = h.processes(lambda ppid, _cmd: ppid == self.master)
        backends = h.processes(lambda _ppid, cmd: cmd.startswith("postgres: ") and f" {self.database} " in cmd)
        scheduler = [self.scheduler] if self.scheduler else []
        return {"gunicorn": {p: h.cpu_seconds(p) for p in workers},
                "scheduler": {p: h.cpu_seconds(p) for p in scheduler},
                "postgres": {p: h.cpu_seconds(p) for p in backends}}

    @staticmethod
    def spent(before: dict, after: dict) -> dict[str, float]:
        return {side: sum(t - before[side].get(p, 0.0) for p, t in after[side].items()) for side in after}


def one_dossier(port: int, tokens: dict[str, str], timings: dict[str, list[float]], phases=h.PHASES) -> str:
    """Open one dossier and take it through `phases` (default all four steps), timing each request; its code."""
    started = time.perf_counter()
    status, body = h.call(port, "POST", "/api/v1/dossiers", {"procedure_code": "1.001193", "channel": "in_person",
                                                           "applicant": h.APPLICANT, "data": {}}, tokens["desk1"])
    timings["create"].append(time.perf_counter() - started)
    if status != 201 and status != 200:
        raise RuntimeError(f"create answered {status}: {body}")
    code = body["code"]
    for phase in phases:
        take_step(port, tokens, timings, code, phase)
    return code


def take_step(port: int, tokens: dict[str, str], timings: dict[str, list[float]], code: str, phase) -> None:
    """Read the worklist of the official who holds the step, searching by code, and complete the step."""
    element, user, data = phase
    started = time.perf_counter()
    status, listing = h.call(port, "GET", f"/api/v1/tasks?q={code}", None, tokens[user])
    timings["worklist"].append(time.perf_counter() - started)
    task = next((t for t in listing.get("items", []) if t["element_id"] == element), None)
    if task is None:
        raise RuntimeError(f"{user} does not see {element} of {code}: {status} {listing}")
    started = time.perf_counter()
    status, answer = h.call(port, "POST", f"/api/v1/tasks/{task['id']}/complete", {"data": data}, tokens[user])
    timings["complete"].append(time.perf_counter() - started)
    timings[element].append(timings["complete"][-1])
    if status != 200:
        raise RuntimeError(f"completing {element} of {code} answered {status}: {answer}")


def measure(port: int, tokens: dict[str, str], dossiers: int, clients: int, meter: CpuMeter, later: int = 0) -> None:
    timings: dict[str, list[float]] = defaultdict(list)
    remaining = [dossiers]
    lock = threading.Lock()
    failures: list[str] = []

    def client() -> None:
        approved: list[str] = []  # with `later`, returned that many dossiers after their approval
        while True:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            try:
                if later:
                    approved.append(one_dossier(port, tokens, timings, h.PHASES[:3]))
                    if len(approved) > later:
                        take_step(port, tokens, timings, approved.pop(0), h.PHASES[3])
                else:
                    one_dossier(port, tokens, timings)
            except RuntimeError as err:
                failures.append(str(err))
        for code in approved:
            try:
                take_step(port, tokens, timings, code, h.PHASES[3])
            except RuntimeError as err:
                failures.append(str(err))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    load = os.getloadavg()[0]
    before, client_before = meter.reading(), time.process_time()
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    cpu = meter.spent(before, meter.reading()) | {"clients": time.process_time() - client_before}
    done = dossiers - len(failures)
    steps = [kind for kind in timings if kind.startswith("Task_")]
    parts = [f"{kind} p50 {h.percentile(sorted(v), 0.5):5.1f} ms p95 {h.percentile(sorted(v), 0.95):5.1f} ms"
             for kind, v in timings.items() if kind not in steps]
    print(f"   {clients} client(s): {done} dossiers in {elapsed:5.1f} s = {done / elapsed:5.1f} dossiers/s · "
          + " · ".join(parts) + f" · {len(failures)} failed · load {load:.1f} → {os.getloadavg()[0]:.1f}")
    print("      completion p50 by step: " + " · ".join(
        f"{kind.removeprefix('Task_')} {h.percentile(sorted(timings[kind]), 0.5):5.1f} ms" for kind in steps))
    per_dossier = sum(cpu.values()) / max(done, 1)
    ms = {side: seconds / max(done, 1) * 1000 for side, seconds in cpu.items()}
    print(f"      CPU per dossier (9 requests): gunicorn {ms['gunicorn']:5.1f} ms ({ms['gunicorn'] / 9:4.1f} per request),"
          f" scheduler {ms['scheduler']:5.1f} ms, PostgreSQL {ms['postgres']:5.1f} ms, clients {ms['clients']:5.1f} ms"
          f" → on {os.cpu_count()} idle cores ≈ {(os.cpu_count() or 1) / per_dossier:5.1f} dossiers/s")
    if failures:
        print(f"      e.g. {failures[0]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=200, help="dossiers per client count")
    parser.add_argument("--clients", default="1,4", help="client counts to run, comma separated")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="sync workers (README: one per core)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--no-scheduler", action="store_true", help="no `motcua scheduler` beside gunicorn")
    parser.add_argument("--return-later", type=int, default=0, metavar="N",
                        help="each client returns a dossier's result N dossiers after approving it, as a desk does "
                             "when the citizen comes back (the scheduler has signed it by then); 0: at once")
    parser.add_argument("--pg", default=os.environ.get("MOTCUA_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.pg:
        sys.exit("give --pg URL or set MOTCUA_TEST_POSTGRES_URL")
    with scratch_postgres(args.pg) as url:
        h.migrated_demo(url)
        port = args.port or h.free_port()
        server = h.start_gunicorn(url, args.workers, 1, port)
        scheduler = None if args.no_scheduler else subprocess.Popen(
            [str(h.ROOT / ".venv/bin/motcua"), "scheduler"], cwd=h.ROOT, env=h.server_env(url), start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=open("/tmp/motcua-bench-scheduler.log", "ab"))  # noqa: SIM115
        try:
            users = {"desk1"} | {user for _e, user, _d in h.PHASES}
            tokens = {u: h.call(port, "POST", "/api/v1/auth/token", {"username": u, "password": "demo1234"})[1]["token"]
                      for u in users}
            one_dossier(port, tokens, defaultdict(list))  # warm every worker's caches once
            print(f"== create, read the worklist, complete: 4 user tasks per dossier, gunicorn {args.workers} "
                  f"sync workers, PostgreSQL" + (f", each result returned {args.return_later} dossiers after its "
                                                 "approval" if args.return_later else ""))
            meter = CpuMeter(server.pid, url.rsplit("/", 1)[1], scheduler.pid if scheduler else None)
            for clients in (int(n) for n in args.clients.split(",")):
                measure(port, tokens, args.dossiers, clients, meter, args.return_later)
        finally:
            h.stop(server)
            if scheduler is not None:
                h.stop(scheduler)


if __name__ == "__main__":
    main()
