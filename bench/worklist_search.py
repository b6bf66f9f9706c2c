"""Benchmark: the worklist's "contains" search on PostgreSQL, with and without the trigram indexes.

Usage: .venv/bin/python bench/worklist_search.py --pg URL [--dossiers 200000]
Fills a scratch database like bench/worklist.py, then prints EXPLAIN (ANALYZE, BUFFERS) of the search
as the worklist runs it (desk1, ready steps of the ward, joined to the dossier) and of the bare dossier
predicate, for a name part, an ID-number part and a code part; then the same with the trigram indexes
of migration 0017_worklist_trigram dropped (inside a transaction that is rolled back).
"""
from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from backends import arguments, scratch_postgres  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from worklist import fill  # noqa: E402

from engine.dossier.worklist import WorklistQuery, _count_statement, _search, _shape_and_values  # noqa: E402
from engine.ground.db import make_engine, make_session_factory  # noqa: E402
from engine.ground.migrate import upgrade  # noqa: E402
from engine.models import Dossier, User  # noqa: E402
from engine.models.dossier import TRIGRAM_COLUMNS  # noqa: E402

SEARCHES = ("van 12345", "0000123", "60101-012")


def plans(session, label: str) -> None:
    desk = session.scalar(select(User).where(User.username == "desk1"))
    for typed in SEARCHES:
        bare = select(func.count()).select_from(Dossier).where(_search(typed))
        shape, values = _shape_and_values(desk, WorklistQuery(search=typed), datetime.now(UTC))
        listed = _count_statement(shape).params(values)
        for name, query in (("dossiers", bare), ("worklist", listed)):
            compiled = query.compile(session.bind)
            lines = [row[0] for row in session.connection().exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS) " + str(compiled), compiled.params)]
            scans = [line.strip() for line in lines if "Scan" in line]
            total = next(line for line in lines if line.startswith("Execution Time"))
            print(f"   [{label}] {name:<8} q={typed!r:<12} {total}")
            for scan in scans:
                print(f"        {scan[:150]}")


def main() -> None:
    args = arguments(200_000)
    if not args.pg:
        sys.exit("--pg URL (or MOTCUA_TEST_POSTGRES_URL) is needed: the trigram indexes are PostgreSQL's")
    with scratch_postgres(args.pg) as url:
        upgrade(url)
        fill(url, args.dossiers)
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            session.execute(text("ANALYZE dossier"))
            plans(session, "trigram")
            for column in TRIGRAM_COLUMNS:
                session.execute(text(f"DROP INDEX ix_dossier_{column}_trgm"))
            plans(session, "b-tree only")
            session.rollback()
        engine.dispose()


if __name__ == "__main__":
    main()
