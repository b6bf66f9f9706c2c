"""Benchmark: a city-scale history in PostgreSQL, then the supervision dashboard's time on it.

Usage: .venv/bin/python bench/city_history.py [--dossiers 1000000] [--pg URL]

A scratch database gets the demo data and all 126 wards and communes of Hà Nội, then two years
of dossiers (three procedures, three channels, a little more each quarter) spread over the wards,
each with its steps (intake, appraisal, approval, return; one ready step while open) and its
events (received, classified, returned), written with COPY. About 8% are released late, their
appraisal step overrunning; the last weeks' dossiers are still open, some of them overdue.
Indexes are rebuilt after the load. Prints the generator's rows per second, then the median time of the dashboard (engine and page)
for one ward and for the whole city, for the last full quarter, and of a list and the report.
"""
from __future__ import annotations

import json
import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from backends import scratch_postgres  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from engine.calendar.working import TZ, WorkingCalendar  # noqa: E402
from engine.ground.db import make_engine, make_session_factory  # noqa: E402
from engine.ground.migrate import upgrade  # noqa: E402
from engine.models import Procedure, Unit  # noqa: E402
from engine.operations.demo import load_demo  # noqa: E402
from engine.org.provinces import import_communes, province_of, wards_of  # noqa: E402
from engine.supervision.worktime import CumulativeClock  # noqa: E402

NOW = datetime(2026, 4, 8, 9, 0, tzinfo=TZ)  # a Wednesday early in Q2 2026: Q1 is the last full quarter
START = date(2024, 4, 1)
LIMITS = {"1.001193": 1, "1.001612": 3, "1.013225": 15}  # working days
STEPS = (("Task_Intake", "Tiếp nhận hồ sơ", "mot_cua", "intake"),
         ("Task_Appraise", "Thẩm định hồ sơ", "chuyen_vien", "appraisal"),
         ("Task_Approve", "Phê duyệt kết quả", "lanh_dao", "approval"),
         ("Task_Return", "Trả kết quả", "mot_cua", "return"))
DOSSIER_COLUMNS = ("id", "code", "procedure_version_id", "unit_id", "channel", "status", "applicant", "applicant_name",
                   "applicant_id_number", "data", "checklist", "result", "submitted_at", "received_at", "due_at",
                   "completed_at", "returned_at", "supplements_in_handling", "lateness", "handling_minutes")
TASK_COLUMNS = ("id", "dossier_id", "task_uuid", "element_id", "name", "role", "kind", "form_id", "unit_id", "state",
                "created_at", "due_at", "completed_at", "lateness", "overrun_minutes")
EVENT_COLUMNS = ("id", "at", "kind", "dossier_id", "unit_id", "payload")
NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]


