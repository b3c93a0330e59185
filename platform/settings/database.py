from urllib.parse import parse_qs, unquote, urlparse

from rongthuk.env import env_int, env_list, env_opt


def _from_url(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise RuntimeError(f"DATABASE_URL must be a postgresql:// URL, got scheme {parsed.scheme!r}")
    query = parse_qs(parsed.query)
    host = query.get("host", [parsed.hostname or ""])[0]
    return {
        "NAME": unquote(parsed.path.lstrip("/")) or "rongthuk",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
    }


_url = env_opt("DATABASE_URL")
# pg_dump for provisioning (tenants.pgtools): named here, or the embedded server's own, or else
# found for the version of the server DATABASE_URL points at.
PG_DUMP = env_opt("RONGTHUK_PG_DUMP")
if _url:
    _database = _from_url(_url)
    EMBEDDED_DATABASE = False
else:
    from rongthuk import embedded

    # Settings start no server: the commands that need the database start it (embedded.ensure_running).
    _database = {"NAME": embedded.DATABASE_NAME, "USER": "postgres", "PASSWORD": "",
                 "HOST": embedded.socket_dir(), "PORT": ""}
    EMBEDDED_DATABASE = True
    PG_DUMP = PG_DUMP or str(embedded.bin_dir() / "pg_dump")

# Test runs and the test worker point at another database on the same server.
_name_override = env_opt("RONGTHUK_DATABASE_NAME")
if _name_override:
    _database["NAME"] = _name_override

DATABASES = {
    "default": {
        "ENGINE": "django_tenants.postgresql_backend",
        **_database,
        # Recycled by age and by the bodies served (tenants.connections): a backend's memory grows
        # with every body schema it touches (deploy/SCALING.md, "Database memory").
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"NAME": "test_" + str(_database["NAME"])},
    }
}
# Distinct bodies one connection may serve before it is closed (≈ 59 KB of catalog each).
DATABASE_CONN_MAX_BODIES = env_int("DATABASE_CONN_MAX_BODIES", 1000)

# A streaming read replica for the oversight site's and the national API's reads of the facts and
# roll-ups (tenants.replica): used while it is at most DATABASE_REPLICA_MAX_LAG_SECONDS behind,
# otherwise (or when it cannot be reached) those reads go to the primary.
_replica_url = env_opt("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = {
        # django-tenants' backend, whose reads fall back to the primary when the replica fails under them.
        "ENGINE": "tenants.replica_backend",
        **_from_url(_replica_url),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        # A replica that is down must cost a request little: the reads then go to the primary.
        "OPTIONS": {"connect_timeout": env_int("DATABASE_REPLICA_CONNECT_TIMEOUT", 2),
                    "application_name": "rongthuk-replica-reads"},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 30)
DATABASE_REPLICA_RETRY_SECONDS = env_int("DATABASE_REPLICA_RETRY_SECONDS", 10)
DATABASE_REPLICA_PATHS = env_list("DATABASE_REPLICA_PATHS", ["/oversight/", "/api/national/"])
# Never a model that the oversight pages write or that a signed-in request needs fresh.
DATABASE_REPLICA_MODELS = {
    "reporting.ComplaintFact", "oversight.AreaRollup", "oversight.BodyRollup", "oversight.AreaResolveDays",
    "oversight.ProvinceRollup", "oversight.ProvinceResolveDays",
}
