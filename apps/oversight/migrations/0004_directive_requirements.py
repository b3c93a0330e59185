"""A directive requires one or more things together (was one measure), and each target keeps when
the body met each measured requirement.

Existing directives: requirements = [measure]. Existing targets that had complied under a measured
requirement keep that time as the requirement's; the acknowledgement's time is acknowledged_at
already. Backwards: the first requirement becomes the measure again.
"""

import django.contrib.postgres.fields
from django.db import migrations, models

FORWARD_SQL = """
UPDATE oversight_directive SET requirements = ARRAY[measure]::varchar(20)[];
UPDATE oversight_directivetarget t SET sla_met_at = t.complied_at FROM oversight_directive d
 WHERE d.id = t.directive_id AND d.measure = 'sla_published' AND t.complied_at IS NOT NULL;
UPDATE oversight_directivetarget t SET overdue_met_at = t.complied_at FROM oversight_directive d
 WHERE d.id = t.directive_id AND d.measure = 'overdue_answered' AND t.complied_at IS NOT NULL;
"""

BACKWARD_SQL = """
UPDATE oversight_directive SET measure = COALESCE(requirements[1], 'ack');
"""

CHOICES = [("ack", "ตอบรับทราบ"), ("sla_published", "ประกาศข้อตกลงระดับการให้บริการ (SLA) แล้ว"),
           ("overdue_answered", "ตอบเรื่องที่เกินกำหนดครบแล้ว")]


class Migration(migrations.Migration):

    dependencies = [
        ("oversight", "0003_province_rollups"),
    ]

    operations = [
        migrations.AddField(
            model_name="directive",
            name="requirements",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(choices=CHOICES, max_length=20), default=list,
                help_text="หน่วยงานปฏิบัติครบเมื่อทำได้ทุกข้อ", size=None, verbose_name="สิ่งที่ต้องปฏิบัติ"),
        ),
        migrations.AddField(
            model_name="directivetarget",
            name="sla_met_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="ประกาศ SLA ตามมาตรฐานเมื่อ"),
        ),
        migrations.AddField(
            model_name="directivetarget",
            name="overdue_met_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="ตอบเรื่องเกินกำหนดครบเมื่อ"),
        ),
        migrations.RunSQL(FORWARD_SQL, BACKWARD_SQL),
        migrations.RemoveField(
            model_name="directive",
            name="measure",
        ),
    ]
