from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail

from newsletter.lifecycle import Actor
from newsletter.models import Digest, DigestItem, EditorSettings
from newsletter.selectors import suggested_items
from newsletter.services import (
    ChecksFailed,
    NewsletterError,
    digest_compose,
    digest_reschedule,
    digest_schedule,
    digest_send_test,
    digest_set_items,
    digest_unschedule,
    news_item_create,
)
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_it_suggests_the_items_published_since_the_lists_last_sent_digest():
    mailing_list = make_list()
    make_item(title="old", published_at=NOW - timedelta(days=10), mailing_list=mailing_list)
    make_digest(mailing_list=mailing_list, status=Digest.Status.SENT, send_at=NOW - timedelta(days=7))
    make_digest(mailing_list=mailing_list, status=Digest.Status.CANCELLED, send_at=NOW - timedelta(days=2))
    newer = make_item(title="newer", published_at=NOW - timedelta(days=3), mailing_list=mailing_list)
    newest = make_item(title="newest", published_at=NOW - timedelta(days=1), mailing_list=mailing_list)
    make_item(title="other list", published_at=NOW - timedelta(days=1), mailing_list=make_list())
    general = make_item(title="no list", published_at=NOW - timedelta(hours=1))
    make_item(title="future", published_at=NOW + timedelta(days=1), mailing_list=mailing_list)

    suggestions = suggested_items(mailing_list_id=mailing_list.id)

    assert suggestions == [general, newest, newer]


@time_machine.travel(NOW, tick=False)
def test_it_suggests_a_story_once_in_the_lists_language_when_translated():
    mailing_list = make_list(default_language="fr")
    make_item(title="EN", translation_key="csw", mailing_list=mailing_list, published_at=NOW - timedelta(hours=2))
    french = make_item(title="FR", translation_key="csw", language="fr", mailing_list=mailing_list,
                       published_at=NOW - timedelta(hours=1))

    assert suggested_items(mailing_list_id=mailing_list.id) == [french]


@time_machine.travel(NOW, tick=False)
def test_it_composes_a_digest_with_the_suggestions_in_order():
    mailing_list = make_list()
    a = make_item(published_at=NOW - timedelta(days=2), mailing_list=mailing_list)
    b = make_item(published_at=NOW - timedelta(days=1), mailing_list=mailing_list)

    digest = digest_compose(mailing_list_id=mailing_list.id, subject="News", since=NOW - timedelta(days=3))

    assert [row.news_item_id for row in DigestItem.objects.filter(digest=digest)] == [b.id, a.id]
    digest_set_items(digest_id=digest.id, item_ids=[a.id, b.id])
    assert list(DigestItem.objects.filter(digest=digest).values_list("news_item_id", "position")) == [(a.id, 0), (b.id, 1)]


def test_it_refuses_a_subject_with_a_line_break_and_writes_nothing():
    mailing_list = make_list()

    with pytest.raises(NewsletterError, match="single line"):
        digest_compose(mailing_list_id=mailing_list.id, subject="Hi\r\nBcc: x@example.org", item_ids=[])

    assert Digest.objects.count() == 0


def test_it_sanitises_body_html_when_creating_an_item():
    item = news_item_create(title="<b>T</b>", body_html='<p onmouseover="steal()">Hi<script>bad()</script></p>')

    assert item.title == "T"
    assert item.body_html == "<p>Hi</p>"


@time_machine.travel(NOW, tick=False)
def test_it_schedules_in_the_editors_time_zone():
    editor = get_user_model().objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    EditorSettings.objects.create(user=editor, time_zone="Asia/Beirut")
    digest = make_digest(mailing_list=make_list(), items=[make_item()])

    digest_schedule(digest_id=digest.id, send_at=datetime(2026, 11, 24, 9, 0), actor=Actor(user_id=editor.id))

    digest.refresh_from_db()
    assert digest.status == Digest.Status.SCHEDULED
    assert digest.send_at == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # Beirut is UTC+2 in November
    assert digest.scheduled_by_id == editor.id


@time_machine.travel(NOW, tick=False)
def test_it_refuses_to_schedule_when_checks_fail():
    mailing_list = make_list()
    item = make_item(image_url="https://example.org/a.jpg", image_alt="", link="/relative/path")
    digest = make_digest(mailing_list=mailing_list, items=[item])
    empty = make_digest(mailing_list=mailing_list)

    with pytest.raises(ChecksFailed) as failed:
        digest_schedule(digest_id=digest.id, send_at=NOW + timedelta(hours=1))
    with pytest.raises(ChecksFailed) as failed_empty:
        digest_schedule(digest_id=empty.id, send_at=NOW + timedelta(hours=1))

    assert {p.code for p in failed.value.problems} == {"image_alt", "bad_link"}
    assert {p.code for p in failed_empty.value.problems} == {"empty"}
    assert set(Digest.objects.values_list("status", flat=True)) == {Digest.Status.DRAFT}


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_time_in_the_past():
    digest = make_digest(mailing_list=make_list(), items=[make_item()])

    with pytest.raises(NewsletterError, match="already passed"):
        digest_schedule(digest_id=digest.id, send_at=NOW - timedelta(hours=1))


@time_machine.travel(NOW, tick=False)
def test_it_reschedules_and_unschedules_before_sending_but_not_after():
    digest = make_digest(mailing_list=make_list(), items=[make_item()])
    digest_schedule(digest_id=digest.id, send_at=NOW + timedelta(hours=1))

    digest_reschedule(digest_id=digest.id, send_at=NOW + timedelta(hours=5))
    digest.refresh_from_db()
    assert digest.send_at == NOW + timedelta(hours=5)
    digest_unschedule(digest_id=digest.id)
    digest.refresh_from_db()
    assert (digest.status, digest.send_at) == (Digest.Status.DRAFT, None)

    sending = make_digest(mailing_list=make_list(), items=[make_item()], status=Digest.Status.SENDING)
    with pytest.raises(NewsletterError, match="is sending; it can be rescheduled only when it is scheduled or waiting"):
        digest_reschedule(digest_id=sending.id, send_at=NOW + timedelta(hours=5))
    with pytest.raises(NewsletterError, match="can be unscheduled only when"):
        digest_unschedule(digest_id=sending.id)
    sending.refresh_from_db()
    assert sending.status == Digest.Status.SENDING


def test_it_sends_the_real_rendered_message_as_a_test_to_the_editor():
    editor = get_user_model().objects.create_user("ed", "ed@example.org", "pw", first_name="Eda", is_staff=True)
    mailing_list = make_list(from_name="MMM", from_email="news@mmm.example.org")
    make_subscriber(mailing_list=mailing_list, language="en")
    make_subscriber(mailing_list=mailing_list, language="ar")
    digest = make_digest(mailing_list=mailing_list, items=[make_item(title="CSW69")], subject="November news")

    sent = digest_send_test(digest_id=digest.id, user_id=editor.id)

    assert sorted(sent) == ["ar", "en"]
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.to == ["ed@example.org"]
    assert message.subject == "[Test] November news"
    html = message.alternatives[0][0]
    assert "CSW69" in html and "CSW69" in message.body
    assert "%%" not in html and "%%" not in message.body
    assert f"/test-email/{digest.id}/unsubscribe/?t=" in html  # a test link, never a subscriber's token


def test_it_drops_nul_and_control_characters_from_items():
    item = news_item_create(title="CSW\x00 69\x0c", summary="a\x00b", body_html="<p>x\x00y</p>", translation_key="k\x00")

    item.refresh_from_db()
    assert (item.title, item.summary, item.body_html, item.translation_key) == ("CSW 69", "ab", "<p>xy</p>", "k")
