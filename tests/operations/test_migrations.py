"""The outbox and heartbeat models moved from worker to operations without moving a row: a database the old
worker migrations made keeps its messages, heartbeats and the permissions granted on them.

The child process stands in for such a database on a fresh SQLite file: everything migrated, rows written, then
operations 0001 unrecorded (its tables left in place) and the two content types given back to worker, which is
what the old worker migrations had left.
"""

from __future__ import annotations

from tests.support.processes import run_on_fresh_sqlite

SCRIPT = r"""
import json
import django

django.setup()
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

call_command("migrate", verbosity=0)
from operations.models import OutboxMessage, WorkerHeartbeat

OutboxMessage.objects.create(from_email="news@example.org", to="ann@example.org", subject="kept", raw="raw")
WorkerHeartbeat.objects.create(hostname="w1", marker="kept")
operator = User.objects.create_user("operator", is_staff=True)
operator.user_permissions.add(Permission.objects.get(codename="view_workerheartbeat"))
call_command("migrate", "editorial", "0003", verbosity=0)
call_command("migrate", "operations", "zero", fake=True, verbosity=0)
ContentType.objects.filter(app_label="operations").update(app_label="worker")

call_command("migrate", verbosity=0)

operator = User.objects.get(username="operator")
administrator = Group.objects.get(name="Administrator")
print(json.dumps({
    "messages": list(OutboxMessage.objects.values_list("subject", flat=True)),
    "heartbeats": list(WorkerHeartbeat.objects.values_list("marker", flat=True)),
    "labels": sorted(ContentType.objects.filter(model__in=["outboxmessage", "workerheartbeat"])
                     .values_list("app_label", flat=True)),
    "operator": operator.has_perm("operations.view_workerheartbeat"),
    "administrator": administrator.permissions.filter(
        content_type__app_label="operations", codename="view_outboxmessage").exists(),
}))
"""


def test_it_keeps_the_rows_and_permissions_of_a_database_the_old_worker_migrations_made(tmp_path):
    outcome = run_on_fresh_sqlite(SCRIPT, tmp_path)
    assert (outcome["messages"], outcome["heartbeats"]) == (["kept"], ["kept"])
    assert outcome["labels"] == ["operations", "operations"]
    assert outcome["operator"] and outcome["administrator"]
