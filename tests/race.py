"""Run the same work in several threads started together, each with its own session."""
from __future__ import annotations

import threading


def race(sessions, count: int, work) -> list:
    """Run `work(session, i)` in `count` threads released at once; each result, or the exception raised."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        with sessions() as session:
            barrier.wait()
            try:
                results[i] = work(session, i)
                session.commit()
            except Exception as err:  # noqa: BLE001 - the caller inspects what each thread got
                session.rollback()
                results[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results