def working_days() -> list[date]:
    """The working days from START to a month after NOW (the calendar's holidays and swaps)."""
    cal, days, day = WorkingCalendar(), [], START
    while day <= NOW.date() + timedelta(days=40):
        if cal.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def moment(day: date, minutes: int) -> datetime:
    """A working moment: `minutes` into the 8-hour day (07:30–11:30, 13:00–17:00)."""
    clock = 7 * 60 + 30 + minutes + (90 if minutes >= 240 else 0)
    return datetime(day.year, day.month, day.day, clock // 60, clock % 60, tzinfo=TZ)


def setup(url: str) -> tuple[list[tuple[int, str]], dict[str, int]]:
    """Migrate, load the demo and every ward of Hà Nội; returns the wards and the procedure versions."""
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as s:
        load_demo(s, NOW)
        city = s.scalar(select(Unit).where(Unit.code == "H26"))
        import_communes(s, city, wards_of(province_of(1)))
        s.commit()
        wards = [(u.id, u.code) for u in s.scalars(select(Unit).where(Unit.level == "commune").order_by(Unit.id))]
        versions = {p.code: p.current_version_id for p in s.scalars(select(Procedure))}
    engine.dispose()
    return wards, versions


class History:
    """Generates the rows of one dossier at a time into three COPY streams."""

    def __init__(self, count: int, wards, versions) -> None:
        self.rng, self.count, self.wards, self.versions = random.Random(9), count, wards, versions
        self.days = working_days()
        self.clock = CumulativeClock(WorkingCalendar())  # the wards keep the default office hours
        self.today = next(i for i, d in enumerate(self.days) if d >= NOW.date())
        self.task_id = self.event_id = 0
        # more dossiers in later quarters: the day index is drawn with a rising density
        self.procedures = list(LIMITS)

    def _day_index(self) -> int:
        return min(self.today, int(self.today * (self.rng.random() ** 0.8)))

    def dossier(self, i: int):
        """(dossier row, task rows, event rows) of dossier number i."""
        rng = self.rng
        ward_id, ward_code = self.wards[rng.randrange(len(self.wards))]
        code = self.procedures[min(2, int(rng.random() ** 2 * 3))]
        channel = rng.choices(("in_person", "online", "post"), (60, 35, 5))[0]
        first = self._day_index()
        received = moment(self.days[first], rng.randrange(0, 420))
        limit = LIMITS[code]
        due = moment(self.days[min(first + limit, len(self.days) - 1)], 480 if limit == 1 else
                     (received.hour * 60 + received.minute) - 450 - (90 if received.hour >= 13 else 0))
        late = rng.random() < 0.08
        spent = limit * (1.0 + rng.random() * 0.5) if late else limit * rng.random() * 0.95
        done_index = first + int(spent)
        completed = moment(self.days[min(done_index, len(self.days) - 1)], rng.randrange(0, 470))
        if late and completed <= due:
            completed = due + timedelta(hours=1)
        if not late and completed > due:
            completed = due - timedelta(minutes=30)
        finished = completed <= NOW - timedelta(hours=2)
        name = f"{NAMES[i % 10]} Văn {i}"
        lateness = ("late" if late else "on_time" if completed.date() == due.date() and
                    (completed.hour >= 13) == (due.hour >= 13 or due.hour == 17) else "early") if finished else None
        row = (i, f"{ward_code}-{received:%y%m%d}-{i:07d}", self.versions[code], ward_id, channel,
               "returned" if finished else "in_progress", json.dumps({"name": name}), name, f"{i:012d}", "{}", "[]",
               "approved" if finished else None, received, received, due, completed if finished else None,
               completed + timedelta(minutes=20) if finished else None, 0, lateness,
               self.clock.between(received, completed) if finished else None)  # as classify_dossier stores it
        return row, self._tasks(i, ward_id, received, completed, due, finished, late), \
            self._events(i, ward_id, received, completed, due, finished, lateness)

    def _tasks(self, i, ward_id, received, completed, due, finished, late) -> list[tuple]:
        marks = [received, received + timedelta(minutes=10), received + (completed - received) * 0.8, completed,
                 completed + timedelta(minutes=20)]
        rows = []
        steps = STEPS if finished else STEPS[:2 + (i % 2)]
        for n, (element, name, role, kind) in enumerate(steps):
            open_step = not finished and n == len(steps) - 1
            self.task_id += 1
            step_late = late and kind == "appraisal"
            rows.append((self.task_id, i, str(uuid.UUID(int=self.task_id)), element, name, role, kind, kind, ward_id,
                         "ready" if open_step else "completed", marks[n], marks[n + 1] if step_late else due,
                         None if open_step else marks[n + 1], None if open_step else "late" if step_late else "early",
                         480 if step_late else 0))
        return rows

    def _events(self, i, ward_id, received, completed, due, finished, lateness) -> list[tuple]:
        kinds = [("dossier.received", received, {"due_at": due.isoformat()})]
        if finished:
            kinds.append(("dossier.classified", completed, {"lateness": lateness}))
            kinds.append(("dossier.returned", completed + timedelta(minutes=20),
                          {"method": "electronic" if i % 5 == 0 else "desk"}))
        rows = []
        for kind, at, payload in kinds:
            self.event_id += 1
            rows.append((self.event_id, at, kind, i, ward_id, json.dumps(payload)))
        return rows


BULK_TABLES = ("dossier", "human_task", "event")


def _drop_secondary_indexes(conn) -> list[str]:
    """Drop the plain indexes of the bulk tables (not the keys); returns their definitions."""
    rows = conn.execute(text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:tables) "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)"), {"tables": list(BULK_TABLES)}).all()
    for name, _definition in rows:
        conn.execute(text(f'DROP INDEX "{name}"'))
    return [definition for _name, definition in rows]


