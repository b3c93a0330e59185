from __future__ import annotations

import pytest


@pytest.fixture
def banlat_committed(committed: None):  # type: ignore[no-untyped-def]
    from tenants.models import LocalBody  # noqa: PLC0415
    from tests.conftest import BANLAT  # noqa: PLC0415

    return LocalBody.objects.get(dla_code=BANLAT)
