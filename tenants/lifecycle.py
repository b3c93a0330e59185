"""A body's life after provisioning: export and restore, rename, upgrade to a new DLA code, merge,
status changes and its domains. Each writes an audit entry in the platform's log and the body's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from tenants import archive, archive_restore, cache, merging
from tenants.models import (
    BodyKind,
    BodyStatus,
    Domain,
    LocalBody,
    ServiceArea,
    domain_clean,
)
from tenants.service_areas import service_area_absorb
from tenants.services import body_set_status, domain_names
from tenants.slugs import assign_slugs, base_slug


def body_export(*, body: LocalBody, path: Path, actor: object = None, actor_label: str = "") -> archive.ExportReport:
    """Write the body's archive (tenants.archive) from one consistent snapshot, and record who took
    a copy of every citizen's data (the platform's log and the body's own)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:  # one snapshot for the schema and the public rows
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        report = archive.body_archive_write(body=body, path=path)
        summary = {"file": path.name, "bytes": report.size, "schema_rows": report.schema_rows,
                   "public_rows": report.public_rows, "files": report.files,
                   "missing_files": len(report.missing_files)}
        audit_record(kind="body.export", actor=actor, actor_label=actor_label, target=body,
                     changes={"after": summary})
        audit_record(kind="body.export", actor=None, actor_label=actor_label or "platform", target=body,
                     changes={"after": summary}, body=body)
    return report


def body_restore(*, path: Path, code: str | None = None, actor: object = None,
                 actor_label: str = "") -> archive_restore.RestoreReport:
    """Bring an archive back into a new or emptied body (tenants.archive_restore.body_archive_restore)."""
    with transaction.atomic():
        report = archive_restore.body_archive_restore(path=path, code=code)
        summary = {"file": path.name, "schema_rows": report.schema_rows, "public_rows": report.public_rows,
                   "files": report.files, "skipped": report.skipped}
        audit_record(kind="body.restore", actor=actor, actor_label=actor_label, target=report.body,
                     changes={"after": summary})
        audit_record(kind="body.restore", actor=None, actor_label=actor_label or "platform",
                     target=report.body, changes={"after": summary}, body=report.body)
    cache.clear()
    return report


