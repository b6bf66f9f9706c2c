"""The floor under the engine benchmark: the same durable work per lifecycle, hand-written on raw psycopg.

A lifecycle here does what engine.dossier.lifecycle does for one birth registration, and nothing an ORM adds:
one transaction to open the dossier (INSERT dossier, state, first step, event) and one per user task
(SELECT … FOR UPDATE of the dossier with its workflow state, SELECT its steps, SpiffWorkflow restore → run →
dump, UPDATE state, dossier and step, INSERT the next step, an event and an outbox message, COMMIT). The tables
are stand-ins (`floor_*`) in the benchmark's scratch database; statements are prepared by psycopg after their
fifth use, as the engine's are. What this reaches is the most any engine that keeps every step durable, in its
own transaction, with this BPMN and SpiffWorkflow, could reach on this machine; bench/lifecycles.py prints it
beside the engine and SpiffWorkflow in memory.
"""
from __future__ import annotations

import time
from datetime import datetime

import orjson
import psycopg
from psycopg.types.json import Jsonb
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.engine import make_url

from engine.dossier.timers import attach
from engine.dossier.workflow import run_engine_steps

TABLES = """
CREATE TABLE floor_dossier (id bigserial PRIMARY KEY, code text, status text, applicant jsonb, data jsonb,
                            due_at timestamptz, updated_at timestamptz);
CREATE TABLE floor_state (dossier_id bigint PRIMARY KEY REFERENCES floor_dossier, version int, state jsonb);
CREATE TABLE floor_task (id bigserial PRIMARY KEY, dossier_id bigint REFERENCES floor_dossier, task_uuid text,
                         name text, state text, data jsonb, created_at timestamptz, completed_at timestamptz);
CREATE INDEX ON floor_task (dossier_id);
CREATE TABLE floor_event (id bigserial PRIMARY KEY, dossier_id bigint, kind text, at timestamptz, payload jsonb);
CREATE TABLE floor_outbox (id bigserial PRIMARY KEY, dossier_id bigint, body text, payload jsonb,
                           dedupe_key text UNIQUE);
"""


def _jsonb(value: object) -> Jsonb:
    return Jsonb(value, dumps=lambda v: orjson.dumps(v).decode())


def conninfo(url: str) -> str:
    """libpq's connection string for an SQLAlchemy PostgreSQL URL."""
    parsed = make_url(url)
    parts = {"host": parsed.host or parsed.query.get("host"), "port": parsed.port, "user": parsed.username,
             "password": parsed.password, "dbname": parsed.database}
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


def floor_lifecycles(url: str, count: int, process, dossier, path: list, now: datetime) -> dict:
    """Run `count` hand-written lifecycles; timings per lifecycle. `dossier` lends its unit's calendar to timers."""
    conn = psycopg.connect(conninfo(url))
    conn.execute(TABLES)
    conn.commit()

    def lifecycle(i: int) -> None:
        workflow = process.new_workflow()
        attach(workflow, dossier, now)
        workflow.data["dossier"] = {"code": f"F-{i}", "channel": "in_person"}
        run_engine_steps(workflow)
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        with conn.cursor() as cur:
            dossier_id = cur.execute(
                "INSERT INTO floor_dossier (code, status, applicant, data, due_at, updated_at) "
                "VALUES (%s, 'submitted', %s, %s, %s, %s) RETURNING id",
                (f"F-{i}", _jsonb({"name": "Nguyễn Văn An"}), _jsonb({}), now, now)).fetchone()[0]
            cur.execute("INSERT INTO floor_state VALUES (%s, 1, %s)", (dossier_id, _jsonb(process.dump(workflow))))
            cur.execute("INSERT INTO floor_task (dossier_id, task_uuid, name, state, created_at) "
                        "VALUES (%s, %s, %s, 'ready', %s)", (dossier_id, str(ready.id), ready.task_spec.bpmn_id, now))
            cur.execute("INSERT INTO floor_event (dossier_id, kind, at, payload) VALUES (%s, 'dossier.created', %s, %s)",
                        (dossier_id, now, _jsonb({})))
        conn.commit()
        for _username, data in path:
            with conn.cursor() as cur:
                _status, state, version = cur.execute(
                    "SELECT d.status, s.state, s.version FROM floor_dossier d JOIN floor_state s "
                    "ON s.dossier_id = d.id WHERE d.id = %s FOR UPDATE OF d", (dossier_id,)).fetchone()
                rows = cur.execute("SELECT id, task_uuid FROM floor_task WHERE dossier_id = %s AND state = 'ready'",
                                   (dossier_id,)).fetchall()
                workflow = process.restore(state)
                attach(workflow, dossier, now)
                task = next(t for t in workflow.get_tasks(state=TaskState.READY, manual=True)
                            if str(t.id) == rows[0][1])
                task.data.update(data)
                task.run()
                run_engine_steps(workflow)
                cur.execute("UPDATE floor_state SET state = %s, version = %s WHERE dossier_id = %s AND version = %s",
                            (_jsonb(process.dump(workflow)), version + 1, dossier_id, version))
                cur.execute("UPDATE floor_dossier SET status = %s, updated_at = %s WHERE id = %s",
                            (task.task_spec.bpmn_id, now, dossier_id))
                cur.execute("UPDATE floor_task SET state = 'completed', data = %s, completed_at = %s WHERE id = %s",
                            (_jsonb(data), now, rows[0][0]))
                for nxt in workflow.get_tasks(state=TaskState.READY, manual=True):
                    cur.execute("INSERT INTO floor_task (dossier_id, task_uuid, name, state, created_at) "
                                "VALUES (%s, %s, %s, 'ready', %s)", (dossier_id, str(nxt.id), nxt.task_spec.bpmn_id, now))
                cur.execute("INSERT INTO floor_event (dossier_id, kind, at, payload) VALUES (%s, 'task.completed', %s, %s)",
                            (dossier_id, now, _jsonb(data)))
                cur.execute("INSERT INTO floor_outbox (dossier_id, body, payload, dedupe_key) VALUES (%s, %s, %s, %s)",
                            (dossier_id, "Hồ sơ đã chuyển bước", _jsonb({"step": task.task_spec.bpmn_id}),
                             f"{dossier_id}:{task.task_spec.bpmn_id}"))
            conn.commit()
        if not workflow.completed:
            raise RuntimeError("the hand-written lifecycle did not complete")

    for i in range(20):
        lifecycle(i)
    times = []
    started = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        lifecycle(100 + i)
        times.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    conn.close()
    return {"rate": count / elapsed, "times": times}
