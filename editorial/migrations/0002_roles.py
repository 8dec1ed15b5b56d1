"""Creates the Editor and Administrator groups (editorial.roles) with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from editorial.roles import roles_apply


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran (post_migrate); create them now so
    # the groups can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_apply(group_model=apps.get_model("auth", "Group"), permission_model=apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Administrator"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsletter", "0002_feeds_recurring_editor_settings"),
        ("subscribers", "0002_subscription_unsubscribe_source"),
        ("worker", "0002_send_batch_delivery_digestsend_batch_batch_due_and_more"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