class BodyLifecycleError(ValueError):
    """A refused lifecycle change; the message is for the person who asked (Thai)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_DLA_CODE = re.compile(r"^[2-6]\d{6}$")


def _locked(body: LocalBody) -> LocalBody:
    return LocalBody.objects.select_for_update().get(pk=body.pk)


def _after_commit_clear_hosts() -> None:
    transaction.on_commit(cache.clear)


@transaction.atomic
def body_rename(*, body: LocalBody, name_th: str, name_en: str | None = None, actor: object = None,
                actor_label: str = "") -> LocalBody:
    """A new display name; the slug, the code and every link stay as they are."""
    name_th = " ".join(name_th.split())
    if not name_th:
        raise BodyLifecycleError(_("กรุณาระบุชื่อใหม่ของหน่วยงาน"))
    if len(name_th) > 200 or (name_en is not None and len(name_en) > 200):
        raise BodyLifecycleError(_("ชื่อหน่วยงานยาวเกิน 200 ตัวอักษร"))
    body = _locked(body)
    before = {"name_th": body.name_th, "name_en": body.name_en}
    body.name_th = name_th
    if name_en is not None:
        body.name_en = " ".join(name_en.split())
    after = {"name_th": body.name_th, "name_en": body.name_en}
    if after == before:
        return body
    body.save(update_fields=["name_th", "name_en", "updated_at"])
    changes = {"before": before, "after": after}
    audit_record(kind="body.rename", actor=actor, actor_label=actor_label, target=body, changes=changes)
    audit_record(kind="body.rename", actor=None, actor_label=actor_label or _label(actor), target=body,
                 changes=changes, body=body)
    _after_commit_clear_hosts()
    return body


def _label(actor: object) -> str:
    get_username = getattr(actor, "get_username", None)
    return str(get_username()) if callable(get_username) else "platform"


def _code_taken(code: str, *, exclude: LocalBody | None = None) -> LocalBody | None:
    found = LocalBody.objects.filter(models.Q(dla_code=code) | models.Q(previous_dla_code=code))
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.first()


@transaction.atomic
def body_upgrade(*, body: LocalBody, new_code: str, kind: str, name_th: str = "", actor: object = None,
                 actor_label: str = "") -> LocalBody:
    """A change of type with a new DLA code (อบต. → เทศบาลตำบล): the same body, schema and cases;
    the new code and its slug become the body's primary domains, and the old code's and slug's
    hosts answer with a permanent redirect, so citizens' links and tracking codes keep working.
    The schema keeps its name (schema names are never renamed: files and logs carry it)."""
    new_code = new_code.strip()
    if not _DLA_CODE.match(new_code):
        raise BodyLifecycleError(_("รหัส อปท. ใหม่ต้องเป็นตัวเลข 7 หลักขึ้นต้นด้วย 2–6 ได้รับ %(code)s") % {"code": repr(new_code)})
    if kind not in BodyKind.values or kind == BodyKind.PLATFORM:
        raise BodyLifecycleError(_("ไม่รู้จักประเภท อปท. %(kind)s") % {"kind": repr(kind)})
    body = _locked(body)
    if body.kind == BodyKind.PLATFORM or body.status in (BodyStatus.PROVISIONING, BodyStatus.ARCHIVED):
        raise BodyLifecycleError(_("ยกฐานะ%(name)sไม่ได้ในสถานะ “%(status)s”")
                                 % {"name": body.display_name, "status": body.get_status_display()})
    if new_code == body.dla_code:
        raise BodyLifecycleError(_("รหัส %(code)s เป็นรหัสปัจจุบันของ%(name)sอยู่แล้ว")
                                 % {"code": new_code, "name": body.display_name})
    other = _code_taken(new_code, exclude=body)
    if other is not None:
        raise BodyLifecycleError(_("รหัส %(code)s เป็นของ%(name)sอยู่แล้ว") % {"code": new_code, "name": other.display_name})
    name_th = " ".join(name_th.split()) or body.name_th
    province_en = body.province.name_en if body.province_id and body.province else ""
    base = base_slug(dla_code=new_code, kind=kind, name_th=name_th, province_name_en=province_en)
    taken = set(LocalBody.objects.exclude(pk=body.pk).filter(slug__startswith=base).values_list("slug", flat=True))
    slug = assign_slugs([(new_code, base)], taken)[new_code]
    before = {"dla_code": body.dla_code, "kind": body.kind, "name_th": body.name_th, "slug": body.slug}

    primary, alias = domain_names(slug, new_code)
    mine = Domain.objects.filter(tenant=body)
    clash = Domain.objects.filter(domain__in=[primary, alias]).exclude(tenant=body).first()
    if clash is not None:
        raise BodyLifecycleError(_("โดเมน %(domain)s เป็นของหน่วยงานอื่นอยู่แล้ว") % {"domain": clash.domain})
    # The platform's hosts of the old slug and code keep answering, as redirects.
    old_hosts = domain_names(body.slug, body.dla_code)
    mine.filter(domain__in=old_hosts).exclude(domain__in=[primary, alias]).update(redirect=True, is_primary=False)
    mine.exclude(domain__in=[primary, alias]).update(is_primary=False)
    for name, is_primary in ((primary, True), (alias, False)):
        Domain.objects.update_or_create(domain=name, defaults={"tenant": body, "is_primary": is_primary,
                                                               "redirect": False})

    body.previous_dla_code = body.dla_code
    body.dla_code, body.kind, body.name_th, body.slug = new_code, kind, name_th, slug
    body.save(update_fields=["previous_dla_code", "dla_code", "kind", "name_th", "slug", "updated_at"])
    changes = {"before": before, "after": {"dla_code": new_code, "kind": kind, "name_th": name_th, "slug": slug}}
    audit_record(kind="body.upgrade", actor=actor, actor_label=actor_label, target=body, changes=changes)
    audit_record(kind="body.upgrade", actor=None, actor_label=actor_label or _label(actor), target=body,
                 changes=changes, body=body)
    _after_commit_clear_hosts()
    return body


@dataclass
class MergeReport:
    absorbed: LocalBody
    into: LocalBody
    dry_run: bool
    counts: dict[str, int]


def _merge_check(absorbed: LocalBody, into: LocalBody) -> None:
    if absorbed.pk == into.pk:
        raise BodyLifecycleError(_("หน่วยงานที่ถูกรวมกับหน่วยงานที่รับต้องเป็นคนละหน่วยงาน"))
    for body in (absorbed, into):
        if body.kind == BodyKind.PLATFORM or body.status == BodyStatus.PROVISIONING:
            raise BodyLifecycleError(_("%(name)s ยังไม่พร้อมใช้งาน รวมหน่วยงานไม่ได้") % {"name": body.display_name})
    if absorbed.merged_into_id is not None:
        raise BodyLifecycleError(_("%(name)s ถูกรวมเข้ากับหน่วยงานอื่นไปแล้ว") % {"name": absorbed.display_name})
    if into.status == BodyStatus.ARCHIVED:
        raise BodyLifecycleError(_("%(name)s ปิดถาวรแล้ว รับการรวมหน่วยงานไม่ได้") % {"name": into.display_name})


def body_merge(*, absorbed: LocalBody, into: LocalBody, dry_run: bool = False, actor: object = None,
               actor_label: str = "") -> MergeReport:
    """Merge `absorbed` into `into`: every step registered in tenants.merging moves its data (the
    cases with their codes, timelines, files and clocks; their facts re-attributed), the absorbed
    body's hosts become redirects to the receiving body's primary domain, and the absorbed body is
    archived with `merged_into` set. A dry run counts and writes nothing. Refused, with the reason,
    when a step finds a conflict (e.g. the same tracking code on both sides after a transfer)."""
    with transaction.atomic():
        absorbed, into = (LocalBody.objects.select_for_update().get(pk=b.pk) for b in (absorbed, into))
        _merge_check(absorbed, into)
        counts: dict[str, int] = {}
        conflicts: list[str] = []
        for step in merging.STEPS:
            counts.update(step.count(absorbed, into))
            conflicts += step.conflicts(absorbed, into)
        counts["domains"] = Domain.objects.filter(tenant=absorbed).count()
        counts["service_area"] = ServiceArea.objects.filter(body=absorbed).count()
        if conflicts:
            raise BodyLifecycleError(_("รวมหน่วยงานไม่ได้: %(reasons)s") % {"reasons": "; ".join(conflicts)})
        if dry_run:
            return MergeReport(absorbed, into, True, counts)
        moved: dict[str, int] = {}
        for step in merging.STEPS:
            moved.update(step.apply(absorbed, into))
        moved["domains"] = Domain.objects.filter(tenant=absorbed).update(tenant=into, is_primary=False, redirect=True)
        # The receiving body now serves the absorbed one's subdistricts; the absorbed body's rows
        # stay with it (archived, it is never found), so its archive still says where it served.
        moved["service_area"] = service_area_absorb(absorbed=absorbed, into=into)
        status_before = absorbed.status
        absorbed.status, absorbed.merged_into = BodyStatus.ARCHIVED, into
        absorbed.save(update_fields=["status", "merged_into", "updated_at"])
        changes = {"before": {"status": status_before},
                   "after": {"status": BodyStatus.ARCHIVED, "merged_into": into.dla_code, **moved}}
        label = actor_label or _label(actor)
        audit_record(kind="body.merge", actor=actor, actor_label=actor_label, target=absorbed, changes=changes)
        for body in (absorbed, into):
            audit_record(kind="body.merge", actor=None, actor_label=label, target=absorbed, changes=changes, body=body)
        _after_commit_clear_hosts()
    return MergeReport(absorbed, into, False, moved)


@transaction.atomic
def body_status_change(*, body: LocalBody, status: str, actor: object = None, actor_label: str = "") -> LocalBody:
    """Suspend, resume or archive, with a clear refusal for a change that is not allowed."""
    body = _locked(body)
    try:
        return body_set_status(body=body, status=status, actor=actor)
    except ValueError as error:
        raise BodyLifecycleError(
            _("เปลี่ยนสถานะ%(name)sจาก “%(before)s” เป็น “%(after)s” ไม่ได้")
            % {"name": body.display_name, "before": body.get_status_display(), "after": BodyStatus(status).label}
        ) from error


def domain_change_begin(*, body: LocalBody, domain: str,
                        refused: type[BodyLifecycleError] = BodyLifecycleError) -> tuple[LocalBody, str, Domain | None]:
    """The first step of adding a name to a body (its own domain, or a claim on one), inside the
    change's transaction: the name cleaned (`refused`, in Thai, if it is not a host name the
    platform may serve), the body locked, and the Domain row that has the name now, any body's."""
    try:
        name = domain_clean(domain)
    except ValidationError as error:
        raise refused(" ".join(error.messages)) from error
    return _locked(body), name, Domain.objects.filter(domain=name).first()


