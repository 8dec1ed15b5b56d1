"""Gives the roles the permissions of the organisations app's model (Editors view, Administrators everything)."""

from django.db import migrations

from editorial.roles import roles_apply_in_migration


def apply_roles(apps, schema_editor):
    roles_apply_in_migration(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0004_roles_operations"),
        ("organisations", "0001_initial"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
