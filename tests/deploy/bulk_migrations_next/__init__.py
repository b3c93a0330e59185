"""tests/deploy/bulk_migrations plus one more (a second column and index on the same body table), for
the concurrent and killed runs of tests/deploy/test_bulk_migrate.py (tests/deploy/bulk_next_settings.py)."""
