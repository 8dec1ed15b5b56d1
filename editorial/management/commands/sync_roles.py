from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError

from editorial.roles import ROLES, roles_apply
from editorial.services import user_grant_role, user_join_organisation


class Command(BaseCommand):
    help = ("Create or refresh the Editor and Administrator groups; optionally give a person a role and make her a "
            "member of organisations (she sees only their lists, digests and subscribers).")

    def add_arguments(self, parser):
        parser.add_argument("--grant", nargs=2, metavar=("USERNAME", "ROLE"), help=f"ROLE is one of {', '.join(ROLES)}.")
        parser.add_argument("--member", nargs=2, action="append", default=[], metavar=("USERNAME", "ORGANISATION"),
                            help="make USERNAME a member of ORGANISATION (its Feedback-ID sender id, e.g. mmm, or its "
                                 "exact name); repeatable")

    def handle(self, *args, grant=None, member=(), **options):
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        roles_apply(group_model=Group, permission_model=Permission)
        self.stdout.write("Roles refreshed: " + ", ".join(
            f"{g.name} ({g.permissions.count()} permissions)" for g in Group.objects.filter(name__in=ROLES).order_by("name")))
        if grant:
            username, role = grant
            user = self._user(username)
            try:
                user_grant_role(user_id=user.pk, role=role)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{username} is now {role}.")
        for username, name in member:
            user = self._user(username)
            organisation = self._organisation(name)
            joined = user_join_organisation(user_id=user.pk, organisation_id=organisation.pk)
            self.stdout.write(f"{username} is {'now' if joined else 'already'} a member of {organisation.name}.")

    def _user(self, username: str):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        return user

    def _organisation(self, name: str):
        from organisations.models import Organisation

        found = Organisation.objects.filter(feedback_sender_id=name).first() or Organisation.objects.filter(name=name).first()
        if found is None:
            known = ", ".join(Organisation.objects.values_list("feedback_sender_id", flat=True)) or "none yet"
            raise CommandError(f"There is no organisation {name!r}; known: {known}.")
        return found
