"""The desk's news items: an editor writes an item in Arabic with a picture (uploaded now or picked from the
library), its rich body is sanitised on the server, and she never sees or changes another organisation's items."""

from __future__ import annotations

import pytest

from newsletter.media_images import media_image_upload
from newsletter.models import MediaImage, NewsItem
from tests.newsletter.factories import make_list
from tests.support.images import image_bytes, upload
from tests.support.organisations import default_organisation, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://news.example.org"


def _form(mailing_list, **overrides) -> dict:
    data = {"title": "الأمهات في الأمم المتحدة، اليوم!", "dateline": "نيويورك", "language": "ar",
            "mailing_lists": [mailing_list.pk], "summary": "ملخص قصير.", "body_html": "<p>نص الخبر</p>",
            "link": "https://mmm.example/ar/un", "image_alt": ""}
    data.update(overrides)
    return data


def test_it_creates_a_news_item_in_arabic_with_an_uploaded_image(editor_client):
    mailing_list = make_list()
    data = _form(mailing_list, image_upload=upload(image_bytes(width=90, height=60)), image_alt="أمهات في القاعة")

    response = editor_client.post("/desk/news/new/", data)

    item = NewsItem.objects.get()
    image = MediaImage.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/news/{item.pk}/"
    assert item.title == "الأمهات في الأمم المتحدة، اليوم!" and item.language == "ar"
    assert list(item.mailing_lists.all()) == [mailing_list]
    assert item.image_url == f"https://news.example.org/media/{image.file.name}"
    assert item.image_alt == "أمهات في القاعة" == image.alt_text
    assert image.organisation == default_organisation()


def test_it_reuses_an_image_from_the_library_with_its_alt_text(editor_client):
    image = media_image_upload(organisation_id=default_organisation().pk, upload=upload(image_bytes()),
                               alt_text="Library picture")

    editor_client.post("/desk/news/new/", _form(make_list(), image=image.pk))

    item = NewsItem.objects.get()
    assert item.image_url.endswith(image.file.name) and item.image_alt == "Library picture"
    assert MediaImage.objects.count() == 1


def test_it_requires_alt_text_for_an_uploaded_image(editor_client):
    response = editor_client.post("/desk/news/new/", _form(make_list(), image_upload=upload(image_bytes())))

    assert response.status_code == 200
    assert "alt text" in response.content.decode()
    assert not NewsItem.objects.exists() and not MediaImage.objects.exists()


def test_it_says_plainly_when_the_upload_is_not_an_image(editor_client):
    response = editor_client.post("/desk/news/new/", _form(make_list(), image_upload=upload(b"hello", "x.png"),
                                                            image_alt="x"))
    assert "not an image we can use" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_it_sanitises_the_rich_body_on_the_server(editor_client):
    body = ('<p onclick="steal()">Hello <strong>world</strong></p><script>alert(1)</script>'
            '<a href="javascript:alert(1)">x</a><img src="https://mmm.example/a.png" onerror="x()">')

    editor_client.post("/desk/news/new/", _form(make_list(), body_html=body))

    stored = NewsItem.objects.get().body_html
    assert "<strong>world</strong>" in stored
    assert "script" not in stored and "onclick" not in stored and "onerror" not in stored and "javascript" not in stored


def test_it_marks_an_item_as_the_translation_of_another(editor_client):
    mailing_list = make_list()
    editor_client.post("/desk/news/new/", _form(mailing_list, title="Mothers at the UN", language="en"))
    english = NewsItem.objects.get()

    editor_client.post("/desk/news/new/", _form(mailing_list, translation_of=english.pk))

    arabic = NewsItem.objects.get(language="ar")
    english.refresh_from_db()
    assert english.translation_key and arabic.translation_key == english.translation_key


