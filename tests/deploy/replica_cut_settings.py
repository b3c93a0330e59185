"""The platform's settings with the replica connection cut after every lag check (tests/deploy/replica_cut)."""

from rongthuk.settings import *  # noqa: F403

DATABASES["replica"]["ENGINE"] = "tests.deploy.replica_cut"  # noqa: F405