@transaction.atomic
def body_domain_add(*, body: LocalBody, domain: str, make_primary: bool = False, actor: object = None,
                    actor_label: str = "") -> Domain:
    """A body's own domain (e.g. complaint.banlat.go.th): answered at once by every web process (the
    tenant middleware decides, no ALLOWED_HOSTS edit). With `make_primary`, it becomes where
    canonical links point and the body's platform hosts answer with a permanent redirect to it —
    only once its certificate is issued (README, "Custom domains")."""
    body, name, existing = domain_change_begin(body=body, domain=domain)
    if existing is not None and existing.tenant_id != body.pk:
        raise BodyLifecycleError(_("โดเมน %(domain)s เป็นของหน่วยงานอื่นอยู่แล้ว") % {"domain": name})
    before = {"primary": primary_domain_of(body)}
    row = existing or Domain(domain=name, tenant=body, is_primary=False)
    row.redirect = False
    if make_primary:
        Domain.objects.filter(tenant=body).exclude(domain=name).update(is_primary=False, redirect=True)
        row.is_primary = True
    row.save()
    changes = {"before": before, "after": {"domain": name, "primary": primary_domain_of(body)}}
    audit_record(kind="domain.add", actor=actor, actor_label=actor_label, target=body, changes=changes)
    audit_record(kind="domain.add", actor=None, actor_label=actor_label or _label(actor), target=body,
                 changes=changes, body=body)
    _after_commit_clear_hosts()
    return row


