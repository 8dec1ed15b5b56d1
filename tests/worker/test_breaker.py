"""The circuit breaker (worker/breaker.py): a send whose messages are being blocked pauses itself, tells the editors
and administrators, shows the figures on the dashboard, and finishes cleanly once resumed."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from editorial.models import AuditEntry
from editorial.roles import ADMINISTRATOR, EDITOR, roles_apply
from editorial.services import user_grant_role, user_join_organisation
from newsletter.models import Digest
from subscribers.models import DigestEventCount, Suppression
from tests.subscribers.test_webhooks import BASIC, SIGNING_KEY, _payload, _post
from tests.support.organisations import default_organisation, make_organisation
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.breaker import breaker_reason
from worker.models import Batch, Delivery, DigestSend
from worker.planning import audience_plan
from worker.sending import batch_send

pytestmark = pytest.mark.django_db

BLOCK = {"severity": "permanent", "reason": "espblock", "delivery-status": {
    "code": 550, "enhanced-code": "5.7.1", "attempt-no": 1, "description": "",
    "message": "5.7.1 [203.0.113.5] Our system has detected that this message is likely unsolicited mail."}}


def _as_mailgun_webhooks():
    """Mailgun's tracking view answers only while Mailgun is the provider; the digest itself is sent to locmem."""
    return override_settings(EMAIL_PROVIDER="mailgun", ANYMAIL={**settings.ANYMAIL, "WEBHOOK_SECRET": BASIC,
                                                               "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY})


@pytest.fixture
def staff():
    roles_apply(group_model=Group, permission_model=Permission)
    people = {}
    ours, elsewhere = default_organisation(), make_organisation(name="Another organisation")
    for username, role, organisation in (("edith", EDITOR, ours), ("ada", ADMINISTRATOR, ours), ("omar", EDITOR, elsewhere)):
        user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org", password="pw")
        user_grant_role(user_id=user.pk, role=role)
        user_join_organisation(user_id=user.pk, organisation_id=organisation.pk)
        people[username] = get_user_model().objects.get(pk=user.pk)
    get_user_model().objects.create_user(username="stranger", email="stranger@example.org", password="pw")
    return people


def _event(delivery: Delivery, event: str, **data) -> None:
    payload = _payload(event, delivery.subscriber.email, message_id=f"digest-{delivery.digest_id}.delivery-{delivery.id}",
                       **data)
    payload["event-data"]["user-variables"] = {"digest_id": str(delivery.digest_id), "delivery_id": str(delivery.id)}
    with _as_mailgun_webhooks():
        assert _post(payload).status_code == 200


def test_it_trips_at_the_thresholds_and_not_before():
    assert breaker_reason(outcomes=499, blocks=499, complaints=499) == ""  # too few outcomes to judge
    assert breaker_reason(outcomes=500, blocks=9, complaints=1) == ""
    assert "policy blocks" in breaker_reason(outcomes=500, blocks=10, complaints=0)
    assert "spam complaints" in breaker_reason(outcomes=1000, blocks=0, complaints=3)


@override_settings(BREAKER_MIN_OUTCOMES=100)
def test_it_pauses_a_blocked_send_tells_the_staff_shows_the_banner_and_finishes_after_resume(staff, run_after_commit):
    mailing_list = make_list()
    make_audience(mailing_list, 150)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject="April news")
    batch_ids = audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=100).batch_ids
    DigestSend.objects.create(digest=digest)
    assert batch_send(batch_id=batch_ids[0]).sent == 100
    sent = list(Delivery.objects.filter(digest=digest, status=Delivery.Status.SENT).select_related("subscriber")
                .order_by("id"))
    mail.outbox.clear()

    # 90 delivered, then blocks: the 100th outcome brings 10 blocks (10%): over 2% of at least 100
    for delivery in sent[:90]:
        _event(delivery, "delivered")
    for delivery in sent[90:99]:
        with run_after_commit():
            _event(delivery, "failed", **BLOCK)
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENDING  # 99 outcomes: not enough to judge
    with run_after_commit():
        _event(sent[99], "failed", **BLOCK)

    digest.refresh_from_db()
    assert digest.status == Digest.Status.PAUSED
    assert "circuit breaker" in digest.status_detail
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DIGEST_PAUSED, target_id=str(digest.id))
    assert entry.actor is None and "10 of 100 outcomes were policy blocks" in entry.description
    assert entry.extra["blocks"] == 10 and entry.extra["messages"][0]["count"] == 10
    assert not Suppression.objects.exists()  # blocks are ours, not the readers'
    counts = DigestEventCount.objects.get(digest_id=digest.id)
    assert (counts.outcomes, counts.delivered, counts.block) == (100, 90, 10)

    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "edith@example.org"]
    notice = mail.outbox[0]
    assert "April news" in notice.subject and "likely unsolicited mail" in notice.body
    assert reverse("editorial:dashboard") in notice.body

    client = Client()
    client.force_login(staff["edith"])
    page = client.get(reverse("editorial:dashboard")).content.decode()
    assert "breaker-banner" in page and "Sending paused by the circuit breaker: April news" in page
    assert "10 policy blocks (10.0%)" in page and "likely unsolicited mail" in page

    # more blocks while paused change nothing; the one-click resume sends the rest and the breaker stays quiet
    _event(sent[99], "failed", **BLOCK)
    response = client.post(reverse("editorial:control", args=[digest.id, "resume"]))
    assert response.status_code == 302
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENDING
    assert "breaker-banner" not in client.get(reverse("editorial:dashboard")).content.decode()
    for delivery in sent[:5]:
        _event(delivery, "failed", **BLOCK)
    for batch_id in Batch.objects.filter(digest=digest, status=Batch.Status.PENDING).values_list("id", flat=True):
        batch_send(batch_id=batch_id)
    digest.refresh_from_db()
    assert digest.status == Digest.Status.SENT
    assert Delivery.objects.filter(digest=digest, status=Delivery.Status.SENT).count() == 150
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DIGEST_PAUSED).count() == 1
