from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from newsletter.models import Digest, DigestItem, EditorSettings, Feed, ImportProblem, NewsItem
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_it_previews_each_variant_in_a_sandboxed_iframe_and_as_text(client, editor):
    mailing_list = make_list()
    make_subscriber(mailing_list=mailing_list, language="fr")
    make_subscriber(mailing_list=mailing_list, language="ar")
    digest = make_digest(mailing_list=mailing_list, items=[make_item(title="CSW69")])

    page = client.get(f"/admin/newsletter/digest/{digest.id}/preview/")
    frame = client.get(f"/admin/newsletter/digest/{digest.id}/preview/ar.html")

    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("<iframe sandbox") == 2
    assert "All pre-send checks pass." in body
    assert "CSW69" in body  # the text part, in <pre>
    assert frame.status_code == 200
    assert 'dir="rtl"' in frame.content.decode()
    assert "sandbox" in frame["Content-Security-Policy"]
    assert "%%" not in frame.content.decode()


def test_it_shows_pre_send_problems_and_no_schedule_button(client, editor):
    digest = make_digest(mailing_list=make_list(), items=[make_item(image_url="https://x.org/i.jpg", image_alt="")])

    body = client.get(f"/admin/newsletter/digest/{digest.id}/preview/").content.decode()

    assert "Fix these before scheduling" in body
    assert "Image without alt text: https://x.org/i.jpg" in body
    assert 'id="schedule-form"' not in body


def test_it_sends_a_test_to_the_editor_from_the_preview(client, editor):
    digest = make_digest(mailing_list=make_list(), items=[make_item(title="CSW69")])

    response = client.post(f"/admin/newsletter/digest/{digest.id}/action/test/", {"language": "en"})

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
    assert "CSW69" in mail.outbox[0].alternatives[0][0]


@time_machine.travel(NOW, tick=False)
def test_it_schedules_from_the_preview_in_the_editors_time_zone(client, editor):
    EditorSettings.objects.create(user=editor, time_zone="Europe/Paris")
    digest = make_digest(mailing_list=make_list(), items=[make_item()])

    client.post(f"/admin/newsletter/digest/{digest.id}/action/schedule/", {"send_at": "2026-11-24T09:00", "confirmed": "yes"})

    digest.refresh_from_db()
    assert digest.status == Digest.Status.SCHEDULED
    assert digest.send_at == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_it_composes_from_the_admin_with_suggested_items(client, editor):
    mailing_list = make_list()
    item = make_item(mailing_list=mailing_list, published_at=NOW - timedelta(hours=1))

    response = client.post("/admin/newsletter/digest/compose/", {"mailing_list": mailing_list.id, "subject": "News"})

    digest = Digest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/digest/{digest.id}/change/")
    assert list(DigestItem.objects.filter(digest=digest).values_list("news_item_id", flat=True)) == [item.id]
    assert digest.created_by == editor


def test_it_sanitises_body_html_saved_through_the_admin(client, editor):
    response = client.post(
        "/admin/newsletter/newsitem/add/",
        {
            "title": "T", "published_at_0": "2026-11-20", "published_at_1": "10:00", "language": "en", "source": "manual",
            "body_html": '<p onclick="x()">Hi</p><script>bad()</script>', "created_at_0": "2026-11-20", "created_at_1": "10:00",
        },
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:2000]
    assert NewsItem.objects.get().body_html == "<p>Hi</p>"


def test_it_imports_csv_through_the_admin_and_shows_row_errors(client, editor):
    good = SimpleUploadedFile("items.csv", b"title,link\nOne,https://x.org/1\n")
    bad = SimpleUploadedFile("bad.csv", b"title,link\n,https://x.org/2\n")

    client.post("/admin/newsletter/newsitem/import-csv/", {"file": good})
    response = client.post("/admin/newsletter/newsitem/import-csv/", {"file": bad})

    assert NewsItem.objects.count() == 1
    assert "line 2: the title is empty" in response.content.decode()


def test_it_shows_feed_errors_and_entry_problems_to_the_editor(client, editor):
    feed = Feed.objects.create(mailing_list=make_list(), url="https://x.org/feed", last_error="The feed answered HTTP 500.")
    ImportProblem.objects.create(feed=feed, source=feed.source, reference="entry-7", reason="The entry has no title.")

    listing = client.get("/admin/newsletter/feed/").content.decode()
    detail = client.get(f"/admin/newsletter/feed/{feed.id}/change/").content.decode()

    assert "The feed answered HTTP 500." in listing
    assert "entry-7" in detail and "The entry has no title." in detail


def test_it_links_the_digest_form_to_its_preview_and_locks_a_scheduled_digest(client, editor):
    draft = make_digest(mailing_list=make_list(), items=[make_item()])
    scheduled = make_digest(mailing_list=make_list(), items=[make_item()], status=Digest.Status.SCHEDULED)

    draft_page = client.get(f"/admin/newsletter/digest/{draft.id}/change/").content.decode()
    scheduled_page = client.get(f"/admin/newsletter/digest/{scheduled.id}/change/").content.decode()

    assert f"/admin/newsletter/digest/{draft.id}/preview/" in draft_page
    assert 'name="subject_en"' in draft_page and 'name="subject_ar"' in draft_page  # one input per language
    assert 'name="subject_' not in scheduled_page  # read-only once scheduled
