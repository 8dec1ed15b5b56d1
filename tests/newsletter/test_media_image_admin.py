"""The admin's image page deletes through the desk's rule: never an image a news item still shows, one at a time."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from editorial.models import AuditEntry
from newsletter.media_images import media_image_absolute_url, media_image_upload
from newsletter.models import MediaImage
from tests.newsletter.factories import make_item, make_list
from tests.support.images import image_bytes, upload
from tests.support.organisations import default_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def an_image() -> MediaImage:
    return media_image_upload(organisation_id=default_organisation().pk, upload=upload(image_bytes()),
                              alt_text="Mothers at the UN")


def delete_url(image: MediaImage) -> str:
    return reverse("admin:newsletter_mediaimage_delete", args=[image.pk])


def test_it_refuses_to_delete_an_image_a_news_item_still_shows(admin_client):
    image = an_image()
    make_item(title="Mothers speak at the UN", image_url=media_image_absolute_url(image), image_alt="x",
              mailing_list=make_list())

    response = admin_client.post(delete_url(image), {"post": "yes"}, follow=True)

    assert MediaImage.objects.filter(pk=image.pk).exists() and default_storage.exists(image.file.name)
    assert "still shown by news items" in response.content.decode()
    assert "Mothers speak at the UN" in response.content.decode()


def test_it_deletes_an_unused_image_with_its_file_and_an_audit_entry(admin_client):
    image = an_image()
    name = image.file.name

    question = admin_client.get(delete_url(image))
    response = admin_client.post(delete_url(image), {"post": "yes"})

    assert question.status_code == 200
    assert response.status_code == 302 and response["Location"] == reverse("admin:newsletter_mediaimage_changelist")
    assert not MediaImage.objects.filter(pk=image.pk).exists() and not default_storage.exists(name)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.MEDIA_IMAGE_DELETED).count() == 1


def test_it_offers_no_bulk_delete_that_would_skip_the_check(admin_client):
    an_image()
    page = admin_client.get(reverse("admin:newsletter_mediaimage_changelist")).content.decode()
    assert "delete_selected" not in page