def generate(url: str, count: int) -> None:
    """Write `count` dossiers with their steps and events by COPY; prints rows per second.

    As bulk loads do: the plain indexes are dropped first and built again after, and the foreign
    keys are not checked row by row (session_replication_role; the generated rows are consistent).
    """
    wards, versions = setup(url)
    history = History(count, wards, versions)
    engine = make_engine(url)
    with engine.begin() as conn:
        indexes = _drop_secondary_indexes(conn)
    raw = engine.raw_connection()
    started = time.perf_counter()
    try:
        raw.driver_connection.execute("SET session_replication_role = replica")
        rows = _copy_all(raw.driver_connection, history, count)
        raw.driver_connection.commit()
    finally:
        raw.close()
    loaded = time.perf_counter() - started
    with engine.begin() as conn:
        for definition in indexes:
            conn.execute(text(definition))
        for table in BULK_TABLES:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    elapsed = time.perf_counter() - started
    print(f"   generated {count:,} dossiers, {rows:,} rows: COPY {loaded:.1f} s, {len(indexes)} indexes rebuilt "
          f"{elapsed - loaded:.1f} s; {rows / elapsed:,.0f} rows/s overall")
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    print(f"   vacuum analyze {time.perf_counter() - started:.1f} s")
    engine.dispose()


def _text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat(" ")
    return str(value)  # the generated texts hold no tab, newline or backslash


def _copy(conn, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY in PostgreSQL's text format, written as one block (faster than adapting value by value)."""
    block = "".join("\t".join(map(_text, row)) + "\n" for row in rows)
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(block)


def _copy_all(conn, history: History, count: int, batch: int = 50_000) -> int:
    written = 0
    for first in range(1, count + 1, batch):
        dossiers, tasks, events = [], [], []
        for i in range(first, min(count, first + batch - 1) + 1):
            row, task_rows, event_rows = history.dossier(i)
            dossiers.append(row)
            tasks.extend(task_rows)
            events.extend(event_rows)
        _copy(conn, "dossier", DOSSIER_COLUMNS, dossiers)
        _copy(conn, "human_task", TASK_COLUMNS, tasks)
        _copy(conn, "event", EVENT_COLUMNS, events)
        written += len(dossiers) + len(tasks) + len(events)
    return written


def _median_ms(call, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(url: str) -> None:
    """Median times of the dashboard (engine alone and the whole page), a list and the report."""
    from engine import supervision as sv
    from webapp import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "NOW": lambda: NOW, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/login", data={"username": "supervisor1", "password": "demo1234"})
    sessions = app.extensions["motcua"]["sessions"]
    quarter = sv.Period(2026, 1)
    with sessions() as s:
        counts = dict(s.execute(text(
            "SELECT u.code, count(*) FROM dossier d JOIN unit u ON u.id = d.unit_id "
            "WHERE d.received_at >= :a AND d.received_at < :b GROUP BY u.code ORDER BY count(*) DESC LIMIT 1"),
            {"a": quarter.start, "b": quarter.end}).all())
        city = s.scalar(text("SELECT count(*) FROM dossier WHERE received_at >= :a AND received_at < :b"),
                        {"a": quarter.start, "b": quarter.end})
    ward = next(iter(counts))
    print(f"   {quarter.key}: the city received {city:,} dossiers, its busiest ward {ward} {counts[ward]:,}")
    for code in (ward, "H26"):
        with sessions() as s:
            unit = sv.unit_by_code(s, code)
            engine_ms = _median_ms(lambda s=s, unit=unit: sv.dashboard(s, unit, quarter, NOW))
        query = f"unit={code}&quarter={quarter.key}"
        page_ms, list_ms = _get_ms(client, f"/supervision?{query}"), _get_ms(client, f"/supervision/list/late?{query}")
        report_ms = _get_ms(client, f"/supervision/report.xlsx?{query}", 3)
        public_ms = _get_ms(client, f"/chi-so/{code}?quarter={quarter.key}", 3)
        print(f"   {code:<8} dashboard engine {engine_ms:7.1f} ms · page {page_ms:7.1f} ms · late list "
              f"{list_ms:7.1f} ms · report xlsx {report_ms:7.1f} ms · public page {public_ms:7.1f} ms")
    app.extensions["motcua"]["engine"].dispose()


def _get_ms(client, path: str, repeat: int = 5) -> float:
    def get() -> None:
        res = client.get(path)
        assert res.status_code == 200, (path, res.status_code)
    return _median_ms(get, repeat)


def main() -> None:
    import argparse
    import os

    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--pg", default=os.environ.get("MOTCUA_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.pg:
        sys.exit("give --pg URL or set MOTCUA_TEST_POSTGRES_URL")
    with scratch_postgres(args.pg) as url:
        print(f"== PostgreSQL, {args.dossiers:,} dossiers")
        generate(url, args.dossiers)
        measure(url)


if __name__ == "__main__":
    main()
