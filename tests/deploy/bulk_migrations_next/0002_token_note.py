import importlib

Migration = importlib.import_module("tests.deploy.bulk_migrations.0002_token_note").Migration
