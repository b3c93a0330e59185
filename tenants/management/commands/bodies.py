from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants import provisioning
from tenants.models import LocalBody
from tenants.services import bangkok_ensure, bodies_import, bodies_migrate, bodies_provision_pending

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
        sub.add_parser("migrate", help="migrate public, the template, then bodies with pending migrations")
        sub.add_parser("provision", help="finish provisioning bodies left half-done")
        sub.add_parser("relations", help="relations (tables, indexes, sequences, toast) in a body's schema")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(options)
        elif action == "migrate":
            report = bodies_migrate()
            self.stdout.write(f"migrated {report.migrated} bodies with pending migrations "
                              f"in {report.seconds:.1f} s")
        elif action == "provision":
            timings = bodies_provision_pending()
            self.stdout.write(f"provisioned {len(timings)} bodies")
        elif action == "relations":
            self.stdout.write(str(provisioning.schema_relation_count(provisioning.template_schema())))

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(str(options["file"]))
        if not path.exists():
            raise CommandError(f"ไม่พบไฟล์ {path}")
        provinces = set(options["province"]) if options["province"] else None
        if provinces is None and not options["no_bangkok"]:
            bangkok_ensure()
        try:
            report = bodies_import(
                path, provinces=provinces, workers=int(options["workers"]),
                on_error=lambda error: self.stderr.write(f"\n{error}"),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        active = LocalBody.objects.live().count()
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, provisioned {report.provisioned}, "
            f"rejected rows {len(report.errors)}; {active} bodies active"
        )
