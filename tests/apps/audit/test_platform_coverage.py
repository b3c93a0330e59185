"""Every change made in the national admin writes an entry in the platform's (public) log.

The admins come from the admin site's registry: each one that can change, add or delete must be
an AuditedAdmin, and each is driven here through its real pages the way a browser would: the
change form is read from the page, one field is changed, and the form is posted back. An admin
added later is enumerated the same way; one that can add or delete also needs its row in ADD or
FRESH below, or the test fails and says so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
import tablib
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse as _reverse
from django.utils import timezone

from api.models import ApiKey
from apps.accounts.models import User
from apps.audit.admin import AuditedAdmin
from apps.audit.kinds import KINDS
from apps.audit.models import AuditEntry
from apps.oversight.models import Directive, OversightProfile
from apps.oversight.scoping import Scope
from apps.oversight.services import directive_issue, oversight_profile_set
from apps.portal.models import BodyProfile
from apps.sla.admin import FrameworkRowResource
from apps.sla.models import Agreement, BodyClosure, Framework, FrameworkRow, NationalDayOff
from apps.sla.services import sla_agreement_draft_create
from tenants.models import District, LocalBody, Province, Subdistrict
from tests.apps.audit.helpers import entries_since, last_id
from tests.signin import verified_login

READ_ONLY = {AuditEntry}


def reverse(name: str, args: list[Any] | None = None) -> str:
    return _reverse(name, args=args, urlconf="rongthuk.urls_public")


class _FormReader(HTMLParser):
    """What a browser would post from the admin's change form: named inputs, selects, textareas."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.data: dict[str, Any] = {}
        self.fields: list[tuple[str, str]] = []  # (name, kind) in page order
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        if not self.inside or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind == "checkbox":
                if "checked" in a:
                    self.data[name] = a.get("value") or "on"
            else:
                self.data[name] = a.get("value", "")
            self.fields.append((name, kind))
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, "")
            self.fields.append((name, "select"))
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = ""
            self.fields.append((name, "textarea"))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                self.data[self._textarea] = self.data[self._textarea].lstrip("\n")
            self._textarea = None
        elif tag == "form":
            self.inside = False


def _mutations(reader: _FormReader) -> list[tuple[str, Any]]:
    """Changes to try, one field each, main form first (inline rows are named `<prefix>-<n>-...`)."""
    tries: list[tuple[str, Any]] = []
    for name, kind in reader.fields:
        if name == "csrfmiddlewaretoken" or "-" in name or name.startswith("_"):
            continue
        value = reader.data.get(name, "")
        if kind in ("text", "textarea", "search") and value:
            tries.append((name, f"{value}ก"))
        elif kind == "number" and value not in ("", None):
            tries.append((name, str(Decimal(value) + 1)))
        elif kind == "date" or (kind == "text" and name.endswith(("date", "_from"))):
            pass
        elif kind == "checkbox":
            tries.append((name, None if name in reader.data else "on"))
    return tries


def _superuser() -> User:
    return User.objects.create_superuser("national-audit", "long-enough-password-9")


def _client(user: User) -> Client:
    return verified_login(Client(HTTP_HOST="localhost"), user)


@pytest.fixture
def objects(banlat: LocalBody, outside_body: LocalBody) -> dict[type[models.Model], models.Model]:
    """One object of each registered model that the standing data may lack."""
    officer = User.objects.create_user("district-admin-audit", "x" * 16)
    oversight_profile_set(user=officer, level="district", code="7606", office_name="ท้องถิ่นอำเภอบ้านลาด")
    made: dict[type[models.Model], models.Model] = {
        NationalDayOff: NationalDayOff.objects.create(date=dt.date(2026, 12, 30), name="วันหยุดพิเศษ"),
        BodyClosure: BodyClosure.objects.create(body=banlat, date=dt.date(2026, 12, 29), reason="ย้ายสำนักงาน"),
        BodyProfile: BodyProfile.objects.get_or_create(body=outside_body, defaults={"phone": "032-400-000"})[0],
        ApiKey: ApiKey.objects.create(name="สำนักงานสถิติ", scope="nation", prefix="ab12cd34", key_hash="0" * 64),
        Agreement: sla_agreement_draft_create(body=banlat, number="1/2569"),
        Directive: directive_issue(scope=Scope("district", "7606"), issued_by=officer, title="แจ้งเวียน",
                                   due_date=timezone.localdate() + dt.timedelta(days=3)),
        OversightProfile: OversightProfile.objects.get(user=officer),
    }
    return made


