from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tokens", "0002_token_note")]

    operations = [
        migrations.AddField("stafftoken", "bulk_label", models.CharField(max_length=40, null=True, blank=True)),
        migrations.AddIndex("stafftoken", models.Index(fields=["bulk_label"], name="tokens_bulk_label_idx")),
    ]
