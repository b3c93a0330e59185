"""Fixtures of the body lifecycle tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tenants import cache


@pytest.fixture
def hosts_forgotten() -> Iterator[None]:
    """The host cache outlives the test's rolled-back transaction: empty it on both sides."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
