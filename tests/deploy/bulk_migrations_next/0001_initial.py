import importlib

Migration = importlib.import_module("apps.tokens.migrations.0001_initial").Migration