def test_it_shows_the_form_with_a_wide_title_inputs_that_follow_the_text_and_the_rich_editor(editor_client):
    response = editor_client.get("/desk/news/new/")
    page = response.content.decode()

    assert 'class="wide-title"' in page and 'maxlength="400"' in page
    assert page.count('dir="auto"') >= 4
    assert "data-django-prose-editor" in page
    # The editor's import map is the page's one inline script, allowed by its hash and nothing else.
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_it_changes_an_item_and_keeps_the_lists_of_organisations_she_does_not_see(editor_client):
    mine, theirs = make_list(), make_list(organisation=make_organisation())
    item = NewsItem.objects.create(title="Old", language="en")
    item.mailing_lists.add(mine, theirs)

    response = editor_client.post(f"/desk/news/{item.pk}/", _form(mine, title="New title", language="en"))

    item.refresh_from_db()
    assert response.status_code == 302
    assert item.title == "New title"
    assert set(item.mailing_lists.all()) == {mine, theirs}


def test_it_answers_404_for_another_organisations_item(editor_client):
    other = NewsItem.objects.create(title="Theirs")
    other.mailing_lists.add(make_list(organisation=make_organisation()))

    assert editor_client.get(f"/desk/news/{other.pk}/").status_code == 404
    assert editor_client.post(f"/desk/news/{other.pk}/", _form(make_list())).status_code == 404
    assert "Theirs" not in editor_client.get("/desk/news/").content.decode()


def test_it_does_not_offer_another_organisations_lists_or_images(editor_client):
    theirs = make_list(organisation=make_organisation(), name="Their list")
    image = media_image_upload(organisation_id=theirs.organisation_id, upload=upload(image_bytes()), alt_text="Their image")

    page = editor_client.get("/desk/news/new/").content.decode()
    refused = editor_client.post("/desk/news/new/", _form(theirs, image=image.pk))

    assert "Their list" not in page and "Their image" not in page
    assert refused.status_code == 200 and not NewsItem.objects.exists()


def test_it_lists_items_with_search_and_language_filter(editor_client):
    mailing_list = make_list()
    for title, language in [("Mothers at the UN", "en"), ("Les mères à l'ONU", "fr"), ("الأمهات", "ar")]:
        NewsItem.objects.create(title=title, language=language).mailing_lists.add(mailing_list)

    by_language = editor_client.get("/desk/news/", {"language": "fr"}).content.decode()
    by_words = editor_client.get("/desk/news/", {"q": "mothers"}).content.decode()

    assert "Les mères" in by_language and "Mothers at the UN" not in by_language
    assert "Mothers at the UN" in by_words and "الأمهات" not in by_words


def test_it_brings_a_library_images_alt_text_when_she_picks_it_for_an_item_that_had_another(editor_client):
    mailing_list = make_list()
    item = NewsItem.objects.create(title="Old", language="en", image_url="https://mmm.example/old.png",
                                   image_alt="Old picture")
    item.mailing_lists.add(mailing_list)
    image = media_image_upload(organisation_id=default_organisation().pk, upload=upload(image_bytes()),
                               alt_text="New picture")

    kept = editor_client.post(f"/desk/news/{item.pk}/", _form(mailing_list, title="Same picture", language="en"))
    item.refresh_from_db()
    assert kept.status_code == 302 and item.image_alt == "Old picture"

    editor_client.post(f"/desk/news/{item.pk}/", _form(mailing_list, language="en", image=image.pk))
    item.refresh_from_db()
    assert item.image_alt == "New picture" and item.image_url.endswith(image.file.name)


def test_it_refuses_an_upload_from_someone_who_may_write_news_but_not_add_images(editor_client, editor):
    from django.contrib.auth.models import Permission

    editor.groups.get().permissions.remove(Permission.objects.get(codename="add_mediaimage"))

    response = editor_client.post("/desk/news/new/", _form(make_list(), image_upload=upload(image_bytes()),
                                                            image_alt="A picture"))

    assert response.status_code == 403
    assert not NewsItem.objects.exists() and not MediaImage.objects.exists()
