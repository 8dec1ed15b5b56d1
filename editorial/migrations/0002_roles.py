"""Creates the Editor and Administrator groups (editorial.roles) with their permissions."""

from django.db import migrations

from editorial.roles import roles_apply_in_migration


def create_roles(apps, schema_editor):
    roles_apply_in_migration(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Administrator"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsletter", "0002_feeds_recurring_editor_settings"),
        ("subscribers", "0002_subscription_unsubscribe_source"),
        ("worker", "0001_initial"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
