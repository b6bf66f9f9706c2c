"""gunicorn's settings for Một Cửa (read from the working directory: `gunicorn 'webapp:create_app()'`).

Measured on the 2-core benchmark machine (bench/http_api.py): sync workers, one per core, do best;
threads (gthread) and a third worker lose to contention. Each worker collects garbage less often once the
application is loaded (webapp.gc_tuning), and renders the procedures' blank forms (mẫu đơn, tờ khai) in the
background as it starts (MOTCUA_WARM_BLANK_FORMS, webapp.portal), so a citizen's first download does not wait
a second for WeasyPrint.
Command-line options (-w, -b, --threads, -e) override what is set here.
"""
import multiprocessing

worker_class = "sync"
workers = multiprocessing.cpu_count()
raw_env = ["MOTCUA_WARM_BLANK_FORMS=true"]


def post_worker_init(worker) -> None:
    """After the application is loaded in a worker: freeze it, and collect less often."""
    from webapp.gc_tuning import collect_less

    collect_less()
