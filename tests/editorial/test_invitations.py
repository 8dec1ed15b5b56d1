"""Invitations: an Administrator invites a person by email with a role and organisations; the emailed link, used
once and before it expires, lets her choose her password and signs her in with that role and those organisations."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial.access import visible_organisation_ids
from editorial.models import AuditEntry, Invitation, OrganisationMembership
from editorial.roles import ADMINISTRATOR, EDITOR
from tests.support.organisations import default_organisation, make_organisation

pytestmark = [pytest.mark.django_db]

INVITE = "admin:editorial_invitation_add"
PASSWORD = "Gardenia-river-1987"


def _link(message) -> str:
    return re.search(r"https?://\S+/team/invitation/[^/\s]+/", message.body).group(0)


def _path(link: str) -> str:
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _invite(client: Client, *, email="nadia@example.org", role=EDITOR, organisations=None, language="en"):
    organisations = organisations or [default_organisation()]
    return client.post(reverse(INVITE), {"email": email, "role": role, "language": language,
                                         "organisations": [o.pk for o in organisations]})


def _accept(path: str, password=PASSWORD, client: Client | None = None):
    client = client or Client()
    return client, client.post(path, {"first_name": "Nadia", "last_name": "Haddad", "password1": password,
                                      "password2": password})


def test_it_emails_an_invitation_with_a_link(administrator_client):
    response = _invite(administrator_client)

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["nadia@example.org"]
    assert "Editor" in message.body and default_organisation().name in message.body
    assert "/team/invitation/" in _link(message)
    invitation = Invitation.objects.get()
    assert _link(message).rstrip("/").rsplit("/", 1)[1] not in invitation.token_hash  # only the hash is stored
    entry = AuditEntry.objects.get(action=AuditEntry.Action.INVITATION_SENT)
    assert entry.actor_name == "ada" and entry.target_id == str(invitation.pk)


def test_it_writes_the_email_in_the_chosen_language(administrator_client):
    _invite(administrator_client, language="fr")

    [message] = mail.outbox
    assert "Choisissez votre mot de passe" in message.body


def test_it_lets_her_set_her_password_and_signs_her_in_with_the_role_and_organisations(administrator_client):
    other = make_organisation(name="Second organisation")
    administrator = get_user_model().objects.get(username="ada")
    OrganisationMembership.objects.create(user=administrator, organisation=other)
    _invite(administrator_client, role=ADMINISTRATOR, organisations=[default_organisation(), other])
    path = _path(_link(mail.outbox[0]))

    page = Client().get(path)
    client, response = _accept(path)

    assert page.status_code == 200 and "Set my password" in page.content.decode()
    assert response.status_code == 302 and response["Location"] == "/desk/"
    user = get_user_model().objects.get(email="nadia@example.org")
    assert user.is_staff and not user.is_superuser and user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [ADMINISTRATOR]
    assert visible_organisation_ids(user) == {default_organisation().pk, other.pk}
    assert client.get("/admin/").status_code == 200  # signed in
    accepted = AuditEntry.objects.get(action=AuditEntry.Action.INVITATION_ACCEPTED)
    assert accepted.actor_id == user.pk


def test_it_refuses_a_password_the_validators_refuse(administrator_client):
    _invite(administrator_client)
    path = _path(_link(mail.outbox[0]))

    _client, response = _accept(path, password="123")

    assert response.status_code == 200 and "too short" in response.content.decode()
    assert not get_user_model().objects.filter(email="nadia@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_it_works_only_once(administrator_client):
    _invite(administrator_client)
    path = _path(_link(mail.outbox[0]))
    _accept(path)

    again = Client().get(path)
    _client, posted = _accept(path, password="Another-password-42")

    assert again.status_code == 410 and "already used" in again.content.decode()
    assert posted.status_code == 410
    assert get_user_model().objects.get(email="nadia@example.org").check_password(PASSWORD)


def test_it_expires_after_the_configured_days(administrator_client, settings):
    _invite(administrator_client)
    path = _path(_link(mail.outbox[0]))

    with time_machine.travel(timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS, minutes=1)):
        page = Client().get(path)
        _client, posted = _accept(path)
    with time_machine.travel(timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS - 1)):
        _client, in_time = _accept(path)

    assert page.status_code == posted.status_code == 410
    assert "has expired" in page.content.decode() and "ada" in page.content.decode()
    assert in_time.status_code == 302


def test_it_says_an_unknown_link_is_not_valid_in_words_not_codes():
    response = Client().get(reverse("invitation_accept", args=["made-up-token"]))

    assert response.status_code == 404 and "This invitation link is not valid" in response.content.decode()


def test_it_replaces_a_waiting_invitation_when_the_address_is_invited_again(administrator_client):
    _invite(administrator_client)
    _invite(administrator_client)
    first, second = (_path(_link(m)) for m in mail.outbox)

    assert "replaced by a newer one" in Client().get(first).content.decode()
    assert _accept(second)[1].status_code == 302


def test_it_keeps_an_administrator_of_oum_action_from_inviting_into_mmm(roles):
    oum, mmm = make_organisation(name="OUM-Action"), make_organisation(name="Make Mothers Matter")
    administrator = get_user_model().objects.create_user("oum-admin", "oum-admin@example.org", "pw")
    from editorial.services import user_grant_role, user_join_organisation
    user_grant_role(user_id=administrator.pk, role=ADMINISTRATOR)
    user_join_organisation(user_id=administrator.pk, organisation_id=oum.pk)
    client = Client()
    client.force_login(administrator)

    form = client.get(reverse(INVITE)).content.decode()
    response = _invite(client, organisations=[mmm])

    assert "OUM-Action" in form and "Make Mothers Matter" not in form
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_it_does_not_let_an_editor_invite(editor_client):
    response = _invite(editor_client)

    assert response.status_code == 403 and not Invitation.objects.exists()


def test_it_offers_to_add_the_role_to_an_existing_account_instead(administrator_client, roles):
    existing = get_user_model().objects.create_user("samir", "samir@example.org", "pw")

    offer = _invite(administrator_client, email="Samir@example.org")
    added = administrator_client.post(reverse(INVITE), {
        "email": "samir@example.org", "role": EDITOR, "language": "en",
        "organisations": [default_organisation().pk], "_add_access": "1"})

    assert offer.status_code == 200 and "already has an account" in offer.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox
    assert added.status_code == 302
    existing.refresh_from_db()
    assert existing.is_staff and list(existing.groups.values_list("name", flat=True)) == [EDITOR]
    assert visible_organisation_ids(existing) == {default_organisation().pk}


def test_it_leaves_making_an_administrator_of_someone_of_another_organisation_to_superusers(administrator_client):
    elsewhere = make_organisation(name="Elsewhere")
    colleague = get_user_model().objects.create_user("rami", "rami@example.org", "pw")
    OrganisationMembership.objects.create(user=colleague, organisation=elsewhere)

    response = administrator_client.post(reverse(INVITE), {
        "email": "rami@example.org", "role": ADMINISTRATOR, "language": "en",
        "organisations": [default_organisation().pk], "_add_access": "1"})

    assert response.status_code == 200 and "only a superuser" in response.content.decode()
    assert not colleague.groups.exists()


def test_it_lists_invitations_with_their_state(administrator_client):
    _invite(administrator_client)

    listing = administrator_client.get(reverse("admin:editorial_invitation_changelist")).content.decode()

    assert "nadia@example.org" in listing and "waiting" in listing and "Invite a person" in listing
