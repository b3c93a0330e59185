"""Writes on the registry: importing bodies, provisioning them, migrating their schemas."""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from tenants import archive, cache, lifeline, merging, provisioning
from tenants.db import use_public_schema
from tenants.models import (
    BANGKOK_CODE,
    PLATFORM_CODE,
    BodyKind,
    BodyStatus,
    Domain,
    LocalBody,
    Province,
    domain_clean,
)
from tenants.progress import Progress
from tenants.registry import Geography, RegistryRow, RowError, read_registry
from tenants.slugs import assign_slugs, base_slug


def schema_name_for(dla_code: str) -> str:
    return f"b{dla_code}"


def domain_names(slug: str, dla_code: str) -> tuple[str, str]:
    return f"{slug}.{settings.PLATFORM_DOMAIN}", f"{dla_code}.{settings.PLATFORM_DOMAIN}"


@transaction.atomic
def platform_ensure() -> LocalBody:
    """The public-schema row and the platform's own domain (django-tenants needs both)."""
    platform, _ = LocalBody.objects.get_or_create(
        schema_name="public",
        defaults={
            "dla_code": PLATFORM_CODE,
            "kind": BodyKind.PLATFORM,
            "name_th": "ระบบร้องทุกข์ท้องถิ่น",
            "name_en": "Rongthuk",
            "slug": "platform",
            "status": BodyStatus.ACTIVE,
        },
    )
    Domain.objects.get_or_create(domain=settings.PLATFORM_DOMAIN, defaults={"tenant": platform, "is_primary": True})
    return platform


@dataclass(frozen=True)
class UpgradeProposal:
    """A registry row with a new code that looks like an existing body whose code left the registry
    (same district, same name or same area): an upgrade, proposed instead of a new, empty body."""

    old_code: str
    new_code: str
    kind: str
    name_th: str

    def __str__(self) -> str:
        return (f"{self.old_code} → {self.new_code} ({self.name_th}): "
                f"rongthuk bodies upgrade {self.old_code} {self.new_code} --kind {self.kind}")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    provisioned: int = 0
    errors: list[RowError] = field(default_factory=list)
    provision_ms: list[float] = field(default_factory=list)
    upgrades: list[UpgradeProposal] = field(default_factory=list)
    # Rows whose code a body had before its upgrade: never made again.
    former_codes: list[str] = field(default_factory=list)


