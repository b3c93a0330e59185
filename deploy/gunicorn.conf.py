# gunicorn for the web containers: threaded workers (gthread) that keep connections alive, each
# thread holding one PostgreSQL connection.
#
# Measured on the 2-core box (bench/load.py, README "Benchmarks"): 5 sync workers close the
# connection after every response, so each request is a new TCP connection from nginx or the
# client; 2 gthread workers × 4 threads keep it open and served 2.6× the requests a second from the
# page front and /healthz, with less CPU per request. One worker per core (the GIL: threads overlap
# the waits on PostgreSQL and Redis, not Python), threads for the waits.
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
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
# "gthread" (GUNICORN_THREADS threads per worker, keep-alive: a client's connection serves many
# requests) or "sync" (one request at a time per worker, the connection closed after each response).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Load the app once in the master: a replaced worker is a fork, not a new Python start.
# (No database connection is opened at import time: the host table is read by each worker on its
# first request.)
preload_app = True
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 2000))
timeout = 30
# Keep-alive from nginx (upstream keepalive, deploy/nginx/): an idle connection waits in the
# worker's poller, not in a thread. Longer than nginx's upstream keepalive_timeout (60 s), so nginx
# closes first and never sends on a connection gunicorn is closing.
keepalive = 65
# No access log by default: nginx logs every request (with the client's address and the time
# taken); a second line per request from gunicorn cost CPU on the hot path. GUNICORN_ACCESS_LOG=-
# logs to stdout (a deployment without nginx in front), or a file name.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
forwarded_allow_ips = "*"


def when_ready(server):  # type: ignore[no-untyped-def]
    """In the master, before the first fork: read the host table and compile the citizen pages'
    templates and the catalogues once, so every worker — and every replacement after max_requests —
    starts warm instead of spending its first requests on them. The master's database connection
    is closed before any worker exists (a forked worker never shares a socket)."""
    from rongthuk.warmup import process_warm

    process_warm()
