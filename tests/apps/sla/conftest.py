from __future__ import annotations

import pytest


@pytest.fixture
def banlat_committed(committed: None):  # type: ignore[no-untyped-def]
    from tenants.models import LocalBody
    from tests.conftest import BANLAT

    return LocalBody.objects.get(dla_code=BANLAT)
