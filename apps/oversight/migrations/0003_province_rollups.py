"""Province roll-ups (metrics per province x month x category, resolve-days histogram per
province x month) for national and provincial figures; the trigger keeps them too. The updated_at
indexes go, so the trigger's upserts can be HOT updates.

The trigger SQL is a frozen copy of apps/oversight/rollup_sql.py at the time of writing. The
trigger is replaced first (it locks the facts against writes until this migration commits), then
the new tables are filled from the district roll-ups, which hold exactly the same facts.
"""

import importlib

from django.db import migrations, models

TRIGGER_SQL = "\nCREATE OR REPLACE FUNCTION oversight_rollup_apply(r reporting_complaintfact, sign integer)\nRETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO oversight_arearollup AS t (province_code, district_code, month, national_category, received, open, resolved, breached, routed_to_oversight, ack_met, ack_late, route_met, route_late, reply_met, reply_late, resolve_met, resolve_late, resolve_days_sum, ch_web, ch_walk_in, ch_phone, ch_letter, ch_line, ch_email, ch_1111, ch_transfer, st_received, st_acknowledged, st_in_progress, st_waiting, st_resolved, st_closed, st_rejected, st_transferred, st_merged, st_transfer_offered, updated_at) VALUES (r.province_code, r.district_code, date_trunc('month', r.received_at AT TIME ZONE 'Asia/Bangkok')::date, r.national_category, sign * 1, sign * (r.status IN ('received', 'acknowledged', 'in_progress', 'waiting'))::int, sign * (r.resolved_at IS NOT NULL)::int, sign * (r.ever_breached)::int, sign * (r.routed_to_oversight)::int, sign * (r.ack_met IS TRUE)::int, sign * (r.ack_met IS FALSE)::int, sign * (r.route_met IS TRUE)::int, sign * (r.route_met IS FALSE)::int, sign * (r.reply_met IS TRUE)::int, sign * (r.reply_met IS FALSE)::int, sign * (r.resolve_met IS TRUE)::int, sign * (r.resolve_met IS FALSE)::int, sign * COALESCE(extract(epoch FROM r.resolved_at - r.received_at) / 86400.0, 0)::float8, sign * (r.channel = 'web')::int, sign * (r.channel = 'walk_in')::int, sign * (r.channel = 'phone')::int, sign * (r.channel = 'letter')::int, sign * (r.channel = 'line')::int, sign * (r.channel = 'email')::int, sign * (r.channel = '1111')::int, sign * (r.channel = 'transfer')::int, sign * (r.status = 'received')::int, sign * (r.status = 'acknowledged')::int, sign * (r.status = 'in_progress')::int, sign * (r.status = 'waiting')::int, sign * (r.status = 'resolved')::int, sign * (r.status = 'closed')::int, sign * (r.status = 'rejected')::int, sign * (r.status = 'transferred')::int, sign * (r.status = 'merged')::int, sign * (r.status = 'transfer_offered')::int, now()) ON CONFLICT (province_code, district_code, month, national_category) DO UPDATE SET received = t.received + EXCLUDED.received, open = t.open + EXCLUDED.open, resolved = t.resolved + EXCLUDED.resolved, breached = t.breached + EXCLUDED.breached, routed_to_oversight = t.routed_to_oversight + EXCLUDED.routed_to_oversight, ack_met = t.ack_met + EXCLUDED.ack_met, ack_late = t.ack_late + EXCLUDED.ack_late, route_met = t.route_met + EXCLUDED.route_met, route_late = t.route_late + EXCLUDED.route_late, reply_met = t.reply_met + EXCLUDED.reply_met, reply_late = t.reply_late + EXCLUDED.reply_late, resolve_met = t.resolve_met + EXCLUDED.resolve_met, resolve_late = t.resolve_late + EXCLUDED.resolve_late, resolve_days_sum = t.resolve_days_sum + EXCLUDED.resolve_days_sum, ch_web = t.ch_web + EXCLUDED.ch_web, ch_walk_in = t.ch_walk_in + EXCLUDED.ch_walk_in, ch_phone = t.ch_phone + EXCLUDED.ch_phone, ch_letter = t.ch_letter + EXCLUDED.ch_letter, ch_line = t.ch_line + EXCLUDED.ch_line, ch_email = t.ch_email + EXCLUDED.ch_email, ch_1111 = t.ch_1111 + EXCLUDED.ch_1111, ch_transfer = t.ch_transfer + EXCLUDED.ch_transfer, st_received = t.st_received + EXCLUDED.st_received, st_acknowledged = t.st_acknowledged + EXCLUDED.st_acknowledged, st_in_progress = t.st_in_progress + EXCLUDED.st_in_progress, st_waiting = t.st_waiting + EXCLUDED.st_waiting, st_resolved = t.st_resolved + EXCLUDED.st_resolved, st_closed = t.st_closed + EXCLUDED.st_closed, st_rejected = t.st_rejected + EXCLUDED.st_rejected, st_transferred = t.st_transferred + EXCLUDED.st_transferred, st_merged = t.st_merged + EXCLUDED.st_merged, st_transfer_offered = t.st_transfer_offered + EXCLUDED.st_transfer_offered, updated_at = now();\n  INSERT INTO oversight_bodyrollup AS t (body_id, province_code, district_code, month, received, open, resolved, breached, routed_to_oversight, ack_met, ack_late, route_met, route_late, reply_met, reply_late, resolve_met, resolve_late, resolve_days_sum, ch_web, ch_walk_in, ch_phone, ch_letter, ch_line, ch_email, ch_1111, ch_transfer, st_received, st_acknowledged, st_in_progress, st_waiting, st_resolved, st_closed, st_rejected, st_transferred, st_merged, st_transfer_offered, updated_at) VALUES (r.body_id, r.province_code, r.district_code, date_trunc('month', r.received_at AT TIME ZONE 'Asia/Bangkok')::date, sign * 1, sign * (r.status IN ('received', 'acknowledged', 'in_progress', 'waiting'))::int, sign * (r.resolved_at IS NOT NULL)::int, sign * (r.ever_breached)::int, sign * (r.routed_to_oversight)::int, sign * (r.ack_met IS TRUE)::int, sign * (r.ack_met IS FALSE)::int, sign * (r.route_met IS TRUE)::int, sign * (r.route_met IS FALSE)::int, sign * (r.reply_met IS TRUE)::int, sign * (r.reply_met IS FALSE)::int, sign * (r.resolve_met IS TRUE)::int, sign * (r.resolve_met IS FALSE)::int, sign * COALESCE(extract(epoch FROM r.resolved_at - r.received_at) / 86400.0, 0)::float8, sign * (r.channel = 'web')::int, sign * (r.channel = 'walk_in')::int, sign * (r.channel = 'phone')::int, sign * (r.channel = 'letter')::int, sign * (r.channel = 'line')::int, sign * (r.channel = 'email')::int, sign * (r.channel = '1111')::int, sign * (r.channel = 'transfer')::int, sign * (r.status = 'received')::int, sign * (r.status = 'acknowledged')::int, sign * (r.status = 'in_progress')::int, sign * (r.status = 'waiting')::int, sign * (r.status = 'resolved')::int, sign * (r.status = 'closed')::int, sign * (r.status = 'rejected')::int, sign * (r.status = 'transferred')::int, sign * (r.status = 'merged')::int, sign * (r.status = 'transfer_offered')::int, now()) ON CONFLICT (body_id, month) DO UPDATE SET received = t.received + EXCLUDED.received, open = t.open + EXCLUDED.open, resolved = t.resolved + EXCLUDED.resolved, breached = t.breached + EXCLUDED.breached, routed_to_oversight = t.routed_to_oversight + EXCLUDED.routed_to_oversight, ack_met = t.ack_met + EXCLUDED.ack_met, ack_late = t.ack_late + EXCLUDED.ack_late, route_met = t.route_met + EXCLUDED.route_met, route_late = t.route_late + EXCLUDED.route_late, reply_met = t.reply_met + EXCLUDED.reply_met, reply_late = t.reply_late + EXCLUDED.reply_late, resolve_met = t.resolve_met + EXCLUDED.resolve_met, resolve_late = t.resolve_late + EXCLUDED.resolve_late, resolve_days_sum = t.resolve_days_sum + EXCLUDED.resolve_days_sum, ch_web = t.ch_web + EXCLUDED.ch_web, ch_walk_in = t.ch_walk_in + EXCLUDED.ch_walk_in, ch_phone = t.ch_phone + EXCLUDED.ch_phone, ch_letter = t.ch_letter + EXCLUDED.ch_letter, ch_line = t.ch_line + EXCLUDED.ch_line, ch_email = t.ch_email + EXCLUDED.ch_email, ch_1111 = t.ch_1111 + EXCLUDED.ch_1111, ch_transfer = t.ch_transfer + EXCLUDED.ch_transfer, st_received = t.st_received + EXCLUDED.st_received, st_acknowledged = t.st_acknowledged + EXCLUDED.st_acknowledged, st_in_progress = t.st_in_progress + EXCLUDED.st_in_progress, st_waiting = t.st_waiting + EXCLUDED.st_waiting, st_resolved = t.st_resolved + EXCLUDED.st_resolved, st_closed = t.st_closed + EXCLUDED.st_closed, st_rejected = t.st_rejected + EXCLUDED.st_rejected, st_transferred = t.st_transferred + EXCLUDED.st_transferred, st_merged = t.st_merged + EXCLUDED.st_merged, st_transfer_offered = t.st_transfer_offered + EXCLUDED.st_transfer_offered, updated_at = now();\n  INSERT INTO oversight_provincerollup AS t (province_code, month, national_category, received, open, resolved, breached, routed_to_oversight, ack_met, ack_late, route_met, route_late, reply_met, reply_late, resolve_met, resolve_late, resolve_days_sum, ch_web, ch_walk_in, ch_phone, ch_letter, ch_line, ch_email, ch_1111, ch_transfer, st_received, st_acknowledged, st_in_progress, st_waiting, st_resolved, st_closed, st_rejected, st_transferred, st_merged, st_transfer_offered, updated_at) VALUES (r.province_code, date_trunc('month', r.received_at AT TIME ZONE 'Asia/Bangkok')::date, r.national_category, sign * 1, sign * (r.status IN ('received', 'acknowledged', 'in_progress', 'waiting'))::int, sign * (r.resolved_at IS NOT NULL)::int, sign * (r.ever_breached)::int, sign * (r.routed_to_oversight)::int, sign * (r.ack_met IS TRUE)::int, sign * (r.ack_met IS FALSE)::int, sign * (r.route_met IS TRUE)::int, sign * (r.route_met IS FALSE)::int, sign * (r.reply_met IS TRUE)::int, sign * (r.reply_met IS FALSE)::int, sign * (r.resolve_met IS TRUE)::int, sign * (r.resolve_met IS FALSE)::int, sign * COALESCE(extract(epoch FROM r.resolved_at - r.received_at) / 86400.0, 0)::float8, sign * (r.channel = 'web')::int, sign * (r.channel = 'walk_in')::int, sign * (r.channel = 'phone')::int, sign * (r.channel = 'letter')::int, sign * (r.channel = 'line')::int, sign * (r.channel = 'email')::int, sign * (r.channel = '1111')::int, sign * (r.channel = 'transfer')::int, sign * (r.status = 'received')::int, sign * (r.status = 'acknowledged')::int, sign * (r.status = 'in_progress')::int, sign * (r.status = 'waiting')::int, sign * (r.status = 'resolved')::int, sign * (r.status = 'closed')::int, sign * (r.status = 'rejected')::int, sign * (r.status = 'transferred')::int, sign * (r.status = 'merged')::int, sign * (r.status = 'transfer_offered')::int, now()) ON CONFLICT (province_code, month, national_category) DO UPDATE SET received = t.received + EXCLUDED.received, open = t.open + EXCLUDED.open, resolved = t.resolved + EXCLUDED.resolved, breached = t.breached + EXCLUDED.breached, routed_to_oversight = t.routed_to_oversight + EXCLUDED.routed_to_oversight, ack_met = t.ack_met + EXCLUDED.ack_met, ack_late = t.ack_late + EXCLUDED.ack_late, route_met = t.route_met + EXCLUDED.route_met, route_late = t.route_late + EXCLUDED.route_late, reply_met = t.reply_met + EXCLUDED.reply_met, reply_late = t.reply_late + EXCLUDED.reply_late, resolve_met = t.resolve_met + EXCLUDED.resolve_met, resolve_late = t.resolve_late + EXCLUDED.resolve_late, resolve_days_sum = t.resolve_days_sum + EXCLUDED.resolve_days_sum, ch_web = t.ch_web + EXCLUDED.ch_web, ch_walk_in = t.ch_walk_in + EXCLUDED.ch_walk_in, ch_phone = t.ch_phone + EXCLUDED.ch_phone, ch_letter = t.ch_letter + EXCLUDED.ch_letter, ch_line = t.ch_line + EXCLUDED.ch_line, ch_email = t.ch_email + EXCLUDED.ch_email, ch_1111 = t.ch_1111 + EXCLUDED.ch_1111, ch_transfer = t.ch_transfer + EXCLUDED.ch_transfer, st_received = t.st_received + EXCLUDED.st_received, st_acknowledged = t.st_acknowledged + EXCLUDED.st_acknowledged, st_in_progress = t.st_in_progress + EXCLUDED.st_in_progress, st_waiting = t.st_waiting + EXCLUDED.st_waiting, st_resolved = t.st_resolved + EXCLUDED.st_resolved, st_closed = t.st_closed + EXCLUDED.st_closed, st_rejected = t.st_rejected + EXCLUDED.st_rejected, st_transferred = t.st_transferred + EXCLUDED.st_transferred, st_merged = t.st_merged + EXCLUDED.st_merged, st_transfer_offered = t.st_transfer_offered + EXCLUDED.st_transfer_offered, updated_at = now();\n  IF r.resolved_at IS NOT NULL THEN\n    INSERT INTO oversight_arearesolvedays AS t (province_code, district_code, month, days, count) VALUES (r.province_code, r.district_code, date_trunc('month', r.received_at AT TIME ZONE 'Asia/Bangkok')::date, GREATEST(0, LEAST(400, floor(extract(epoch FROM r.resolved_at - r.received_at) / 86400)))::int, sign) ON CONFLICT (province_code, district_code, month, days) DO UPDATE SET count = t.count + EXCLUDED.count;\n    INSERT INTO oversight_provinceresolvedays AS t (province_code, month, days, count) VALUES (r.province_code, date_trunc('month', r.received_at AT TIME ZONE 'Asia/Bangkok')::date, GREATEST(0, LEAST(400, floor(extract(epoch FROM r.resolved_at - r.received_at) / 86400)))::int, sign) ON CONFLICT (province_code, month, days) DO UPDATE SET count = t.count + EXCLUDED.count;\n  END IF;\nEND $$;\n\nCREATE OR REPLACE FUNCTION oversight_rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  IF TG_OP = 'UPDATE' AND ROW(OLD.status, OLD.channel, OLD.national_category, OLD.received_at, OLD.resolved_at, OLD.ever_breached, OLD.routed_to_oversight, OLD.ack_met, OLD.route_met, OLD.reply_met, OLD.resolve_met, OLD.province_code, OLD.district_code, OLD.body_id) IS NOT DISTINCT FROM ROW(NEW.status, NEW.channel, NEW.national_category, NEW.received_at, NEW.resolved_at, NEW.ever_breached, NEW.routed_to_oversight, NEW.ack_met, NEW.route_met, NEW.reply_met, NEW.resolve_met, NEW.province_code, NEW.district_code, NEW.body_id) THEN\n    RETURN NULL;\n  END IF;\n  IF TG_OP IN ('UPDATE', 'DELETE') THEN\n    PERFORM oversight_rollup_apply(OLD, -1);\n  END IF;\n  IF TG_OP IN ('UPDATE', 'INSERT') THEN\n    PERFORM oversight_rollup_apply(NEW, 1);\n  END IF;\n  RETURN NULL;\nEND $$;\n\nDROP TRIGGER IF EXISTS oversight_rollup ON reporting_complaintfact;\nCREATE TRIGGER oversight_rollup AFTER INSERT OR UPDATE OR DELETE ON reporting_complaintfact\nFOR EACH ROW EXECUTE FUNCTION oversight_rollup_trigger();\n"

