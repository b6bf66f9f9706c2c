"""gunicorn's settings for Một Cửa (read from the working directory: `gunicorn 'webapp:create_app()'`).

Measured on the 2-core benchmark machine (bench/http_api.py): sync workers, one per core, do best;
threads (gthread) and a third worker lose to contention. Each worker freezes the objects of the loaded
application out of the garbage collector's sight and collects its young generation every 50,000
allocations instead of 700: a request allocates tens of thousands of short-lived objects (ORM rows,
workflow tasks) and the default threshold ran the collector several times per request.
Command-line options (-w, -b, --threads) override what is set here.
"""
import gc
import multiprocessing

worker_class = "sync"
workers = multiprocessing.cpu_count()


def post_worker_init(worker) -> None:
    """After the application is loaded in a worker: freeze it, and collect less often."""
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
