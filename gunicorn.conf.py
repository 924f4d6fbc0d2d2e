"""gunicorn settings for `make serve` and the docker-compose web service."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# gthread workers accept connections greedily: uncapped, a few workers can end up holding every
# kept-alive client while others idle. Behind a load balancer, cap it near the expected number of
# upstream connections per worker.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", 1000))
timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESSLOG", None)
errorlog = "-"


def post_worker_init(worker):
    """Move everything the app loaded at start-up out of the collector's sight: a full collection
    then scans only what requests allocated, instead of stalling the worker for a tenth of a second
    over Django's import-time objects every few seconds under load."""
    import gc

    gc.collect()
    gc.freeze()
