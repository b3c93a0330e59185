from django.db import migrations, models

# page_version_bump(scope): the one way a page version moves (triggers below and in other apps'
# migrations, and services writing a body's own tables). Row triggers name the column that leads
# to the body: body_id directly, or agreement_id through the agreement.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION public.tenants_page_version_bump(scope text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO public.tenants_pageversion (scope, version) VALUES (scope, 1)
    ON CONFLICT ON CONSTRAINT tenants_pageversion_pkey
    DO UPDATE SET version = public.tenants_pageversion.version + 1;
$$;
CREATE OR REPLACE FUNCTION public.tenants_page_version_national() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM public.tenants_page_version_bump('');
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION public.tenants_page_version_body() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    target bigint;
    target_schema text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        target := (to_jsonb(OLD) ->> TG_ARGV[0])::bigint;
    ELSE
        target := (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
    END IF;
    IF TG_ARGV[0] = 'agreement_id' THEN
        SELECT a.body_id INTO target FROM public.sla_agreement a WHERE a.id = target;
    END IF;
    SELECT b.schema_name INTO target_schema FROM public.tenants_localbody b WHERE b.id = target;
    IF target_schema IS NOT NULL THEN
        PERFORM public.tenants_page_version_bump(target_schema);
    END IF;
    RETURN NULL;
END
$$;
"""

GEOGRAPHY = "".join(
    f"CREATE TRIGGER {table}_page_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.{table} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION public.tenants_page_version_national();\n"
    for table in ("tenants_province", "tenants_district", "tenants_subdistrict")
)

UNDO = """
DROP TRIGGER IF EXISTS tenants_province_page_version ON public.tenants_province;
DROP TRIGGER IF EXISTS tenants_district_page_version ON public.tenants_district;
DROP TRIGGER IF EXISTS tenants_subdistrict_page_version ON public.tenants_subdistrict;
DROP FUNCTION IF EXISTS public.tenants_page_version_body();
DROP FUNCTION IF EXISTS public.tenants_page_version_national();
DROP FUNCTION IF EXISTS public.tenants_page_version_bump(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0004_lifecycle"),
    ]

    operations = [
        migrations.CreateModel(
            name="PageVersion",
            fields=[
                ("scope", models.CharField(max_length=63, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunSQL(FUNCTIONS + GEOGRAPHY, UNDO),
    ]
