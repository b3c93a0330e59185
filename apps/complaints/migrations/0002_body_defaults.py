from django.db import migrations


def load(apps, schema_editor):
    from apps.categories.defaults import NATIONAL_CATEGORIES
    from apps.complaints.defaults import DEPARTMENTS, ROUTING

    Department = apps.get_model("complaints", "Department")
    Category = apps.get_model("complaints", "Category")
    if Department.objects.exists():
        return
    departments = {}
    for position, (code, name_th, name_en) in enumerate(DEPARTMENTS):
        departments[code] = Department.objects.create(code=code, name_th=name_th, name_en=name_en, position=position)
    for position, (code, name_th, name_en, _sla_class, _icon) in enumerate(NATIONAL_CATEGORIES):
        Category.objects.create(
            national_category_id=code, name_th=name_th, name_en=name_en, position=position,
            department=departments.get(ROUTING.get(code) or ""),
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial"), ("categories", "0002_national_defaults")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
