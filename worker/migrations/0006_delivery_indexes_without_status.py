# Delivery's indexes no longer hold `status`, and on PostgreSQL its table leaves room on each page, so that
# marking a delivery sent is a HOT update (in place, no index entry written): see worker.models.Delivery.
# The new indexes are created before the old ones are dropped, so the send's lookups always have one.

from django.db import migrations, models

# Room for the sent version of each row next to the planned one, so that every row's update stays on its page
# (Why: docs/decisions/0003-delivery-table-and-hot-updates.md). Only pages written from now on get it.
DELIVERY_FILLFACTOR = 35


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # SQLite has no fillfactor (nor HOT updates)
        schema_editor.execute(f"ALTER TABLE worker_delivery SET (fillfactor = {DELIVERY_FILLFACTOR})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE worker_delivery RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ('newsletter', '0004_digest_subject_template'),
        ('subscribers', '0002_subscription_unsubscribe_source'),
        ('worker', '0005_digestsend_provider_calls_from_batches'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='delivery',
            index=models.Index(fields=['batch'], name='delivery_batch'),
        ),
        migrations.AddIndex(
            model_name='delivery',
            index=models.Index(condition=models.Q(('batch__isnull', True)), fields=['digest'], name='delivery_unbatched'),
        ),
        migrations.RemoveIndex(
            model_name='delivery',
            name='delivery_batch_status',
        ),
        migrations.RemoveIndex(
            model_name='delivery',
            name='delivery_digest_status',
        ),
        migrations.RunPython(set_fillfactor, reset_fillfactor),
    ]
