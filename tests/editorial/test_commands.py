from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from editorial.models import AuditEntry

pytestmark = [pytest.mark.django_db]


def test_it_refreshes_the_roles_and_grants_one_to_a_person():
    Group.objects.filter(name__in=["Editor", "Administrator"]).delete()
    bob = get_user_model().objects.create_user(username="bob")
    out = StringIO()

    call_command("sync_roles", "--grant", "bob", "Editor", stdout=out)

    bob.refresh_from_db()
    assert bob.is_staff and list(bob.groups.values_list("name", flat=True)) == ["Editor"]
    assert bob.has_perm("newsletter.add_digest") and not bob.has_perm("subscribers.delete_subscriber")
    assert "Administrator (" in out.getvalue() and "bob is now Editor." in out.getvalue()
    assert AuditEntry.objects.get().action == AuditEntry.Action.ROLE_GRANTED


def test_it_explains_an_unknown_person_or_role_and_grants_nothing():
    get_user_model().objects.create_user(username="bob")

    with pytest.raises(CommandError, match="There is no user 'alice'"):
        call_command("sync_roles", "--grant", "alice", "Editor", stdout=StringIO())
    with pytest.raises(CommandError, match="Unknown role 'Boss'"):
        call_command("sync_roles", "--grant", "bob", "Boss", stdout=StringIO())
    assert not get_user_model().objects.get(username="bob").groups.exists()


def test_it_creates_one_editor_per_organisation_once_and_prints_the_logins(roles, settings, tmp_path):
    from django.contrib.auth import authenticate

    from tests.support.organisations import make_organisation

    settings.VAR_DIR = tmp_path
    oum = make_organisation(name="OUM-Action", feedback_sender_id="oum")
    first, second = StringIO(), StringIO()

    call_command("ensure_demo_editors", stdout=first)
    call_command("ensure_demo_editors", stdout=second)

    editor = get_user_model().objects.get(username="oum-editor")
    password = first.getvalue().split("user: oum-editor  password: ")[1].split()[0]
    assert first.getvalue() == second.getvalue()
    assert authenticate(username="oum-editor", password=password) == editor
    assert list(editor.groups.values_list("name", flat=True)) == ["Editor"] and not editor.is_superuser
    assert list(editor.organisation_memberships.values_list("organisation", flat=True)) == [oum.pk]
