"""Gives Editors and Administrators the permissions of the image library (newsletter 0008): the roles are
applied again now that the model exists."""

from django.db import migrations

from editorial.roles import roles_apply_in_migration


def apply_roles(apps, schema_editor):
    roles_apply_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0008_audit_subscriber_looked_up"),
        ("newsletter", "0009_media_image"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
