import csv
from pathlib import Path

import django.contrib.postgres.indexes
from django.db import migrations, models

CROSSWALK = Path(__file__).resolve().parent.parent / "data" / "lao_geo_crosswalk.csv"


def fill_points(apps, schema_editor):
    """Each subdistrict's point: the office of the body named after it (tenants.locate's rule)."""
    LocalBody = apps.get_model("tenants", "LocalBody")
    Subdistrict = apps.get_model("tenants", "Subdistrict")
    with CROSSWALK.open(encoding="utf-8") as handle:
        guess = {row["dla_code"]: row["subdistrict_code_same_name"].strip() for row in csv.DictReader(handle)
                 if row.get("subdistrict_code_same_name", "").strip()}
    points = {}
    for code, previous, lat, lng in (LocalBody.objects.exclude(kind__in=["pao", "platform"])
                                     .exclude(latitude__isnull=True).exclude(longitude__isnull=True)
                                     .order_by("dla_code").values_list("dla_code", "previous_dla_code",
                                                                       "latitude", "longitude")):
        subdistrict = guess.get(previous or code) or guess.get(code)
        if subdistrict:
            points.setdefault(subdistrict, (float(lat), float(lng)))
    rows = list(Subdistrict.objects.filter(code__in=list(points)))
    for row in rows:
        row.latitude, row.longitude = points[row.code]
    Subdistrict.objects.bulk_update(rows, ["latitude", "longitude"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('tenants', '0007_service_area'),
    ]

    operations = [
        migrations.AddField(
            model_name='subdistrict',
            name='latitude',
            field=models.FloatField(blank=True, null=True, verbose_name='ละติจูด'),
        ),
        migrations.AddField(
            model_name='subdistrict',
            name='longitude',
            field=models.FloatField(blank=True, null=True, verbose_name='ลองจิจูด'),
        ),
        migrations.AddIndex(
            model_name='subdistrict',
            index=django.contrib.postgres.indexes.GistIndex(models.Func(models.F('longitude'), models.F('latitude'), function='point', output_field=models.Field()), condition=models.Q(('latitude__isnull', False)), name='subdistrict_point'),
        ),
        migrations.RunPython(fill_points, migrations.RunPython.noop),
    ]