@transaction.atomic
def body_domain_remove(*, body: LocalBody, domain: str, actor: object = None, actor_label: str = "") -> None:
    """Remove a body's own domain; if it was primary, the body's platform hosts are primary again."""
    body = _locked(body)
    name = (domain or "").strip().lower().rstrip(".")
    row = Domain.objects.filter(tenant=body, domain=name).first()
    platform_hosts = domain_names(body.slug, body.dla_code)
    if row is None or name in platform_hosts:
        raise BodyLifecycleError(_("ไม่พบโดเมน %(domain)s ของหน่วยงานนี้ที่ลบได้") % {"domain": name})
    was_primary = row.is_primary
    row.delete()
    if was_primary:
        Domain.objects.filter(tenant=body, domain__in=platform_hosts).update(redirect=False)
        Domain.objects.filter(tenant=body, domain=platform_hosts[0]).update(is_primary=True)
    changes = {"before": {"domain": name, "primary": was_primary}, "after": {"primary": primary_domain_of(body)}}
    audit_record(kind="domain.remove", actor=actor, actor_label=actor_label, target=body, changes=changes)
    audit_record(kind="domain.remove", actor=None, actor_label=actor_label or _label(actor), target=body,
                 changes=changes, body=body)
    _after_commit_clear_hosts()


def primary_domain_of(body: LocalBody) -> str:
    return Domain.objects.filter(tenant=body, is_primary=True, redirect=False).values_list(
        "domain", flat=True).first() or ""
