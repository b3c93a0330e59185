"""apps.tokens' migrations plus one more, for tests/deploy/test_bulk_migrate.py (MIGRATION_MODULES
in tests/deploy/bulk_settings.py): a real migration that adds a column and an index to a body table."""
