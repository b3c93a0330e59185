"""Ship the default national framework from DESIGN.md, labelled as a default pending the official
figures. The table is inlined: a data migration must not change when app code does."""

import datetime

from django.db import migrations

COMMON = [("ack", 1, "working"), ("route", 3, "working"), ("reply", 15, "calendar"),
          ("progress", 15, "calendar"), ("closure", 1, "working")]
RESOLUTION = {"A": (1, "working"), "B": (15, "calendar"), "C": (30, "calendar"), "D": (45, "calendar"),
              "conduct": (30, "calendar"), "corruption": (30, "calendar")}


def forwards(apps, schema_editor):
    Framework = apps.get_model("sla", "Framework")
    FrameworkRow = apps.get_model("sla", "FrameworkRow")
    if Framework.objects.exists():
        return
    framework = Framework.objects.create(
        name="กรอบข้อตกลงระดับการให้บริการ (ค่าเริ่มต้น รอตัวเลขทางการ)",
        effective_from=datetime.date(2000, 1, 1),
        is_default=True,
        note="ค่าเริ่มต้นของระบบตามกฎ 15 วัน และแนวปฏิบัติทั่วไปของเทศบาล ใช้จนกว่าจะนำเข้าตัวเลขจากเอกสารทางการ",
    )
    rows = []
    for sla_class, (days, day_type) in RESOLUTION.items():
        for stage, stage_days, stage_type in COMMON:
            rows.append(FrameworkRow(framework=framework, sla_class=sla_class, stage=stage, days=stage_days,
                                     day_type=stage_type))
        rows.append(FrameworkRow(framework=framework, sla_class=sla_class, stage="resolve", days=days,
                                 day_type=day_type))
    FrameworkRow.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
