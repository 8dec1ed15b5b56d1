"""manage.py ensure_demo_editors: for `make run`, one Editor per organisation, so the demo shows what each
organisation's people see (and do not see) of the others. Created once; the logins are printed every time."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from editorial.roles import EDITOR
from editorial.services import user_grant_role, user_join_organisation
from organisations.models import Organisation


class Command(BaseCommand):
    help = "Create an Editor for each organisation once (<sender id>-editor, e.g. oum-editor) and print the logins."

    def handle(self, *args, **options):
        passwords_file = settings.VAR_DIR / "demo-editors.txt"
        known = dict(line.split(" ", 1) for line in passwords_file.read_text().splitlines() if " " in line) \
            if passwords_file.exists() else {}
        User = get_user_model()
        for organisation in Organisation.objects.order_by("name"):
            username = f"{organisation.feedback_sender_id}-editor"
            user = User.objects.filter(username=username).first()
            if user is None:
                known[username] = secrets.token_urlsafe(12)
                user = User.objects.create_user(username=username, email=f"{username}@example.org",
                                                password=known[username])
                user_grant_role(user_id=user.pk, role=EDITOR)
                user_join_organisation(user_id=user.pk, organisation_id=organisation.pk)
            password = known.get(username, f"(unchanged: set it with `manage.py changepassword {username}`)")
            self.stdout.write(f"Editor of {organisation.name}: user: {username}  password: {password}")
        passwords_file.write_text("".join(f"{name} {password}\n" for name, password in known.items()))
        passwords_file.chmod(0o600)
