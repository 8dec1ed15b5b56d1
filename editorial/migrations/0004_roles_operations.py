"""Gives the Administrator role the permissions of the operations app's models (the outbox and the worker
heartbeats, moved there from worker): the roles are applied again now that the app's models exist. On a
database where they were worker's, operations 0001 has moved their permissions already and nothing changes."""

from django.db import migrations

from editorial.roles import roles_apply_in_migration


def apply_roles(apps, schema_editor):
    roles_apply_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0003_roles_queued_email"),
        ("operations", "0001_initial"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
