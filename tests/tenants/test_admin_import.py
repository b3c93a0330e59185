"""The Django admin's import (django-import-export) takes the DLA CSV as published."""

import tablib
from django.test import Client

from apps.accounts.models import User
from tenants import cache
from tenants.models import BodyStatus, Domain, LocalBody
from tenants.resources import LocalBodyResource
from tests.conftest import REPO
from tests.signin import verified_login

CHUMPHON = "ชุมพร"


def _published_rows(count: int) -> str:
    lines = (REPO / "tenants" / "data" / "lao.csv").read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines[1:] if line.startswith(CHUMPHON + ",")][:count]
    return "\n".join([lines[0], *rows, "ชุมพร,ไม่มีอำเภอนี้,6869999,อบต.,ทดสอบ,,,,,,,"]) + "\n"


def test_admin_import_creates_and_provisions_bodies_and_reports_bad_rows(db: None) -> None:
    dataset = tablib.Dataset().load(_published_rows(3), format="csv")
    result = LocalBodyResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert result.totals["new"] == 3
    invalid = result.invalid_rows
    assert len(invalid) == 1
    assert "ไม่พบอำเภอ" in str(invalid[0].error_dict)
    codes = [line.split(",")[2] for line in _published_rows(3).splitlines()[1:4]]
    bodies = LocalBody.objects.filter(dla_code__in=codes)
    assert bodies.count() == 3
    assert set(bodies.values_list("status", flat=True)) == {BodyStatus.ACTIVE}
    assert Domain.objects.filter(tenant__in=bodies).count() == 6


def test_the_import_page_is_for_the_national_admin_only(db: None) -> None:
    cache.clear()
    operator = User.objects.create_superuser("operator", "x" * 16)
    officer_public = User.objects.create_user("officer_public", "x" * 16)
    client = Client()
    assert client.get("/admin/tenants/localbody/import/", HTTP_HOST="localhost").status_code == 302
    verified_login(client, officer_public)
    assert client.get("/admin/tenants/localbody/import/", HTTP_HOST="localhost").status_code == 302
    verified_login(client, operator)
    page = client.get("/admin/tenants/localbody/import/", HTTP_HOST="localhost")
    assert page.status_code == 200
    assert b"import_file" in page.content
