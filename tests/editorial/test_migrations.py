"""Upgrading an installation from before organisation access: its Editors and Administrators keep seeing what they
saw (members of every organisation there is), superusers need no membership, and the audit entries about its
digests, lists and segments name their organisation.

The child process stands in for such a database on a fresh SQLite file: everything migrated, editorial taken back
to before 0006, rows written as the older code wrote them, then migrated forward again."""

from __future__ import annotations

from tests.support.processes import run_on_fresh_sqlite

SCRIPT = r"""
import json
import django

django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

call_command("migrate", verbosity=0)
call_command("migrate", "editorial", "0005", verbosity=0)
from newsletter.models import Digest
from organisations.models import Organisation
from subscribers.models import MailingList

organisation = Organisation.objects.create(name="Old NGO", postal_address="1 Old Street", feedback_sender_id="old")
news = MailingList.objects.create(organisation=organisation, name="News", slug="news", from_name="NGO",
                                  from_email="news@example.org")
digest = Digest.objects.create(mailing_list=news, subject="Old digest", status="draft")
User.objects.create_user("editor", is_staff=True)
User.objects.create_superuser("root", "root@example.org", "pw")
User.objects.create_user("reader")
with connection.cursor() as cursor:  # the audit table as editorial 0005 left it: no organisation column yet
    cursor.execute(
        "INSERT INTO editorial_auditentry (created_at, actor_name, action, target_type, target_id, target_repr, "
        "description, extra) VALUES (%s, '', 'digest_created', 'newsletter.digest', %s, 'Old digest', '', '{}')",
        [timezone.now(), str(digest.pk)])

call_command("migrate", verbosity=0)

from editorial.models import AuditEntry, OrganisationMembership

print(json.dumps({
    "members": sorted(OrganisationMembership.objects.values_list("user__username", "organisation__name")),
    "entry": AuditEntry.objects.values_list("organisation__name", flat=True).get(),
}))
"""


def test_it_keeps_what_existing_editors_saw_and_files_old_audit_entries_under_their_organisation(tmp_path):
    outcome = run_on_fresh_sqlite(SCRIPT, tmp_path)
    assert outcome["members"] == [["editor", "Old NGO"]]
    assert outcome["entry"] == "Old NGO"
