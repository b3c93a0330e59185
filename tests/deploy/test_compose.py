"""docker-compose.yml: the app reaches PostgreSQL through pgbouncer (Debian's package, session mode),
each web pool through its own pool alias."""

from __future__ import annotations

import configparser
from typing import Any

import yaml

from tests.conftest import REPO
from tests.deploy.servers import deploy_pgbouncer_settings


def _services() -> dict[str, Any]:
    return dict(yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))["services"])


def test_every_app_process_connects_through_pgbouncer() -> None:
    services = _services()
    urls = {name: services[name]["environment"]["DATABASE_URL"] for name in ("web-a", "web-b", "worker", "beat")}
    assert urls == {
        "web-a": "postgresql://rongthuk:rongthuk@pgbouncer:6432/rongthuk_a",
        "web-b": "postgresql://rongthuk:rongthuk@pgbouncer:6432/rongthuk_b",
        "worker": "postgresql://rongthuk:rongthuk@pgbouncer:6432/rongthuk",
        "beat": "postgresql://rongthuk:rongthuk@pgbouncer:6432/rongthuk",
    }
    for name in urls:
        assert services[name]["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert "pgbouncer" in services[name]["depends_on"]


def test_pgbouncer_is_debians_package_in_session_mode_with_a_pool_per_alias() -> None:
    service = _services()["pgbouncer"]
    assert service["build"] == {"context": "deploy/pgbouncer"}
    dockerfile = (REPO / "deploy" / "pgbouncer" / "Dockerfile").read_text(encoding="utf-8")
    assert "apt-get install -y --no-install-recommends pgbouncer" in dockerfile
    assert service["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    settings = deploy_pgbouncer_settings()
    # Transaction pooling would hand one client's SET search_path to another (tests/deploy/test_pgbouncer.py).
    assert (settings["pool_mode"], settings["server_reset_query"]) == ("session", "DISCARD ALL")
    ini = configparser.ConfigParser()
    ini.read(REPO / "deploy" / "pgbouncer" / "pgbouncer.ini", encoding="utf-8")
    assert sorted(ini["databases"]) == ["rongthuk", "rongthuk_a", "rongthuk_b"]
    users = (REPO / "deploy" / "pgbouncer" / "userlist.txt").read_text(encoding="utf-8").split()
    assert users[0] == '"rongthuk"'
