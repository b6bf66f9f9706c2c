"""Garbage collection for the long-running processes (gunicorn's workers, `motcua scheduler`).

A request or a result's issuance allocates tens of thousands of short-lived objects (ORM rows, workflow
tasks, WeasyPrint boxes) and Python's default threshold ran the collector several times per request, with a
full collection of 20–30 ms now and then. Once the application is loaded, its objects are frozen out of the
collector's sight and the young generation is collected every 50,000 allocations instead of 700.
"""
import gc


def collect_less() -> None:
    """Freeze what is loaded and collect less often (call once, after the application is loaded)."""
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
