"""Benchmark: user-task completions per second through the REST API, gunicorn and PostgreSQL.

Usage: .venv/bin/python bench/http_api.py [--dossiers 300] [--clients 8] [--configs 2x1,3x1,4x1,2x4] [--repeat 1]
       [--pg URL]

A scratch PostgreSQL database gets the demo data; for each gunicorn configuration (workers x threads,
sync workers when threads is 1, gthread otherwise) `--dossiers` birth registrations are opened at the
desk through the engine, then gunicorn is started and `--clients` client threads complete their steps
over HTTP (POST /api/v1/tasks/<id>/complete with each official's bearer token): every intake step, then
every appraisal, every approval and every return (four phases; the ready step ids are read from the
database between phases, outside the timing). Prints completions per second and p50/p95/p99 latency
as the clients saw them, per configuration. The clients run on the same machine and take some CPU.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from backends import scratch_postgres  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from engine.dossier import lifecycle  # noqa: E402
from engine.ground.db import make_engine, make_session_factory  # noqa: E402
from engine.ground.migrate import upgrade  # noqa: E402
from engine.models import User  # noqa: E402
from engine.operations.demo import load_demo  # noqa: E402

APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001099000001", "phone": "0912345678",
             "email": "an@example.vn"}
PHASES = [("Task_Intake", "desk1", {"intake_decision": "receive"}),
          ("Task_Appraise", "specialist1", {"appraisal_decision": "propose_approve",
                                             "appraisal_opinion": "Hồ sơ hợp lệ"}),
          ("Task_Approve", "leader1", {"approval_decision": "approve"}),
          ("Task_Return", "desk1", {"return_method": "desk", "receiver_name": "Nguyễn Văn An"})]


def open_dossiers(url: str, count: int) -> None:
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        desk = s.scalar(select(User).where(User.username == "desk1"))
        now = datetime.now(UTC)
        for _ in range(count):
            lifecycle.create_dossier(s, desk, "1.001193", "in_person", APPLICANT, {}, now)
        s.commit()
    engine.dispose()


def ready_ids(url: str, element: str) -> list[int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        ids = [i for (i,) in conn.execute(text(
            "SELECT id FROM human_task WHERE state = 'ready' AND element_id = :e ORDER BY id"), {"e": element})]
    engine.dispose()
    return ids


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(port: int, method: str, path: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    res = conn.getresponse()
    raw = res.read()
    conn.close()
    return res.status, json.loads(raw) if raw else {}


def migrated_demo(url: str) -> None:
    """Migrate the scratch database and load the demo data into it."""
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        load_demo(s, datetime.now(UTC))
        s.commit()
    engine.dispose()


def signing_settings() -> dict[str, str]:
    """The demo ward's signing key (as `motcua demo load` makes it): the birth certificate is signed at approval."""
    from engine.operations.demo import demo_signing_keys

    keys, _created = demo_signing_keys(Path("/tmp/motcua-bench-signing"), "Ủy ban nhân dân phường mẫu", datetime.now(UTC))
    return {"MOTCUA_SIGNING_PKCS12": str(keys.pkcs12), "MOTCUA_SIGNING_PKCS12_PASSWORD": keys.passphrase,
            "MOTCUA_SIGNING_TRUST_ROOTS": str(keys.ca_pem)}


def server_env(url: str) -> dict[str, str]:
    """What gunicorn and `motcua scheduler` are started with: the database, a key, the store, the signing key."""
    return dict(os.environ, MOTCUA_DATABASE_URL=url, MOTCUA_SECRET_KEY="bench-secret-key-bench-secret-key",
                MOTCUA_STORAGE_DIR="/tmp/motcua-bench-storage", **signing_settings())


