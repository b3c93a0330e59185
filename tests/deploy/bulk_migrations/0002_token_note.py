from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tokens", "0001_initial")]

    operations = [
        migrations.AddField("stafftoken", "bulk_note", models.CharField(max_length=40, null=True, blank=True)),
        migrations.AddIndex("stafftoken", models.Index(fields=["bulk_note"], name="tokens_bulk_note_idx")),
    ]
