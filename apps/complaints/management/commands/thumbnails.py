from django.core.management.base import BaseCommand, CommandParser

from apps.complaints.services.thumbnails import thumbnails_backfill


class Command(BaseCommand):
    help = ("`thumbnails [DLA_CODE ...]`: make the missing thumbnails of photos stored before thumbnails "
            "(every body with cases, or those named). Safe to run again: it only makes what is missing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dla_codes", nargs="*")

    def handle(self, *args: object, **options: object) -> None:
        codes = options["dla_codes"]
        report = thumbnails_backfill(dla_codes=list(codes) if isinstance(codes, list) else None)
        self.stdout.write(f"thumbnails made: {report.made}, photos unreadable: {report.failed}, "
                          f"bodies: {len(report.bodies)}")
