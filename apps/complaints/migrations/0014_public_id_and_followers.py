"""Public report ids for every case (random, filled in SQL so the statements replay in every body:
tenants.migrating) and the table of citizens following a public report."""

import django.db.models.deletion
from django.db import migrations, models

import apps.complaints.models

FILL = ("UPDATE complaints_complaint SET public_id = substr(md5(random()::text || clock_timestamp()::text "
        "|| id::text), 1, 16) WHERE public_id IS NULL")


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0013_former_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name='complaint',
            name='public_id',
            field=models.CharField(max_length=16, null=True, editable=False),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='complaint',
            name='public_id',
            field=models.CharField(default=apps.complaints.models.public_id_new, editable=False, max_length=16,
                                   unique=True),
        ),
        migrations.CreateModel(
            name='CaseFollower',
            fields=[
                ('stop_key', models.CharField(max_length=43, primary_key=True, serialize=False)),
                ('channel', models.CharField(max_length=10)),
                ('address', models.CharField(max_length=200)),
                ('language', models.CharField(default='th', max_length=5)),
                ('site', models.CharField(max_length=120)),
                ('privacy_notice_version', models.CharField(blank=True, max_length=20)),
                ('consented_at', models.DateTimeField()),
                ('complaint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+',
                                                to='complaints.complaint')),
            ],
        ),
    ]