def _instance(model: type[models.Model], objects: dict[type[models.Model], models.Model]) -> models.Model:
    if model in objects:
        return objects[model]
    if model is LocalBody:
        return LocalBody.objects.get(dla_code="4760102")
    found = model._default_manager.order_by("pk").first()
    assert found is not None, f"no {model.__name__} to edit: add one to the `objects` fixture"
    return found


def _kind(model_admin: admin.ModelAdmin, verb: str) -> str:
    """The one kind an admin writes: its noun's (`sla.framework.create`) where the log has that
    kind, else `admin.<verb>`."""
    noun = f"{model_admin.audit_noun}.{verb}"  # type: ignore[attr-defined]
    return noun if noun in KINDS else f"admin.{verb}"


def _writable(model_admin: admin.ModelAdmin, request: Any) -> bool:
    return any((model_admin.has_add_permission(request), model_admin.has_change_permission(request),
                model_admin.has_delete_permission(request)))


def test_every_admin_that_can_write_is_audited(rf: Any, db: None) -> None:
    request = rf.get("/admin/")
    request.user = User(is_superuser=True, is_active=True)
    unaudited = [model.__name__ for model, model_admin in admin.site._registry.items()
                 if model not in READ_ONLY and _writable(model_admin, request)
                 and not isinstance(model_admin, AuditedAdmin)]
    assert unaudited == []
    audit_admin = admin.site._registry[AuditEntry]
    assert not _writable(audit_admin, request)


CHANGEABLE = sorted((m for m in admin.site._registry if m not in READ_ONLY), key=lambda m: m._meta.label)


@pytest.mark.parametrize("model", CHANGEABLE, ids=lambda m: m._meta.label_lower)
def test_a_change_in_each_admin_writes_one_entry(model: type[models.Model], objects: dict, rf: Any) -> None:
    user = _superuser()
    client = _client(user)
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = user
    obj = _instance(model, objects)
    if not model_admin.has_change_permission(request, obj):
        assert model_admin.has_view_permission(request, obj)
        return  # read-only here (published agreements): nothing to audit
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    reader = _FormReader(f"{model._meta.model_name}_form")
    reader.feed(page.content.decode())
    before = last_id("public")
    refusals: list[tuple[str, Any]] = []
    for name, value in _mutations(reader):
        data = {k: v for k, v in reader.data.items()}
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
        data["_save"] = "Save"
        response = client.post(url, data)
        if response.status_code == 302:
            break
        refusals.append((name, response.context["adminform"].form.errors if response.context else response.status_code))
    else:
        pytest.fail(f"no single-field change of {model.__name__} was accepted by its admin form: {refusals}")
    (entry,) = entries_since("public", before)
    noun = model_admin.audit_noun  # type: ignore[attr-defined]
    assert entry.kind in (f"{noun}.update", "body.status", "admin.update")
    assert (entry.actor_id, entry.actor_label) == (user.pk, "national-audit")
    assert (entry.target_type, entry.target_id) == (model._meta.label_lower, str(obj.pk))
    assert name in entry.changes["after"], entry.changes


# What the add page needs, per model that can be added here.
ADD: dict[type[models.Model], Callable[[], dict[str, Any]]] = {
    NationalDayOff: lambda: {"date": "2027-01-02", "name": "วันหยุดชดเชย", "reference": "มติ ครม. 1 ม.ค. 2570"},
    ApiKey: lambda: {"name": "ศูนย์ข้อมูลจังหวัด", "scope": "province:76", "access": "read"},
    BodyClosure: lambda: {"body": LocalBody.objects.get(dla_code="6760609").pk, "date": "2027-01-05",
                          "reason": "น้ำท่วม"},
    Framework: lambda: {"name": "กรอบทดสอบ", "effective_from": "2027-01-01", "note": ""},
    FrameworkRow: lambda: {"framework": Framework.objects.create(name="ร่างกรอบ", effective_from=dt.date(2033, 1, 1)).pk,
                           "sla_class": "B", "stage": "closure", "days": 3, "day_type": "working"},
    Province: lambda: {"code": "99", "name_th": "จังหวัดทดสอบ", "name_en": "Test"},
    District: lambda: {"code": "7699", "name_th": "อำเภอทดสอบ", "name_en": "Test", "province": "76"},
    Subdistrict: lambda: {"code": "760699", "name_th": "ตำบลทดสอบ", "name_en": "Test", "district": "7606",
                          "postcodes": "76150"},
    BodyProfile: lambda: {"body": LocalBody.objects.get(dla_code="6760609").pk, "phone": "032-111-222",
                          "reopen_window_days": 30},
    OversightProfile: lambda: {"user": User.objects.create_user("province-audit", "x" * 16).pk,
                               "level": "province", "province": "76", "office_name": "ท้องถิ่นจังหวัดเพชรบุรี"},
    Directive: lambda: {"title": "หนังสือทดสอบ", "requirements": "ack", "due_date": "2027-02-01",
                        "remind_days_before": 3, "issued_by": User.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
                        "scope_level": "nation", "scope_code": ""},
}