PREVIOUS_TRIGGER_SQL = importlib.import_module("apps.oversight.migrations.0002_rollup_trigger").TRIGGER_SQL

FILL_SQL = 'INSERT INTO oversight_provincerollup (province_code, month, national_category, received, open, resolved, breached, routed_to_oversight, ack_met, ack_late, route_met, route_late, reply_met, reply_late, resolve_met, resolve_late, resolve_days_sum, ch_web, ch_walk_in, ch_phone, ch_letter, ch_line, ch_email, ch_1111, ch_transfer, st_received, st_acknowledged, st_in_progress, st_waiting, st_resolved, st_closed, st_rejected, st_transferred, st_merged, st_transfer_offered, updated_at) SELECT province_code, month, national_category, sum(received), sum(open), sum(resolved), sum(breached), sum(routed_to_oversight), sum(ack_met), sum(ack_late), sum(route_met), sum(route_late), sum(reply_met), sum(reply_late), sum(resolve_met), sum(resolve_late), sum(resolve_days_sum), sum(ch_web), sum(ch_walk_in), sum(ch_phone), sum(ch_letter), sum(ch_line), sum(ch_email), sum(ch_1111), sum(ch_transfer), sum(st_received), sum(st_acknowledged), sum(st_in_progress), sum(st_waiting), sum(st_resolved), sum(st_closed), sum(st_rejected), sum(st_transferred), sum(st_merged), sum(st_transfer_offered), max(updated_at) FROM oversight_arearollup GROUP BY 1, 2, 3;\nINSERT INTO oversight_provinceresolvedays (province_code, month, days, count) SELECT province_code, month, days, sum(count) FROM oversight_arearesolvedays GROUP BY 1, 2, 3;'

