import csv
from pathlib import Path

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models

CROSSWALK = Path(__file__).resolve().parent.parent / "data" / "lao_geo_crosswalk.csv"

# A change to a body's service area moves the body's page version (its map) and the national one
# (the finder), once per statement: the registry import seeds thousands of rows in one insert.
TRIGGERS = """
CREATE OR REPLACE FUNCTION public.tenants_service_area_page_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM public.tenants_page_version_bump(b.schema_name)
        FROM (SELECT DISTINCT body_id FROM changed_rows) c JOIN public.tenants_localbody b ON b.id = c.body_id;
    ELSE
        PERFORM public.tenants_page_version_bump(b.schema_name)
        FROM (SELECT DISTINCT body_id FROM removed_rows) c JOIN public.tenants_localbody b ON b.id = c.body_id;
    END IF;
    PERFORM public.tenants_page_version_bump('');
    RETURN NULL;
END
$$;
CREATE TRIGGER tenants_servicearea_page_version_insert AFTER INSERT ON public.tenants_servicearea
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public.tenants_service_area_page_version();
CREATE TRIGGER tenants_servicearea_page_version_update AFTER UPDATE ON public.tenants_servicearea
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION public.tenants_service_area_page_version();
CREATE TRIGGER tenants_servicearea_page_version_delete AFTER DELETE ON public.tenants_servicearea
    REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION public.tenants_service_area_page_version();
"""

UNDO = """
DROP TRIGGER IF EXISTS tenants_servicearea_page_version_insert ON public.tenants_servicearea;
DROP TRIGGER IF EXISTS tenants_servicearea_page_version_update ON public.tenants_servicearea;
DROP TRIGGER IF EXISTS tenants_servicearea_page_version_delete ON public.tenants_servicearea;
DROP FUNCTION IF EXISTS public.tenants_service_area_page_version();
"""


def seed_existing(apps, schema_editor):
    """Bodies imported before service areas existed get the crosswalk's guess (tenants.service_areas)."""
    LocalBody = apps.get_model("tenants", "LocalBody")
    ServiceArea = apps.get_model("tenants", "ServiceArea")
    Subdistrict = apps.get_model("tenants", "Subdistrict")
    with CROSSWALK.open(encoding="utf-8") as handle:
        guess = {row["dla_code"]: row["subdistrict_code_same_name"].strip() for row in csv.DictReader(handle)
                 if row.get("subdistrict_code_same_name", "").strip()}
    known = set(Subdistrict.objects.values_list("code", flat=True))
    rows = []
    for pk, code, previous, kind in LocalBody.objects.exclude(kind__in=["pao", "platform"]).values_list(
            "pk", "dla_code", "previous_dla_code", "kind"):
        subdistrict = guess.get(previous or code) or guess.get(code)
        if subdistrict and subdistrict in known:
            rows.append(ServiceArea(body_id=pk, subdistrict_id=subdistrict, moo=[], source="registry"))
    ServiceArea.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0006_domain_claim"),
    ]

    operations = [
        migrations.CreateModel(
            name="ServiceArea",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("moo", django.contrib.postgres.fields.ArrayField(base_field=models.PositiveSmallIntegerField(), blank=True, default=list, size=None, verbose_name="หมู่ที่")),
                ("source", models.CharField(choices=[("registry", "คาดจากทะเบียน (ชื่อตำบลตรงกับชื่อหน่วยงาน)"), ("body", "หน่วยงานกำหนดเอง")], default="registry", max_length=16, verbose_name="ที่มา")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("body", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="tenants.localbody")),
                ("subdistrict", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="tenants.subdistrict", verbose_name="ตำบล")),
            ],
            options={
                "verbose_name": "พื้นที่ให้บริการ",
                "verbose_name_plural": "พื้นที่ให้บริการ",
                "indexes": [models.Index(fields=["subdistrict"], name="service_area_subdistrict")],
                "constraints": [models.UniqueConstraint(fields=("body", "subdistrict"), name="service_area_body_subdistrict")],
            },
        ),
        migrations.RunSQL(TRIGGERS, UNDO),
        migrations.RunPython(seed_existing, migrations.RunPython.noop),
    ]
