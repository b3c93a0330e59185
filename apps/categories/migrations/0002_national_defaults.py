from django.db import migrations


def load(apps, schema_editor):
    from apps.categories.defaults import NATIONAL_CATEGORIES

    NationalCategory = apps.get_model("categories", "NationalCategory")
    for position, (code, name_th, name_en, sla_class, icon) in enumerate(NATIONAL_CATEGORIES):
        NationalCategory.objects.update_or_create(
            code=code,
            defaults={"name_th": name_th, "name_en": name_en, "sla_class": sla_class, "icon": icon,
                      "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("categories", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
