import pytest

from newsletter.models import Digest
from subscribers.models import EmailEvent
from tests.worker.factories import make_digest, make_list
from worker.results import digest_statistics

pytestmark = [pytest.mark.django_db]


def event(digest: Digest, n: int, event_type: str, recipient: str) -> EmailEvent:
    return EmailEvent.objects.create(event_id=f"{digest.id}-{n}", event_type=event_type, digest_id=digest.id,
                                     recipient_hash=recipient, esp_name="Mailgun")


def test_it_counts_provider_events_per_recipient_and_opens_only_where_the_list_tracks():
    digest = make_digest(make_list(tracking_enabled=False), status=Digest.Status.SENT)
    tracked = make_digest(make_list(tracking_enabled=True), status=Digest.Status.SENT)
    for d in (digest, tracked):
        event(d, 1, "delivered", "a")
        event(d, 2, "delivered", "b")
        event(d, 3, "opened", "a")
        event(d, 4, "opened", "a")  # the same reader opening twice counts once
        event(d, 5, "bounced", "c")
        event(d, 6, "complained", "b")

    plain = digest_statistics(digest_id=digest.id)
    with_tracking = digest_statistics(digest_id=tracked.id)

    assert plain["delivered"] == 2 and plain["bounced"] == 1 and plain["complained"] == 1
    assert "opened" not in plain and "clicked" not in plain
    assert with_tracking["opened"] == 1 and with_tracking["clicked"] == 0
