# Drops DigestSend.premailer_runs: the bench and the tests count premailer runs from outside (tests.support.premailer).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('worker', '0007_delivery_digest_without_db_constraint'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='digestsend',
            name='premailer_runs',
        ),
    ]
