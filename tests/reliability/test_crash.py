"""kill -9 of the web server and of the scheduler in the middle of work, done by the test.

The real `motcua run` and `motcua scheduler` run as subprocesses on one database. Four clients drive
dossiers of a procedure with a 3-second BPMN timer through intake, appraisal and approval over HTTP;
the scheduler fires the timers and delivers the outbox to a national portal simulator and an SMTP
server run here. The test SIGKILLs the server once and the scheduler several times mid-work, restarts
them, and then checks: every dossier consistent, each timer fired once, each outbox message's effect
done exactly once at the receiving end (delivery itself is at-least-once: see engine/messaging/outbox.py).
"""
from __future__ import annotations

import email
import email.policy
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from flask import Flask, request
from sqlalchemy import func, select
from werkzeug.serving import make_server

from engine.catalogue.procedures import publish_folder
from engine.ground.db import make_engine, make_session_factory
from engine.messaging.delivery import message_id
from engine.messaging.portal_status import NATIONAL_CODES
from engine.models import Dossier, Event, HumanTask, OutboxMessage, Timer
from tests.net import free_port
from tests.procedures.drive import APPLICANT, DATA
from tests.reliability.helpers import TIMER_PROCEDURE, dossier_problems

MOTCUA = Path(sys.executable).with_name("motcua")
DOSSIERS, CLIENTS, SCHEDULER_KILLS = 12, 4, 2
STATUS_AT = {"Task_Intake": "submitted", "Task_Appraise": "received", "Task_Approve": "in_progress",
             "Task_Return": "done", None: "done"}  # None: waiting on the timer
STEPS = (("Task_Intake", "desk1", "receive"), ("Task_Appraise", "specialist1", "propose_approve"),
         ("Task_Approve", "leader1", "approve"))


class Inbox:
    """The SMTP receiving end: every message as received, by Message-ID."""

    def __init__(self) -> None:
        self.received: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(str(mail["Message-ID"]))
        return "250 OK"


class PortalSink:
    """The national portal simulator (webapp.simulators) served here, counting every raw delivery."""

    def __init__(self) -> None:
        from webapp.simulators import national_portal

        self.app = Flask("portal_sink")
        self.app.register_blueprint(national_portal.bp)
        self.raw: list[str] = []
        self.trap_at: int | None = None
        self.caught, self.release = threading.Event(), threading.Event()
        self.app.before_request(self._count)
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}{national_portal.bp.url_prefix}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        with self.app.app_context():
            self.state = national_portal.portal()
        self.state.faults.mode, self.state.faults.delay = "slow", 0.02

    def _count(self) -> None:
        if request.method == "POST" and request.path.endswith("/hoso/dongbo"):
            self.raw.append(request.headers.get("Idempotency-Key", ""))
            if self.trap_at is not None and len(self.raw) >= self.trap_at:
                self.trap_at = None  # hold this delivery until the sender is killed, then take it in
                self.caught.set()
                self.release.wait(30)

    def kill_mid_send(self, process: Process, after: int = 2) -> None:
        """SIGKILL `process` while the portal holds a delivery it received (`after` more from now):
        the far side acts on it, the sender never learns it was sent."""
        self.caught.clear()
        self.release.clear()
        self.trap_at = len(self.raw) + after
        assert self.caught.wait(90), "no delivery came to the portal"
        process.kill9()
        self.release.set()


class Process:
    """A `motcua` subprocess that the test can SIGKILL and start again."""

    def __init__(self, args: list[str], env: dict, log: Path) -> None:
        self.args, self.env, self.log, self.proc, self.kills = args, env, log, None, 0

    def start(self) -> None:
        out = self.log.open("ab")
        self.proc = subprocess.Popen([str(MOTCUA), *self.args], env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                     cwd=self.log.parent)

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.kills += 1

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