EMPTY_SQL = "DELETE FROM oversight_provincerollup; DELETE FROM oversight_provinceresolvedays;"

# Room on each page for the trigger's updated row versions: updates stay HOT (no index entries).
ROLLUP_TABLES = ("oversight_arearollup", "oversight_bodyrollup", "oversight_arearesolvedays",
                 "oversight_provincerollup", "oversight_provinceresolvedays")
FILLFACTOR_SQL = "".join(f"ALTER TABLE {t} SET (fillfactor = 80);" for t in ROLLUP_TABLES)
NO_FILLFACTOR_SQL = "".join(f"ALTER TABLE {t} RESET (fillfactor);" for t in ROLLUP_TABLES)


class Migration(migrations.Migration):

    dependencies = [
        ('oversight', '0002_rollup_trigger'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProvinceResolveDays',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('province_code', models.CharField(max_length=2)),
                ('month', models.DateField()),
                ('days', models.IntegerField()),
                ('count', models.IntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='ProvinceRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received', models.IntegerField(default=0)),
                ('open', models.IntegerField(default=0)),
                ('resolved', models.IntegerField(default=0)),
                ('breached', models.IntegerField(default=0)),
                ('routed_to_oversight', models.IntegerField(default=0)),
                ('ack_met', models.IntegerField(default=0)),
                ('ack_late', models.IntegerField(default=0)),
                ('route_met', models.IntegerField(default=0)),
                ('route_late', models.IntegerField(default=0)),
                ('reply_met', models.IntegerField(default=0)),
                ('reply_late', models.IntegerField(default=0)),
                ('resolve_met', models.IntegerField(default=0)),
                ('resolve_late', models.IntegerField(default=0)),
                ('resolve_days_sum', models.FloatField(default=0)),
                ('ch_web', models.IntegerField(default=0)),
                ('ch_walk_in', models.IntegerField(default=0)),
                ('ch_phone', models.IntegerField(default=0)),
                ('ch_letter', models.IntegerField(default=0)),
                ('ch_line', models.IntegerField(default=0)),
                ('ch_email', models.IntegerField(default=0)),
                ('ch_1111', models.IntegerField(default=0)),
                ('ch_transfer', models.IntegerField(default=0)),
                ('st_received', models.IntegerField(default=0)),
                ('st_acknowledged', models.IntegerField(default=0)),
                ('st_in_progress', models.IntegerField(default=0)),
                ('st_waiting', models.IntegerField(default=0)),
                ('st_resolved', models.IntegerField(default=0)),
                ('st_closed', models.IntegerField(default=0)),
                ('st_rejected', models.IntegerField(default=0)),
                ('st_transferred', models.IntegerField(default=0)),
                ('st_merged', models.IntegerField(default=0)),
                ('st_transfer_offered', models.IntegerField(default=0)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('province_code', models.CharField(max_length=2)),
                ('month', models.DateField()),
                ('national_category', models.CharField(max_length=40)),
            ],
        ),
        migrations.RemoveIndex(
            model_name='arearollup',
            name='area_rollup_updated',
        ),
        migrations.RemoveIndex(
            model_name='arearollup',
            name='area_rollup_prov_updated',
        ),
        migrations.RemoveIndex(
            model_name='arearollup',
            name='area_rollup_dist_updated',
        ),
        migrations.RemoveIndex(
            model_name='bodyrollup',
            name='body_rollup_updated',
        ),
        migrations.AddConstraint(
            model_name='provinceresolvedays',
            constraint=models.UniqueConstraint(fields=('province_code', 'month', 'days'), name='province_days_key'),
        ),
        migrations.AddIndex(
            model_name='provincerollup',
            index=models.Index(fields=['month', 'province_code'], name='province_rollup_month'),
        ),
        migrations.AddConstraint(
            model_name='provincerollup',
            constraint=models.UniqueConstraint(fields=('province_code', 'month', 'national_category'), name='province_rollup_key'),
        ),
        migrations.RunSQL(FILLFACTOR_SQL, NO_FILLFACTOR_SQL),
        migrations.RunSQL(TRIGGER_SQL, PREVIOUS_TRIGGER_SQL),
        migrations.RunSQL(FILL_SQL, EMPTY_SQL),
    ]
