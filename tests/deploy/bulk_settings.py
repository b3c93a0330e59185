"""The platform's settings with one migration more for apps.tokens (tests/deploy/bulk_migrations)."""

from rongthuk.settings import *  # noqa: F403

MIGRATION_MODULES = {"tokens": "tests.deploy.bulk_migrations"}
