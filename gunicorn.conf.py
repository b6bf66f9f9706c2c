"""gunicorn's settings for Một Cửa (read from the working directory: `gunicorn 'webapp:create_app()'`).

Measured on the 2-core benchmark machine (bench/http_api.py): sync workers, one per core, do best;
threads (gthread) and a third worker lose to contention. Each worker freezes the objects of the loaded
application out of the garbage collector's sight and collects its young generation every 50,000
allocations instead of 700: a request allocates tens of thousands of short-lived objects (ORM rows,
workflow tasks) and the default threshold ran the collector several times per request.
Each worker renders the procedures' blank forms (mẫu đơn, tờ khai) in the background as it starts
(MOTCUA_WARM_BLANK_FORMS, webapp.portal), so a citizen's first download does not wait a second for WeasyPrint.
Command-line options (-w, -b, --threads, -e) override what is set here.
"""
import gc
import multiprocessing

worker_class = "sync"
workers = multiprocessing.cpu_count()
raw_env = ["MOTCUA_WARM_BLANK_FORMS=true"]


def post_worker_init(worker) -> None:
    """After the application is loaded in a worker: freeze it, and collect less often."""
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
