"""The deploy suite's private primary, provisioned once per run with two bodies (tests/deploy/servers.py)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.servers import Platform
from tests.faults.stack import PrivatePostgres


@pytest.fixture(scope="session")
def platform() -> Iterator[Platform]:
    logs = Path(tempfile.mkdtemp(prefix="rongthuk-deploy-logs-"))
    primary = PrivatePostgres()
    provisioned = Platform(primary=primary, logs=logs)
    try:
        primary.start()
        provisioned.provision()
        yield provisioned
    finally:
        provisioned.destroy()
        primary.destroy()
        print(f"\ndeploy suite logs: {logs}")
