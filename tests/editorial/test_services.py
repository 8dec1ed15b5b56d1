import getpass

import pytest
from django.contrib.auth import get_user_model

from editorial.models import AuditEntry
from editorial.services import AuditError, audit_command, audit_record
from tests.subscribers.factories import make_list
from tests.worker.factories import make_audience, make_digest

pytestmark = [pytest.mark.django_db]


def test_it_records_who_did_what_to_which_object():
    user = get_user_model().objects.create_user(username="edith")
    digest = make_digest(make_list(slug="news"), subject="April news")

    entry = audit_record(actor_id=user.pk, action=AuditEntry.Action.DIGEST_SCHEDULED, target=digest,
                         description="Scheduled for 1 May, 09:00.", extra={"send_at": "2026-05-01T07:00:00Z"})

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor_id, stored.actor_name, stored.action) == (user.pk, "edith", "digest_scheduled")
    assert (stored.target_type, stored.target_id, stored.target_repr) == ("newsletter.digest", str(digest.pk), "April news")
    assert stored.description == "Scheduled for 1 May, 09:00."
    assert stored.extra == {"send_at": "2026-05-01T07:00:00Z"}
    assert stored.created_at is not None


def test_it_keeps_the_name_after_the_account_is_deleted_and_accepts_the_system_as_actor():
    user = get_user_model().objects.create_user(username="gone")
    entry = audit_record(actor_id=user.pk, action=AuditEntry.Action.SUBSCRIBERS_IMPORTED, description="12 added")
    system = audit_record(actor_id=None, action=AuditEntry.Action.DIGEST_CREATED)
    user.delete()

    entry.refresh_from_db()
    assert (entry.actor_id, entry.actor_name) == (None, "gone")
    assert (system.actor_id, system.actor_name, system.target_type) == (None, "", "")


def test_it_never_stores_a_subscriber_address():
    [subscriber] = make_audience(make_list(), 1)

    entry = audit_record(actor_id=None, action=AuditEntry.Action.SUBSCRIBER_ERASED, target=subscriber)

    assert subscriber.email not in entry.target_repr
    assert entry.target_repr == f"subscriber #{subscriber.pk}"


def test_it_refuses_an_unknown_action_and_writes_nothing():
    with pytest.raises(AuditError, match="Unknown audit action 'digest_sceduled'"):
        audit_record(actor_id=None, action="digest_sceduled")
    assert AuditEntry.objects.count() == 0


def test_it_never_changes_or_deletes_an_entry():
    entry = audit_record(actor_id=None, action=AuditEntry.Action.DIGEST_PAUSED, description="paused")
    entry.description = "nothing happened"

    with pytest.raises(ValueError, match="never changed"):
        entry.save()
    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).description == "paused"


def test_it_names_the_command_and_the_system_account_for_command_line_actions():
    entry = audit_command(command="send_digest", action=AuditEntry.Action.DIGEST_PAUSED, description="paused", extra={"n": 1})

    assert (entry.actor_id, entry.actor_name) == (None, "")
    assert entry.extra == {"command": "manage.py send_digest", "os_user": getpass.getuser(), "n": 1}