@pytest.mark.parametrize("model", CHANGEABLE, ids=lambda m: m._meta.label_lower)
def test_an_addition_in_each_admin_writes_one_entry(model: type[models.Model], rf: Any, db: None) -> None:
    user = _superuser()
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = user
    if not model_admin.has_add_permission(request):
        return
    assert model in ADD, f"{model.__name__} can be added in the admin: add its form data to ADD"
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    client = _client(user)
    page = client.get(url)
    reader = _FormReader(f"{model._meta.model_name}_form")
    reader.feed(page.content.decode())
    data = {k: v for k, v in reader.data.items() if "-" in k}  # the inlines' management forms
    data.update(ADD[model]())
    data["_save"] = "Save"
    before = last_id("public")
    response = client.post(url, data)
    assert response.status_code == 302, [response.context["adminform"].form.errors] + [
        f.formset.errors for f in response.context["inline_admin_formsets"]]
    (entry,) = entries_since("public", before)
    assert entry.kind == _kind(model_admin, "create")
    assert entry.target_type == model._meta.label_lower and entry.changes["after"]
    assert "key_hash" not in entry.changes["after"] or entry.changes["after"]["key_hash"] == "***"


@pytest.mark.parametrize("model", CHANGEABLE, ids=lambda m: m._meta.label_lower)
def test_a_deletion_in_each_admin_writes_one_entry(model: type[models.Model], objects: dict, rf: Any) -> None:
    user = _superuser()
    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    request.user = user
    if not model_admin.has_delete_permission(request):
        return
    obj = _instance(model, objects)
    if model in (Framework, FrameworkRow):  # the standing framework is referenced: delete a fresh one
        framework = Framework.objects.create(name="ลบได้", effective_from=dt.date(2030, 1, 1))
        obj = framework if model is Framework else FrameworkRow.objects.create(
            framework=framework, sla_class="B", stage="ack", days=1, day_type="working")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[obj.pk])
    before = last_id("public")
    response = _client(user).post(url, {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not model._default_manager.filter(pk=obj.pk).exists()
    entries = entries_since("public", before)
    assert [e.kind for e in entries if e.target_id == str(obj.pk) and e.target_type == model._meta.label_lower] \
        == [_kind(model_admin, "delete")]


def test_bulk_delete_and_api_key_revocation_are_audited_per_object(objects: dict) -> None:
    user = _superuser()
    client = _client(user)
    second = ApiKey.objects.create(name="สำรอง", scope="nation", prefix="ef56ab78", key_hash="1" * 64)
    first = objects[ApiKey]
    before = last_id("public")
    response = client.post(reverse("admin:api_apikey_changelist"),
                           {"action": "revoke", "_selected_action": [first.pk, second.pk]})
    assert response.status_code == 302
    entries = entries_since("public", before)
    assert sorted((e.kind, e.target_id) for e in entries) == [("api_key.revoke", str(first.pk)),
                                                              ("api_key.revoke", str(second.pk))]
    assert entries[0].changes["before"] == {"revoked_at": None}
    before = last_id("public")
    days = [NationalDayOff.objects.create(date=dt.date(2027, 3, d), name=f"วันที่ {d}") for d in (1, 2)]
    response = client.post(reverse("admin:sla_nationaldayoff_changelist"),
                           {"action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"})
    assert response.status_code == 302
    assert sorted((e.kind, e.changes["before"]["name"]) for e in entries_since("public", before)) == [
        ("day_off.delete", "วันที่ 1"), ("day_off.delete", "วันที่ 2")]


def test_every_admin_action_is_audited(rf: Any, db: None) -> None:
    """Custom actions write their own entries (revoke above); delete_selected goes through
    delete_queryset. A new action must be added to this list with a test of its entry."""
    request = rf.get("/admin/")
    request.user = User(is_superuser=True, is_active=True)
    actions = sorted(f"{model._meta.label_lower}:{name}" for model, model_admin in admin.site._registry.items()
                     for name in model_admin.get_actions(request) if name != "delete_selected")
    assert actions == ["api.apikey:revoke", "tenants.localbody:archive", "tenants.localbody:resume",
                       "tenants.localbody:suspend"]


def test_body_status_actions_and_the_lifecycle_page_are_audited(db: None) -> None:
    """The body actions (suspend, resume, archive) and the lifecycle page (rename, upgrade, merge:
    /admin/tenants/localbody/<id>/lifecycle/) write through tenants.services, one entry each."""
    client = _client(_superuser())
    body = LocalBody.objects.get(dla_code="6760406")
    before = last_id("public")
    for action in ("suspend", "resume"):
        response = client.post(reverse("admin:tenants_localbody_changelist"),
                               {"action": action, "_selected_action": [body.pk]})
        assert response.status_code == 302
    page = reverse("admin:tenants_localbody_lifecycle", args=[body.pk])
    assert client.get(page).status_code == 200
    assert client.post(page, {"action": "rename", "name_th": "สามพระยาใหม่", "name_en": ""}).status_code == 302
    dry = client.post(page, {"action": "merge_dry_run", "into": "4760401"})
    assert dry.status_code == 200 and 'id="merge-counts"' in dry.content.decode()
    assert client.post(page, {"action": "upgrade", "new_code": "5760499", "kind": "subdistrict_municipality",
                              "upgrade_name": ""}).status_code == 302
    assert client.post(reverse("admin:tenants_localbody_changelist"),
                       {"action": "archive", "_selected_action": [body.pk]}).status_code == 302
    entries = entries_since("public", before)
    assert [(e.kind, e.actor_label) for e in entries if e.target_id == str(body.pk)] == [
        ("body.status", "national-audit"), ("body.status", "national-audit"), ("body.rename", "national-audit"),
        ("body.upgrade", "national-audit"), ("body.status", "national-audit")]
    assert [e.changes["after"]["status"] for e in entries if e.kind == "body.status"] == [
        "suspended", "active", "archived"]


def test_framework_rows_import_is_audited_in_its_transaction(db: None) -> None:
    user = _superuser()
    framework = Framework.objects.create(name="นำเข้า", effective_from=dt.date(2031, 1, 1))
    dataset = tablib.Dataset(headers=["framework", "sla_class", "stage", "days", "day_type"])
    dataset.append([framework.pk, "A", "resolve", 1, "working"])
    dataset.append([framework.pk, "B", "resolve", 15, "calendar"])
    before = last_id("public")
    result = FrameworkRowResource().import_data(dataset, dry_run=False, user=user, file_name="rows.csv")
    assert not result.has_errors()
    (entry,) = entries_since("public", before)
    assert (entry.kind, entry.actor_id, entry.target_label) == ("framework.import", user.pk, "rows.csv")
    assert entry.changes == {"totals": {"new": 2}, "rows": ["A/resolve: 1 working", "B/resolve: 15 calendar"]}
    before = last_id("public")
    FrameworkRowResource().import_data(dataset, dry_run=True, user=user)
    assert entries_since("public", before) == []


def test_platform_services_write_the_platform_log(banlat: LocalBody) -> None:
    from apps.sla.services import sla_framework_create
    from tenants.services import body_set_status

    user = _superuser()
    before = last_id("public")
    body_set_status(body=LocalBody.objects.get(dla_code="4760102"), status="suspended", actor=user)
    sla_framework_create(name="ฉบับทางการ", effective_from=dt.date(2032, 1, 1), rows={("B", "ack"): (1, "working")},
                         actor=user)
    kinds = [(e.kind, e.changes.get("after", {}).get("status")) for e in entries_since("public", before)]
    assert kinds == [("body.status", "suspended"), ("framework.create", None)]
    (status, framework) = entries_since("public", before)
    assert status.changes == {"before": {"status": "active"}, "after": {"status": "suspended"}}
    assert framework.changes["after"]["rows"] == {"B/ack": [1, "working"]}