def start_gunicorn(url: str, workers: int, threads: int, port: int) -> subprocess.Popen:
    env = server_env(url)
    args = [str(ROOT / ".venv/bin/gunicorn"), "-b", f"127.0.0.1:{port}", "-w", str(workers),
            "--threads", str(threads), "--worker-class", "gthread" if threads > 1 else "sync",
            "--log-level", "warning", "--backlog", "256", "webapp:create_app()"]
    server = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(300):
        try:
            if call(port, "GET", "/api/v1/procedures")[0] == 200:
                wait_until_idle(server.pid)
                return server
        except OSError:
            pass
        time.sleep(0.1)
    stop(server)
    raise RuntimeError("gunicorn did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process, from /proc (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def processes(match) -> list[int]:
    """The pids whose (parent pid, command line) satisfy `match`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if match(ppid, cmdline):
                found.append(int(entry.name))
    return found


def workers_cpu(master: int) -> float:
    """The CPU seconds gunicorn's workers (the master's children) have spent."""
    return sum(cpu_seconds(pid) for pid in processes(lambda ppid, _cmd: ppid == master))


def wait_until_idle(master: int, timeout: float = 60.0) -> None:
    """Wait until the workers have finished starting: each renders the blank forms in the background as it
    starts (webapp.portal, MOTCUA_WARM_BLANK_FORMS), which must not be counted in the loop's CPU."""
    deadline, last = time.monotonic() + timeout, workers_cpu(master)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = workers_cpu(master)
        if now - last < 0.02:
            return
        last = now


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def run_phase(port: int, ids: list[int], token: str, data: dict, clients: int) -> tuple[list[float], int]:
    work: queue.Queue[int] = queue.Queue()
    for task_id in ids:
        work.put(task_id)
    latencies: list[float] = []
    failures = []

    def client() -> None:
        while True:
            try:
                task_id = work.get_nowait()
            except queue.Empty:
                return
            started = time.perf_counter()
            status, body = call(port, "POST", f"/api/v1/tasks/{task_id}/complete", {"data": data}, token)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                failures.append((task_id, status, body))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        print(f"      {len(failures)} failed, e.g. {failures[0]}")
    return latencies, len(failures)


def percentile(sorted_values: list[float], p: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))] * 1000


def measure(url: str, workers: int, threads: int, count: int, clients: int) -> float:
    open_dossiers(url, count)
    port = free_port()
    server = start_gunicorn(url, workers, threads, port)
    try:
        tokens = {user: call(port, "POST", "/api/v1/auth/token", {"username": user, "password": "demo1234"})[1]["token"]
                  for user in {u for _e, u, _d in PHASES}}
        call(port, "GET", "/api/v1/procedures")
        load = os.getloadavg()[0]
        latencies, failures, busy = [], 0, 0.0
        for element, user, data in PHASES:
            ids = ready_ids(url, element)[:count]
            started = time.perf_counter()
            lat, failed = run_phase(port, ids, tokens[user], data, clients)
            busy += time.perf_counter() - started
            latencies += lat
            failures += failed
    finally:
        stop(server)
    t = sorted(latencies)
    print(f"   {workers} workers x {threads} threads: {len(t)} completions, {len(t) / busy:6.1f} /s · "
          f"p50 {percentile(t, 0.5):6.1f} ms · p95 {percentile(t, 0.95):6.1f} ms · p99 {percentile(t, 0.99):6.1f} ms"
          f" · {failures} failed · load {load:.1f} → {os.getloadavg()[0]:.1f}")
    return len(t) / busy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=300, help="dossiers per configuration (4 steps each)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--configs", default="2x1,3x1,4x1,2x4", help="gunicorn workers x threads, comma separated")
    parser.add_argument("--pg", default=os.environ.get("MOTCUA_TEST_POSTGRES_URL"))
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per configuration; with more than one, the median rate is printed too "
                             "(the same code varies by about 10%% from run to run on a shared 2-core machine)")
    args = parser.parse_args()
    if not args.pg:
        sys.exit("give --pg URL or set MOTCUA_TEST_POSTGRES_URL")
    with scratch_postgres(args.pg) as url:
        migrated_demo(url)
        print(f"== REST API task completions, {args.clients} clients, PostgreSQL, gunicorn")
        for config in args.configs.split(","):
            workers, threads = (int(n) for n in config.split("x"))
            rates = [measure(url, workers, threads, args.dossiers, args.clients) for _ in range(args.repeat)]
            if args.repeat > 1:
                print(f"   {workers} workers x {threads} threads: median {statistics.median(rates):6.1f} /s over "
                      f"{args.repeat} runs (lowest {min(rates):.1f}, highest {max(rates):.1f})")


if __name__ == "__main__":
    main()
