"""Writes on the registry: importing bodies, provisioning them, migrating their schemas."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tenants.utils import schema_exists

from apps.audit.services import audit_record
from tenants import lifeline, migrating, provisioning
from tenants.db import use_public_schema
from tenants.locate import subdistrict_points_refresh
from tenants.models import (
    BANGKOK_CODE,
    PLATFORM_CODE,
    BodyKind,
    BodyStatus,
    Domain,
    LocalBody,
    Province,
)
from tenants.progress import Progress
from tenants.registry import Geography, RegistryRow, RowError, read_registry
from tenants.service_areas import service_areas_seed
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
    service_areas_seed(created)
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
    subdistrict_points_refresh([*created, *changed])
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


def bodies_migrate(*, workers: int = 2, show_progress: bool = True) -> MigrateReport:
    """Migrate the public schema, the template, then only the bodies with something pending.

    The bodies to migrate are found with one query: their recorded migration state differs from
    the code's. Nothing pending costs that query and the template's ledger check. The template's
    pending migrations are applied through the schema editor with their SQL collected, and that
    SQL is replayed in the bodies, `workers` at a time, one transaction each (tenants.migrating).
    """
    with migrating.migration_run_lock():  # one run at a time: MigrationRunInProgress otherwise
        return _bodies_migrate(workers=workers, show_progress=show_progress)


def _bodies_migrate(*, workers: int, show_progress: bool) -> MigrateReport:
    started = time.monotonic()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    use_public_schema()
    platform_ensure()
    script = _template_migrate()
    state = provisioning.template_ensure()
    pending = [
        migrating.PendingBody(pk, schema, code)
        for pk, schema, code in LocalBody.objects.bodies()
        .exclude(status=BodyStatus.PROVISIONING)
        .exclude(migration_state=state)
        .order_by("dla_code")
        .values_list("pk", "schema_name", "dla_code")
    ]
    progress = Progress(len(pending), "migrating") if show_progress and pending else None
    try:
        migrated = migrating.bodies_migrate_pending(
            pending, code_state=state, script=script if script and script.after == state else None,
            workers=workers, on_progress=progress.advance if progress else None)
    finally:
        use_public_schema()
        if progress:
            progress.finish()
    return MigrateReport(len(pending), migrated, time.monotonic() - started)


def _template_migrate() -> migrating.Script | None:
    """The template first: its pending migrations applied with their SQL kept for the bodies (None
    when it is new or up to date, or when its migrations cannot be replayed as SQL)."""
    schema = provisioning.template_schema()
    if not schema_exists(schema) or provisioning.schema_migration_state(schema) == \
            provisioning.code_migration_state():
        return None
    try:
        script = migrating.script_capture(schema, keep=True)
    except migrating.NotReplayable:
        return None
    finally:
        use_public_schema()
    provisioning.clone_script.cache_clear()
    return script


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
