from django.db import migrations, models

BUMP = """
CREATE OR REPLACE FUNCTION tenants_host_cache_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE public.tenants_hostcacheversion SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
INSERT INTO public.tenants_hostcacheversion (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
CREATE TRIGGER tenants_localbody_host_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON public.tenants_localbody FOR EACH STATEMENT EXECUTE FUNCTION tenants_host_cache_bump();
CREATE TRIGGER tenants_domain_host_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON public.tenants_domain FOR EACH STATEMENT EXECUTE FUNCTION tenants_host_cache_bump();
"""

UNBUMP = """
DROP TRIGGER IF EXISTS tenants_localbody_host_cache ON public.tenants_localbody;
DROP TRIGGER IF EXISTS tenants_domain_host_cache ON public.tenants_domain;
DROP FUNCTION IF EXISTS tenants_host_cache_bump();
"""


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_worker_probe")]

    operations = [
        migrations.CreateModel(
            name="HostCacheVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunSQL(BUMP, UNBUMP),
    ]
