from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

from editorial.roles import ROLES, roles_apply
from editorial.services import user_grant_role


class Command(BaseCommand):
    help = "Create or refresh the Editor and Administrator groups; optionally give a person a role."

    def add_arguments(self, parser):
        parser.add_argument("--grant", nargs=2, metavar=("USERNAME", "ROLE"), help=f"ROLE is one of {', '.join(ROLES)}.")

    def handle(self, *args, grant=None, **options):
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        roles_apply(group_model=Group, permission_model=Permission)
        self.stdout.write("Roles refreshed: " + ", ".join(
            f"{g.name} ({g.permissions.count()} permissions)" for g in Group.objects.filter(name__in=ROLES).order_by("name")))
        if grant:
            from django.contrib.auth import get_user_model

            username, role = grant
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"There is no user {username!r}.")
            try:
                user_grant_role(user_id=user.pk, role=role)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{username} is now {role}.")
