"""gunicorn settings for `make serve` and the docker-compose web service."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The defaults are the ones `make bench` measures (bench/server.py starts gunicorn with this file
# and no overrides): 2 workers per core × 2 threads, at most 10 connections per worker.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# gthread workers accept connections greedily: with gunicorn's own default (1000) two of four
# workers took all 32 of a benchmark's kept-alive connections while the others idled, and the
# showcase page's p99 at 32 connections went from 31 ms to 57–175 ms. Capped, the kernel's
# accept queue spreads clients over every worker.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", 10))
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
