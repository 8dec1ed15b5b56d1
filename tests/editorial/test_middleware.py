from datetime import UTC, datetime

import pytest
from django.urls import reverse

from newsletter.models import Digest, EditorSettings
from tests.worker.factories import make_digest, make_list

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def digest():
    return make_digest(make_list(), status=Digest.Status.SCHEDULED, subject="December news",
                       send_at=datetime(2026, 12, 1, 7, 0, tzinfo=UTC))


def test_it_shows_every_admin_time_in_the_editors_own_time_zone(editor_client, editor, digest):
    EditorSettings.objects.create(user=editor, time_zone="Asia/Beirut")

    listing = editor_client.get(reverse("admin:newsletter_digest_changelist")).content.decode()
    sends = editor_client.get(reverse("admin:worker_send_changelist")).content.decode()

    assert "Dec. 1, 2026, 9 a.m." in listing and "7 a.m." not in listing  # 07:00 UTC is 09:00 in Beirut
    assert "Dec. 1, 2026, 9 a.m." in sends
    assert "Time zone: Asia/Beirut" in listing and "Time zone: Asia/Beirut" in sends


def test_it_keeps_the_site_time_zone_for_someone_without_settings(editor_client, digest):
    listing = editor_client.get(reverse("admin:newsletter_digest_changelist")).content.decode()

    assert "Dec. 1, 2026, 7 a.m." in listing and "Time zone: UTC" in listing
