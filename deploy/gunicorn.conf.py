# gunicorn for the web container: sync workers; each holds one PostgreSQL connection (CONN_MAX_AGE),
# so put pgbouncer (deploy/pgbouncer/) in front of PostgreSQL beyond a few replicas.
import multiprocessing

bind = "0.0.0.0:8000"
workers = multiprocessing.cpu_count() * 2 + 1
timeout = 30
accesslog = "-"
forwarded_allow_ips = "*"
