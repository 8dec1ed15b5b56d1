"""The desk's image library: an editor uploads a picture with its alt text and sees her organisations' images only."""

from __future__ import annotations

import pytest
from django.test import Client

from newsletter.media_images import media_image_upload
from newsletter.models import MediaImage
from tests.support.images import image_bytes, upload
from tests.support.organisations import default_organisation, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_uploads_an_image_with_its_alt_text_into_her_organisations_library(editor_client):
    response = editor_client.post("/desk/images/", {"file": upload(image_bytes(width=50, height=40)),
                                                   "alt_text": "صورة الأمهات", "organisation": default_organisation().pk})

    image = MediaImage.objects.get()
    assert response.status_code == 302
    assert image.alt_text == "صورة الأمهات" and image.organisation == default_organisation()
    page = editor_client.get("/desk/images/").content.decode()
    assert "صورة الأمهات" in page and image.file.url in page


def test_it_serves_the_uploaded_file_from_media_url(editor_client):
    image = media_image_upload(organisation_id=default_organisation().pk, upload=upload(image_bytes()), alt_text="A")
    response = Client().get(image.file.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_it_requires_alt_text(editor_client):
    response = editor_client.post("/desk/images/", {"file": upload(image_bytes()), "alt_text": "",
                                                   "organisation": default_organisation().pk})
    assert response.status_code == 200 and not MediaImage.objects.exists()


def test_it_refuses_a_file_that_is_not_an_image(editor_client):
    response = editor_client.post("/desk/images/", {"file": upload(b"GIF89a-but-not-really", "a.gif"),
                                                   "alt_text": "x", "organisation": default_organisation().pk})
    assert "not an image we can use" in response.content.decode() and not MediaImage.objects.exists()


def test_it_neither_shows_nor_uploads_into_another_organisations_library(editor_client):
    other = make_organisation()
    media_image_upload(organisation_id=other.pk, upload=upload(image_bytes()), alt_text="Their picture")

    page = editor_client.get("/desk/images/").content.decode()
    refused = editor_client.post("/desk/images/", {"file": upload(image_bytes()), "alt_text": "Mine",
                                                  "organisation": other.pk})

    assert "Their picture" not in page
    assert refused.status_code == 200 and MediaImage.objects.filter(organisation=other).count() == 1


def test_it_is_in_the_navigation_for_editors(editor_client):
    page = editor_client.get("/desk/").content.decode()
    assert 'href="/desk/images/"' in page and 'href="/desk/news/"' in page and 'href="/desk/feeds/"' in page
