"""The contact channels the complainant allows the officers handling the case to use. Cases filed
before the choice existed keep every channel they gave: the privacy notice they were shown (version
2026-1) told them the handling officers would see the contacts they filled in and use them to reach
them. Filled in SQL so the statements replay in every body (tenants.migrating)."""

import django.contrib.postgres.fields
from django.db import migrations, models

FILL = ("UPDATE complaints_complaint SET contact_allowed = array_remove(ARRAY["
        "CASE WHEN complainant_phone <> '' THEN 'phone' END, "
        "CASE WHEN complainant_email <> '' THEN 'email' END, "
        "CASE WHEN complainant_line_id <> '' THEN 'line' END]::varchar(8)[], NULL) "
        "WHERE NOT is_anonymous AND anonymised_at IS NULL")


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0015_attachment_thumbnail'),
    ]

    operations = [
        migrations.AddField(
            model_name='complaint',
            name='contact_allowed',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('phone', 'โทรศัพท์ (โทรหรือส่ง SMS)'), ('email', 'อีเมล'), ('line', 'LINE')], max_length=8), blank=True, default=list, size=None),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='complaintevent',
            name='kind',
            field=models.CharField(choices=[('created', 'รับเรื่อง'), ('status', 'เปลี่ยนสถานะ'), ('reply', 'ตอบผู้ร้อง'), ('note', 'บันทึกภายใน'), ('assign', 'มอบหมาย'), ('transfer', 'ส่งต่อ'), ('merge', 'รวมเรื่องซ้ำ'), ('attachment', 'แนบไฟล์'), ('rating', 'ประเมินความพึงพอใจ'), ('sla_warning', 'เตือนใกล้ครบกำหนด'), ('sla_escalation', 'เกินกำหนด แจ้งผู้บริหาร'), ('notification', 'แจ้งผู้ร้อง'), ('body_notice', 'แจ้งหน่วยงานที่ถูกร้องเรียน'), ('consent', 'ผู้ร้องถอนความยินยอมให้ติดต่อ')], max_length=20),
        ),
    ]