class Client:
    """One official's HTTP client that rides out a server restart: it retries once the server answers again."""

    def __init__(self, base: str) -> None:
        self.base, self.tokens, self.http = base, {}, requests.Session()
        self.connection_errors = 0

    def call(self, method: str, path: str, user: str, json=None) -> requests.Response:
        deadline = time.monotonic() + 60
        while True:
            try:
                headers = {"Authorization": f"Bearer {self.token(user)}"}
                return self.http.request(method, f"{self.base}/api/v1{path}", json=json, headers=headers, timeout=30)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):  # refused, or cut mid-answer
                self.connection_errors += 1
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
                if method == "POST" and path == "/dossiers":
                    return None  # the dossier may or may not exist: the caller does not create it twice

    def token(self, user: str) -> str:
        if user not in self.tokens:
            res = self.http.post(f"{self.base}/api/v1/auth/token", json={"username": user, "password": "demo1234"},
                                 timeout=30)
            res.raise_for_status()
            self.tokens[user] = res.json()["token"]
        return self.tokens[user]

    def ready(self, code: str, element: str, user: str) -> int | None:
        body = self.call("GET", f"/dossiers/{code}", user).json()
        return next((t["id"] for t in body["tasks"] if t["element_id"] == element and t["state"] == "ready"), None)

    def drive(self, count: int, outcome: dict) -> None:
        """Create `count` dossiers and take each through intake, appraisal and approval."""
        for _ in range(count):
            res = self.call("POST", "/dossiers", "desk1", {"procedure_code": "9.000002", "channel": "in_person",
                                                           "applicant": APPLICANT, "data": {}})
            if res is None:
                outcome["unknown_creations"] += 1
                continue
            assert res.status_code == 201, res.text
            code = res.json()["code"]
            for element, user, data in STEPS:
                self.complete(code, element, user, data, outcome)
            outcome["driven"].append(code)

    def complete(self, code: str, element: str, user: str, data: str, outcome: dict) -> None:
        """Complete the step; after a lost answer the step is either still ready (send again) or done (409)."""
        for _attempt in range(5):
            task_id = self.ready(code, element, user)
            if task_id is None:
                return  # a request whose answer was lost did complete it
            res = self.call("POST", f"/tasks/{task_id}/complete", user, {"data": DATA[data]})
            assert res.status_code in (200, 409), res.text
            outcome["completions"][res.status_code] += 1
            if res.status_code == 200:
                return
        raise AssertionError(f"{code}: {element} never completed")


def _wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def fast_timer_procedure(tmp_path) -> Path:
    """The timer test procedure with its one-hour wait cut to three seconds (calendar time)."""
    folder = tmp_path / "procedure"
    shutil.copytree(TIMER_PROCEDURE, folder)
    bpmn = folder / "process.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace(">PT1H<", ">PT3S<"), encoding="utf-8")
    return folder


