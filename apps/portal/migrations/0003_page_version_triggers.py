from django.db import migrations

# What the citizen pages show, bumped in the writing transaction (tenants.PageVersion): a body's
# public profile and its agreements (with their rows) move the body's version; the framework and
# the national categories move the national one.
BODY = {"portal_bodyprofile": "body_id", "sla_agreement": "body_id", "sla_agreementrow": "agreement_id"}
NATIONAL = ("sla_framework", "sla_frameworkrow", "categories_nationalcategory")

CREATE = "".join(
    f"CREATE TRIGGER {table}_page_version AFTER INSERT OR UPDATE OR DELETE ON public.{table} "
    f"FOR EACH ROW EXECUTE FUNCTION public.tenants_page_version_body('{column}');\n"
    for table, column in BODY.items()
) + "".join(
    f"CREATE TRIGGER {table}_page_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.{table} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION public.tenants_page_version_national();\n"
    for table in NATIONAL
)

DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_page_version ON public.{table};\n" for table in (*BODY, *NATIONAL))


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_bodyprofile_retention_years"),
        ("sla", "0002_default_framework"),
        ("categories", "0002_national_defaults"),
        ("tenants", "0005_page_version"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
