import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from editorial.roles import ADMINISTRATOR, EDITOR, roles_apply
from editorial.services import user_grant_role, user_join_organisation
from tests.support.organisations import default_organisation


@pytest.fixture
def roles(db):
    """The groups as the migration makes them (a transactional test's flush empties them: re-apply)."""
    roles_apply(group_model=Group, permission_model=Permission)


def _person(username: str, role: str):
    """A person in a role, a member of the organisation the test factories give every list."""
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org", password="pw-" + username)
    user_grant_role(user_id=user.pk, role=role)
    user_join_organisation(user_id=user.pk, organisation_id=default_organisation().pk)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def editor(roles):
    return _person("edith", EDITOR)


@pytest.fixture
def administrator(roles):
    return _person("ada", ADMINISTRATOR)


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def administrator_client(administrator) -> Client:
    client = Client()
    client.force_login(administrator)
    return client
