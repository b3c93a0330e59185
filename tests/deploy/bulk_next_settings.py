"""The platform's settings with two migrations more for apps.tokens (tests/deploy/bulk_migrations_next)."""

from rongthuk.settings import *  # noqa: F403

MIGRATION_MODULES = {"tokens": "tests.deploy.bulk_migrations_next"}
