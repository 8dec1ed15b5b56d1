"""The Editor and Administrator roles, enforced on every admin page and action."""

import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from editorial.models import AuditEntry
from editorial.roles import EDITOR_PERMISSIONS
from editorial.services import audit_record
from newsletter.models import Digest
from subscribers.models import QueuedEmail, Segment, Subscriber, Suppression
from tests.subscribers.factories import make_list, make_subscriber, subscribe
from tests.worker.factories import make_audience, make_digest, make_variant
from worker.planning import audience_plan

pytestmark = [pytest.mark.django_db]


def _registered():
    return [(model._meta.app_label, model._meta.model_name) for model in admin.site._registry]


def test_it_creates_both_groups_from_the_migration(roles):
    editor = Group.objects.get(name="Editor")
    administrator = Group.objects.get(name="Administrator")

    editor_perms = set(editor.permissions.values_list("content_type__app_label", "codename"))
    assert ("newsletter", "add_digest") in editor_perms and ("worker", "change_send") in editor_perms
    assert not {p for p in editor_perms if p[0] == "subscribers" and not p[1].startswith("view_")}
    assert ("subscribers", "view_subscriber") not in editor_perms
    assert administrator.permissions.count() == Permission.objects.count()


def test_it_lets_an_editor_into_exactly_the_admin_pages_of_her_role(editor_client):
    for app_label, model in _registered():
        allowed = {"view", "change"} & set(EDITOR_PERMISSIONS.get(app_label, {}).get(model, ()))
        response = editor_client.get(reverse(f"admin:{app_label}_{model}_changelist"))
        assert response.status_code == (200 if allowed else 403), (app_label, model, response.status_code)


def test_it_lets_an_administrator_into_every_admin_page(administrator_client):
    for app_label, model in _registered():
        response = administrator_client.get(reverse(f"admin:{app_label}_{model}_changelist"))
        assert response.status_code == 200, (app_label, model)


def test_it_lets_an_editor_compose_preview_test_send_and_schedule(editor_client, editor):
    mailing_list = make_list(slug="news")
    digest = make_digest(mailing_list, status=Digest.Status.DRAFT, send_at=None, subject="Spring news")

    assert editor_client.get(reverse("admin:newsletter_digest_compose")).status_code == 200
    assert editor_client.get(reverse("admin:newsletter_newsitem_add")).status_code == 200
    assert editor_client.get(reverse("admin:newsletter_feed_add")).status_code == 200
    assert editor_client.get(reverse("admin:newsletter_recurringdigest_add")).status_code == 200
    assert editor_client.get(reverse("admin:newsletter_digest_preview", args=[digest.pk])).status_code == 200
    response = editor_client.post(reverse("admin:newsletter_digest_action", args=[digest.pk, "test"]))
    assert response.status_code == 302  # handled (sent, or a message saying why not), not refused
    assert editor_client.get(reverse("admin:worker_send_changelist")).status_code == 200


def test_it_never_lets_an_editor_export_or_erase_subscribers_or_edit_suppressions(editor_client):
    news = make_list(slug="news")
    person = make_subscriber("me@example.org", name="Me")
    subscribe(person, news)
    segment = Segment.objects.create(mailing_list=news, name="All", filters={})

    assert editor_client.get(reverse("admin:subscribers_subscriber_changelist")).status_code == 403
    for action in ("export_personal_data", "erase"):
        response = editor_client.post(reverse("admin:subscribers_subscriber_changelist"),
                                      {"action": action, "_selected_action": [person.pk]})
        assert response.status_code == 403
    for model, pk in (("mailinglist", news.pk), ("segment", segment.pk)):
        url = reverse(f"admin:subscribers_{model}_changelist")
        page = editor_client.get(url).content.decode()
        assert 'value="export_csv"' not in page
        response = editor_client.post(url, {"action": "export_csv", "_selected_action": [pk]})
        assert not hasattr(response, "streaming_content") and b"me@example.org" not in response.content
    assert editor_client.get(reverse("admin:subscribers_mailinglist_import")).status_code == 403
    assert editor_client.get(reverse("admin:subscribers_suppression_add")).status_code == 403
    assert editor_client.post(reverse("admin:subscribers_suppression_add"),
                              {"email": "x@example.org", "reason": "manual"}).status_code == 403
    assert Subscriber.objects.filter(pk=person.pk).exists() and not Suppression.objects.exists()


