"""A body's admin sees the district office's directive in the staff UI and acknowledges it."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User
from apps.oversight.models import DirectiveTarget
from apps.oversight.scoping import Scope
from apps.oversight.services import directive_issue
from tenants import cache
from tenants.models import LocalBody
from tests.conftest import STAFF_PASSWORD
from tests.signin import password_and_code


@pytest.fixture
def directive(banlat: LocalBody, thasen: LocalBody):  # type: ignore[no-untyped-def]
    officer = User.objects.create_user("district_officer_test", "x" * 16)
    return directive_issue(scope=Scope("district", "7606"), issued_by=officer, title="ประกาศ SLA ภายใน 31 ต.ค.",
                           due_date=timezone.localdate() + dt.timedelta(days=10), body_codes=["5760601", "6760609"])


def _client(role: str) -> Client:
    cache.clear()
    client = Client(HTTP_HOST="banlat.localhost")
    schema = LocalBody.objects.get(dla_code="5760601").schema_name
    return password_and_code(client, username=role, password=STAFF_PASSWORD, schema=schema)


def test_the_admin_sees_and_acknowledges_a_directive(directive: object, banlat: LocalBody) -> None:
    client = _client("admin")
    page = client.get("/staff/directives/")
    assert page.status_code == 200
    assert "ประกาศ SLA ภายใน 31 ต.ค." in page.content.decode()
    target = DirectiveTarget.objects.get(directive=directive, body=banlat)
    response = client.post(f"/staff/directives/{target.pk}/acknowledge/")
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.acknowledged_at is not None
    assert target.acknowledged_by_name == "admin บ้านลาด"


def test_other_staff_cannot_acknowledge_and_another_bodys_directive_is_404(directive: object, banlat: LocalBody,
                                                                           thasen: LocalBody) -> None:
    officer = _client("officer")
    assert officer.get("/staff/directives/").status_code == 403
    thasen_target = DirectiveTarget.objects.get(directive=directive, body=thasen)
    admin = _client("admin")
    assert admin.post(f"/staff/directives/{thasen_target.pk}/acknowledge/").status_code == 404
    thasen_target.refresh_from_db()
    assert thasen_target.acknowledged_at is None
    executive = _client("executive")
    own = DirectiveTarget.objects.get(directive=directive, body=banlat)
    assert executive.get("/staff/directives/").status_code == 200
    assert executive.post(f"/staff/directives/{own.pk}/acknowledge/").status_code == 403
