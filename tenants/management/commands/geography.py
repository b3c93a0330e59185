from django.core.management.base import BaseCommand, CommandParser

from tenants.geography import geography_load


class Command(BaseCommand):
    help = "Geography from geothai: `geography load` inserts or updates provinces, districts, subdistricts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"])

    def handle(self, *args: object, **options: object) -> None:
        counts = geography_load()
        self.stdout.write(
            f"geography: {counts.provinces} provinces, {counts.districts} districts, "
            f"{counts.subdistricts} subdistricts"
        )
