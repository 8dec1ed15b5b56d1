"""The audit trail names a new action: an image deleted from the desk's library (desk.media_views.media_delete)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('editorial', '0009_roles_media_image'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('digest_created', 'Digest created'), ('digest_scheduled', 'Digest scheduled'), ('digest_rescheduled', 'Digest rescheduled'), ('digest_unscheduled', 'Digest back to draft'), ('digest_sent_now', 'Digest sent now'), ('digest_cancelled', 'Digest cancelled'), ('digest_paused', 'Digest paused'), ('digest_resumed', 'Digest resumed'), ('digest_resent_uncertain', 'Uncertain recipients resent'), ('subscribers_imported', 'Subscribers imported'), ('subscribers_exported', 'Subscribers exported'), ('subscriber_data_exported', 'Subscriber data exported'), ('subscriber_erased', 'Subscriber erased'), ('subscriber_looked_up', 'Subscriber looked up'), ('role_granted', 'Role granted'), ('organisation_joined', 'Member of an organisation'), ('invitation_sent', 'Invitation sent'), ('invitation_accepted', 'Invitation accepted'), ('media_image_deleted', 'Image deleted')], db_index=True, max_length=40, verbose_name='action'),
        ),
    ]