def _bare_name(name: str) -> str:
    for prefix in ("องค์การบริหารส่วนตำบล", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร", "อบต.", "ทต.", "ทม.", "ทน."):
        name = name.removeprefix(prefix)
    return "".join(name.split())


def registry_upgrades_find(rows: Sequence[RegistryRow], *, provinces: set[str] | None
                           ) -> tuple[list[UpgradeProposal], list[str]]:
    """Upgrades the registry shows (old code gone, a new code with the same district and name or
    area), and rows carrying a code some body had before its upgrade."""
    codes = {r.dla_code for r in rows}
    known = set(LocalBody.objects.filter(dla_code__in=codes).values_list("dla_code", flat=True))
    former = sorted(set(LocalBody.objects.filter(previous_dla_code__in=codes).values_list("previous_dla_code",
                                                                                          flat=True)))
    fresh = [r for r in rows if r.dla_code not in known and r.dla_code not in former]
    if not fresh:
        return [], former
    gone = LocalBody.objects.bodies().exclude(dla_code__in=codes).exclude(dla_code=BANGKOK_CODE).filter(
        district_id__in={r.district_code for r in fresh}, merged_into__isnull=True)
    if provinces is not None:
        gone = gone.filter(province_id__in=provinces)
    candidates = list(gone)
    proposals: list[UpgradeProposal] = []
    used: set[int] = set()
    for row in fresh:
        for body in candidates:
            if body.pk in used or body.district_id != row.district_code:
                continue
            same_name = _bare_name(body.name_th) == _bare_name(row.name_th)
            same_area = body.area_km2 is not None and row.area_km2 is not None and body.area_km2 == row.area_km2
            if same_name or same_area:
                proposals.append(UpgradeProposal(body.dla_code, row.dla_code, row.kind, row.name_th))
                used.add(body.pk)
                break
    return proposals, former


_UPDATABLE = ["kind", "name_th", "province_id", "district_id", "address", "moo", "postcode", "area_km2",
              "latitude", "longitude", "website"]


def _registry_values(row: RegistryRow) -> dict[str, object]:
    return {
        "kind": row.kind, "name_th": row.name_th, "province_id": row.province_code,
        "district_id": row.district_code, "address": row.address, "moo": row.moo,
        "postcode": row.postcode, "area_km2": row.area_km2, "latitude": row.latitude,
        "longitude": row.longitude, "website": row.website,
    }


@transaction.atomic
def bodies_upsert(rows: Sequence[RegistryRow], *, province_names_en: dict[str, str]) -> tuple[int, int]:
    """Create bodies (status provisioning) or update their registry fields; slugs never change."""
    existing = {b.dla_code: b for b in LocalBody.objects.filter(dla_code__in=[r.dla_code for r in rows])}
    new_rows = [r for r in rows if r.dla_code not in existing]
    bases = [
        (r.dla_code, base_slug(dla_code=r.dla_code, kind=r.kind, name_th=r.name_th,
                               province_name_en=province_names_en.get(r.province_code, "")))
        for r in new_rows
    ]
    taken = set(LocalBody.objects.filter(slug__in=[b for _c, b in bases]).values_list("slug", flat=True))
    slugs = assign_slugs(bases, taken)
    created = [
        LocalBody(
            dla_code=r.dla_code,
            schema_name=schema_name_for(r.dla_code),
            slug=slugs[r.dla_code],
            status=BodyStatus.PROVISIONING,
            **_registry_values(r),
        )
        for r in new_rows
    ]
    LocalBody.objects.bulk_create(created, batch_size=1000)
    changed = []
    for r in rows:
        body = existing.get(r.dla_code)
        if body is None:
            continue
        values = _registry_values(r)
        if any(getattr(body, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(body, k, v)
            body.updated_at = timezone.now()
            changed.append(body)
    LocalBody.objects.bulk_update(changed, [*_UPDATABLE, "updated_at"], batch_size=1000)
    _domains_ensure(LocalBody.objects.filter(dla_code__in=[r.dla_code for r in new_rows]))
    return len(created), len(changed)


def _domains_ensure(bodies: Iterable[LocalBody]) -> None:
    domains = []
    for body in bodies:
        primary, alias = domain_names(body.slug, body.dla_code)
        domains.append(Domain(domain=primary, tenant=body, is_primary=True))
        domains.append(Domain(domain=alias, tenant=body, is_primary=False))
    Domain.objects.bulk_create(domains, ignore_conflicts=True, batch_size=2000)


@transaction.atomic
def bangkok_ensure() -> LocalBody:
    """กรุงเทพมหานคร: not in DLA's registry; its code is documented in tenants.models."""
    body = LocalBody.objects.filter(dla_code=BANGKOK_CODE).first()
    if body is None:
        body = LocalBody.objects.create(
            dla_code=BANGKOK_CODE,
            schema_name=schema_name_for(BANGKOK_CODE),
            kind=BodyKind.SPECIAL,
            name_th="กรุงเทพมหานคร",
            name_en="Bangkok Metropolitan Administration",
            slug="bangkok",
            province_id="10",
            address="173 ถนนดินสอ แขวงเสาชิงช้า เขตพระนคร",
            postcode="10200",
            website="http://www.bangkok.go.th",
            status=BodyStatus.PROVISIONING,
        )
        _domains_ensure([body])
    return body


def _provision_chunk(ids: list[int]) -> list[float]:
    """Provision these bodies, return each one's wall time in ms."""
    timings = []
    for body_id in ids:
        started = time.perf_counter()
        if provisioning.body_provision(body_id):
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _provision_chunk_in_worker(ids: list[int]) -> list[float]:
    try:
        return _provision_chunk(ids)
    finally:
        connection.close()


def bodies_provision_pending(
    *, workers: int = 2, on_progress: Callable[[int], None] | None = None, chunk: int = 20,
    dla_codes: Iterable[str] | None = None,
) -> list[float]:
    """Provision every body still "provisioning" (a resumed import finds its leftovers here)."""
    provisioning.template_ensure()
    provisioning.clone_script()  # read once here; forked workers inherit it
    pending = LocalBody.objects.bodies().filter(status=BodyStatus.PROVISIONING)
    if dla_codes is not None:
        pending = pending.filter(dla_code__in=list(dla_codes))
    ids = list(pending.order_by("dla_code").values_list("pk", flat=True))
    chunks = [ids[i:i + chunk] for i in range(0, len(ids), chunk)]
    timings: list[float] = []
    if workers <= 1 or len(chunks) <= 1:
        for part in chunks:
            timings += _provision_chunk(part)
            if on_progress:
                on_progress(len(part))
        return timings
    connections.close_all()
    # The workers die with this process, even when it is killed with SIGKILL (tenants.lifeline).
    with multiprocessing.get_context("fork").Pool(workers, initializer=lifeline.die_with_parent,
                                                  initargs=(os.getpid(),)) as pool:
        for part_ids, part in zip(chunks, pool.imap(_provision_chunk_in_worker, chunks), strict=True):
            timings += part
            if on_progress:
                on_progress(len(part_ids))
    return timings


def bodies_import(
    path: Path, *, provinces: set[str] | None = None, workers: int = 2, show_progress: bool = True,
    on_error: Callable[[RowError], None] | None = None,
) -> ImportReport:
    """Import the DLA registry CSV: upsert bodies, then provision the new ones.

    Idempotent and resumable: bodies are written first (status "provisioning"), then each is
    cloned and marked active in its own transaction; running it again finishes what is left.
    """
    platform_ensure()
    report = ImportReport()
    geography = Geography()
    rows: list[RegistryRow] = []
    for item in read_registry(path, geography):
        if isinstance(item, RowError):
            report.errors.append(item)
            if on_error:
                on_error(item)
        elif provinces is None or item.province_code in provinces:
            rows.append(item)
    report.upgrades, report.former_codes = registry_upgrades_find(rows, provinces=provinces)
    held = {p.new_code for p in report.upgrades} | set(report.former_codes)
    rows = [r for r in rows if r.dla_code not in held]
    names_en = dict(Province.objects.values_list("code", "name_en"))
    for start in range(0, len(rows), 2000):
        created, updated = bodies_upsert(rows[start:start + 2000], province_names_en=names_en)
        report.created += created
        report.updated += updated
    codes = None if provinces is None else [r.dla_code for r in rows]
    pending = LocalBody.objects.bodies().filter(status=BodyStatus.PROVISIONING)
    if codes is not None:
        pending = pending.filter(dla_code__in=codes)
    to_provision = pending.count()
    progress = Progress(to_provision, "provisioning") if show_progress and to_provision else None
    report.provision_ms = bodies_provision_pending(
        workers=workers, on_progress=progress.advance if progress else None, dla_codes=codes
    )
    if progress:
        progress.finish()
    report.provisioned = len(report.provision_ms)
    return report


@dataclass
class MigrateReport:
    pending: int
    migrated: int
    seconds: float


def bodies_migrate(*, batch: int = 50, show_progress: bool = True) -> MigrateReport:
    """Migrate the public schema, the template, then only the bodies with something pending.

    The bodies to migrate are found with one query: their recorded migration state differs from
    the code's. Nothing pending costs that query and the template's ledger check.
    """
    started = time.monotonic()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    use_public_schema()
    platform_ensure()
    state = provisioning.template_ensure()
    pending = list(
        LocalBody.objects.bodies()
        .exclude(status=BodyStatus.PROVISIONING)
        .exclude(migration_state=state)
        .order_by("dla_code")
        .values_list("pk", "schema_name")
    )
    progress = Progress(len(pending), "migrating") if show_progress and pending else None
    for start in range(0, len(pending), batch):
        part = pending[start:start + batch]
        for _pk, schema in part:
            call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
            use_public_schema()
        LocalBody.objects.filter(pk__in=[pk for pk, _s in part]).update(
            migration_state=state, updated_at=timezone.now()
        )
        if progress:
            progress.advance(len(part))
    if progress:
        progress.finish()
    return MigrateReport(len(pending), len(pending), time.monotonic() - started)


@transaction.atomic
def body_set_status(*, body: LocalBody, status: str, actor: object = None) -> LocalBody:
    allowed = {
        BodyStatus.ACTIVE: {BodyStatus.SUSPENDED, BodyStatus.ARCHIVED},
        BodyStatus.SUSPENDED: {BodyStatus.ACTIVE, BodyStatus.ARCHIVED},
        BodyStatus.ARCHIVED: set(),
        BodyStatus.PROVISIONING: set(),
    }
    if status not in allowed[BodyStatus(body.status)]:
        raise ValueError(f"cannot change a body from {body.status} to {status}")
    before = body.status
    body.status = status
    body.save(update_fields=["status", "updated_at"])
    audit_record(kind="body.status", actor=actor, target=body,
                 changes={"before": {"status": before}, "after": {"status": status}})
    return body


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
                 actor_label: str = "") -> archive.RestoreReport:
    """Bring an archive back into a new or emptied body (tenants.archive.body_archive_restore)."""
    with transaction.atomic():
        report = archive.body_archive_restore(path=path, code=code)
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
        if conflicts:
            raise BodyLifecycleError(_("รวมหน่วยงานไม่ได้: %(reasons)s") % {"reasons": "; ".join(conflicts)})
        if dry_run:
            return MergeReport(absorbed, into, True, counts)
        moved: dict[str, int] = {}
        for step in merging.STEPS:
            moved.update(step.apply(absorbed, into))
        moved["domains"] = Domain.objects.filter(tenant=absorbed).update(tenant=into, is_primary=False, redirect=True)
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


@transaction.atomic
def body_domain_add(*, body: LocalBody, domain: str, make_primary: bool = False, actor: object = None,
                    actor_label: str = "") -> Domain:
    """A body's own domain (e.g. complaint.banlat.go.th): answered at once by every web process (the
    tenant middleware decides, no ALLOWED_HOSTS edit). With `make_primary`, it becomes where
    canonical links point and the body's platform hosts answer with a permanent redirect to it —
    only once its certificate is issued (README, "Custom domains")."""
    try:
        name = domain_clean(domain)
    except ValidationError as error:
        raise BodyLifecycleError(" ".join(error.messages)) from error
    body = _locked(body)
    existing = Domain.objects.filter(domain=name).first()
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
