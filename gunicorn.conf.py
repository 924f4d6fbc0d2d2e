"""gunicorn settings for `make serve` and the docker-compose web service."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESSLOG", None)
errorlog = "-"
