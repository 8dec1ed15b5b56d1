# Drops the single-column indexes of Delivery.digest and Delivery.batch: delivery_unique_per_digest
# (digest, subscriber) and delivery_batch_status (batch, status) start with the same columns. Written as
# plain DROP INDEX (PostgreSQL and SQLite) because AlterField would also drop and re-add both foreign keys,
# re-validating every delivery row of a large table under lock; the index names are Django's own.

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "worker_delivery_batch_id_31e3b94d": "batch_id",
    "worker_delivery_digest_id_e9c53468": "digest_id",
}


class Migration(migrations.Migration):

    dependencies = [
        ('newsletter', '0002_feeds_recurring_editor_settings'),
        ('worker', '0002_send_batch_delivery_digestsend_batch_batch_due_and_more'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "worker_delivery" ("{column}")',
                )
                for name, column in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='delivery',
                    name='batch',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deliveries', to='worker.batch'),
                ),
                migrations.AlterField(
                    model_name='delivery',
                    name='digest',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='newsletter.digest'),
                ),
            ],
        ),
    ]
