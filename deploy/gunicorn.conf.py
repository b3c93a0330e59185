# gunicorn for the web containers: sync workers, each holding one PostgreSQL connection.
#
# Database memory is bounded by design (deploy/SCALING.md, "Database memory"): a PostgreSQL
# backend keeps catalog entries for every body schema it has touched and never gives them back,
# so no connection lives long or wanders far —
# - a worker's connection is closed after DATABASE_CONN_MAX_AGE seconds (Django's CONN_MAX_AGE)
#   and after it has served DATABASE_CONN_MAX_BODIES different bodies (tenants.connections);
# - a worker itself is replaced after max_requests (± jitter, so they do not all restart at once);
# - nginx sends each host to the same pool (hash $host consistent, deploy/nginx/), so a pool's
#   backends hold the catalog of a stable part of the registry, not all of it.
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# "sync" (one request at a time per worker, the connection closed after each response) or "gthread"
# (GUNICORN_THREADS threads per worker, keep-alive: a client's connection serves many requests).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# Load the app once in the master: a replaced worker is a fork, not a new Python start.
# (No database connection is opened at import time: the host table is read by each worker on its
# first request.)
preload_app = True
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 2000))
timeout = 30
# Keep-alive from nginx (upstream keepalive): a sync worker serves one connection at a time.
keepalive = 2
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
forwarded_allow_ips = "*"


def when_ready(server):  # type: ignore[no-untyped-def]
    """In the master, before the first fork: read the host table and compile the citizen pages'
    templates and the catalogues once, so every worker — and every replacement after max_requests —
    starts warm instead of spending its first requests on them. The master's database connection
    is closed before any worker exists (a forked worker never shares a socket)."""
    from rongthuk.warmup import process_warm

    process_warm()
