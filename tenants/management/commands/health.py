import time
import uuid

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context

from tenants.models import LocalBody, WorkerProbe
from tenants.tasks import worker_probe


class Command(BaseCommand):
    help = "`health worker [DLA_CODE]`: send a probe task inside a body and wait for a worker to run it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["worker"])
        parser.add_argument("dla_code", nargs="?")
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args: object, **options: object) -> None:
        bodies = LocalBody.objects.live()
        if options["dla_code"]:
            bodies = bodies.filter(dla_code=options["dla_code"])
        body = bodies.first()
        if body is None:
            raise CommandError("no active body to probe")
        token = uuid.uuid4()
        WorkerProbe.objects.create(token=token, sent_from_schema=body.schema_name)
        with schema_context(body.schema_name):
            worker_probe.delay(str(token))
        deadline = time.monotonic() + float(options["timeout"])  # type: ignore[arg-type]
        while time.monotonic() < deadline:
            probe = WorkerProbe.objects.get(token=token)
            if probe.ran_at:
                self.stdout.write(f"worker ok: sent from {probe.sent_from_schema}, ran in {probe.ran_in_schema}")
                return
            time.sleep(0.2)
        raise CommandError("no worker ran the probe in time")