def test_it_hides_the_erase_action_from_someone_who_may_only_view_subscribers(roles, django_user_model):
    person = make_subscriber("me@example.org")
    viewer = django_user_model.objects.create_user(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_subscriber"))
    client = Client()
    client.force_login(viewer)

    page = client.get(reverse("admin:subscribers_subscriber_changelist")).content.decode()
    response = client.post(reverse("admin:subscribers_subscriber_changelist"),
                           {"action": "erase", "_selected_action": [person.pk]})

    assert 'value="erase"' not in page
    assert response.status_code in (200, 302, 403) and Subscriber.objects.filter(pk=person.pk).exists()


def test_it_lets_an_administrator_see_and_use_export_and_erase(administrator_client):
    news = make_list(slug="news")
    person = make_subscriber("me@example.org", name="Me")
    subscribe(person, news)
    changelist = reverse("admin:subscribers_subscriber_changelist")

    page = administrator_client.get(changelist).content.decode()
    assert 'value="erase"' in page and 'value="export_personal_data"' in page
    export = administrator_client.post(reverse("admin:subscribers_mailinglist_changelist"),
                                       {"action": "export_csv", "_selected_action": [news.pk]})
    assert b"".join(export.streaming_content).decode().splitlines()[1].startswith("me@example.org,")
    data = administrator_client.post(changelist, {"action": "export_personal_data", "_selected_action": [person.pk]})
    assert json.loads(data.content)["email"] == "me@example.org"
    administrator_client.post(changelist, {"action": "erase", "_selected_action": [person.pk]})
    assert not Subscriber.objects.exists() and Suppression.objects.get().reason == "erased"


def test_it_refuses_send_controls_to_someone_who_may_only_view_sends(roles, django_user_model):
    mailing_list = make_list(slug="news")
    make_audience(mailing_list, 2)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=10)
    watcher = django_user_model.objects.create_user(username="watcher", is_staff=True)
    watcher.user_permissions.add(Permission.objects.get(codename="view_send"),
                                 Permission.objects.get(codename="view_digest"))
    client = Client()
    client.force_login(watcher)

    page = client.get(reverse("admin:worker_send_changelist")).content.decode()
    client.post(reverse("admin:worker_send_changelist"), {"action": "pause", "_selected_action": [digest.pk]})
    dashboard = client.get(reverse("editorial:dashboard")).content.decode()
    control = client.post(reverse("editorial:control", args=[digest.pk, "pause"]))

    assert 'value="pause"' not in page and "/pause/" not in dashboard and control.status_code == 403
    assert Digest.objects.get(pk=digest.pk).status == Digest.Status.SENDING


@pytest.mark.parametrize("who", ["editor_client", "administrator_client", "admin_client"])
def test_it_shows_the_audit_trail_but_never_lets_anyone_add_change_or_delete_it(who, request):
    client = request.getfixturevalue(who)
    digest = make_digest(make_list(slug="news"), status=Digest.Status.SCHEDULED)
    entry = audit_record(actor_id=None, action=AuditEntry.Action.DIGEST_SCHEDULED, target=digest,
                         description="Scheduled for Monday")
    change = reverse("admin:editorial_auditentry_change", args=[entry.pk])

    listing = client.get(reverse("admin:editorial_auditentry_changelist"))
    assert listing.status_code == 200 and "Scheduled for Monday" in listing.content.decode()
    assert 'value="delete_selected"' not in listing.content.decode()
    assert client.get(reverse("admin:editorial_auditentry_add")).status_code == 403
    assert client.post(change, {"description": "nothing happened"}).status_code == 403
    assert client.post(reverse("admin:editorial_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert 'name="_save"' not in client.get(change).content.decode()
    assert AuditEntry.objects.get(pk=entry.pk).description == "Scheduled for Monday"


def test_it_makes_every_admin_action_declare_the_permission_it_needs():
    """An action without `permissions=[...]` is offered to anyone who may merely view the list."""
    undeclared = [
        f"{model._meta.label}.{name}"
        for model, model_admin in admin.site._registry.items()
        for func, name, _ in model_admin._get_base_actions()
        if not getattr(func, "allowed_permissions", None)
    ]
    assert undeclared == []


def test_it_lets_an_administrator_retry_a_failed_confirmation_email_and_keeps_editors_out(
    administrator_client, editor_client, django_capture_on_commit_callbacks
):
    person = make_subscriber()
    row = QueuedEmail.objects.create(kind="confirmation", subscriber=person, list_ids=[make_list().pk], attempts=8,
                                           last_error="ConnectionRefusedError: provider down")
    url = reverse("admin:subscribers_queuedemail_changelist")
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"action": "retry_now", "_selected_action": [row.pk]}).status_code == 403
    with django_capture_on_commit_callbacks():  # the poke is not under test here
        answer = administrator_client.post(url, {"action": "retry_now", "_selected_action": [row.pk]}, follow=True)
    assert "1 email will be sent again now" in answer.content.decode()
    row.refresh_from_db()
    assert (row.attempts, row.last_error) == (0, "")
