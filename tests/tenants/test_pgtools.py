"""Provisioning's pg_dump is the one for the server it talks to, not the embedded package's."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from tenants.pgtools import ToolNotFound, pg_dump_path, server_major, tool_major


@pytest.fixture(autouse=True)
def _fresh_choice() -> Iterator[None]:
    pg_dump_path.cache_clear()
    yield
    pg_dump_path.cache_clear()


@pytest.mark.django_db
def test_pg_dump_matches_the_server_major_version() -> None:
    assert tool_major(pg_dump_path()) == server_major()


@pytest.mark.django_db
@override_settings(PG_DUMP=None)
def test_without_a_configured_tool_one_for_the_server_version_is_found() -> None:
    # The test server's version: Debian's client tools serve PostgreSQL 15, pgserver's its own 16.
    major = server_major()
    debian = Path(f"/usr/lib/postgresql/{major}/bin/pg_dump")
    if not debian.is_file():
        with pytest.raises(ToolNotFound, match=f"postgresql-client-{major}"):
            pg_dump_path()
    else:
        assert pg_dump_path() == str(debian)


@override_settings(PG_DUMP="/nonexistent/pg_dump")
def test_a_configured_tool_that_is_missing_is_named_in_the_error() -> None:
    with pytest.raises(ToolNotFound, match="pg_dump not found at /nonexistent/pg_dump"):
        pg_dump_path()
