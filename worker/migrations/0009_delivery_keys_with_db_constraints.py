"""Delivery.digest and Delivery.batch get their database constraints back (docs/decisions/0008-delivery-foreign-keys.md).

Rows the missing constraints let through are settled first, so the constraints can be created: a delivery of a
digest that no longer exists goes, and one whose batch no longer exists keeps no batch.
"""

import django.db.models.deletion
from django.db import migrations, models


def settle_orphans(apps, schema_editor):
    Delivery = apps.get_model("worker", "Delivery")
    Digest = apps.get_model("newsletter", "Digest")
    Batch = apps.get_model("worker", "Batch")
    Delivery.objects.exclude(digest_id__in=Digest.objects.values("id")).delete()
    Delivery.objects.filter(batch_id__isnull=False).exclude(batch_id__in=Batch.objects.values("id")).update(batch_id=None)


class Migration(migrations.Migration):

    dependencies = [
        ("newsletter", "0004_digest_subject_template"),
        ("worker", "0008_remove_digestsend_premailer_runs"),
    ]

    operations = [
        migrations.RunPython(settle_orphans, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="delivery",
            name="digest",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="deliveries",
                                    to="newsletter.digest"),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="batch",
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="deliveries", to="worker.batch"),
        ),
    ]
