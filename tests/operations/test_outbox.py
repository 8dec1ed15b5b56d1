import pytest
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection

from operations.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _send() -> None:
    message = EmailMultiAlternatives(
        subject="Weekly news", body="Plain text part", from_email="news@example.org", to=["reader@example.org"],
        headers={"List-Unsubscribe": "<https://example.org/u/abc/>"},
    )
    message.attach_alternative("<p>HTML <b>part</b></p>", "text/html")
    get_connection("operations.outbox.OutboxEmailBackend").send_messages([message])


def test_it_stores_each_message_with_headers_text_and_html():
    _send()

    stored = OutboxMessage.objects.get()
    assert stored.to == "reader@example.org"
    assert stored.subject == "Weekly news"
    assert stored.text == "Plain text part"
    assert stored.html == "<p>HTML <b>part</b></p>"
    assert stored.headers["List-Unsubscribe"] == "<https://example.org/u/abc/>"
    assert "Message-ID" in stored.headers


def test_it_shows_stored_messages_rendered_to_administrators_only(client):
    _send()
    stored = OutboxMessage.objects.get()

    assert client.get(f"/outbox/{stored.pk}/").status_code == 302  # to the login page
    staff = get_user_model().objects.create_user("ed", password="pw-long-enough-123", is_staff=True)
    client.force_login(staff)
    assert client.get(f"/outbox/{stored.pk}/").status_code == 403
    staff.is_superuser = True
    staff.save()
    detail = client.get(f"/outbox/{stored.pk}/")
    html = client.get(f"/outbox/{stored.pk}/html")

    assert detail.status_code == 200 and b"Weekly news" in detail.content and b"sandbox" in detail.content
    assert html.content == b"<p>HTML <b>part</b></p>"
    assert "default-src 'none'" in html.headers["Content-Security-Policy"]


def test_it_stores_non_ascii_subjects_and_headers_readable():
    message = EmailMultiAlternatives(
        subject="Les nouvelles — أخبار", body="x", from_email="news@example.org", to=["reader@example.org"],
        headers={"List-Id": '"Make Mothers Matter — News" <mmm-news.lists.example.org>'},
    )
    get_connection("operations.outbox.OutboxEmailBackend").send_messages([message])

    stored = OutboxMessage.objects.get()
    assert stored.subject == "Les nouvelles — أخبار"
    assert stored.headers["List-Id"] == '"Make Mothers Matter — News" <mmm-news.lists.example.org>'
    assert "=?utf-8?" in stored.raw  # the wire form stays encoded
