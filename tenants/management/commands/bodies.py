import getpass
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tenants import provisioning
from tenants.archive_format import ArchiveError
from tenants.domains import domain_claims_check_pending
from tenants.geography import geography_load
from tenants.lifecycle import (
    BodyLifecycleError,
    body_domain_add,
    body_domain_remove,
    body_export,
    body_merge,
    body_rename,
    body_restore,
    body_status_change,
    body_upgrade,
)
from tenants.middleware import primary_host
from tenants.migrating import BodyMigrationFailed, MigrationRunInProgress
from tenants.models import BodyKind, BodyStatus, Domain, LocalBody, Province
from tenants.services import bangkok_ensure, bodies_import, bodies_migrate, bodies_provision_pending

# The first digit of a DLA code is the body's type.
KIND_BY_CODE_DIGIT = {"2": BodyKind.PAO, "3": BodyKind.CITY, "4": BodyKind.TOWN,
                      "5": BodyKind.SUBDISTRICT_MUNICIPALITY, "6": BodyKind.SAO}
DEFAULT_REGISTRY = Path(__file__).resolve().parents[2] / "data" / "lao.csv"


class Command(BaseCommand):
    help = "The registry of local bodies: import the DLA CSV, provision, migrate every schema."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import the DLA registry CSV and provision new bodies")
        imp.add_argument("file", nargs="?", default=str(DEFAULT_REGISTRY))
        imp.add_argument("--province", action="append", default=None,
                         help="DOPA province code to import (repeatable); default: all")
        imp.add_argument("--workers", type=int, default=2)
        imp.add_argument("--no-bangkok", action="store_true", help="do not add กรุงเทพมหานคร")
        mig = sub.add_parser("migrate", help="migrate public, the template, then bodies with pending migrations")
        mig.add_argument("--workers", type=int, default=2, help="bodies migrated at once, each on its own connection")
        sub.add_parser("provision", help="finish provisioning bodies left half-done")
        sub.add_parser("relations", help="relations (tables, indexes, sequences, toast) in a body's schema")
        ren = sub.add_parser("rename", help="a body's new name (the slug and links stay)")
        ren.add_argument("code")
        ren.add_argument("name_th")
        ren.add_argument("--name-en", default=None)
        upg = sub.add_parser("upgrade", help="a change of type with a new DLA code (อบต. → เทศบาลตำบล)")
        upg.add_argument("code", help="the body's current DLA code")
        upg.add_argument("new_code")
        upg.add_argument("--kind", default=None, choices=[k for k in BodyKind.values if k != BodyKind.PLATFORM],
                         help="default: from the new code's first digit")
        upg.add_argument("--name", default="", help="the new name, if it changes")
        mrg = sub.add_parser("merge", help="merge a body into another: cases, facts, clocks, domains")
        mrg.add_argument("absorbed", help="DLA code of the body that is absorbed")
        mrg.add_argument("into", help="DLA code of the receiving body")
        mrg.add_argument("--dry-run", action="store_true", help="report the counts, change nothing")
        for name, text in (("suspend", "close a body's site for now (503)"), ("resume", "reopen a suspended body"),
                           ("archive", "close a body for good: its portal becomes read-only")):
            sub.add_parser(name, help=text).add_argument("code")
        dom = sub.add_parser("domain", help="a body's own domain (e.g. complaint.banlat.go.th)")
        dom.add_argument("verb", choices=["add", "remove", "verify"],
                         help="verify: look for the token of the pending domains a body's admin added")
        dom.add_argument("code", nargs="?", default="")
        dom.add_argument("domain", nargs="?", default="")
        dom.add_argument("--primary", action="store_true",
                         help="make it the primary domain (after its certificate is issued)")
        exp = sub.add_parser("export", help="write one body's archive: schema data, public rows, files, manifest")
        exp.add_argument("code", help="the body's DLA code")
        exp.add_argument("-o", "--output", default=None, help="archive file (default: body-<code>-<date>.tar)")
        res = sub.add_parser("restore", help="restore an archive into a new or emptied body, checksums first")
        res.add_argument("archive")
        res.add_argument("--as", dest="as_code", default=None, help="restore as this DLA code")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(options)
        elif action == "migrate":
            try:
                report = bodies_migrate(workers=options["workers"])
            except (BodyMigrationFailed, MigrationRunInProgress) as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"migrated {report.migrated} bodies with pending migrations "
                              f"in {report.seconds:.1f} s")
        elif action == "provision":
            timings = bodies_provision_pending()
            self.stdout.write(f"provisioned {len(timings)} bodies")
        elif action in ("rename", "upgrade", "merge", "suspend", "resume", "archive", "domain"):
            try:
                getattr(self, f"_{action}")(options)
            except BodyLifecycleError as error:
                raise CommandError(error.message) from error
        elif action == "export":
            self._export(options)
        elif action == "restore":
            self._restore(options)
        elif action == "relations":
            self.stdout.write(str(provisioning.schema_relation_count(provisioning.template_schema())))

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(str(options["file"]))
        if not path.exists():
            raise CommandError(f"ไม่พบไฟล์ {path}")
        provinces = set(options["province"]) if options["province"] else None
        if not Province.objects.exists():
            # A first deployment (docker-compose's `bodies migrate`, then `bodies import`): the registry's
            # rows name provinces, districts and subdistricts, so the geography they need comes first.
            counts = geography_load()
            self.stdout.write(f"geography loaded first: {counts.provinces} provinces, {counts.districts} "
                              f"districts, {counts.subdistricts} subdistricts")
        if provinces is None and not options["no_bangkok"]:
            bangkok_ensure()
        try:
            report = bodies_import(
                path, provinces=provinces, workers=int(options["workers"]),
                on_error=lambda error: self.stderr.write(f"\n{error}"),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for proposal in report.upgrades:
            self.stdout.write(f"proposed upgrade (no new body made): {proposal}")
        if report.former_codes:
            former = ", ".join(report.former_codes)
            self.stdout.write(f"rows with a code a body had before its upgrade, left out: {former}")
        active = LocalBody.objects.live().count()
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, provisioned {report.provisioned}, "
            f"rejected rows {len(report.errors)}; {active} bodies active"
        )

    def _rename(self, options: dict[str, Any]) -> None:
        body = body_rename(body=_body(options["code"]), name_th=options["name_th"], name_en=options["name_en"],
                           actor_label=_operator())
        self.stdout.write(f"{body.dla_code}: {body.display_name} (slug {body.slug})")

    def _upgrade(self, options: dict[str, Any]) -> None:
        new_code = str(options["new_code"])
        kind = options["kind"] or KIND_BY_CODE_DIGIT.get(new_code[:1], "")
        old_code = str(options["code"])
        body = body_upgrade(body=_body(old_code), new_code=new_code, kind=kind, name_th=options["name"],
                            actor_label=_operator())
        self.stdout.write(f"{old_code} → {body.dla_code}: {body.display_name}, primary domain "
                          f"{primary_host(body)}; the old code's and slug's hosts redirect there")

    def _merge(self, options: dict[str, Any]) -> None:
        report = body_merge(absorbed=_body(options["absorbed"]), into=_body(options["into"]),
                            dry_run=options["dry_run"], actor_label=_operator())
        title = "dry run, nothing changed" if report.dry_run else "merged"
        self.stdout.write(f"{report.absorbed.dla_code} {report.absorbed.display_name} → {report.into.dla_code} "
                          f"{report.into.display_name} ({title})")
        for name, count in report.counts.items():
            self.stdout.write(f"  {name}: {count:,}")

    def _domain(self, options: dict[str, Any]) -> None:
        if options["verb"] == "verify":
            self._domain_verify(options)
            return
        if not options["code"] or not options["domain"]:
            raise CommandError("bodies domain add|remove CODE DOMAIN")
        body = _body(options["code"])
        if options["verb"] == "add":
            body_domain_add(body=body, domain=options["domain"], make_primary=options["primary"],
                            actor_label=_operator())
        else:
            body_domain_remove(body=body, domain=options["domain"], actor_label=_operator())
        names = Domain.objects.filter(tenant=body).order_by("-is_primary", "domain")
        for row in names:
            state = "primary" if row.is_primary else ("redirect" if row.redirect else "alias")
            self.stdout.write(f"{row.domain} ({state})")

    def _domain_verify(self, options: dict[str, Any]) -> None:
        """Check the pending domains (all, one body's, or one name) now, as the beat task does."""
        body = _body(options["code"]) if options["code"] else None
        results = domain_claims_check_pending(body=body, domain=options["domain"], actor_label=_operator())
        for claim, verified in results:
            state = "verified" if verified else f"pending: {claim.last_problem}"
            self.stdout.write(f"{claim.domain}: {state} ({claim.body.dla_code})")
        self.stdout.write(f"checked {len(results)}, verified {sum(1 for _c, ok in results if ok)}")

    def _suspend(self, options: dict[str, Any]) -> None:
        self._status(options, BodyStatus.SUSPENDED)

    def _resume(self, options: dict[str, Any]) -> None:
        self._status(options, BodyStatus.ACTIVE)

    def _archive(self, options: dict[str, Any]) -> None:
        self._status(options, BodyStatus.ARCHIVED)

    def _status(self, options: dict[str, Any], status: str) -> None:
        body = body_status_change(body=_body(options["code"]), status=status, actor_label=_operator())
        self.stdout.write(f"{body.dla_code} {body.display_name}: {body.get_status_display()}")

    def _export(self, options: dict[str, Any]) -> None:
        body = _body(str(options["code"]))
        output = Path(options["output"] or f"body-{body.dla_code}-{timezone.localdate():%Y%m%d}.tar")
        if not output.parent.is_dir():
            raise CommandError(f"ไม่พบโฟลเดอร์ {output.parent}")
        try:
            report = body_export(body=body, path=output, actor_label=_operator())
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        for name in report.missing_files:
            self.stderr.write(f"ไม่พบไฟล์ในที่เก็บไฟล์ (ไม่ได้รวมในไฟล์สำรอง): {name}")
        self.stdout.write(f"{output}: {report.size:,} bytes; {report.schema_rows:,} rows in the body's schema, "
                          f"{report.public_rows:,} public rows, {report.files:,} files")

    def _restore(self, options: dict[str, Any]) -> None:
        code = options["as_code"]
        if code is not None and not re.fullmatch(r"\d{7}", code):
            raise CommandError(f"รหัส อปท. ต้องเป็นตัวเลข 7 หลัก ได้รับ {code!r}")
        try:
            report = body_restore(path=Path(str(options["archive"])), code=code, actor_label=_operator())
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        skipped = "".join(f"; skipped {n} rows of {t} (what they point at is not on this deployment)"
                          for t, n in sorted(report.skipped.items()))
        self.stdout.write(f"restored {report.body.dla_code} {report.body.display_name} "
                          f"({report.body.schema_name}): {report.schema_rows:,} rows in the body's schema, "
                          f"{report.public_rows:,} public rows, {report.files:,} files{skipped}")


def _body(code: str) -> LocalBody:
    body = LocalBody.objects.bodies().filter(dla_code=code).first()
    if body is None:
        raise CommandError(f"ไม่พบหน่วยงานรหัส {code}")
    return body


def _operator() -> str:
    return f"cli:{getpass.getuser()}"
