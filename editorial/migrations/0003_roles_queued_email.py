"""Gives the Administrator role the permissions of the queued audience emails (subscribers 0003): the
roles are applied again now that the model exists."""

from django.db import migrations

from editorial.roles import roles_apply_in_migration


def apply_roles(apps, schema_editor):
    roles_apply_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_roles"),
        ("subscribers", "0003_queued_email"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