def test_kill_9_of_server_and_scheduler_mid_work_loses_nothing_and_repeats_nothing(db_url, tmp_path,
                                                                                    fast_timer_procedure):
    from datetime import UTC, datetime

    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        publish_folder(session, fast_timer_procedure, datetime.now(UTC), "test")
        session.commit()

    inbox, smtp_port = Inbox(), free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    portal = PortalSink()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MOTCUA_DATABASE_URL": db_url, "MOTCUA_STORAGE_DIR": str(tmp_path / "storage"),
           "MOTCUA_SECRET_KEY": "crash-test-secret", "MOTCUA_NATIONAL_PORTAL_URL": portal.url,
           "MOTCUA_SMTP_HOST": "127.0.0.1", "MOTCUA_SMTP_PORT": str(smtp_port), "MOTCUA_SIMULATORS": "false",
           "MOTCUA_SMTP_FROM": "motcua@hoankiem.example.vn"}
    server = Process(["run", "--host", "127.0.0.1", "--port", str(port), "--with-threads"], env, tmp_path / "server.log")
    scheduler = Process(["scheduler", "--interval", "0.5"], env, tmp_path / "scheduler.log")
    outcome = {"driven": [], "unknown_creations": 0, "completions": Counter()}
    try:
        started = time.monotonic()
        server.start()
        scheduler.start()
        _wait_until(lambda: _answers(f"{base}/api/v1/procedures"), 60, "the server")
        phases = {"up": time.monotonic() - started}
        clients = [Client(base) for _ in range(CLIENTS)]
        errors: list[BaseException] = []

        def drive(client):
            try:
                client.drive(DOSSIERS // CLIENTS, outcome)
            except BaseException as err:  # noqa: BLE001 - reported by the main thread
                errors.append(err)

        threads = [threading.Thread(target=drive, args=(c,)) for c in clients]
        for t in threads:
            t.start()

        def completed() -> int:
            return sum(outcome["completions"].values())

        _wait_until(lambda: completed() >= DOSSIERS, 120, "the first third of the work")
        phases["first third"] = time.monotonic() - started
        server.kill9()  # mid-requests: some transactions die uncommitted, some answers are lost
        server.start()
        for _ in range(SCHEDULER_KILLS):  # between a send and its commit: the worst moment
            portal.kill_mid_send(scheduler)
            scheduler.start()
        phases["kills"] = time.monotonic() - started
        for t in threads:
            t.join(240)
        phases["driven"] = time.monotonic() - started
        assert not errors, errors
        assert len(outcome["driven"]) + outcome["unknown_creations"] == DOSSIERS

        def settled() -> bool:
            with sessions() as s:
                waiting = s.scalar(select(func.count(Timer.id)).where(Timer.state == "pending",
                                                                      Timer.element_id == "Timer_Wait"))
                pending = s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.state != "sent"))
                return waiting == 0 and pending == 0

        _wait_until(settled, 120, "timers fired and outbox delivered")
        phases["settled"] = time.monotonic() - started
    finally:
        server.stop()
        scheduler.stop()
        smtp.stop()
        portal.server.shutdown()

    with sessions() as session:
        all_dossiers = session.scalars(select(Dossier).order_by(Dossier.id)).all()
        assert len(all_dossiers) >= len(outcome["driven"])
        for dossier in all_dossiers:
            assert dossier_problems(session, dossier) == []
            ready = session.scalars(select(HumanTask.element_id).where(
                HumanTask.dossier_id == dossier.id, HumanTask.state == "ready")).all()
            assert len(ready) <= 1, (dossier.code, ready)
            assert dossier.status == STATUS_AT[ready[0] if ready else None], (dossier.code, dossier.status, ready)
        for code in outcome["driven"]:  # every driven dossier got past its timer once, onto the return step
            dossier = next(d for d in all_dossiers if d.code == code)
            waits = session.scalars(select(Timer).where(Timer.dossier_id == dossier.id,
                                                        Timer.element_id == "Timer_Wait")).all()
            assert [(t.state, t.fired_at is not None) for t in waits] == [("fired", True)], code
            fired = session.scalars(select(Event.payload).where(Event.dossier_id == dossier.id,
                                                                Event.kind == "timer.fired")).all()
            assert [p["element"] for p in fired] == ["Timer_Wait"], (code, fired)
            returns = session.scalars(select(HumanTask.state).where(HumanTask.dossier_id == dossier.id,
                                                                    HumanTask.element_id == "Task_Return")).all()
            assert returns == ["ready"], code

        messages = session.scalars(select(OutboxMessage)).all()
        assert messages and {m.state for m in messages} == {"sent"}
        portal_keys = {m.dedupe_key for m in messages if m.kind == "national_portal"}
        mails = {message_id(m, "motcua@hoankiem.example.vn") for m in messages if m.kind != "national_portal"}
        # the effect at the receiving end: each message acted on exactly once
        assert set(portal.state.calls) == portal_keys
        assert set(inbox.received) == mails
        for dossier in all_dossiers:
            if dossier.status in NATIONAL_CODES and dossier.received_at is not None:
                assert portal.state.records[dossier.code]["TrangThai"] == NATIONAL_CODES[dossier.status]
        # delivery is at-least-once: only a message in flight at a kill may arrive a second time
        repeats = sum(n - 1 for n in Counter(portal.raw).values()) + sum(n - 1 for n in Counter(inbox.received).values())
        assert repeats == scheduler.kills, (repeats, scheduler.kills)
    engine.dispose()
    print(f"\ncrash run: {len(all_dossiers)} dossiers, {len(messages)} outbox messages, "
          f"{server.kills} server and {scheduler.kills} scheduler kills, {repeats} repeated deliveries absorbed, "
          f"{sum(c.connection_errors for c in clients)} client connection errors, "
          f"completions {dict(outcome['completions'])}, seconds {({k: round(v, 1) for k, v in phases.items()})}")
