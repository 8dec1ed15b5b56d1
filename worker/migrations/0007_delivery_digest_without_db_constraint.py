# Drops the database constraint of Delivery.digest: PostgreSQL checked it for every planned row at commit.
# worker.models.Delivery says why the digest is still safe without it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsletter', '0004_digest_subject_template'),
        ('worker', '0006_delivery_indexes_without_status'),
    ]

    operations = [
        migrations.AlterField(
            model_name='delivery',
            name='digest',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='newsletter.digest'),
        ),
    ]
