from datetime import UTC, datetime

import pytest

from newsletter.models import Digest
from newsletter.rendering import render_digest_variants
from newsletter.selectors import web_version_url
from newsletter.services import news_item_create
from tests.newsletter.factories import make_digest, make_item, make_list, make_subscriber

pytestmark = pytest.mark.django_db

SENT = {
    "status": Digest.Status.SENT,
    "send_at": datetime(2026, 11, 20, 9, tzinfo=UTC),
    "finished_at": datetime(2026, 11, 20, 10, tzinfo=UTC),
}


def test_it_lists_only_sent_digests_of_public_lists(client):
    public = make_list(name="Public list")
    make_digest(mailing_list=public, subject="Sent public", **SENT)
    make_digest(mailing_list=public, subject="Still a draft")
    make_digest(mailing_list=make_list(is_public=False), subject="Sent private", **SENT)

    response = client.get("/archive/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Sent public" in body
    assert "Still a draft" not in body and "Sent private" not in body


def test_it_sanitises_script_and_event_handlers_in_item_bodies_on_the_archive_page(client):
    item = news_item_create(
        title="CSW69",
        body_html='<p onclick="steal()">Mothers <img src="https://x.org/a.png" onerror="alert(1)" alt="a">'
        '<script>alert("x")</script><a href="javascript:alert(2)">bad</a></p>',
    )
    # A row written by some other path (raw SQL, an old version) is sanitised again on display.
    make_item(title="Raw", body_html='<p>ok</p><script>document.cookie</script><b onmouseover="x()">b</b>')
    raw = type(item).objects.get(title="Raw")
    digest = make_digest(mailing_list=make_list(), items=[item, raw], **SENT)

    response = client.get(f"/archive/{digest.id}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Mothers" in body
    for unsafe in ("<script", "onclick", "onerror", "onmouseover", "javascript:", "document.cookie"):
        assert unsafe not in body


def test_it_hides_private_and_unsent_digests_without_the_signed_key(client):
    private = make_digest(mailing_list=make_list(is_public=False), items=[make_item(title="Private story")], **SENT)
    draft = make_digest(mailing_list=make_list(), items=[make_item()])

    assert client.get(f"/archive/{private.id}/").status_code == 404
    assert client.get(f"/archive/{draft.id}/").status_code == 404
    assert client.get(f"/archive/{private.id}/?k=forged").status_code == 404
    keyed = client.get(web_version_url(digest_id=private.id).split("127.0.0.1:8000", 1)[-1])
    assert keyed.status_code == 200
    assert "Private story" in keyed.content.decode()
    assert keyed["X-Robots-Tag"] == "noindex"


def test_it_shows_the_arabic_web_version_right_to_left_without_personal_links(client):
    mailing_list = make_list()
    make_subscriber(mailing_list=mailing_list, language="en")
    make_subscriber(mailing_list=mailing_list, language="ar")
    make_item(title="لجنة وضع المرأة", language="ar", translation_key="csw")
    digest = make_digest(mailing_list=mailing_list, items=[make_item(title="CSW", translation_key="csw")], **SENT)
    render_digest_variants(digest_id=digest.id)

    response = client.get(f"/archive/{digest.id}/?lang=ar")

    body = response.content.decode()
    assert 'dir="rtl"' in body and 'lang="ar"' in body
    assert "لجنة وضع المرأة" in body
    assert "%%" not in body and "/u/" not in body and "/preferences/" not in body


def test_it_publishes_an_atom_feed_of_sent_public_digests(client, settings):
    digest = make_digest(mailing_list=make_list(name="MMM"), subject="November news", items=[make_item(title="CSW")], **SENT)
    make_digest(mailing_list=make_list(), subject="Draft news")

    response = client.get("/archive/feed/")

    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert 'xmlns="http://www.w3.org/2005/Atom"' in body
    assert "MMM: November news" in body
    assert f"<id>{settings.SITE_URL}/archive/{digest.id}/</id>" in body
    assert "Draft news" not in body
